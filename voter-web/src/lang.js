// The page's language and its texts (`T`). The language is the one picked with the switch in the header (kept on the
// phone as amv.lang), else the first of the browser's languages the app has (lang/index.js), else English. Both are
// live bindings: after setLanguage, every module reads the new ones; main.js builds the page again in that language.

import { languages, pickLanguage } from "./lang/index.js";
import { load, save } from "./net.js";
import { entryStatus } from "./state.js";

const browserLanguages = () => (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);

export let lang = pickLanguage(load("lang", null), browserLanguages());
export let T = languages[lang];

/** Shows the page in `code` (one of lang/index.js) from now on, and keeps the choice on the phone. */
export function setLanguage(code) {
  lang = pickLanguage(code, browserLanguages());
  T = languages[lang];
  save("lang", lang);
}

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

/** The prize of a reveal (podium.js) in words: the category's or the award's name, Best In Show. */
export const prizeName = (reveal) => (reveal.kind === "bestInShow" ? T.resultsBestInShow : reveal.name);

/** The label of a place on a podium: "Winner" on a podium of one, else the rank ("2nd"). */
export const placeLabel = (reveal, place) => (reveal.places.length === 1 ? T.winner : T.place(place.rank));

/** What a screen reader hears of a reveal: the prize and its winner(s), with their editors (the runners-up are on the
 * page, not read out). */
export function revealText(reveal) {
  const winners = reveal.places.filter((p) => p.rank === 1);
  const said = winners.map((p) => T.winnerAnnounce(T.winner, p.entry.title, joinNames(p.entry.editors)));
  return T.revealedAnnounce(prizeName(reveal), said.join(" "));
}
