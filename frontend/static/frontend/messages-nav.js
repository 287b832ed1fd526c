// The header's "Messages" count, kept live: message.new and conversation.read events carry the
// viewer's unread_total (realtime.js delivers them once, in order). A page's own script may also
// dispatch "messages:unread" on <body>. Without this script the count is right on every page load.
(() => {
  "use strict";
  const link = document.querySelector("[data-messages-link]");
  if (!link) return;

  function show(total) {
    if (typeof total !== "number") return;
    const count = link.querySelector("[data-messages-count]");
    count.textContent = total > 99 ? "99+" : String(total);
    count.hidden = total === 0;
    link.querySelector("[data-messages-label]").textContent = total ? `Messages, ${total} unread` : "Messages";
  }

  document.body.addEventListener("messages:unread", (event) => show(event.detail.unread_total));
  const realtime = window.marketplaceRealtime;
  if (!realtime) return;
  realtime.on("message.new", (event) => show(event.unread_total));
  realtime.on("conversation.read", (event) => show(event.unread_total));
})();
