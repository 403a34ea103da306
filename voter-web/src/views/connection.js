// The connection banner in the header (live, connecting, reconnecting, offline) and the line counting the votes still
// waiting on the phone. A change of connection once the phone has joined is also said to screen readers.

import { el, iconText, replace } from "../dom.js";
import { T } from "../lang.js";
import { pendingCount } from "../outbox.js";
import * as app from "../state.js";
import { announce } from "./announce.js";

export function connectionView() {
  const banner = el("p.conn", { "data-state": "connecting" });
  const waiting = el("p.waiting", { hidden: true });
  let said = null; // the connection state last said (null: not joined yet, nothing to say)

  function draw() {
    banner.hidden = app.screen !== "ready";
    const state = app.connection();
    banner.setAttribute("data-state", state);
    const label = T[state]; // T.live, T.connecting, T.reconnecting or T.offline
    if (banner.textContent !== label) replace(banner, iconText(state === "offline" ? "offline" : "live", label));
    if (app.screen !== "ready") return;
    if (said !== null && state !== said && T.connAnnounce[state]) announce(T.connAnnounce[state]);
    if (said === null || T.connAnnounce[state]) said = state;
    const count = pendingCount();
    waiting.hidden = count === 0;
    if (count > 0) replace(waiting, iconText("clock", T.waiting(count)));
  }

  return { banner, waiting, draw };
}
