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
})();
