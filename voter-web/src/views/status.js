// The status line under the stars and on the Best In Show ballot: words and an icon, never colour alone.

import { iconText, replace } from "../dom.js";

const ICONS = { ok: "check", wait: "clock", bad: "cross", lock: "lock", clock: "clock", info: "star" };

/** kind: ok | wait | bad | lock | clock | info */
export function setStatus(node, kind, message) {
  if (node.dataset.kind === kind && node.textContent === message) return;
  node.dataset.kind = kind;
  node.className = `status ${kind}`;
  replace(node, iconText(ICONS[kind], message));
}
