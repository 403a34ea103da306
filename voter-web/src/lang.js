// The page's language (the first of the browser's languages that strings.js has, else English) and its texts.

import { pickLanguage, strings } from "./strings.js";
import { entryStatus } from "./state.js";

export const lang = pickLanguage(navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
export const T = strings[lang];

/** Names as one phrase ("A & B"), leaving out empty ones. */
export const joinNames = (list) => (list || []).filter(Boolean).join(T.and);

/** What is on screen, in a few words (the now card's heading, and what a screen reader hears when it changes). One
 * rule: the outro's invitation to vote is said only while the entry can still be rated; once its category has closed
 * (or the entry left the running) the heading just says it was played, never "vote now" above "voting has closed". */
export function phaseLabel(phase, entry) {
  const over = entry && ["closed", "disqualified"].includes(entryStatus(entry));
  if (phase === "outroSlate" && over) return T.phase.outroClosed;
  return T.phase[phase] || T.nowTitle;
}
