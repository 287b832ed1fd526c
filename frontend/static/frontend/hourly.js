// The time page of an hourly contract:
// - the running timer's clock (hours:minutes:seconds since it started, from data-running-since);
// - the week's block refreshed in place when the contract's time changes (the "hourly.time" push
//   from realtime.js: the freelancer logged, edited or deleted time, or started or stopped the
//   timer), so the client sees the week as it is logged, without reloading.
(() => {
  "use strict";

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function startClock() {
    const form = document.querySelector("[data-timer][data-running-since]");
    const clock = form && form.querySelector("[data-clock]");
    if (!clock) return;
    const since = Date.parse(form.dataset.runningSince);
    if (Number.isNaN(since)) return;
    const tick = () => {
      const seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
      clock.textContent = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
    };
    tick();
    window.setInterval(tick, 1000);
  }

  async function refreshWeek(block) {
    const response = await fetch(block.dataset.weekUrl, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fresh = holder.querySelector("[data-hourly-week]");
    if (!fresh) return;
    block.replaceWith(fresh);
    fresh.classList.add("hourly-flash");
  }

  function listen() {
    const realtime = window.marketplaceRealtime;
    if (!realtime) return;
    realtime.on("hourly.time", (event) => {
      const block = document.querySelector("[data-hourly-week]");
      if (!block || Number(block.dataset.contract) !== event.contract) return;
      refreshWeek(block).catch((error) => console.error(error));
    });
  }

  function start() {
    startClock();
    listen();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
