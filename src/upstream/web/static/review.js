// Review at the speed of reading: decisions are sent in the background and the
// item is marked in place, the next item is focused, and keys do the common
// actions. Without this script every form still posts and the page reloads.
(function () {
  "use strict";
  var status = document.getElementById("review-status");
  var items = Array.prototype.slice.call(document.querySelectorAll("article.review-item"));
  if (!items.length && !document.getElementById("undo-form")) { return; }

  function count(decided, teaching) {
    var shown = document.querySelector(".review-summary strong");
    if (shown && typeof decided === "number") { shown.textContent = decided.toLocaleString("en-GB"); }
    var taught = document.querySelector(".review-summary .teaching");
    if (taught && typeof teaching === "number") { taught.textContent = teaching.toLocaleString("en-GB"); }
  }

  // Every batch of decisions retrains the coder; the page says what it learned.
  function learned(learning) {
    var box = document.getElementById("learning-progress");
    if (!box || !learning) { return; }
    box.querySelector(".headline").textContent = learning.headline;
    box.querySelector(".detail").textContent = learning.detail;
    box.hidden = !(learning.headline || learning.detail);
  }

  function say(text) {
    if (!status) { return; }
    status.hidden = false;
    status.querySelector("p").textContent = text;
  }

  function current() {
    var active = document.activeElement;
    var found = active && active.closest ? active.closest("article.review-item") : null;
    return found || items.find(function (a) { return !a.classList.contains("decided"); }) || null;
  }

  function focusItem(article) {
    if (!article) { return; }
    article.focus({ preventScroll: true });
    article.scrollIntoView({ block: "nearest" });
  }

  function next(from, step) {
    var at = items.indexOf(from);
    for (var i = at + step; i >= 0 && i < items.length; i += step) {
      if (step < 0 || !items[i].classList.contains("decided")) { return items[i]; }
    }
    return null;
  }

  function post(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (k) { body.set(k, extra[k]); });
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("The server said no (" + response.status + ")."); }
      return response.json();
    });
  }

  function markDecided(article, message) {
    article.classList.add("decided");
    var outcome = article.querySelector(".outcome");
    outcome.textContent = message + " Press u to undo.";
    outcome.hidden = false;
    article.querySelector("form.decision").hidden = true;
  }

  function reopen(itemId) {
    var article = items.find(function (a) { return a.dataset.item === String(itemId); });
    if (!article) { window.location.reload(); return; }
    article.classList.remove("decided");
    article.querySelector(".outcome").hidden = true;
    article.querySelector("form.decision").hidden = false;
    focusItem(article);
  }

  function decide(article, decision) {
    var form = article.querySelector("form.decision");
    if (!form || article.classList.contains("decided")) { return; }
    if (decision === "accept" && !form.querySelector('button[value="accept"]')) { return; }
    post(form, { decision: decision }).then(function (answer) {
      markDecided(article, answer.message);
      say(answer.message);
      count(answer.decided, answer.teaching);
      learned(answer.learning);
      focusItem(next(article, 1) || article);
    }).catch(function (error) { say(error.message); });
  }

  function undo() {
    var form = document.getElementById("undo-form");
    post(form).then(function (answer) {
      say(answer.message);
      count(answer.decided, answer.teaching);
      learned(answer.learning);
      if (answer.item) { reopen(answer.item); }
    }).catch(function (error) { say(error.message); });
  }

  items.forEach(function (article) {
    var form = article.querySelector("form.decision");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.value) { return; }
      event.preventDefault();
      decide(article, button.value);
    });
  });
  var undoForm = document.getElementById("undo-form");
  if (undoForm) {
    undoForm.addEventListener("submit", function (event) { event.preventDefault(); undo(); });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") { return; }
    var article = current();
    var key = event.key;
    if (key === "u") { event.preventDefault(); undo(); return; }
    if (!article) { return; }
    if (key === "a") { decide(article, "accept"); }
    else if (key === "r") { decide(article, "reject"); }
    else if (key === "n") { decide(article, "not_relevant"); }
    else if (key === "c") { var picker = article.querySelector("select"); if (picker) { picker.focus(); } }
    else if (key === "j") { focusItem(next(article, 1)); }
    else if (key === "k") { focusItem(next(article, -1)); }
    else { return; }
    event.preventDefault();
  });
}());
