/* Find talent: the city picker (city-picker.js: a chosen city goes in the hidden "near" field and
   searches again; typing over it drops it and searches again),
   the suggestions under the search box, and htmx swapping a refusal (400) or an outage (503) into
   the results like any answer. Loaded with <script src defer>: the CSP allows no inline script. */
(function () {
  "use strict";

  var form = document.getElementById("talent-form");
  if (!form) return;

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 503) && event.detail.target.id === "talent-results") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  /* ---- City: city-picker.js's picker; choosing or dropping a city searches again --------- */
  var picker = form.querySelector("[data-talent-city]");
  if (picker) {
    var search = picker.querySelector('input[type="search"]');
    var near = picker.querySelector("[data-talent-near]");
    var searchAgain = function () {
      near.dispatchEvent(new Event("change", { bubbles: true }));
    };
    window.marketplaceCityPicker(picker, { hidden: near, onChoose: searchAgain, onClear: searchAgain });
    // The text itself is not a filter: only a chosen city is (typing alone searches nothing new).
    // The picker empties "near" as soon as the text differs from the chosen city.
    search.addEventListener("change", function (event) {
      if (!near.value && search.value !== "") event.stopPropagation();
    });
  }

  /* ---- Suggestions: close on Escape or when focus leaves the search box ------------------ */
  var q = document.getElementById("talent-q");
  var suggestions = document.getElementById("talent-suggestions");
  if (q && suggestions) {
    var close = function () { suggestions.innerHTML = ""; };
    // Typing already searches (after a pause); the change on leaving the box would search again.
    q.addEventListener("change", function (event) { event.stopPropagation(); });
    q.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    form.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (!next || !suggestions.contains(next)) {
        if (next !== q) window.setTimeout(close, 150);
      }
    });
  }
})();
