// Keeps a roundtable's live themes up to date; without this file the page offers a Refresh link.
(function () {
  "use strict";
  var section = document.querySelector("[data-live-url]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-live-url");
  var body = section.querySelector(".rt-live-body");
  var refresh = section.querySelector(".rt-refresh");
  var busy = false;
  if (refresh) {
    refresh.hidden = true;
  }

  function version(node) {
    var inner = node && node.querySelector(".rt-live-inner");
    return inner ? inner.getAttribute("data-version") : "";
  }

  function poll() {
    if (busy || document.hidden) {
      return;
    }
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").querySelector(".rt-live-inner");
        if (next && next.getAttribute("data-version") !== version(body)) {
          body.replaceChildren(document.importNode(next, true));
        }
      })
      .catch(function () {
        if (refresh) {
          refresh.hidden = false;
        }
      })
      .then(function () {
        busy = false;
      });
  }

  window.setInterval(poll, 3000);
})();
