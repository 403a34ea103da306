// The screen view (/screen, docs/screen.md): mirrors the projector for a stream overlay or a lobby screen. Read-only
// and anonymous, like a phone that has not joined: it follows the show hub's pushes (showChanged, resultsRevealed) and
// reads the show (the hub's GetShow), /api/voting (category names) and /api/results (only what has been revealed) after
// every (re)connect.
// The join QR comes from /api/screen/join, which answers only while the coordinator allows the QR on this view.

import { el, sync, text } from "../dom.js";
import { createLive } from "../live.js";
import { request } from "../net.js";

const JOIN_REFRESH_MS = 20000; // a code that rotates by the clock reaches the screen within this
const $ = (id) => document.getElementById(id);

if (new URLSearchParams(location.search).get("transparent") === "1") document.documentElement.classList.add("transparent");

let show = null;
let results = { categories: [], bestInShow: null, awards: null };
const categoryNames = new Map();
let joinUrl = null;
let synced = 0;
let resultsPushes = 0;
let finalists = null; // the nominees slate's finalists, in running order (/api/screen/nominees)

const live = createLive({
  show: applyShow,
  voting: () => {}, // the screen shows no voting state; category names are read when a card needs one
  results: (r) => {
    results = r;
    resultsPushes++;
    render();
  },
  state: (s) => {
    document.body.dataset.conn = s;
    render();
  },
  synced: refresh,
}, { screen: true });
live.start();
setInterval(refreshJoin, JOIN_REFRESH_MS);
addEventListener("online", () => live.kick());
addEventListener("resize", fitWinners);

async function refresh() {
  // The show first over the hub: the server answers an invocation only once the connection has joined its audience,
  // so whatever changes after the reads below is pushed to this page (a read over HTTP could fall in between).
  const before = show;
  const pushesBefore = resultsPushes;
  const current = (await live.ask("GetShow")) || (await request("GET", "/api/show")).data;
  const [v, r] = await Promise.all([request("GET", "/api/voting"), request("GET", "/api/results")]);
  if (v.status === 200) readCategories(v.data);
  if (r.status === 200 && resultsPushes === pushesBefore) results = r.data; // a push during the read is newer
  if (current) {
    if (show === before) show = null; // no push came meanwhile: the fresh read wins (a restarted server starts from 0)
    applyShow(current);
  }
  await refreshJoin();
  document.body.dataset.synced = String(++synced);
  render();
}

function readCategories(voting) {
  for (const c of voting.categories) categoryNames.set(c.categoryId, c.name);
}

function applyShow(next) {
  if (show && next.sequence < show.sequence) return; // a late push never overrides a newer state
  show = next;
  render();
  if (next.phase === "categoryCard" || next.phase === "outroSlate") refreshJoin(); // the code may have rotated
  if (next.phase === "nominees") {
    // Answered only while the projector shows that nominees slate (docs/screen.md).
    request("GET", "/api/screen/nominees").then((f) => {
      finalists = f.status === 200 ? f.data : null;
      render();
    });
  }
  if (next.phase === "categoryCard" && !categoryNames.has(next.categoryId)) {
    request("GET", "/api/voting").then((v) => {
      if (v.status === 200) readCategories(v.data);
      render();
    });
  }
}

async function refreshJoin() {
  const j = await request("GET", "/api/screen/join");
  if (j.status === 0) return; // offline: keep what is shown
  const url = j.status === 200 ? j.data.joinUrl : null;
  if (url === joinUrl) return;
  joinUrl = url;
  renderJoin();
}

function renderJoin() {
  const qr = $("join-qr");
  if (joinUrl) {
    qr.src = "/api/screen/qr.svg?for=" + encodeURIComponent(joinUrl);
    text($("join-url"), joinUrl.replace(/^https?:\/\//, ""));
  } else {
    qr.removeAttribute("src");
    text($("join-url"), "");
  }
  $("join").hidden = !joinUrl;
  fitWinners();
}

/** What each phase puts on screen: the kicker line, the title, and whether the finalist's details and a note show. */
function describe(s) {
  const entry = s.entry;
  const category = entry ? entry.category : categoryNames.get(s.categoryId) || "";
  const about = (label) => [label, category].filter(Boolean).join(" · ");
  switch (s.phase) {
    case "categoryCard":
      return { kicker: "Category", title: category || "Next category" };
    case "introSlate":
      return { kicker: about("Up next"), entry };
    case "video":
      return { kicker: about("Now playing"), entry };
    case "outroSlate":
      return { kicker: about("Just played"), entry, note: "Vote now on your phone" };
    case "paused":
      return { kicker: entry ? about("Paused") : "Paused", entry, title: entry ? null : "Back in a moment" };
    case "difficulties":
      return { kicker: "Technical difficulties", entry, note: "We’ll be right back" };
    case "intermission":
      return { kicker: "Intermission", title: "Back soon" };
    case "winner":
      return { kicker: prizeOf(s.scope) || prizesOf(entry).join(" · ") || "Winner", entry, board: placingsOf(s.scope) };
    case "nominees":
      return { kicker: "Nominees", title: category || "Nominees", board: nomineesOf(s.categoryId) };
    case "endCard":
      return { kicker: "Thank you", title: "That’s the show" };
    case "blackout":
      return { kicker: "", title: "" };
    default:
      return { kicker: "AMV Contest", title: "The show starts soon" };
  }
}

function render() {
  const s = show || { phase: "idle", projector: "lost" };
  const screen = $("screen");
  screen.dataset.phase = s.phase;
  screen.dataset.projector = s.projector;
  const d = describe(s);
  text($("kicker"), d.kicker);
  text($("title"), d.title || (d.entry ? d.entry.title : ""));
  const entry = d.entry && !d.title ? d.entry : null;
  $("by").hidden = !entry;
  text($("by"), entry ? "by " + entry.editors.join(", ") : "");
  const facts = entry ? factsOf(entry) : [];
  $("facts").hidden = facts.length === 0;
  sync($("facts"), facts);
  $("note").hidden = !d.note;
  text($("note"), d.note || "");
  $("board").hidden = !d.board;
  sync($("board"), d.board || []);
  renderWinners();
  const conn = document.body.dataset.conn;
  text($("conn"), conn !== "live" ? "Connecting to the show…" : s.projector !== "live" ? "Waiting for the projector…" : "");
}

function factsOf(entry) {
  const music = [entry.musicArtist, entry.musicTitle].filter(Boolean).join(" – ");
  const rows = [];
  if (music) rows.push(el("dt", null, "Music"), el("dd", null, music));
  if (entry.sources.length) rows.push(el("dt", null, "Anime"), el("dd", null, entry.sources.join(", ")));
  return rows;
}

/** Every revealed prize, the latest first: [{ prize, entry, at }]. Only what /api/results and its pushes carry. */
function revealed() {
  const list = results.categories.map((c) => ({ prize: c.name, entry: c.winner, at: c.revealedAt }));
  if (results.bestInShow) list.push({ prize: "Best In Show", entry: results.bestInShow.winner, at: results.bestInShow.revealedAt });
  if (results.awards) for (const a of results.awards.awards) list.push({ prize: a.name, entry: a.entry, at: a.revealedAt || results.awards.revealedAt });
  // Latest first; among prizes revealed at the same moment, the later in show order first (sort is stable).
  return list.reverse().sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** The prize a winner slate announces (its scope: category:{id}, best-in-show, award:{id}), from what is revealed. */
function prizeOf(scope) {
  if (!scope) return null;
  if (scope === "best-in-show") return results.bestInShow ? "Best In Show" : null;
  const [kind, id] = scope.split(":");
  if (kind === "category") return results.categories.find((c) => c.categoryId === Number(id))?.name ?? null;
  return results.awards?.awards.find((a) => a.id === Number(id))?.name ?? null;
}

/** A revealed category's placings as rows with bars (only when the contest shows them and the results carry them). */
function placingsOf(scope) {
  const category = scope && scope.startsWith("category:") && results.categories.find((c) => `category:${c.categoryId}` === scope);
  if (!category || !category.placings) return null;
  const top = Math.max(...category.placings.map((p) => p.mean));
  return category.placings.map((p) => {
    const bar = el("span.bar");
    bar.style.setProperty("--share", String(top > 0 ? p.mean / top : 0)); // CSSOM: no inline style for the CSP to refuse
    return el("li", { "data-entry": p.entry.id, "data-rank": p.rank },
      el("span.rank", null, String(p.rank)),
      el("span.name", null, p.entry.title),
      bar,
      el("span.mean", null, p.mean.toFixed(2)),
      el("span.votes", null, p.votes === 1 ? "1 vote" : `${p.votes} votes`));
  });
}

/** A category's finalists in show order, as the nominees slate lists them. */
function nomineesOf(categoryId) {
  if (!finalists) return [];
  return finalists.filter((f) => f.categoryId === categoryId).map((f) =>
    el("li", { "data-entry": f.id }, el("span.name", null, f.title), el("span.editors", null, f.editors.join(", "))));
}

function prizesOf(entry) {
  return entry ? revealed().filter((p) => p.entry.id === entry.id).map((p) => p.prize) : [];
}

function renderWinners() {
  const items = revealed().map((p) =>
    el("li", { "data-entry": p.entry.id }, el("span.prize", null, p.prize), el("span.winner", null, p.entry.title)));
  $("winners").hidden = items.length === 0;
  sync($("winners-list"), items);
  fitWinners();
}

/** The latest prizes that fit the panel, whole: the older ones that would be cut off at its bottom are left out. */
function fitWinners() {
  const panel = $("winners");
  const items = [...$("winners-list").children];
  items.forEach((li) => (li.hidden = false));
  const bottom = panel.getBoundingClientRect().bottom - parseFloat(getComputedStyle(panel).paddingBottom);
  let full = false;
  for (const li of items) {
    full = full || li.getBoundingClientRect().bottom > bottom + 0.5;
    li.hidden = full;
  }
}

render();
