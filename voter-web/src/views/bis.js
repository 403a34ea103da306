// The Best In Show ballot: every finalist in the running grouped by category, a search box, one pick (a toggle
// button per finalist), changeable until the ballot closes; then the pick it holds.

import { el, iconText, replace, text } from "../dom.js";
import { T } from "../lang.js";
import { pendingPick } from "../outbox.js";
import * as app from "../state.js";
import { pendingText, pickBestInShow } from "../session.js";
import { byline } from "./entry.js";
import { setStatus } from "./status.js";

const normalize = (value) => String(value).normalize("NFKC").toLowerCase();

export function bisView() {
  const search = el("input#bis-q.search", { type: "search", autocomplete: "off", enterkeyhint: "search", oninput: filter });
  const count = el("p.muted.count", { "aria-live": "polite" });
  const status = el("p.status");
  const lists = el("div.bis-lists");
  const none = el("p.muted", { hidden: true }, T.bisNone);
  const intro = el("p", null, T.bisBody);
  const searchBox = el("div.search-box", null, el("label", { for: "bis-q" }, iconText("search", T.bisSearch)), search);
  const section = el(
    "section.card.bis",
    { "aria-labelledby": "bis-h" },
    el("h2#bis-h.section-title", null, iconText("trophy", T.bisTitle)),
    intro,
    status,
    searchBox,
    count,
    lists,
    none,
  );
  let items = []; // { entry, item, button, block, haystack } per finalist
  let built = null; // the finalists `items` were built from

  function build(finalists) {
    const groups = new Map();
    for (const entry of finalists) {
      if (!groups.has(entry.categoryId)) groups.set(entry.categoryId, { name: entry.category, entries: [] });
      groups.get(entry.categoryId).entries.push(entry);
    }
    items = [];
    const blocks = [];
    for (const [categoryId, group] of groups) {
      const list = el("ul.picks");
      const block = el("div.bis-category", null, el("h3", { id: `bis-c${categoryId}` }, group.name), list);
      replace(list, group.entries.map((entry) => finalist(entry, block)));
      blocks.push(block);
    }
    replace(lists, blocks);
    filter();
  }

  /** A finalist's list item: its toggle button, remembered with the text the search looks in. */
  function finalist(entry, block) {
    const by = byline(entry);
    const button = el(
      "button.pick",
      { type: "button", onclick: () => pickBestInShow(entry.id) },
      el("span.pick-title", null, entry.title),
      by && el("span.pick-by", null, by),
      el("span.badge", null, iconText("check", T.bisYourPick)),
    );
    const item = el("li", null, button);
    const haystack = [entry.title, entry.category, ...(entry.editors || []), entry.musicArtist, entry.musicTitle, ...(entry.sources || [])];
    items.push({ entry, item, button, block, haystack: normalize(haystack.filter(Boolean).join(" ")) });
    return item;
  }

  function filter() {
    const words = normalize(search.value).split(/\s+/).filter(Boolean);
    const visible = new Map();
    let shown = 0;
    for (const { item, block, haystack } of items) {
      const match = words.every((w) => haystack.includes(w));
      item.hidden = !match;
      if (match) shown++;
      visible.set(block, (visible.get(block) || false) || match);
    }
    for (const [block, any] of visible) block.hidden = !any;
    none.hidden = shown > 0;
    text(count, T.bisMatches(shown));
  }

  /** `ballotOpen`: the ballot takes picks (else it has closed). */
  function draw(ballotOpen) {
    const open = ballotOpen && !app.needsCard();
    const pending = pendingPick();
    const chosen = pending ? pending.entryId : app.pick;
    const chosenTitle = chosen != null ? app.findEntry(chosen)?.title ?? "…" : null;
    intro.hidden = !open;
    searchBox.hidden = !open;
    lists.hidden = !open;
    count.hidden = !open;
    section.dataset.state = open ? "open" : "closed";
    if (!open) none.hidden = true;
    const refusal = app.refusals.pick;
    if (pending) setStatus(status, "wait", pendingText([T.bisKeptBusy, T.bisBusy, T.bisKept, T.bisSending], chosenTitle));
    else if (ballotOpen && !open) setStatus(status, "lock", T.needCard);
    else if (refusal) setStatus(status, "bad", T.refused[refusal] || T.refused.other);
    else if (!open) setStatus(status, "lock", chosenTitle ? T.bisClosedPick(chosenTitle) : T.bisClosed);
    else if (chosenTitle) setStatus(status, "ok", T.bisSaved(chosenTitle));
    else if (!app.finalists) setStatus(status, "clock", T.bisLoading);
    else setStatus(status, "info", T.bisBody);
    status.hidden = open && !chosenTitle && !pending && !refusal && !!app.finalists;
    if (!open || !app.finalists) return;
    if (built !== app.finalists) {
      built = app.finalists;
      build(built);
    }
    for (const { entry, button } of items) button.setAttribute("aria-pressed", String(entry.id === chosen));
  }

  return { section, draw };
}
