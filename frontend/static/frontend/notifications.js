// The bell's unread count, kept live: realtime.js (the page's websocket) hands over the
// "notification" and "notifications.read" events with the new count, each once and in order, also
// those sent while the socket was down; htmx answers on the notifications page send it as the
// "notifications:unread" event. Without this script the count is right on each page load.
(() => {
  "use strict";

  function show(unread) {
    const bell = document.querySelector("[data-bell]");
    if (!bell) return;
    const count = bell.querySelector("[data-bell-count]");
    const label = bell.querySelector("[data-bell-label]");
    count.textContent = unread > 99 ? "99+" : String(unread);
    count.hidden = unread === 0;
    label.textContent =
      unread === 0 ? "Notifications, none unread" : `${unread} unread notification${unread === 1 ? "" : "s"}`;
    for (const other of document.querySelectorAll("[data-unread-count]")) other.textContent = String(unread);
  }

  function announce(text) {
    const region = document.querySelector("[data-bell-announce]");
    if (region) region.textContent = text;
  }

  function handle(event) {
    if (typeof event.unread !== "number") return;
    if (event.type === "notification") {
      show(event.unread);
      announce(`New notification: ${event.title}`);
    } else if (event.type === "notifications.read") {
      show(event.unread);
    }
  }

  // The count as the server has it: after a "reload" (events were lost) and for a page restored
  // from the back/forward cache.
  async function refresh() {
    try {
      const response = await fetch("/api/notifications/unread-count/", { credentials: "same-origin" });
      if (response.ok) show((await response.json()).unread);
    } catch {
      // offline: the next event or page load corrects the count
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!document.querySelector("[data-bell]")) return;
    document.body.addEventListener("notifications:unread", (event) => show(event.detail.unread));
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) refresh();
    });
    const realtime = window.marketplaceRealtime;
    if (!realtime) return;
    realtime.on("notification", handle);
    realtime.on("notifications.read", handle);
    realtime.on("reload", refresh);
  });
})();
