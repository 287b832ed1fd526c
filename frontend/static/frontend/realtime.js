// The page's one websocket (/ws/events/), shared by every script through window.marketplaceRealtime:
//   on(type, handler)  handler(event) gets each event of that type once, in id order
//   send(frame)        a JSON frame to the server ({type: "typing", conversation: id}); false if closed
// Every stored event carries the user's next id. The page starts from <body data-last-event-id>,
// asks the server to resume after the last id it has seen on every (re)connect and whenever an id
// skips ahead, drops repeats, and shows a Reload banner when the server says the gap is too old.
// Loaded (deferred) before the scripts that subscribe.
(() => {
  "use strict";
  const CLOSE_UNAUTHENTICATED = 4401;
  const PING_MS = 30000;
  const MAX_DELAY_MS = 30000;

  const handlers = new Map();
  let socket = null;
  let last = null; // the newest id handed to the handlers (null: unknown, take the next one)
  let askedAfter = null; // the id a pending resume asked from, so a burst of gaps asks once
  let delay = 1000;
  let pinger = null;

  function on(type, handler) {
    if (!handlers.has(type)) handlers.set(type, new Set());
    handlers.get(type).add(handler);
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function emit(event) {
    for (const handler of handlers.get(event.type) || []) {
      try {
        handler(event);
      } catch (error) {
        console.error(error);
      }
    }
  }

  function resume() {
    if (last === null || askedAfter === last) return;
    askedAfter = last;
    send({ type: "resume", after: last });
  }

  function showReloadBanner() {
    if (document.querySelector("[data-realtime-reload]")) return;
    const banner = document.createElement("div");
    banner.className = "realtime-banner";
    banner.setAttribute("role", "alert");
    banner.dataset.realtimeReload = "";
    const text = document.createElement("p");
    text.textContent = "This page missed some updates while it was away.";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--primary";
    button.textContent = "Reload";
    button.addEventListener("click", () => window.location.reload());
    banner.append(text, button);
    document.body.append(banner);
  }

  function receive(event) {
    if (event.type === "reload") {
      last = null; // start again from the next live event; the banner offers a fresh page
      askedAfter = null;
      showReloadBanner();
      emit(event);
      return;
    }
    if (Number.isInteger(event.id)) {
      if (last !== null && event.id <= last) return; // seen already
      if (last !== null && event.id > last + 1) {
        resume(); // one went missing on the way: the server sends it and this one again, in order
        return;
      }
      last = event.id;
      askedAfter = null;
    }
    emit(event);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}/ws/events/`);
    socket.addEventListener("open", () => {
      delay = 1000;
      askedAfter = null;
      resume();
      pinger = window.setInterval(() => send({ type: "ping" }), PING_MS);
    });
    socket.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return; // not one of ours
      }
      if (event && typeof event.type === "string") receive(event);
    });
    socket.addEventListener("close", (closed) => {
      window.clearInterval(pinger);
      socket = null;
      if (closed.code === CLOSE_UNAUTHENTICATED) return; // logged out (perhaps in another tab)
      window.setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    });
  }

  window.marketplaceRealtime = { on, send };

  const start = Number.parseInt(document.body?.dataset.lastEventId ?? "", 10);
  last = Number.isInteger(start) ? start : null;
  // Connect once the page's other scripts have subscribed (their DOMContentLoaded handlers run in
  // the same task, before any message can arrive).
  if (!("WebSocket" in window)) return;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", connect);
  else connect();
})();
