// The document reader: a toolbar (page box, previous/next, zoom, full screen),
// the keyboard, a floating page indicator, thumbnails, and the pages after the
// first few, fetched from data-pages-url as the reader nears them. Without this
// script the page still shows the first pages and a "continue reading" link.
const root = document.getElementById("reader");

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const NEAR = "150% 0px"; // fetch a page's batch when it is this close to the viewport

function fill(format, number) {
  // The template renders the translated text with "{n}" where the number goes
  // (the last one: a title may contain "{n}" too).
  const at = format.lastIndexOf("{n}");
  return at < 0 ? format : format.slice(0, at) + number + format.slice(at + 3);
}

function start(root) {
  const t = root.dataset;
  const total = parseInt(t.total, 10);
  const visible = parseInt(t.visible, 10);
  const defaultWidth = parseInt(t.width, 10) || 1240;
  const defaultHeight = parseInt(t.height, 10) || 1754;
  const pagesBox = root.querySelector(".reader-pages");
  const thumbs = root.querySelector(".reader-thumbs");
  const input = root.querySelector(".reader-page-input");
  const zoomOut = root.querySelector(".reader-zoom");
  const indicator = root.querySelector(".reader-indicator");
  const fullButton = root.querySelector("[data-reader=fullscreen]");
  const more = root.querySelector(".reader-more");
  const figures = new Map(); // page number -> <figure>
  const thumbButtons = new Map();
  const requested = new Set();
  let current = parseInt(t.start, 10) || 1;
  let zoom = 1;

  root.classList.add("reader-on");
  const bar = root.querySelector(".reader-toolbar");
  const barHeight = () => pagesBox.style.setProperty("--reader-bar", bar.offsetHeight + 8 + "px");
  barHeight();
  window.addEventListener("resize", barHeight);
  if (more) { more.parentElement.hidden = true; }

  // Every page the reader may see gets its place now, sized like the first page
  // until its own size arrives, so scrolling and jumping land where they should.
  const existing = Array.from(pagesBox.querySelectorAll("figure.page"));
  existing.forEach((fig) => figures.set(parseInt(fig.dataset.number, 10), fig));
  let after = null;
  for (let n = visible; n >= 1; n -= 1) {
    let fig = figures.get(n);
    if (!fig) {
      fig = document.createElement("figure");
      fig.className = "page page-pending";
      fig.id = "page-" + n;
      fig.dataset.number = n;
      const slot = document.createElement("div");
      slot.className = "page-slot";
      slot.style.aspectRatio = defaultWidth + " / " + defaultHeight;
      const cap = document.createElement("figcaption");
      cap.className = "page-counter";
      cap.textContent = fill(t.captionFormat, n);
      fig.append(slot, cap);
      pagesBox.insertBefore(fig, after);
      figures.set(n, fig);
    } else {
      requested.add(n);
    }
    after = fig;
  }

  // Thumbnails (shown on wide screens only, by the style sheet).
  for (let n = 1; n <= visible; n += 1) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "reader-thumb";
    b.setAttribute("aria-label", fill(t.thumbFormat, n));
    const num = document.createElement("span");
    num.textContent = n;
    b.append(num);
    b.addEventListener("click", () => goTo(n));
    thumbs.append(b);
    thumbButtons.set(n, b);
  }
  function thumbImage(n, url, width, height) {
    const b = thumbButtons.get(n);
    if (!b || b.querySelector("img")) { return; }
    const img = document.createElement("img");
    img.alt = "";
    img.loading = "lazy";
    img.decoding = "async";
    img.width = width;
    img.height = height;
    b.prepend(img);
    // After the page's load event: the pages themselves come first.
    if (document.readyState === "complete") {
      img.src = url;
    } else {
      window.addEventListener("load", () => { img.src = url; }, { once: true });
    }
  }
  existing.forEach((fig) => {
    const img = fig.querySelector("img");
    if (img) { thumbImage(parseInt(fig.dataset.number, 10), img.src, img.width, img.height); }
  });

  function showPage(p) {
    const fig = figures.get(p.number);
    if (!fig || !fig.classList.contains("page-pending")) { return; }
    const img = document.createElement("img");
    img.alt = fill(t.altFormat, p.number);
    img.decoding = "async";
    img.width = p.width;
    img.height = p.height;
    img.src = p.url;
    const slot = fig.querySelector(".page-slot");
    if (slot) { slot.replaceWith(img); } else { fig.prepend(img); }
    fig.classList.remove("page-pending");
    near.unobserve(fig);
    thumbImage(p.number, p.url, p.width, p.height);
  }

  function load(number) {
    if (requested.has(number) || number < 1 || number > visible) { return Promise.resolve(); }
    let last = number;
    while (last < visible && !requested.has(last + 1) && last - number < 15) { last += 1; }
    for (let n = number; n <= last; n += 1) { requested.add(n); }
    const url = t.pagesUrl + "?from=" + number;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then((data) => data.pages.forEach(showPage))
      .catch(() => {
        for (let n = number; n <= last; n += 1) { requested.delete(n); }
        if (more) {
          more.textContent = t.loadFailed;
          more.parentElement.hidden = false;
        }
      });
  }

  const near = new IntersectionObserver((entries) => {
    entries.forEach((e) => {
      if (e.isIntersecting) { load(parseInt(e.target.dataset.number, 10)); }
    });
  }, { rootMargin: NEAR });
  figures.forEach((fig) => { if (fig.classList.contains("page-pending")) { near.observe(fig); } });
  if (more) {
    more.addEventListener("click", (event) => {
      event.preventDefault();
      more.parentElement.hidden = true;
      const first = Array.from(figures.keys()).sort((a, b) => a - b)
        .find((n) => figures.get(n).classList.contains("page-pending"));
      if (first) { load(first).then(() => goTo(first)); }
    });
  }

  // The current page: the one crossing a line 40 % down the viewport.
  let hideTimer = 0;
  function setCurrent(n, quiet) {
    current = n;
    if (document.activeElement !== input) { input.value = n; }
    thumbButtons.forEach((b, k) => {
      if (k === n) { b.setAttribute("aria-current", "page"); } else { b.removeAttribute("aria-current"); }
    });
    const b = thumbButtons.get(n);
    if (b && thumbs.offsetParent) {
      const top = b.offsetTop - thumbs.offsetTop;
      if (top < thumbs.scrollTop || top + b.offsetHeight > thumbs.scrollTop + thumbs.clientHeight) {
        thumbs.scrollTop = top - thumbs.clientHeight / 3;
      }
    }
    if (!quiet) {
      indicator.textContent = n + " / " + total;
      indicator.classList.add("is-shown");
      clearTimeout(hideTimer);
      hideTimer = setTimeout(() => indicator.classList.remove("is-shown"), 1200);
    }
  }
  let pinnedUntil = 0;
  let scrolled = false; // no indicator for the first layout, only while reading
  window.addEventListener("scroll", () => { scrolled = true; }, { passive: true, once: true });
  root.addEventListener("scroll", () => { scrolled = true; }, { passive: true, once: true });
  const reading = new IntersectionObserver((entries) => {
    entries.forEach((e) => {
      const n = parseInt(e.target.dataset.number, 10);
      // Just after a jump, only the page jumped to counts (not pages passed on the way).
      if (performance.now() < pinnedUntil && n !== current) { return; }
      if (e.isIntersecting) { setCurrent(n, !scrolled); }
    });
  }, { rootMargin: "-40% 0px -59% 0px" });
  figures.forEach((fig) => reading.observe(fig));

  function goTo(n) {
    if (n > visible) {
      const wall = document.getElementById("paywall");
      if (wall) { wall.scrollIntoView({ block: "center" }); }
      n = visible;
      if (wall) { setCurrent(n); return; }
    }
    n = Math.max(1, Math.min(n, visible));
    load(n);
    pinnedUntil = performance.now() + 400;
    const fig = figures.get(n);
    if (fig) { fig.scrollIntoView({ block: "start" }); }
    setCurrent(n);
  }

  function setZoom(z) {
    zoom = z;
    pagesBox.style.setProperty("--reader-zoom", String(z));
    root.classList.toggle("is-zoomed", z > 1);
    zoomOut.textContent = Math.round(z * 100) + "%";
    const fig = figures.get(current);
    if (fig) { fig.scrollIntoView({ block: "start" }); }
  }
  function zoomBy(step) {
    let i = ZOOMS.indexOf(zoom);
    if (i < 0) { i = ZOOMS.indexOf(1); }
    setZoom(ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, i + step))]);
  }

  function fullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(() => {});
    }
  }
  document.addEventListener("fullscreenchange", () => {
    const on = document.fullscreenElement === root;
    const label = on ? t.exitFullscreen : t.fullscreen;
    fullButton.textContent = label;
    fullButton.setAttribute("aria-label", label);
    fullButton.setAttribute("aria-pressed", on ? "true" : "false");
    const fig = figures.get(current);
    if (fig) { fig.scrollIntoView({ block: "start" }); }
  });
  if (!document.fullscreenEnabled) { fullButton.hidden = true; }

  const actions = {
    prev: () => goTo(current - 1),
    next: () => goTo(current + 1),
    "zoom-in": () => zoomBy(1),
    "zoom-out": () => zoomBy(-1),
    fit: () => setZoom(1),
    fullscreen,
  };
  root.querySelectorAll("[data-reader]").forEach((b) => {
    b.addEventListener("click", () => actions[b.dataset.reader]());
  });

  // The page box: Enter (or leaving the box) jumps; the box then shows where
  // the reader is (the last free page when the number was past the paywall).
  function commit() {
    const n = parseInt(input.value, 10);
    if (n && n !== current) { goTo(n); }
    input.value = current;
  }
  input.addEventListener("change", commit);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); commit(); input.blur(); }
  });

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) { return; }
    const target = e.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    const keys = {
      ArrowRight: actions.next, PageDown: actions.next,
      ArrowLeft: actions.prev, PageUp: actions.prev,
      "+": actions["zoom-in"], "=": actions["zoom-in"],
      "-": actions["zoom-out"], "_": actions["zoom-out"],
    };
    const act = keys[e.key];
    if (act) { e.preventDefault(); act(); }
  });

  // Double tap (or double click) on a page: fit width <-> 200 %. Pinch zoom is
  // the browser's own (touch-action: manipulation keeps it, drops the tap delay).
  function toggleZoom(target) {
    const fig = target.closest && target.closest("figure.page");
    if (!fig) { return; }
    current = parseInt(fig.dataset.number, 10);
    setZoom(zoom === 1 ? 2 : 1);
  }
  let lastTap = { time: 0, x: 0, y: 0 };
  let touched = 0;
  pagesBox.addEventListener("pointerup", (e) => {
    if (e.pointerType !== "touch" || !e.isPrimary) { return; }
    touched = e.timeStamp;
    const close = Math.abs(e.clientX - lastTap.x) < 40 && Math.abs(e.clientY - lastTap.y) < 40;
    if (e.timeStamp - lastTap.time < 350 && close) {
      lastTap = { time: 0, x: 0, y: 0 };
      toggleZoom(e.target);
    } else {
      lastTap = { time: e.timeStamp, x: e.clientX, y: e.clientY };
    }
  });
  pagesBox.addEventListener("dblclick", (e) => {
    if (e.timeStamp - touched < 1000) { return; } // a touch double tap, handled above
    toggleZoom(e.target);
  });

  // Opened at a later page (the no-script link, or #page-N): go there once the
  // places above it exist.
  const fromHash = /^#page-(\d+)$/.exec(window.location.hash);
  const first = fromHash ? parseInt(fromHash[1], 10) : current;
  if (first > 1) { goTo(first); } else { setCurrent(1, true); }
}

if (root && "IntersectionObserver" in window) { start(root); }
