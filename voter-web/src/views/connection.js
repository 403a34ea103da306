// The connection banner in the header (live, connecting, reconnecting, offline) and the line counting the votes still
// waiting on the phone.

import { el, icon, replace } from "../dom.js";
import { T } from "../lang.js";
import { pendingCount } from "../outbox.js";
import * as app from "../state.js";

export function connectionView() {
  const banner = el("p.conn", { "data-state": "connecting" });
  const waiting = el("p.waiting", { hidden: true });

  function draw() {
    banner.hidden = app.screen !== "ready";
    const state = navigator.onLine === false ? "offline" : app.conn;
    banner.setAttribute("data-state", state);
    const label = { live: T.live, connecting: T.connecting, reconnecting: T.reconnecting, offline: T.offline }[state];
    if (banner.textContent !== label) replace(banner, icon(state === "offline" ? "offline" : "live"), el("span", null, label));
    if (app.screen !== "ready") return;
    const count = pendingCount();
    waiting.hidden = count === 0;
    if (count > 0) replace(waiting, icon("clock"), el("span", null, T.waiting(count)));
  }

  return { banner, waiting, draw };
}
