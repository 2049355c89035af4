// Document page: live conversion status, and the "read the full text" button.
(function () {
  "use strict";
  function watch(el, onDone) {
    var url = el.dataset.statusUrl;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var label = el.querySelector(".status-label") || el;
          label.textContent = s.status_label;
          var bar = el.querySelector(".status-progress");
          if (bar && s.page_count) { bar.max = s.page_count; bar.value = s.pages_ready; }
          if (s.pages) { showPages(s.pages); }
          if (s.done) { onDone(s); } else { setTimeout(poll, 1500); }
        })
        .catch(function () { setTimeout(poll, 4000); });
    }
    poll();
  }
  // The template renders the translated alt text and caption with a "{n}" where the page
  // number goes (the last one: a title may contain "{n}" too).
  function fill(format, number) {
    var at = format.lastIndexOf("{n}");
    return format.slice(0, at) + number + format.slice(at + 3);
  }
  // Pages rendered so far appear while the rest are still being converted.
  function showPages(pages) {
    var box = document.getElementById("early-pages");
    if (!box) { return; }
    pages.forEach(function (p) {
      if (document.getElementById("page-" + p.number)) { return; }
      var fig = document.createElement("figure");
      fig.className = "page";
      fig.id = "page-" + p.number;
      fig.dataset.number = p.number;
      var img = document.createElement("img");
      img.src = p.url;
      img.alt = fill(box.dataset.altFormat, p.number);
      img.width = p.width;
      img.height = p.height;
      var cap = document.createElement("figcaption");
      cap.className = "page-counter";
      cap.textContent = fill(box.dataset.captionFormat, p.number);
      fig.appendChild(img);
      fig.appendChild(cap);
      var next = Array.prototype.find.call(box.children, function (c) {
        return parseInt(c.dataset.number, 10) > p.number;
      });
      box.insertBefore(fig, next || null);
    });
  }
  var panel = document.getElementById("status-panel");
  if (panel && panel.dataset.done !== "1") {
    watch(panel, function (s) {
      if (s.status === "ready" || s.status === "held") { window.location.reload(); }
    });
  }
  document.querySelectorAll(".status-cell[data-done='0']").forEach(function (cell) {
    watch(cell, function (s) { cell.className = "status-cell status-" + s.status; });
  });
  document.querySelectorAll(".expand-text").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var target = document.getElementById(btn.dataset.target);
      if (target) { target.hidden = false; btn.remove(); }
    });
  });
})();
