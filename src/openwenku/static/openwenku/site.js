// Behaviour shared by every page, wired from data- attributes because the
// Content-Security-Policy forbids inline scripts and event handlers.
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form as soon as the choice changes
  // (the language switcher, the search category filter).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  // <input type="checkbox" data-select-all="name">: ticks or clears every checkbox
  // of that name in its form (the operators' bulk actions).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("input[data-select-all]") && el.form) {
      var boxes = el.form.querySelectorAll('input[type="checkbox"][name="' + el.dataset.selectAll + '"]');
      for (var i = 0; i < boxes.length; i++) {
        boxes[i].checked = el.checked;
      }
    }
  });
  // <form data-confirm="question">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
