// What is on screen: the phase, the entry with its details and stars, or a message between entries. When the
// projector stops reporting, it says so instead of presenting what was last shown as what is on screen.

import { el, iconText, replace } from "../dom.js";
import { T, phaseLabel } from "../lang.js";
import * as app from "../state.js";
import { createRater, entryDetails } from "./entry.js";

export function nowView() {
  const head = el("h2#now-h.eyebrow");
  const body = el("div.now-body");
  const section = el("section.card.now", { "aria-labelledby": "now-h" }, head, body);
  let rater = null;

  /** Fills the body with what `content()` makes, unless `key` says it already shows that. */
  function show(key, content) {
    if (body.dataset.key === key) return;
    body.dataset.key = key;
    replace(body, content());
  }

  function draw() {
    const state = app.show || {};
    const phase = state.phase || "idle";
    const entry = state.entry || null;
    // The projector stopped reporting: say so instead of presenting what it last showed as what is on screen.
    const lost = state.projector === "lost" && phase !== "idle";
    // Opened without the server (offline, from the service worker): nothing is known of the show, not "before the show".
    const unknown = !app.show;
    const label = lost ? T.lostTitle : unknown ? T.nowTitle : phaseLabel(phase, entry);
    if (head.textContent !== label) replace(head, iconText(phase === "video" && !lost ? "play" : "film", label));
    section.dataset.phase = phase;
    section.dataset.projector = lost ? "lost" : "live";
    const lostLine = () => lost && el("p.now-message", null, T.lostBody);
    if (entry) {
      show(`entry|${entry.id}|${lost}`, () => {
        rater = createRater("now-title", entry);
        return [lostLine(), el("p.chip", null, entry.category), entryDetails(entry, "h3.title", "now-title"), rater.root];
      });
      rater.update(entry);
    } else if (lost) {
      show("lost", lostLine);
    } else if (unknown) {
      show("unknown", () => el("p.now-message", null, T.showUnknown));
    } else {
      const message = betweenEntries(phase, state.categoryId);
      show(`msg|${message}`, () => [el("p.now-message", null, message), message === T.idleBody && el("p.muted", null, T.idleHint)]);
    }
  }

  return { section, draw };
}

/** What the card says when no entry is on screen. */
function betweenEntries(phase, categoryId) {
  const categoryName = app.voting?.categories.find((c) => c.categoryId === categoryId)?.name;
  if (phase === "categoryCard" && categoryName) return T.categoryCardBody(categoryName);
  if (phase === "intermission") return T.intermissionBody;
  if (phase === "difficulties") return T.difficultiesBody;
  if (phase === "blackout") return T.blackoutBody;
  if (phase === "endCard" || phase === "winner") return T.endBody;
  return T.idleBody;
}
