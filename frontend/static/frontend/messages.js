// The conversation panel (frontend/messages/_panel.html), live. Without this script every control
// is a link or a form that works by reloading; with it:
// - sending, editing and deleting post the same forms in place (the server answers with the part to
//   swap in: the form, cleared or with its errors and the text kept; the message);
// - older messages load in place when "Load older" is clicked or scrolled to;
// - websocket events (window.marketplaceRealtime, realtime.js) update the panel: message.new (the
//   newest page is fetched as HTML, so one template renders messages), message.edited,
//   message.deleted, conversation.read (the "Seen" receipt) and typing;
// - new messages are marked read while the panel is on screen and the tab visible;
// - the edit and delete controls go when their 15 minutes are over.
(() => {
  "use strict";
  const TYPING_EVERY_MS = 3000;
  const TYPING_SHOWN_MS = 5000;
  const realtime = window.marketplaceRealtime;
  const panels = new Map();

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch {
      return "";
    }
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  async function fetchPart(url, options = {}) {
    const headers = { "HX-Request": "true", "X-CSRFToken": csrfToken(), ...(options.headers || {}) };
    return fetch(url, { credentials: "same-origin", ...options, headers });
  }

  const messageId = (element) => Number(element.dataset.messageId);

  // ---- one panel ----------------------------------------------------------------------------------

  class Panel {
    constructor(element) {
      this.element = element;
      this.id = Number(element.dataset.conversation);
      this.viewer = Number(element.dataset.viewer);
      this.seenUpTo = Number(element.dataset.seenUpTo || 0);
      this.clockSkew = Date.parse(element.dataset.now || "") - Date.now() || 0;
      this.list = element.querySelector("[data-messages]");
      this.history = element.querySelector("[data-history]");
      this.onScreen = false;
      this.refreshing = null;
      this.refreshAgain = false;
      this.typingSentAt = 0;
      this.typingTimer = null;
      if (!this.list) return; // search results: nothing live to do
      this.scrollToEnd(window.location.hash.startsWith("#message-") ? window.location.hash.slice(1) : null);
      this.list.querySelectorAll("[data-editable-until]").forEach((item) => this.expire(item));
      this.list.addEventListener("submit", (event) => this.onMessageForm(event));
      this.element.addEventListener("submit", (event) => {
        if (event.target.matches("[data-send-form]")) this.send(event);
      });
      this.element.addEventListener("click", (event) => {
        const older = event.target.closest("[data-older-link]");
        if (older) {
          event.preventDefault();
          this.loadOlder(true);
        }
      });
      this.element.addEventListener("keydown", (event) => {
        // Ctrl/⌘ + Enter sends from the message box.
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("[data-send-form] textarea")) {
          event.preventDefault();
          event.target.form.requestSubmit();
        }
      });
      this.element.addEventListener("input", (event) => {
        if (event.target.matches("[data-send-form] textarea")) this.typing();
      });
      this.watchOlder();
      if ("IntersectionObserver" in window) {
        new IntersectionObserver((entries) => {
          this.onScreen = entries.some((entry) => entry.isIntersecting);
          if (this.onScreen) this.markRead();
        }).observe(this.history);
      } else {
        this.onScreen = true;
      }
    }

    live() {
      return this.element.hasAttribute("data-live");
    }

    nearEnd() {
      const h = this.history;
      return h.scrollHeight - h.scrollTop - h.clientHeight < 80;
    }

    scrollToEnd(anchor) {
      const target = anchor && document.getElementById(anchor);
      if (target && this.history.contains(target)) {
        this.history.scrollTop = target.offsetTop - this.history.offsetTop - 16;
      } else {
        this.history.scrollTop = this.history.scrollHeight;
      }
    }

    items() {
      return [...this.list.querySelectorAll(":scope > [data-message-id]")];
    }

    newestId() {
      const items = this.items();
      return items.length ? messageId(items[items.length - 1]) : 0;
    }

    // The edit and delete controls, until the server's edit window closes.
    expire(item) {
      const until = Date.parse(item.dataset.editableUntil) - this.clockSkew;
      const remove = () => {
        item.querySelector("[data-own-actions]")?.remove();
        item.removeAttribute("data-editable-until");
      };
      const wait = until - Date.now();
      if (!(wait > 0)) remove();
      else window.setTimeout(remove, Math.min(wait, 2 ** 31 - 1));
    }

    applySeen() {
      let seen = null;
      for (const item of this.items()) {
        const gone = item.querySelector(".msg__gone"); // deleted or hidden: "Seen" goes on a message still there
        if (Number(item.dataset.sender) === this.viewer && messageId(item) <= this.seenUpTo && !gone) seen = item;
      }
      for (const marker of this.list.querySelectorAll("[data-seen]")) marker.hidden = marker.closest("[data-message-id]") !== seen;
    }

    adopt(item) {
      if (item.dataset.editableUntil) this.expire(item);
    }

    // ---- history ------------------------------------------------------------------------------------

    watchOlder() {
      const link = this.element.querySelector("[data-older-link]");
      if (!link || !("IntersectionObserver" in window)) return;
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          this.loadOlder(false);
        }
      }, { root: this.history });
      observer.observe(link);
    }

    async loadOlder(byHand) {
      const control = this.element.querySelector("[data-older]");
      if (!control || this.loadingOlder) return;
      this.loadingOlder = true;
      const before = control.querySelector("[data-older-link]").dataset.before;
      try {
        const response = await fetchPart(`${this.element.dataset.olderUrl}&before=${encodeURIComponent(before)}`);
        if (!response.ok) return;
        const part = fragment(await response.text());
        const height = this.history.scrollHeight;
        const first = this.list.firstElementChild;
        for (const item of part.querySelectorAll("[data-part-messages] > [data-message-id]")) {
          if (document.getElementById(item.id)) continue;
          this.list.insertBefore(item, first);
          this.adopt(item);
        }
        const next = part.querySelector("[data-older]");
        if (next) control.replaceWith(next);
        else control.remove();
        this.history.scrollTop += this.history.scrollHeight - height;
        this.applySeen();
        if (byHand) (next?.querySelector("a") || this.history).focus();
        if (next) this.watchOlder();
      } finally {
        this.loadingOlder = false;
      }
    }

    // The newest page as the server renders it; adds what is not shown yet, replaces what changed.
    async refresh({ own = false } = {}) {
      if (this.refreshing) {
        this.refreshAgain = true;
        return this.refreshing;
      }
      this.refreshing = (async () => {
        const stay = own || this.nearEnd();
        const newest = this.newestId();
        const response = await fetchPart(this.element.dataset.latestUrl);
        if (!response.ok) return;
        const part = fragment(await response.text());
        const arrived = [];
        for (const item of part.querySelectorAll("[data-part-messages] > [data-message-id]")) {
          const shown = document.getElementById(item.id);
          if (shown) {
            if (!shown.contains(document.activeElement)) {
              shown.replaceWith(item);
              this.adopt(item);
            }
          } else if (messageId(item) > newest) {
            item.classList.add("msg--new");
            this.list.append(item);
            this.adopt(item);
            arrived.push(item);
          }
        }
        if (arrived.length) this.list.querySelector("[data-empty]")?.remove();
        this.applySeen();
        const theirs = arrived.filter((item) => Number(item.dataset.sender) !== this.viewer);
        if (theirs.length) {
          const last = theirs[theirs.length - 1];
          const who = last.querySelector(".msg__meta strong")?.textContent || "someone";
          const text = (last.querySelector("[data-body]")?.textContent || "a file").trim().slice(0, 140);
          this.announce(theirs.length === 1 ? `New message from ${who}: ${text}` : `${theirs.length} new messages, the last from ${who}: ${text}`);
          this.stopTyping();
          this.markRead();
        }
        if (stay) this.scrollToEnd();
      })();
      try {
        await this.refreshing;
      } finally {
        this.refreshing = null;
      }
      if (this.refreshAgain) {
        this.refreshAgain = false;
        await this.refresh();
      }
    }

    announce(text) {
      const region = this.element.querySelector("[data-announce]");
      if (region) region.textContent = text;
    }

    // ---- reading ------------------------------------------------------------------------------------

    async markRead() {
      if (!this.live() || !this.onScreen || document.visibilityState !== "visible") return;
      const newest = this.newestId();
      const theirs = this.items().some((item) => Number(item.dataset.sender) !== this.viewer && messageId(item) > (this.readUpTo || 0));
      if (!newest || !theirs || newest <= (this.readUpTo || 0)) return;
      this.readUpTo = newest;
      try {
        await fetchPart(`/api/conversations/${this.id}/read/`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ up_to: newest }),
        });
      } catch {
        this.readUpTo = 0; // offline: the next event or visit marks it
      }
    }

    // ---- writing ------------------------------------------------------------------------------------

    async send(event) {
      event.preventDefault();
      const form = event.target;
      const button = form.querySelector("button[type=submit]");
      if (button.disabled) return;
      button.disabled = true;
      let response;
      try {
        response = await fetchPart(form.action, { method: "POST", body: new FormData(form) });
      } catch {
        button.disabled = false;
        this.announce("Not sent: you seem to be offline. Try again.");
        return;
      }
      const part = fragment(await response.text());
      const fresh = part.querySelector("[data-send-form]");
      if (!fresh) {
        button.disabled = false;
        return;
      }
      form.replaceWith(fresh);
      if (response.ok) {
        fresh.querySelector("textarea").focus();
        this.announce("Sent.");
        await this.refresh({ own: true });
      } else {
        (fresh.querySelector("[data-error-summary]") || fresh.querySelector("[aria-invalid='true']") || fresh.querySelector("textarea"))?.focus();
      }
    }

    async onMessageForm(event) {
      const form = event.target;
      if (!form.matches("[data-edit-form], [data-delete-form]")) return;
      event.preventDefault();
      const item = form.closest("[data-message-id]");
      const response = await fetchPart(form.action, { method: "POST", body: new FormData(form) });
      if (!response.ok) {
        item.querySelector(".msg__error")?.remove();
        const error = document.createElement("p");
        error.className = "msg__error";
        error.setAttribute("role", "alert");
        error.textContent = (await response.text()) || "That did not work. Reload the page and try again.";
        item.querySelector("[data-own-actions]")?.before(error);
        return;
      }
      const fresh = fragment(await response.text()).querySelector("[data-message-id]");
      item.replaceWith(fresh);
      this.adopt(fresh);
      this.applySeen();
      fresh.setAttribute("tabindex", "-1");
      fresh.focus();
    }

    // ---- typing -------------------------------------------------------------------------------------

    typing() {
      if (!realtime || Date.now() - this.typingSentAt < TYPING_EVERY_MS) return;
      this.typingSentAt = Date.now();
      realtime.send({ type: "typing", conversation: this.id });
    }

    showTyping(name) {
      const line = this.element.querySelector("[data-typing]");
      if (!line) return;
      line.textContent = `${name} is typing…`;
      window.clearTimeout(this.typingTimer);
      this.typingTimer = window.setTimeout(() => this.stopTyping(), TYPING_SHOWN_MS);
    }

    stopTyping() {
      const line = this.element.querySelector("[data-typing]");
      if (line) line.textContent = "";
    }

    // ---- events -------------------------------------------------------------------------------------

    edited(message) {
      const item = document.getElementById(`message-${message.id}`);
      const body = item?.querySelector("[data-body]");
      if (!body || item.contains(document.activeElement)) return;
      body.innerHTML = message.body_html; // sanitised by the server (nh3), as the page renders it
      if (!item.querySelector("[data-edited]")) {
        const mark = document.createElement("span");
        mark.className = "msg__edited";
        mark.dataset.edited = "";
        mark.textContent = "(edited)";
        item.querySelector(".msg__meta").append(" ", mark);
      }
    }

    deleted(id) {
      const item = document.getElementById(`message-${id}`);
      if (!item) return;
      const bubble = item.querySelector(".msg__bubble");
      for (const part of bubble.querySelectorAll(":scope > :not(.msg__meta)")) part.remove();
      item.querySelector("[data-edited]")?.remove();
      const gone = document.createElement("p");
      gone.className = "msg__gone";
      gone.textContent = "Message deleted.";
      bubble.append(gone);
      item.querySelectorAll("[data-own-actions], .msg__warning, [data-seen]").forEach((part) => part.remove());
      this.applySeen();
    }

    read(event) {
      if (event.user === this.viewer) return;
      this.seenUpTo = Math.max(this.seenUpTo, Number(event.last_read_message_id) || 0);
      this.applySeen();
    }
  }

  // ---- the inbox's list -------------------------------------------------------------------------------

  let listTimer = null;
  function refreshList() {
    const list = document.querySelector("[data-inbox-list]");
    if (!list) return;
    window.clearTimeout(listTimer);
    listTimer = window.setTimeout(async () => {
      const current = document.querySelector("[data-inbox-list]");
      if (current.contains(document.activeElement)) return; // do not pull it from under a keyboard user
      const response = await fetchPart(current.dataset.listUrl);
      if (!response.ok) return;
      const fresh = fragment(await response.text()).querySelector("[data-inbox-list]");
      if (fresh && !current.contains(document.activeElement)) current.replaceWith(fresh);
    }, 400);
  }

  // ---- wiring ------------------------------------------------------------------------------------

  for (const element of document.querySelectorAll("[data-conversation]")) {
    const panel = new Panel(element);
    panels.set(panel.id, panel);
  }
  document.addEventListener("visibilitychange", () => panels.forEach((panel) => panel.markRead()));
  if (!realtime) return;
  const live = (event) => {
    const panel = panels.get(Number(event.conversation));
    return panel && panel.list && panel.live() ? panel : null;
  };
  realtime.on("message.new", (event) => {
    live(event)?.refresh();
    refreshList();
  });
  realtime.on("message.edited", (event) => live(event)?.edited(event.message));
  realtime.on("message.deleted", (event) => live(event)?.deleted(event.message_id));
  realtime.on("conversation.read", (event) => {
    live(event)?.read(event);
    refreshList();
  });
  realtime.on("typing", (event) => {
    const panel = live(event);
    if (panel && Number(event.user) !== panel.viewer) panel.showTyping(event.name || "Someone");
  });
})();
