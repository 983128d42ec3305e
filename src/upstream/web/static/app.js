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
  // A download that takes seconds to make: <button data-preparing="Preparing the PDF…">
  // in a GET form. The file is fetched while the button says it is being prepared, then
  // saved. Without this script the form downloads the file directly.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = button && button.getAttribute && button.getAttribute("data-preparing");
    if (!text || event.defaultPrevented || !window.fetch || !window.URLSearchParams) {
      return;
    }
    event.preventDefault();
    var form = event.target;
    var params = new URLSearchParams(new FormData(form));
    if (button.name) { params.set(button.name, button.value); }
    var status = form.querySelector("[data-download-status]");
    var label = button.textContent;
    var say = function (words) { if (status) { status.textContent = words; } };
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = text;
    say(text + " This can take a few seconds.");
    fetch(form.action + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        var named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
        return response.blob().then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = named ? named[1] : "report";
          document.body.appendChild(link);
          link.click();
          link.remove();
          window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
          say("The PDF is ready and your browser has saved it.");
        });
      })
      .catch(function () {
        say("The PDF could not be made. Try again, or download the HTML report instead.");
      })
      .then(function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.textContent = label;
      });
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
