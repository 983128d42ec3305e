// Mapping step: show the theme choice only for statements, and the name box only for
// "my own theme". Without this file every field is shown and the form works the same.
(function () {
  "use strict";
  function update(row) {
    var role = row.querySelector("select.role");
    var theme = row.querySelector("select.theme");
    var own = row.querySelector("input.own-theme");
    if (!role || !theme || !own) { return; }
    var statement = role.value === "statement" || role.value === "reversed";
    theme.hidden = !statement;
    theme.disabled = !statement;
    own.hidden = !statement || theme.value !== "own";
    own.disabled = own.hidden;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-map");
    if (!form) { return; }
    var rows = form.querySelectorAll("tr[data-column]");
    Array.prototype.forEach.call(rows, update);
    form.addEventListener("change", function (event) {
      var row = event.target.closest && event.target.closest("tr[data-column]");
      if (row) { update(row); }
    });
  });
})();
