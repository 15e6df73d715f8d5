// On a time-zone select marked data-detect-timezone, preselect the browser's own zone
// when the server left the default (UTC) in place. Without JavaScript, UTC stays chosen.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  document.querySelectorAll("select[data-detect-timezone]").forEach(function (select) {
    if (select.value !== "UTC" || select.closest(".has-error")) { return; }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) { select.value = zone; return; }
    }
  });
})();
