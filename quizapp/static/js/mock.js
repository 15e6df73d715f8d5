// Mock interview: a countdown next to the question, and 1–9 to pick a choice.
// The server keeps the real clock; this only shows it, and finishes the mock when it hits 0.
(function () {
  "use strict";
  var timer = document.querySelector(".mock-timer[data-seconds-left]");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10) || 0;
    var end = Date.now() + left * 1000;  // relative to this page load: immune to clock skew
    var finishForm = document.getElementById("mock-finish");
    var done = false;
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(seconds / 60), s = seconds % 60;
      timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      timer.classList.toggle("is-low", seconds > 0 && seconds <= 60);
      timer.classList.toggle("is-up", seconds === 0);
      if (seconds === 0 && !done) {
        done = true;
        timer.textContent = "Time is up";
        if (finishForm) { finishForm.removeAttribute("data-confirm"); finishForm.submit(); }
      }
    };
    tick();
    window.setInterval(tick, 1000);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      if (!(target.tagName === "INPUT" && target.type === "radio")) { return; }
    }
    var choices = document.querySelectorAll(".mock-choices input[type=radio]");
    var n = parseInt(event.key, 10);
    if (n >= 1 && n <= choices.length) {
      choices[n - 1].checked = true;
      choices[n - 1].focus();
      event.preventDefault();
    }
  });
})();
