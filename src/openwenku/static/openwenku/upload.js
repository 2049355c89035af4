// Upload each chosen file in its own request, with its own progress bar, then
// follow its conversion status until it is ready or failed.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var i18n = document.getElementById("upload-i18n");
  var t = i18n ? i18n.dataset : {};
  var list = document.getElementById("upload-list");
  var tpl = document.getElementById("upload-item");
  var maxBytes = parseInt(form.dataset.maxBytes, 10) * 1024 * 1024;

  function item(name) {
    var li = tpl.content.firstElementChild.cloneNode(true);
    li.querySelector(".upload-name").textContent = name;
    list.appendChild(li);
    return li;
  }

  function setState(li, text, cls) {
    var el = li.querySelector(".upload-state");
    el.textContent = "";
    if (typeof text === "string") { el.textContent = text; } else { el.appendChild(text); }
    li.className = "upload-item " + (cls || "");
  }

  function follow(li, doc) {
    function poll() {
      fetch(doc.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var bar = li.querySelector(".upload-progress");
          if (s.page_count) { bar.max = s.page_count; bar.value = s.pages_ready; }
          if (s.done) {
            var a = document.createElement("a");
            a.href = doc.url;
            a.textContent = s.status_label + (s.status === "ready" ? " · " + t.open : "");
            setState(li, a, "is-" + s.status);
            if (s.status === "ready") { bar.max = 1; bar.value = 1; }
          } else {
            setState(li, s.status_label, "is-" + s.status);
            setTimeout(poll, 1500);
          }
        })
        .catch(function () { setTimeout(poll, 4000); });
    }
    poll();
  }

  function send(file, fields) {
    var li = item(file.name);
    if (file.size === 0) { setState(li, t.empty, "is-failed"); return; }
    if (file.size > maxBytes) { setState(li, t.tooLarge, "is-failed"); return; }
    var data = new FormData();
    fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        li.querySelector(".upload-progress").value = Math.round((e.loaded / e.total) * 100);
        setState(li, t.uploading + " " + Math.round((e.loaded / e.total) * 100) + "%", "is-uploading");
      }
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = { errors: [t.failed] }; }
      if (xhr.status === 201 && body.documents && body.documents.length) {
        var bar = li.querySelector(".upload-progress");
        bar.removeAttribute("value");
        setState(li, t.uploaded, "is-uploaded");
        follow(li, body.documents[0]);
      } else {
        setState(li, (body.errors || [t.failed]).join("；"), "is-failed");
      }
    };
    xhr.onerror = function () { setState(li, t.failed, "is-failed"); };
    xhr.send(data);
  }

  form.addEventListener("submit", function (e) {
    var input = form.querySelector('input[type="file"]');
    if (!input.files.length) { return; }
    e.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (v, k) { if (k !== "files") { fields.push([k, v]); } });
    if (input.files.length > 1) {
      fields = fields.filter(function (p) { return p[0] !== "title"; });
    }
    Array.prototype.forEach.call(input.files, function (f) { send(f, fields); });
    input.value = "";
  });
})();
