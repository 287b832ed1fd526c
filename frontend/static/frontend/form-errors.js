// A form that came back with errors (every form, through the shared field templates): the title
// starts with "Error: " and focus moves to the error summary, or else to the first invalid field, so
// a screen reader says what went wrong and a keyboard user starts where the fixing is.
(() => {
  const summary = document.querySelector("[data-error-summary]");
  const invalid = document.querySelector("form [aria-invalid='true']");
  const target = summary || invalid;
  if (!target) return;
  if (!document.title.startsWith("Error: ")) document.title = "Error: " + document.title;
  if (target === summary) summary.setAttribute("tabindex", "-1");
  target.focus();
})();
