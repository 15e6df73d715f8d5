// Mentor pages: a "Copy" button under each summary (the text stays selectable without JS).
(function () {
  "use strict";
  document.querySelectorAll("textarea.summary").forEach(function (area) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small mentor-copy";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      var done = function (label) {
        button.textContent = label;
        window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(function () { done("Copied"); },
          function () { done("Press Ctrl+C"); });
      } else {
        area.select();
        try { done(document.execCommand("copy") ? "Copied" : "Press Ctrl+C"); }
        catch (e) { done("Press Ctrl+C"); }
      }
    });
    area.insertAdjacentElement("afterend", button);
  });
})();
