// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="Delete this item?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // A table wider than the screen scrolls in its box; make that box reachable by
  // keyboard and name it after the table's caption, so it can be scrolled without a mouse.
  function heading(box) {
    for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
      if (/^H[1-4]$/.test(el.tagName)) { return el.textContent.trim(); }
    }
    return "Table";
  }
  function scrollables() {
    var used = {};
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) { box.tabIndex = 0; }
        if (!box.hasAttribute("role")) {
          var caption = box.querySelector("caption");
          var name = (caption ? caption.textContent.trim() : heading(box)) + " (scrolls sideways)";
          used[name] = (used[name] || 0) + 1;
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", used[name] > 1 ? name + " " + used[name] : name);
        }
      }
    });
  }
  scrollables();
  window.addEventListener("resize", scrollables);
})();
