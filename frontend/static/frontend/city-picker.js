/* The city picker shared by the profile, job, find work and find talent pages: htmx fills the
   suggestions under a search box; a click chooses one into a hidden input; typing something else
   drops the choice; arrow keys move between the suggestions and Escape closes them.
   window.marketplaceCityPicker(picker, options) sets one up. options (all optional):
     hidden    the input that takes the chosen id (default: the picker's input[type="hidden"])
     onChoose  function (id, label) after a click chose a city
     onClear   function () after typing dropped a chosen city
   Loaded with <script src defer> before the page's own script (the CSP allows no inline script). */
(function () {
  "use strict";

  window.marketplaceCityPicker = function (picker, options) {
    options = options || {};
    var search = picker.querySelector('input[type="search"]');
    var hidden = options.hidden || picker.querySelector('input[type="hidden"]');
    var list = picker.querySelector(".city-options");
    var chosenLabel = search.value;

    function close() {
      list.innerHTML = "";
    }

    // Typing something other than the chosen city means no city is chosen (yet).
    search.addEventListener("input", function () {
      if (search.value !== chosenLabel) {
        var had = hidden.value;
        hidden.value = "";
        chosenLabel = "";
        if (had && options.onClear) options.onClear();
      }
      if (search.value.trim().length < 2) close();
    });

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-city-id]");
      if (!button) return;
      hidden.value = button.getAttribute("data-city-id");
      chosenLabel = button.getAttribute("data-city-label");
      search.value = chosenLabel;
      close();
      if (options.onChoose) options.onChoose(hidden.value, chosenLabel);
      search.focus();
    });

    picker.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("[data-city-id]"));
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
  };
})();
