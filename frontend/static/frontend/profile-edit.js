/* Profile pages: avatar preview before upload, the city picker's choices, the language filter.
   Loaded with <script src defer> (the Content Security Policy allows no inline script). The
   server checks every upload again; these checks only save a round trip. */
(function () {
  "use strict";

  var ALLOWED_TYPES = ["image/jpeg", "image/png", "image/webp"];

  function megabytes(bytes) {
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  /* ---- Avatar: show the chosen file before it is sent ----------------------------------- */
  function setUpAvatarPreview() {
    var form = document.querySelector(".avatar-form");
    if (!form) return;
    var input = form.querySelector('input[type="file"]');
    var preview = document.getElementById("avatar-preview");
    var current = document.querySelector("[data-avatar-current]");
    var status = document.getElementById("avatar-status");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 10 * 1024 * 1024;
    var objectUrl = null;
    if (!input || !preview) return;

    function say(message, isError) {
      status.textContent = message;
      status.hidden = !message;
      status.classList.toggle("field__error", Boolean(isError));
    }

    function reset() {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = null;
      preview.hidden = true;
      preview.removeAttribute("src");
      if (current) current.hidden = false;
    }

    input.addEventListener("change", function () {
      reset();
      var file = input.files && input.files[0];
      if (!file) {
        say("", false);
        return;
      }
      if (ALLOWED_TYPES.indexOf(file.type) === -1) {
        say("This file is not a JPEG, PNG or WebP image.", true);
        return;
      }
      if (file.size === 0) {
        say("The file is empty.", true);
        return;
      }
      if (file.size > maxBytes) {
        say("The file is " + megabytes(file.size) + "; the limit is " + megabytes(maxBytes) + ".", true);
        return;
      }
      objectUrl = URL.createObjectURL(file);
      preview.onerror = function () {
        reset();
        say("This image cannot be shown; it may be damaged.", true);
      };
      preview.src = objectUrl;
      preview.hidden = false;
      if (current) current.hidden = true;
      say("Preview of " + file.name + ". Press “Upload photo” to save it.", false);
    });
  }

  /* ---- City picker: htmx fills the suggestions; a click chooses one --------------------- */
  function setUpCityPicker() {
    var picker = document.querySelector("[data-city-picker]");
    if (!picker) return;
    var search = picker.querySelector('input[type="search"]');
    var hidden = picker.querySelector('input[type="hidden"]');
    var options = picker.querySelector(".city-options");
    var chosenLabel = search.value;

    function close() {
      options.innerHTML = "";
    }

    // Typing something other than the chosen city means no city is chosen (yet).
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
      search.focus();
    });

    // Arrow keys move between the suggestions; Escape closes them.
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
  }

  /* ---- Languages: filter the long list as one types -------------------------------------- */
  function setUpLanguageFilter() {
    var filter = document.querySelector("[data-language-filter]");
    var list = document.querySelector("[data-language-list]");
    if (!filter || !list) return;
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var needle = filter.value.trim().toLowerCase();
      list.querySelectorAll("label").forEach(function (label) {
        var input = label.querySelector("input");
        var match = !needle || label.textContent.toLowerCase().indexOf(needle) !== -1;
        label.hidden = !(match || input.checked);
      });
    });
  }

  setUpAvatarPreview();
  setUpCityPicker();
  setUpLanguageFilter();
})();
