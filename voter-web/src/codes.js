// What a person types in the code box: a room code (6 characters, from the screen or a poster) or a ballot card's
// key (16). Any case; blanks and dashes ignored. The alphabet has no look-alikes, so a look-alike typed is named.

import { load, save } from "./net.js";

const ALPHABET = "ACEFHJKMNPRTWXY3479";
const LOOK_ALIKES = ["0ODQ", "1IL", "2Z", "5S", "8B", "6G", "UV"];

/** { roomCode } | { cardKey } | { error: "empty" | "length" | "lookAlike" | "other", char, group, length } */
export function parseCode(typed) {
  const clean = String(typed).replace(/[\s-]+/g, "").toUpperCase();
  if (!clean) return { error: "empty" };
  for (const char of clean) {
    if (ALPHABET.includes(char)) continue;
    const group = LOOK_ALIKES.find((g) => g.includes(char));
    return group ? { error: "lookAlike", char, group: [...group].join(", ") } : { error: "other", char };
  }
  if (clean.length === 6) return { roomCode: clean };
  if (clean.length === 16) return { cardKey: clean };
  return { error: "length", length: clean.length };
}

/** The room code of the page's path (`/v/{code}`), or "" (none, or a mangled link). */
export function codeInPath(pathname) {
  try {
    return decodeURIComponent(pathname.split("/")[2] || "").trim();
  } catch {
    return "";
  }
}

/** The ballot card key in the page's fragment (`#card=KEY`, from a card's QR code), or null. */
export function cardInLink(hash) {
  const match = /(?:^#|&)card=([^&]*)/.exec(hash || "");
  if (!match) return null;
  try {
    const parsed = parseCode(decodeURIComponent(match[1]));
    return parsed.cardKey || null;
  } catch {
    return null;
  }
}

/** This phone's own id (random, kept): a card is held by the phone that brought it, and its retries count as it. */
export function deviceId() {
  let id = load("device", null);
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    save("device", id);
  }
  return id;
}
