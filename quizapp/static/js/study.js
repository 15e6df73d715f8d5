// Anki's review keys on top of the plain forms of the review screen. No framework.
(function () {
  "use strict";
  var root = document.querySelector("[data-study]");
  if (!root) { return; }
  var side = root.getAttribute("data-side");
  var submitted = false;

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  // A focused button, link or <summary> keeps its own Space/Enter (keyboard users who tabbed to it).
  function control(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === "button" || tag === "a" || tag === "summary";
  }

  function submit(form, button) {
    if (!form || submitted) { return; }
    submitted = true;  // one submit per card: a second key press does nothing
    if (form.requestSubmit) { form.requestSubmit(button || undefined); }
    else { if (button) { button.click(); } else { form.submit(); } }
  }

  function press(selector) {
    var button = root.querySelector(selector);
    if (button) { submit(button.form, button); }
  }

  var keys = root.querySelector("[data-keys]");

  // A self-graded card's answer side is already on the page: show it, no request.
  var answerSide = root.querySelector("[data-answer-side][hidden]");
  var revealForm = root.querySelector("[data-reveal]");
  function revealHere() {
    if (!answerSide || side !== "question") { return false; }
    answerSide.hidden = false;
    if (revealForm) { revealForm.hidden = true; }
    side = "answer";
    root.setAttribute("data-side", side);
    return true;
  }
  if (answerSide && revealForm) {
    revealForm.addEventListener("submit", function (event) {
      if (revealHere()) { event.preventDefault(); }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) { return; }  // a held key acts once
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;  // keys are off while typing; Enter submits the answer box natively
    }
    var key = event.key;
    if ((key === " " || key === "Enter") && control(event.target)) { return; }
    if (key === "?") { if (keys) { keys.open = !keys.open; } event.preventDefault(); return; }
    if (key === "u") { press("[data-undo] button"); event.preventDefault(); return; }
    if (side === "done") { return; }
    if (key === "-") { press("[data-bury] button"); event.preventDefault(); return; }
    if (key === "@") { press("[data-suspend] button"); event.preventDefault(); return; }
    if (side === "question") {
      if (/^[1-9]$/.test(key)) { press('[data-choice="' + key + '"]'); event.preventDefault(); return; }
      if (key === " " || key === "Enter") {
        var show = root.querySelector("[data-show]");
        if (revealHere()) { event.preventDefault(); }
        else if (show) { submit(show.form, show); event.preventDefault(); }
      }
      return;
    }
    if (side === "answer") {
      if (/^[1-4]$/.test(key)) { press('[data-rating="' + key + '"]'); event.preventDefault(); return; }
      if (key === " " || key === "Enter") { press('[data-rating="3"]'); event.preventDefault(); }
    }
  });

  window.addEventListener("pageshow", function () { submitted = false; });
})();
