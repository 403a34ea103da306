// One entry as the phone shows it: its details, and the star buttons that rate it with their status line.

import { el, icon, iconText, replace } from "../dom.js";
import { T, joinNames } from "../lang.js";
import { pendingVote } from "../outbox.js";
import * as app from "../state.js";
import { pendingText, vote } from "../session.js";
import { setStatus } from "./status.js";

/** "by A & B", or null when the entry names no editors. */
export const byline = (entry) => (entry.editors?.length ? T.by(joinNames(entry.editors)) : null);

/** A line of details with its icon, or nothing without words. */
export const meta = (name, words, spec = "p.meta") => (words ? el(spec, null, iconText(name, words)) : null);

/** Title (as `titleSpec`, with the id `titleId`), editors, music, sources and content note. */
export function entryDetails(entry, titleSpec, titleId) {
  const music = entry.musicArtist || entry.musicTitle ? T.music(entry.musicArtist || "", entry.musicTitle || "") : null;
  return [
    el(titleSpec, { id: titleId }, entry.title),
    meta("person", byline(entry)),
    meta("music", music),
    meta("film", entry.sources?.length ? T.from(joinNames(entry.sources)) : null),
    meta("info", entry.contentNote, "p.meta.note"),
  ];
}

/** Star buttons and the status line for one entry, named by the element `titleId` (kept across draws so focus stays
 * on the star tapped). */
export function createRater(titleId, entry) {
  const stars = el("div.stars");
  const status = el("p.status");
  const root = el("div.rater", { role: "group", "aria-labelledby": titleId }, stars, status);
  let built = "";
  let current = entry;

  function build() {
    const max = app.scoreMax();
    const buttons = [];
    for (let n = app.scoreMin(); n <= max; n++) {
      buttons.push(
        el(
          "button.star",
          { type: "button", "data-score": n, "aria-label": T.rate(n, max, current.title), onclick: () => vote(current.id, n) },
          icon("star"),
          el("span.num", { "aria-hidden": "true" }, String(n)),
        ),
      );
    }
    stars.style.setProperty("--n", String(buttons.length));
    replace(stars, ...buttons);
  }

  function update(entry) {
    current = entry;
    const max = app.scoreMax();
    const key = `${app.scoreMin()}-${max}-${entry.title}`;
    if (built !== key) {
      built = key;
      build();
    }
    const state = app.entryStatus(entry);
    const pending = pendingVote(entry.id);
    const saved = app.scores[entry.id];
    const refusal = app.refusals[entry.id];
    const shown = pending ? pending.score : saved;
    for (const button of stars.children) {
      const n = Number(button.dataset.score);
      button.setAttribute("aria-pressed", String(n === shown));
      button.classList.toggle("on", shown != null && n <= shown);
    }
    const locked = app.needsCard();
    stars.hidden = state !== "open" || locked;
    let kind;
    let message;
    if (pending) {
      [kind, message] = ["wait", pendingText([T.keptBusy, T.busySending, T.keptOffline, T.sending], pending.score, max)];
    } else if (refusal) {
      [kind, message] = ["bad", T.refused[refusal] || T.refused.other];
    } else if (locked && state === "open") {
      [kind, message] = ["lock", T.needCard];
    } else if (state === "open") {
      [kind, message] = saved != null ? ["ok", T.saved(saved, max)] : ["info", T.tapToRate];
    } else if (state === "closed") {
      [kind, message] = ["lock", saved != null ? T.closedScore(saved, max) : T.closed];
    } else if (state === "disqualified") {
      [kind, message] = ["lock", T.disqualified];
    } else {
      [kind, message] = ["clock", T.notOpenYet];
    }
    setStatus(status, kind, message);
    root.dataset.state = pending ? "pending" : refusal ? "refused" : saved != null ? `${state}-saved` : state;
  }

  return { root, update };
}
