// The bell's unread count, kept live: the websocket (/ws/events/) pushes "notification" and
// "notifications.read" events with the new count; htmx answers on the notifications page send it
// as the "notifications:unread" event. Without this script the count is right on each page load.
(() => {
  "use strict";
  const CLOSE_UNAUTHENTICATED = 4401;

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

  // Events missed while disconnected: ask for the count once the connection is back.
  async function refresh() {
    try {
      const response = await fetch("/api/notifications/unread-count/", { credentials: "same-origin" });
      if (response.ok) show((await response.json()).unread);
    } catch {
      // offline: the next event or page load corrects the count
    }
  }

  let delay = 1000;
  let connectedBefore = false;

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws/events/`);
    socket.addEventListener("open", () => {
      delay = 1000;
      if (connectedBefore) refresh();
      connectedBefore = true;
    });
    socket.addEventListener("message", (message) => {
      try {
        handle(JSON.parse(message.data));
      } catch {
        // not one of ours
      }
    });
    socket.addEventListener("close", (closed) => {
      if (closed.code === CLOSE_UNAUTHENTICATED) return; // logged out in another tab
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!document.querySelector("[data-bell]")) return;
    document.body.addEventListener("notifications:unread", (event) => show(event.detail.unread));
    // A page restored from the back/forward cache shows an old count.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) refresh();
    });
    if ("WebSocket" in window) connect();
  });
})();
