/* Find talent: the city picker (a chosen city goes in the hidden "near" field and searches again),
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

  /* ---- City: suggestions from htmx; a click chooses one ---------------------------------- */
  var picker = form.querySelector("[data-talent-city]");
  if (picker) {
    var search = picker.querySelector('input[type="search"]');
    var near = picker.querySelector("[data-talent-near]");
    var options = picker.querySelector(".city-options");
    var chosen = search.value;

    var choose = function (id, label) {
      near.value = id;
      chosen = label;
      search.value = label;
      options.innerHTML = "";
      near.dispatchEvent(new Event("change", { bubbles: true }));
    };

    search.addEventListener("input", function () {
      if (search.value.trim() === "" && near.value) {
        choose("", "");
      } else if (search.value.trim().length < 2) {
        options.innerHTML = "";
      }
    });
    // The text itself is not a filter: only a chosen city is (typing alone searches nothing new).
    search.addEventListener("change", function (event) {
      if (search.value !== chosen) event.stopPropagation();
    });
    options.addEventListener("click", function (event) {
      var button = event.target.closest("[data-city-id]");
      if (!button) return;
      choose(button.getAttribute("data-city-id"), button.getAttribute("data-city-label"));
      search.focus();
    });
    picker.addEventListener("keydown", function (event) {
      if (event.key === "Escape") options.innerHTML = "";
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
