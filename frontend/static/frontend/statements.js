// Statements: the Print button prints the page (its print stylesheet leaves the form and buttons out).
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
})();
