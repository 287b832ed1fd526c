// The account drop-down (a native <details>) closes as menus do: on a click elsewhere, when focus
// leaves it (Tab past its last link), and on Escape (focus returns to its summary if it was inside).
(() => {
  const menu = document.querySelector("[data-account-menu]");
  if (!menu) return;
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
})();
