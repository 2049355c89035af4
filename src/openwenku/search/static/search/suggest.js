// Suggestions while typing in any search box with data-suggest-url.
(function () {
  "use strict";
  function attach(input) {
    var url = input.getAttribute("data-suggest-url");
    var list = document.createElement("ul");
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(list);
    var timer = null, controller = null, active = -1, items = [];

    function close() { list.hidden = true; active = -1; }
    function choose(item) {
      if (item.url) { window.location.href = item.url; return; }
      input.value = item.text;
      close();
      input.form.submit();
    }
    function render(suggestions) {
      list.textContent = "";
      items = suggestions;
      active = -1;
      suggestions.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.className = "suggest-" + item.kind;
        li.textContent = item.text;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(items[i]); });
        list.appendChild(li);
      });
      list.hidden = suggestions.length === 0;
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(input.value.slice(0, 40)),
            { signal: controller ? controller.signal : undefined, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { render(data.suggestions || []); })
        .catch(function () {});
    }
    function move(step) {
      var nodes = list.children;
      if (!nodes.length) { return; }
      if (active >= 0) { nodes[active].classList.remove("active"); }
      active = (active + step + nodes.length) % nodes.length;
      nodes[active].classList.add("active");
      input.value = items[active].text;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0 && items[active].url) {
        e.preventDefault(); choose(items[active]);
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
