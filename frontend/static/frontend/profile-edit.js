/* Profile pages: avatar preview before upload, the city picker (city-picker.js), the language filter.
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

  /* ---- City picker: city-picker.js; a chosen city is saved with the form ----------------- */
  function setUpCityPicker() {
    var picker = document.querySelector("[data-city-picker]");
    if (picker) window.marketplaceCityPicker(picker);
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
