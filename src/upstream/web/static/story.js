// Sliders start unset: a slider sends a value only once the person has moved it.
// Without this script the form offers a box to type a number in instead.
(function () {
  "use strict";
  document.querySelectorAll("fieldset.slider").forEach(function (box) {
    var range = box.querySelector('input[type="range"]');
    var value = box.querySelector("input.slider-value");
    var state = box.querySelector(".slider-state");
    var clear = box.querySelector(".slider-clear");
    range.hidden = false;
    clear.hidden = box.classList.contains("unset");
    function set() {
      value.value = range.value;
      box.classList.remove("unset");
      state.textContent = "Set at " + range.value + " out of 100.";
      clear.hidden = false;
    }
    range.addEventListener("input", set);
    range.addEventListener("change", set);
    range.addEventListener("pointerdown", set);
    clear.addEventListener("click", function () {
      value.value = "";
      range.value = 50;
      box.classList.add("unset");
      state.textContent = "Not set: move the slider to answer.";
      clear.hidden = true;
      range.focus();
    });
  });
}());
