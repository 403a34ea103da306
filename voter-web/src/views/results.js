// The results as they are revealed: Best In Show, the category winners and the awards, on top of the page.

import { el, iconText, replace } from "../dom.js";
import { T } from "../lang.js";
import * as app from "../state.js";
import { byline, meta } from "./entry.js";

export function resultsView() {
  const section = el("section.card.results", { "aria-labelledby": "results-h" });
  let drawn = null; // the results shown

  function draw() {
    const results = app.results;
    if (drawn === results) return;
    drawn = results;
    replace(
      section,
      el("h2#results-h.section-title", null, iconText("trophy", T.resultsTitle)),
      results.bestInShow && el("div.bis-winner", null, el("h3.eyebrow", null, T.resultsBestInShow), winner(results.bestInShow.winner)),
      results.categories.length > 0 && [
        el("h3", null, T.resultsCategories),
        el("ul.winners", null, results.categories.map((c) => el("li", null, el("p.prize", null, c.name), winner(c.winner)))),
      ],
      results.awards?.awards.length > 0 && [
        el("h3", null, T.resultsAwards),
        el("ul.winners", null, results.awards.awards.map((a) => el("li", null, el("p.prize", null, a.name), winner(a.entry, a.note ? el("p.meta", null, a.note) : null)))),
      ],
    );
  }

  return { section, draw };
}

function winner(entry, extra) {
  return el(
    "div.winner-entry",
    null,
    el("p.winner-title", null, entry.title),
    meta("person", byline(entry)),
    extra,
  );
}
