// The order page reloads itself while the order waits for the provider's word
// (data-refresh seconds on #order), so a member sees it credited.
(function () {
  "use strict";
  var box = document.getElementById("order");
  if (!box || !box.dataset.refresh) return;
  var seconds = parseInt(box.dataset.refresh, 10);
  if (!(seconds > 0)) return;
  var tries = 0;
  function tick() {
    tries += 1;
    if (tries > 120) return; // ten minutes at most
    window.location.reload();
  }
  window.setTimeout(tick, seconds * 1000);
})();
