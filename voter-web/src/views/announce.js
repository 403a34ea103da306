// The polite live region: what a screen reader says of a ballot saved or refused, of what came on screen and of new
// results.

import { el, text } from "../dom.js";

export const liveRegion = el("p.sr-only", { role: "status", "aria-live": "polite", "aria-atomic": "true" });

export function announce(message) {
  // The same message twice must be heard twice: change the text even when it is equal.
  text(liveRegion, liveRegion.textContent === message ? `${message}\u00a0` : message);
}
