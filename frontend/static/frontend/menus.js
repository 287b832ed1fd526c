// Drop-down menus (native <details data-menu>: the phone's main menu, the account menu) close as
// menus do: on a click elsewhere, when focus leaves them (Tab past the last link), and on Escape
// (focus returns to the summary if it was inside). So an open menu never covers the focused field.
(() => {
  for (const menu of document.querySelectorAll("details[data-menu]")) {
    const summary = menu.querySelector("summary");
    document.addEventListener("click", (event) => {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("focusout", (event) => {
      if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !menu.open) return;
      const inside = menu.contains(document.activeElement);
      menu.open = false;
      if (inside) summary.focus();
    });
  }
})();
