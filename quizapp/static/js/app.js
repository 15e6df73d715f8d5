// Small progressive enhancements shared by every page. No framework, nothing external.
(function () {
  "use strict";
  // Forms that destroy something ask first: <form data-confirm="Delete your account?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
