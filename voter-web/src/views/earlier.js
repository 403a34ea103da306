// "Rate what you've seen": per open category, the entries already shown (all but the one on screen), each with its
// stars, so a late joiner rates what they saw while the category is open.

import { el, iconText, replace, sync, text } from "../dom.js";
import { T, lang } from "../lang.js";
import * as app from "../state.js";
import { createRater, entryDetails } from "./entry.js";

export function earlierView() {
  const section = el("section.earlier", { "aria-labelledby": "earlier-h" });
  const heading = [el("h2#earlier-h.section-title", null, T.earlierTitle), el("p.muted", null, T.earlierBody)];
  const blocks = new Map(); // category id → its block, kept across draws
  const items = new Map(); // entry id → its list item, kept across draws (focus stays on the star tapped)
  const time = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });

  function block(category, entries) {
    let found = blocks.get(category.categoryId);
    if (!found) {
      found = { head: el("h3"), closes: el("p.closes"), list: el("ul.entries") };
      found.root = el("div.card.category", null, found.head, found.closes, found.list);
      blocks.set(category.categoryId, found);
    }
    text(found.head, category.name);
    found.closes.hidden = !category.closesAt;
    if (category.closesAt) replace(found.closes, iconText("clock", T.closesAt(time.format(new Date(category.closesAt)))));
    sync(found.list, entries.map(item));
    return found.root;
  }

  function item(entry) {
    let found = items.get(entry.id);
    if (!found || found.title !== entry.title) {
      const rater = createRater(`e${entry.id}-title`, entry);
      const root = el("li.entry", null, entryDetails(entry, "p.entry-title", `e${entry.id}-title`).slice(0, 2), rater.root);
      found = { title: entry.title, rater, root };
      items.set(entry.id, found);
    }
    found.rater.update(entry);
    return found.root;
  }

  function draw() {
    const nowId = app.show?.entry?.id;
    const shown = [];
    for (const category of app.voting?.categories || []) {
      if (category.status === "closed") continue;
      const entries = category.votableEntries.filter((e) => e.id !== nowId);
      if (entries.length > 0) shown.push(block(category, entries));
    }
    sync(section, shown.length > 0 ? [...heading, ...shown] : []);
  }

  return { section, draw };
}
