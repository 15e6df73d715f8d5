// Knowledge base: copy buttons on code, and live filtering of the A–Z list.
// Progressive enhancement only: without JS the code is selectable and search is a GET form.
(function () {
  "use strict";

  function copyText(text, button) {
    function done(label) {
      button.textContent = label;
      window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done("Copied"); },
        function () { done("Press Ctrl+C"); });
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "kb-offscreen";
    document.body.appendChild(area);
    area.select();
    try { done(document.execCommand("copy") ? "Copied" : "Press Ctrl+C"); }
    catch (e) { done("Press Ctrl+C"); }
    document.body.removeChild(area);
  }

  function makeButton(label, getText) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "small kb-copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () { copyText(getText(), button); });
    return button;
  }

  document.querySelectorAll(".codeblock").forEach(function (block) {
    var head = block.querySelector(".codeblock-head");
    var code = block.querySelector("pre");
    if (!head || !code) { return; }
    head.appendChild(makeButton("Copy code", function () {
      return code.textContent.replace(/\n$/, "");
    }));
  });

  document.querySelectorAll("code[data-copy]").forEach(function (code) {
    code.parentNode.appendChild(makeButton("Copy command", function () {
      return code.getAttribute("data-copy");
    }));
  });

  var input = document.querySelector("[data-kb-filter]");
  if (!input) { return; }
  var items = document.querySelectorAll("[data-kb-text]");
  var groups = document.querySelectorAll("[data-kb-group]");
  var count = document.querySelector("[data-kb-count]");
  var empty = document.querySelector("[data-kb-empty]");
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.getAttribute("data-kb-text");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("[data-kb-text]:not([hidden])");
    });
    if (count) { count.textContent = "(" + shown + ")"; }
    if (empty) { empty.classList.toggle("kb-hidden", shown !== 0); }
  });
})();
