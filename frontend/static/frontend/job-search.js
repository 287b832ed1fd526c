/* Find work: the city box is city-picker.js's picker, and a chosen city is a change of the search,
   so the results follow it live. */
(function () {
  "use strict";
  var picker = document.querySelector("[data-city-picker]");
  if (!picker) return;
  window.marketplaceCityPicker(picker, {
    onChoose: function () {
      // Near a city, unless already "remote or near": choosing a city means searching near it.
      var near = document.querySelector('input[name="location"][value="near"]');
      var either = document.querySelector('input[name="location"][value="remote_or_near"]');
      if (near && !(either && either.checked)) near.checked = true;
      picker.querySelector('input[type="hidden"]').dispatchEvent(new Event("change", { bubbles: true }));
    },
  });
  // The typed text is not a filter, only a chosen city is: leaving the box (as a click on a
  // suggestion does) would otherwise search once more, and abort the search the choice started.
  picker.querySelector('input[type="search"]').addEventListener("change", function (event) {
    event.stopPropagation();
  });
})();
