/* Find work: the city box chooses a city with a click (profile-edit.js's picker, set up here the
   same way), and a chosen city is a change of the search, so the results follow it live. */
(function () {
  "use strict";
  var picker = document.querySelector("[data-city-picker]");
  if (!picker) return;
  var search = picker.querySelector('input[type="search"]');
  var hidden = picker.querySelector('input[type="hidden"]');
  var options = picker.querySelector(".city-options");
  var chosenLabel = search.value;

  function close() {
    options.innerHTML = "";
  }

  search.addEventListener("input", function () {
    if (search.value !== chosenLabel) {
      hidden.value = "";
      chosenLabel = "";
    }
    if (search.value.trim().length < 2) close();
  });

  options.addEventListener("click", function (event) {
    var button = event.target.closest("[data-city-id]");
    if (!button) return;
    hidden.value = button.getAttribute("data-city-id");
    chosenLabel = button.getAttribute("data-city-label");
    search.value = chosenLabel;
    close();
    // Near a city, unless already "remote or near": choosing a city means searching near it.
    var near = document.querySelector('input[name="location"][value="near"]');
    var either = document.querySelector('input[name="location"][value="remote_or_near"]');
    if (near && !(either && either.checked)) near.checked = true;
    hidden.dispatchEvent(new Event("change", { bubbles: true }));
    search.focus();
  });

  picker.addEventListener("keydown", function (event) {
    var buttons = Array.prototype.slice.call(options.querySelectorAll("[data-city-id]"));
    if (event.key === "Escape") {
      close();
      search.focus();
      return;
    }
    if (!buttons.length || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    event.preventDefault();
    var index = buttons.indexOf(document.activeElement);
    var next = event.key === "ArrowDown" ? index + 1 : index - 1;
    if (next < 0) {
      search.focus();
      return;
    }
    buttons[Math.min(next, buttons.length - 1)].focus();
  });
})();
