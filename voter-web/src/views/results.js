// The results as they are revealed: the latest reveal on top as a podium (the winner; with the placings when the
// contest shows them: every finalist by rank with its mean and vote count, and a bar), then every earlier reveal, each
// a disclosure that opens its own podium. The reveals come from podium.js.

import { el, iconText, replace } from "../dom.js";
import { T, lang, placeLabel, prizeName } from "../lang.js";
import { revealsOf } from "../podium.js";
import * as app from "../state.js";
import { byline, meta } from "./entry.js";

export function resultsView() {
  const section = el("section.card.results", { "aria-labelledby": "results-h" });
  const mean = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let drawn = null; // the results shown

  /** One place on a podium: its label, the entry, and with placings the mean, the votes and a bar. */
  function place(reveal, p) {
    const scored = typeof p.mean === "number";
    let bar = null;
    if (scored) {
      const [min, max] = [app.scoreMin(), app.scoreMax()];
      const share = Math.min(1, Math.max(0.02, (p.mean - min) / Math.max(1, max - min)));
      bar = el("span.bar", { "aria-hidden": "true" });
      bar.style.setProperty("--share", `${Math.round(share * 1000) / 10}%`);
    }
    return el(
      `li.place${p.rank === 1 ? ".first" : ""}`,
      { "data-rank": p.rank },
      el("p.rank", null, placeLabel(reveal, p)),
      el("p.winner-title", null, p.entry.title),
      meta("person", byline(p.entry)),
      p.note && el("p.meta", null, p.note),
      scored && [el("p.score", null, T.placeScore(mean.format(p.mean), p.votes)), bar],
    );
  }

  function podium(reveal, heading) {
    return el(
      "div.podium",
      { "data-kind": reveal.kind, "data-key": reveal.key },
      heading,
      el("ol.places", null, reveal.places.map((p) => place(reveal, p))),
    );
  }

  function draw() {
    if (drawn === app.results) return;
    drawn = app.results;
    const [latest, ...earlier] = revealsOf(app.results);
    replace(
      section,
      el("h2#results-h.section-title", null, iconText("trophy", T.resultsTitle)),
      latest && podium(latest, [el("p.eyebrow", null, T.resultsLatest), el("h3#latest-h.prize", null, prizeName(latest))]),
      earlier.length > 0 && [
        el("h3.earlier-h", null, T.resultsEarlier),
        el(
          "ul.reveals",
          null,
          earlier.map((reveal) => {
            const titles = reveal.places.filter((p) => p.rank === 1).map((p) => p.entry.title).join(T.and);
            return el("li", null, el("details", null, el("summary", null, `${prizeName(reveal)}: ${titles}`), podium(reveal, null)));
          }),
        ),
      ],
    );
  }

  return { section, draw };
}
