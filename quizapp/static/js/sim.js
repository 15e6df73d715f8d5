// OOM playground: re-simulate shortly after a value changes (the form works without this).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) { return; }
  var timer = null;
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    }, 400);
  });
})();
