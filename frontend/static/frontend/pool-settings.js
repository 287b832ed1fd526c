/* The pool settings pages: with JavaScript, choosing a requirement's kind loads its fields in place
   (htmx), so the "Next" button of the two-step form is not needed; a city field (the travel rule's
   base) gets the shared city picker, also when htmx brings it in. No inline handlers (CSP). */
(function () {
  "use strict";

  document.querySelectorAll("[data-no-js-only]").forEach(function (element) {
    element.remove();
  });

  function setUpCityPickers(root) {
    if (!window.marketplaceCityPicker) return;
    root.querySelectorAll("[data-city-picker]").forEach(function (picker) {
      if (picker.dataset.ready) return;
      picker.dataset.ready = "1";
      window.marketplaceCityPicker(picker);
    });
  }

  setUpCityPickers(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    setUpCityPickers(event.target);
  });
})();
