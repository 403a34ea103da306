// The phone voting app (docs/voter-web.md): join from the QR link, see what is on screen, rate it with one tap, pick a
// Best In Show, see the results. All text comes from strings.js and goes into the page with textContent.

import { strings, pickLanguage } from "./strings.js";
import { el, icon, replace, sync, text } from "./dom.js";
import { load, request, retryDelayMs, save } from "./net.js";
import { createOutbox, pendingCount, pendingPick, pendingVote } from "./outbox.js";
import { createLive } from "./live.js";
import { cardInLink, deviceId, parseCode } from "./codes.js";

const lang = pickLanguage(navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
const T = strings[lang];
document.documentElement.lang = lang;
document.title = `${T.appTitle} · ${T.appSubtitle}`;

const roomCode = (() => {
  try {
    return decodeURIComponent(location.pathname.split("/")[2] || "").trim();
  } catch {
    return ""; // a mangled link: treated as no code
  }
})();

// A ballot card's QR opens /v#card=KEY: the key comes in the fragment (which no server or proxy log sees) and leaves
// the address bar at once.
const linkCard = cardInLink(location.hash);
if (/card=/.test(location.hash)) history.replaceState(null, "", location.pathname + location.search);

// --- State -------------------------------------------------------------------------------------------------------

const app = {
  screen: "joining", // joining | ready | stale | unknown | refused | nocode
  problem: null, // [title, body] of a refused join
  trouble: false, // joining could not reach the server (yet)
  busyUntil: 0, // joining got a 429: the server asked to wait until then
  conn: "connecting", // connecting | live | reconnecting
  show: null, // ShowState
  voting: null, // VotingSnapshot
  results: null, // PublicResults
  scores: {}, // entry id → score the server holds
  pick: null, // Best In Show pick the server holds
  refusals: {}, // entry id (or "pick") → reason the server refused the last ballot
  finalists: null, // EntrySummary[] for the Best In Show ballot
};
let token = load("token", null);
let via = load("via", null); // how this phone joined: screen | poster | card
let votesKnown = false; // join has just learned this phone's votes: the refresh right after need not ask again
const pushes = { show: 0, voting: 0, results: 0 };

const outbox = createOutbox({
  token: () => (app.screen === "ready" ? token : null),
  confirmed(kind, entryId, value) {
    if (kind === "vote") {
      app.scores[entryId] = value;
      delete app.refusals[entryId];
      const entry = findEntry(entryId);
      if (entry) announce(T.savedAnnounce(value, scoreMax(), entry.title));
    } else {
      app.pick = value;
      delete app.refusals.pick;
      const entry = findEntry(value);
      if (entry) announce(T.bisSaved(entry.title));
    }
  },
  refused(kind, entryId, reason) {
    // (a vote without a ballot card in card mode comes back as "card-required")
    const message = T.refused[reason] || T.refused.other;
    app.refusals[kind === "vote" ? entryId : "pick"] = reason;
    announce(message);
  },
  unauthorized: () => rejoin(),
  changed: () => render(),
});

const live = createLive({
  show: (state) => {
    pushes.show++;
    applyShow(state);
  },
  voting: (snapshot) => {
    pushes.voting++;
    applyVoting(snapshot);
  },
  results: (results) => {
    pushes.results++;
    applyResults(results);
  },
  state: (state) => {
    app.conn = state;
    render();
  },
  synced: () => {
    refresh();
    outbox.retryNow();
  },
});

function applyShow(state) {
  if (!state || (app.show && state.sequence < app.show.sequence)) return;
  const before = app.show?.entry?.id;
  app.show = state;
  if (state.entry && state.entry.id !== before && app.screen === "ready") {
    announce(`${T.phase[state.phase] || T.nowTitle}: ${state.entry.title}`);
  }
  render();
}

function applyVoting(snapshot) {
  app.voting = snapshot;
  if (snapshot.bestInShowMethod === "ballot" && snapshot.bestInShow !== "notOpen" && !app.finalists) loadFinalists();
  render();
}

function applyResults(results) {
  const count = (r) => (r ? r.categories.length + (r.bestInShow ? 1 : 0) + (r.awards ? 1 : 0) : 0);
  if (app.results && count(results) > count(app.results)) announce(T.resultsRevealed);
  app.results = results;
  render();
}

function applyMine(mine) {
  app.scores = { ...(mine?.scores || {}) };
  app.pick = mine?.bestInShow ?? null;
  render();
}

// --- Joining, refreshing -------------------------------------------------------------------------------------------

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Joins. With what was typed in the code box or the card in the link, when given; else with the stored token when it
 * is still valid (whatever the URL's code), else with the stored ballot card or the URL's room code. Typed in the card
 * box of a phone already following the show, a refusal leaves the phone as it was and is said beside the box.
 */
async function join(entry = linkCard ? { cardKey: linkCard } : null) {
  const following = app.screen === "ready" && !!token;
  app.screen = "joining";
  render();
  if (token && !entry) {
    const mine = await request("GET", "/api/votes", { token });
    if (mine.status === 401) {
      token = null;
      save("token", null);
    } else if (mine.status === 200) {
      applyMine(mine.data);
      votesKnown = true;
    } // no answer now: keep the token, the next refresh tells
  }
  if (!token || entry) {
    const body = entry || storedEntry();
    if (!body) {
      app.screen = "nocode";
      return render();
    }
    const joined = await enter(body);
    if (joined.problem) {
      if (following) {
        app.screen = "ready";
        showCodeError(joined.problem.join(" "));
      } else {
        app.screen = joined.screen;
        app.problem = joined.problem;
      }
      return render();
    }
    token = joined.token;
    via = joined.via;
    save("token", token);
    save("via", via);
    save("card", body.cardKey || null);
    showCodeError("");
    if (body.cardKey) {
      votesKnown = false; // a card may have voted already, on this phone or before a release
      app.scores = {};
      app.pick = null;
    } else {
      applyMine(null); // a new voter has no votes yet
      votesKnown = true;
    }
  }
  app.screen = "ready";
  render();
  if (live.isLive()) refresh(); // joined again while the hub stayed up: it will not sync again by itself
  outbox.flush();
  live.start();
}

/** The way in this phone has when it has no valid token: its ballot card, or the URL's room code. */
function storedEntry() {
  const card = via === "card" ? load("card", null) : null;
  return card ? { cardKey: card } : roomCode ? { roomCode } : null;
}

/** POST /api/voters until the server answers: { token, via } or { problem: [title, body], screen }. Waits as long as
 * a 429 asks (saying the server is busy), and backs off when the server cannot be reached. */
async function enter(body) {
  for (let attempt = 0; ; attempt++) {
    const joined = await request("POST", "/api/voters", { body: body.cardKey ? { ...body, device: deviceId() } : body });
    if ((joined.status === 201 || joined.status === 200) && joined.data?.token) {
      app.trouble = false;
      app.busyUntil = 0;
      return { token: joined.data.token, via: joined.data.via || (body.cardKey ? "card" : "screen") };
    }
    const refusal = refusalOf(joined.status, joined.data?.reason, !!body.cardKey);
    if (refusal) {
      app.trouble = false;
      app.busyUntil = 0;
      return refusal;
    }
    const busy = joined.status === 429 || joined.status === 503;
    const wait = retryDelayMs(joined, attempt);
    app.trouble = !busy;
    app.busyUntil = busy ? Date.now() + wait : 0;
    render();
    await delay(wait);
  }
}

function refusalOf(status, reason, card) {
  if (status === 410) {
    if (reason === "poster-revoked") return { screen: "refused", problem: [T.posterRevokedTitle, T.posterRevokedBody] };
    if (reason === "card-revoked") return { screen: "refused", problem: [T.cardRevokedTitle, T.cardRevokedBody] };
    return { screen: "stale", problem: [T.staleTitle, T.staleBody] };
  }
  if (status === 409) {
    return { screen: "refused", problem: reason === "card-moved" ? [T.cardMovedTitle, T.cardMovedBody] : [T.cardInUseTitle, T.cardInUseBody] };
  }
  if (status === 404 || status === 400) {
    return card ? { screen: "refused", problem: [T.unknownCardTitle, T.unknownCardBody] } : { screen: "unknown", problem: [T.unknownTitle, T.staleBody] };
  }
  return null;
}

let joining = null;
function rejoin() {
  if (joining) return;
  token = null;
  save("token", null);
  joining = join().finally(() => {
    joining = null;
  });
}

let refreshing = null;
let refreshAgain = false;

/** The full state: GetShow (HTTP when the hub is down), GET /api/voting, /api/votes, /api/results. */
function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      await refreshOnce();
    } while (refreshAgain);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function refreshOnce() {
  if (app.screen !== "ready") return;
  const seen = { ...pushes };
  const askVotes = token && !votesKnown;
  votesKnown = false;
  const [show, voting, mine, results] = await Promise.all([
    live.getShow().then(async (state) => state ?? (await request("GET", "/api/show")).data),
    request("GET", "/api/voting"),
    askVotes ? request("GET", "/api/votes", { token }) : null,
    request("GET", "/api/results"),
  ]);
  if (show && typeof show.sequence === "number") applyShow(show);
  // A push that arrived while these were on their way is at least as new: keep it.
  if (voting.status === 200 && pushes.voting === seen.voting) applyVoting(voting.data);
  if (results.status === 200 && pushes.results === seen.results) applyResults(results.data);
  if (mine?.status === 200) applyMine(mine.data);
  else if (mine?.status === 401) rejoin();
  if (app.voting && !app.finalists) applyVoting(app.voting);
  document.body.dataset.synced = String(Number(document.body.dataset.synced || 0) + 1);
}

let finalistsLoading = false;
async function loadFinalists() {
  if (finalistsLoading) return;
  finalistsLoading = true;
  for (let attempt = 0; !app.finalists; attempt++) {
    const response = await request("GET", "/api/finalists");
    if (response.status === 200 && Array.isArray(response.data)) {
      app.finalists = response.data;
      render();
      break;
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) break; // not offered (yet)
    await delay(retryDelayMs(response, attempt));
  }
  finalistsLoading = false;
}

// --- Reading the state ----------------------------------------------------------------------------------------------

const scoreMax = () => app.voting?.scoreMax ?? 5;
const scoreMin = () => app.voting?.scoreMin ?? 1;
/** The contest votes with ballot cards and this phone did not join with one: it follows the show, it does not vote. */
const needsCard = () => !!app.voting?.requireCards && via !== "card";

function findEntry(id) {
  if (app.show?.entry?.id === id) return app.show.entry;
  for (const category of app.voting?.categories || []) {
    const found = category.votableEntries.find((e) => e.id === id);
    if (found) return found;
  }
  return (app.finalists || []).find((e) => e.id === id) || null;
}

/** open | notOpen | closed | disqualified | unknown */
function entryStatus(entry) {
  const category = app.voting?.categories.find((c) => c.categoryId === entry.categoryId);
  if (!category) return "unknown";
  if (category.status === "closed") return "closed";
  if (category.votableEntries.some((e) => e.id === entry.id)) return "open";
  return category.status === "open" ? "disqualified" : "notOpen";
}

const offline = () => navigator.onLine === false || outbox.isFailing();
const joinNames = (list) => (list || []).filter(Boolean).join(T.and);

// --- The page -------------------------------------------------------------------------------------------------------

const ui = {};

function skeleton() {
  const root = document.getElementById("app");
  ui.conn = el("p.conn", { "data-state": "connecting" });
  ui.waiting = el("p.waiting", { hidden: true });
  ui.live = el("p.sr-only", { role: "status", "aria-live": "polite", "aria-atomic": "true" });
  ui.notice = el("section.card.notice", { "aria-labelledby": "notice-h", hidden: true });
  ui.cardNote = el("section.card.card-note", { "aria-labelledby": "card-note-h" });
  buildCodeForm();
  ui.now = el("section.card.now", { "aria-labelledby": "now-h" });
  ui.bis = el("section.card.bis", { "aria-labelledby": "bis-h" });
  ui.results = el("section.card.results", { "aria-labelledby": "results-h" });
  ui.earlier = el("section.earlier", { "aria-labelledby": "earlier-h" });
  ui.main = el("main#main");
  replace(
    root,
    el(
      "header.top",
      null,
      el("h1.brand", null, el("span.brand-name", null, T.appTitle), el("span.brand-sub", null, T.appSubtitle)),
      ui.conn,
    ),
    ui.main,
  );
  buildBis();
}

let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    draw();
  });
}

function draw() {
  // For people who script the page (and the tests): what it is showing, and how many full refreshes it has done.
  document.body.dataset.screen = app.screen;
  document.body.dataset.conn = app.conn;
  drawConnection();
  if (app.screen !== "ready") {
    drawNotice();
    sync(ui.main, [ui.waiting, ui.notice, ui.live]);
    return;
  }
  const ballotOpen = app.voting?.bestInShowMethod === "ballot" && app.voting.bestInShow === "open";
  const ballotClosed = app.voting?.bestInShowMethod === "ballot" && app.voting.bestInShow === "closed";
  const hasResults = !!app.results && (app.results.categories.length > 0 || !!app.results.bestInShow || !!app.results.awards);
  if (needsCard()) drawCardNote();
  drawNow();
  drawEarlier();
  if (ballotOpen || ballotClosed) drawBis(ballotOpen);
  if (hasResults) drawResults();
  drawWaiting();
  sync(ui.main, [
    ui.waiting,
    needsCard() && ui.cardNote,
    ballotOpen && ui.bis,
    hasResults && ui.results,
    ui.now,
    ui.earlier.childElementCount > 0 && ui.earlier,
    ballotClosed && ui.bis,
    ui.live,
  ]);
}

function drawConnection() {
  ui.conn.hidden = app.screen !== "ready";
  const state = navigator.onLine === false ? "offline" : app.conn;
  ui.conn.setAttribute("data-state", state);
  const label = { live: T.live, connecting: T.connecting, reconnecting: T.reconnecting, offline: T.offline }[state];
  if (ui.conn.textContent !== label) replace(ui.conn, icon(state === "offline" ? "offline" : "live"), el("span", null, label));
}

function drawWaiting() {
  const count = pendingCount();
  ui.waiting.hidden = count === 0;
  if (count > 0) replace(ui.waiting, icon("clock"), el("span", null, T.waiting(count)));
}

function drawNotice() {
  const [title, body] =
    app.screen === "joining"
      ? [T.joining, app.busyUntil ? T.busyJoin(Math.max(1, Math.round((app.busyUntil - Date.now()) / 1000))) : app.trouble ? T.cannotReach : T.loading]
      : app.screen === "nocode"
        ? [T.appTitle, T.noCode]
        : app.problem;
  ui.notice.hidden = false;
  const key = `${app.screen}|${title}|${body}`;
  if (ui.notice.dataset.key === key) return;
  ui.notice.dataset.key = key;
  const problem = app.screen !== "joining";
  ui.notice.className = `card notice${problem ? " problem" : ""}`;
  replace(
    ui.notice,
    problem ? icon("lock", "big") : icon("live", "big pulse"),
    el("h2#notice-h", null, title),
    el("p", null, body),
    problem ? ui.codeForm : null,
  );
}

function drawCardNote() {
  if (ui.cardNote.contains(ui.codeForm)) return;
  replace(ui.cardNote, el("h2#card-note-h", null, icon("lock"), el("span", null, T.needCardTitle)), el("p", null, T.needCardBody), ui.codeForm);
}

// The code box ---------------------------------------------------------------------------------------------------------

function buildCodeForm() {
  ui.codeInput = el("input#code.code-input", {
    type: "text",
    autocomplete: "off",
    autocapitalize: "characters",
    autocorrect: "off",
    spellcheck: "false",
    enterkeyhint: "go",
    maxlength: "40",
    "aria-describedby": "code-hint code-error",
  });
  ui.codeError = el("p#code-error.code-error", { role: "alert" });
  ui.codeForm = el(
    "form.code-form",
    { novalidate: true, onsubmit: submitCode },
    el("label", { for: "code" }, T.codeLabel),
    el("p#code-hint.muted", null, T.codeHint),
    el("div.code-row", null, ui.codeInput, el("button.join", { type: "submit" }, T.codeJoin)),
    ui.codeError,
  );
}

function submitCode(event) {
  event.preventDefault();
  const parsed = parseCode(ui.codeInput.value);
  const message =
    parsed.error === "empty"
      ? T.codeEmpty
      : parsed.error === "lookAlike"
        ? T.codeLookAlike(parsed.char, parsed.group)
        : parsed.error === "other"
          ? T.codeOther(parsed.char)
          : parsed.error === "length"
            ? T.codeLength(parsed.length)
            : app.screen === "ready" && parsed.roomCode
              ? T.codeNeedCard
              : "";
  showCodeError(message);
  if (message) {
    ui.codeInput.focus();
    return;
  }
  if (joining) return;
  joining = join(parsed).finally(() => {
    joining = null;
  });
}

function showCodeError(message) {
  text(ui.codeError, message);
  ui.codeError.hidden = !message;
  if (message) ui.codeInput.setAttribute("aria-invalid", "true");
  else ui.codeInput.removeAttribute("aria-invalid");
}

// Now playing ----------------------------------------------------------------------------------------------------------

const nowParts = {};
function drawNow() {
  const show = app.show;
  const phase = show?.phase || "idle";
  const entry = show?.entry || null;
  if (!nowParts.head) {
    nowParts.head = el("h2#now-h.eyebrow");
    nowParts.body = el("div.now-body");
    append(ui.now, nowParts.head, nowParts.body);
  }
  // The projector stopped reporting: say so instead of presenting what it last showed as what is on screen.
  const lost = show?.projector === "lost" && phase !== "idle";
  const label = lost ? T.lostTitle : T.phase[phase] || T.nowTitle;
  if (nowParts.head.textContent !== label) replace(nowParts.head, icon(phase === "video" && !lost ? "play" : "film"), el("span", null, label));
  ui.now.dataset.phase = phase;
  ui.now.dataset.projector = lost ? "lost" : "live";
  if (lost && !entry) {
    if (nowParts.body.dataset.key !== "lost") {
      nowParts.body.dataset.key = "lost";
      replace(nowParts.body, el("p.now-message", null, T.lostBody));
    }
    return;
  }
  if (!entry) {
    const categoryName = app.voting?.categories.find((c) => c.categoryId === show?.categoryId)?.name;
    const message =
      phase === "categoryCard" && categoryName
        ? T.categoryCardBody(categoryName)
        : phase === "intermission"
          ? T.intermissionBody
          : phase === "difficulties"
            ? T.difficultiesBody
            : phase === "blackout"
              ? T.blackoutBody
              : phase === "endCard" || phase === "winner"
                ? T.endBody
                : T.idleBody;
    if (nowParts.body.dataset.key !== `msg|${message}`) {
      nowParts.body.dataset.key = `msg|${message}`;
      replace(nowParts.body, el("p.now-message", null, message), message === T.idleBody ? el("p.muted", null, T.idleHint) : null);
    }
    return;
  }
  if (nowParts.body.dataset.key !== `entry|${entry.id}|${lost}`) {
    nowParts.body.dataset.key = `entry|${entry.id}|${lost}`;
    nowParts.rater = createRater("now", entry);
    replace(
      nowParts.body,
      lost ? el("p.now-message", null, T.lostBody) : null,
      el("p.chip", null, entry.category),
      ...entryDetails(entry, "h3.title", "now-title"),
      nowParts.rater.root,
    );
  }
  nowParts.rater.update(entry);
}

function entryDetails(entry, titleSpec, titleId) {
  const music = entry.musicArtist || entry.musicTitle ? T.music(entry.musicArtist || "", entry.musicTitle || "") : null;
  return [
    el(titleSpec, { id: titleId }, entry.title),
    entry.editors?.length ? el("p.meta", null, icon("person"), el("span", null, T.by(joinNames(entry.editors)))) : null,
    music ? el("p.meta", null, icon("music"), el("span", null, music)) : null,
    entry.sources?.length ? el("p.meta", null, icon("film"), el("span", null, T.from(joinNames(entry.sources)))) : null,
    entry.contentNote ? el("p.meta.note", null, icon("info"), el("span", null, entry.contentNote)) : null,
  ];
}

// Rating ---------------------------------------------------------------------------------------------------------------

/** Star buttons and the status line for one entry (kept across renders so focus stays on the star tapped). */
function createRater(context, entry) {
  const titleId = context === "now" ? "now-title" : `e${entry.id}-title`;
  const stars = el("div.stars");
  const status = el("p.status");
  const root = el("div.rater", { role: "group", "aria-labelledby": titleId }, stars, status);
  let built = "";
  let current = entry;

  function build() {
    const min = scoreMin();
    const max = scoreMax();
    const buttons = [];
    for (let n = min; n <= max; n++) {
      buttons.push(
        el(
          "button.star",
          {
            type: "button",
            "data-score": n,
            "aria-label": T.rate(n, max, current.title),
            onclick: () => {
              delete app.refusals[current.id];
              outbox.vote(current.id, n);
            },
          },
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
    const max = scoreMax();
    const key = `${scoreMin()}-${max}-${entry.title}`;
    if (built !== key) {
      built = key;
      build();
    }
    const state = entryStatus(entry);
    const pending = pendingVote(entry.id);
    const saved = app.scores[entry.id];
    const refusal = app.refusals[entry.id];
    const shown = pending ? pending.score : saved;
    for (const button of stars.children) {
      const n = Number(button.dataset.score);
      button.setAttribute("aria-pressed", String(n === shown));
      button.classList.toggle("on", shown != null && n <= shown);
    }
    const locked = needsCard();
    stars.hidden = state !== "open" || locked;
    let kind;
    let message;
    const busy = outbox.busyFor();
    if (pending) {
      [kind, message] = [
        "wait",
        outbox.isBusy() ? T.keptBusy(pending.score, max)
          : busy ? T.busySending(pending.score, max, busy)
          : offline() ? T.keptOffline(pending.score, max) : T.sending(pending.score, max),
      ];
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

const STATUS_ICONS = { ok: "check", wait: "clock", bad: "cross", lock: "lock", clock: "clock", info: "star" };
function setStatus(node, kind, message) {
  if (node.dataset.kind === kind && node.textContent === message) return;
  node.dataset.kind = kind;
  node.className = `status ${kind}`;
  replace(node, icon(STATUS_ICONS[kind]), el("span", null, message));
}

// Earlier entries (late joiners) --------------------------------------------------------------------------------------

const categoryBlocks = new Map();
const entryItems = new Map();
function drawEarlier() {
  const nowId = app.show?.entry?.id;
  const blocks = [];
  const time = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit" });
  for (const category of app.voting?.categories || []) {
    if (category.status === "closed") continue;
    const entries = category.votableEntries.filter((e) => e.id !== nowId);
    if (entries.length === 0) continue;
    let block = categoryBlocks.get(category.categoryId);
    if (!block) {
      block = { root: el("div.card.category"), head: el("h3"), closes: el("p.closes"), list: el("ul.entries") };
      append(block.root, [block.head, block.closes, block.list]);
      categoryBlocks.set(category.categoryId, block);
    }
    text(block.head, category.name);
    block.closes.hidden = !category.closesAt;
    if (category.closesAt) replace(block.closes, icon("clock"), el("span", null, T.closesAt(time.format(new Date(category.closesAt)))));
    sync(
      block.list,
      entries.map((entry) => {
        let item = entryItems.get(entry.id);
        if (!item || item.title !== entry.title) {
          const rater = createRater("list", entry);
          item = { title: entry.title, rater, root: el("li.entry", null, ...entryDetails(entry, "p.entry-title", `e${entry.id}-title`).slice(0, 2), rater.root) };
          entryItems.set(entry.id, item);
        }
        item.rater.update(entry);
        return item.root;
      }),
    );
    blocks.push(block.root);
  }
  if (blocks.length === 0) {
    ui.earlier.replaceChildren();
    return;
  }
  if (!ui.earlier.firstChild || ui.earlier.firstChild.id !== "earlier-h") {
    replace(ui.earlier, el("h2#earlier-h.section-title", null, T.earlierTitle), el("p.muted", null, T.earlierBody));
  }
  sync(ui.earlier, [ui.earlier.children[0], ui.earlier.children[1], ...blocks]);
}

// Best In Show ---------------------------------------------------------------------------------------------------------

const bis = {};
function buildBis() {
  bis.search = el("input#bis-q.search", {
    type: "search",
    autocomplete: "off",
    enterkeyhint: "search",
    oninput: () => filterBis(),
  });
  bis.count = el("p.muted.count", { "aria-live": "polite" });
  bis.status = el("p.status");
  bis.lists = el("div.bis-lists");
  bis.none = el("p.muted", { hidden: true }, T.bisNone);
  bis.intro = el("p", null, T.bisBody);
  bis.searchBox = el(
    "div.search-box",
    null,
    el("label", { for: "bis-q" }, icon("search"), el("span", null, T.bisSearch)),
    bis.search,
  );
  append(ui.bis, [el("h2#bis-h.section-title", null, icon("trophy"), el("span", null, T.bisTitle)), bis.intro, bis.status, bis.searchBox, bis.count, bis.lists, bis.none]);
  bis.items = [];
  bis.built = null;
}

function drawBis(ballotOpen) {
  const open = ballotOpen && !needsCard();
  const pending = pendingPick();
  const chosen = pending ? pending.entryId : app.pick;
  const chosenTitle = chosen != null ? findEntry(chosen)?.title ?? "…" : null;
  bis.intro.hidden = !open;
  bis.searchBox.hidden = !open;
  bis.lists.hidden = !open;
  bis.count.hidden = !open;
  ui.bis.dataset.state = open ? "open" : "closed";
  if (!open) bis.none.hidden = true;
  const refusal = app.refusals.pick;
  const busy = outbox.busyFor();
  if (pending) {
    setStatus(bis.status, "wait", outbox.isBusy() ? T.bisKeptBusy(chosenTitle)
      : busy ? T.bisBusy(chosenTitle, busy) : offline() ? T.bisKept(chosenTitle) : T.bisSending(chosenTitle));
  }
  else if (ballotOpen && !open) setStatus(bis.status, "lock", T.needCard);
  else if (refusal) setStatus(bis.status, "bad", T.refused[refusal] || T.refused.other);
  else if (!open) setStatus(bis.status, "lock", chosenTitle ? T.bisClosedPick(chosenTitle) : T.bisClosed);
  else if (chosenTitle) setStatus(bis.status, "ok", T.bisSaved(chosenTitle));
  else if (!app.finalists) setStatus(bis.status, "clock", T.bisLoading);
  else setStatus(bis.status, "info", T.bisBody);
  bis.status.hidden = open && !chosenTitle && !pending && !refusal && !!app.finalists;
  if (!open || !app.finalists) return;
  if (bis.built !== app.finalists) {
    bis.built = app.finalists;
    bis.items = [];
    const groups = new Map();
    for (const entry of app.finalists) {
      if (!groups.has(entry.categoryId)) groups.set(entry.categoryId, { name: entry.category, entries: [] });
      groups.get(entry.categoryId).entries.push(entry);
    }
    const blocks = [];
    for (const [categoryId, group] of groups) {
      const list = el("ul.picks");
      const block = el("div.bis-category", null, el("h3", { id: `bis-c${categoryId}` }, group.name), list);
      for (const entry of group.entries) {
        const badge = el("span.badge", null, icon("check"), el("span", null, T.bisYourPick));
        const button = el(
          "button.pick",
          {
            type: "button",
            onclick: () => {
              delete app.refusals.pick;
              outbox.pick(entry.id);
            },
          },
          el("span.pick-title", null, entry.title),
          entry.editors?.length ? el("span.pick-by", null, T.by(joinNames(entry.editors))) : null,
          badge,
        );
        const item = el("li", null, button);
        const haystack = [entry.title, entry.category, ...(entry.editors || []), entry.musicArtist, entry.musicTitle, ...(entry.sources || [])]
          .filter(Boolean)
          .join(" ");
        bis.items.push({ entry, item, button, block, haystack: normalize(haystack) });
        list.append(item);
      }
      blocks.push(block);
    }
    replace(bis.lists, ...blocks);
    filterBis();
  }
  for (const { entry, button } of bis.items) {
    button.setAttribute("aria-pressed", String(entry.id === chosen));
  }
}

const normalize = (value) => String(value).normalize("NFKC").toLowerCase();

function filterBis() {
  const words = normalize(bis.search.value).split(/\s+/).filter(Boolean);
  const visible = new Map();
  let shown = 0;
  for (const { item, block, haystack } of bis.items) {
    const match = words.every((w) => haystack.includes(w));
    item.hidden = !match;
    if (match) shown++;
    visible.set(block, (visible.get(block) || false) || match);
  }
  for (const [block, any] of visible) block.hidden = !any;
  bis.none.hidden = shown > 0;
  text(bis.count, T.bisMatches(shown));
}

// Results --------------------------------------------------------------------------------------------------------------

let resultsDrawn = null;
function drawResults() {
  const results = app.results;
  if (resultsDrawn === results) return;
  resultsDrawn = results;
  const winner = (entry, extra) =>
    el(
      "div.winner-entry",
      null,
      el("p.winner-title", null, entry.title),
      entry.editors?.length ? el("p.meta", null, icon("person"), el("span", null, T.by(joinNames(entry.editors)))) : null,
      extra,
    );
  replace(
    ui.results,
    el("h2#results-h.section-title", null, icon("trophy"), el("span", null, T.resultsTitle)),
    results.bestInShow
      ? el("div.bis-winner", null, el("h3.eyebrow", null, T.resultsBestInShow), winner(results.bestInShow.winner))
      : null,
    results.categories.length
      ? [
          el("h3", null, T.resultsCategories),
          el(
            "ul.winners",
            null,
            results.categories.map((c) => el("li", null, el("p.prize", null, c.name), winner(c.winner))),
          ),
        ]
      : null,
    results.awards?.awards.length
      ? [
          el("h3", null, T.resultsAwards),
          el(
            "ul.winners",
            null,
            results.awards.awards.map((a) => el("li", null, el("p.prize", null, a.name), winner(a.entry, a.note ? el("p.meta", null, a.note) : null))),
          ),
        ]
      : null,
  );
}

// Live region ----------------------------------------------------------------------------------------------------------

function announce(message) {
  // The same message twice must be heard twice: change the text even when it is equal.
  ui.live.textContent = ui.live.textContent === message ? `${message}\u00a0` : message;
}

function append(node, ...children) {
  for (const child of children.flat()) if (child) node.append(child);
}

// --- Start -------------------------------------------------------------------------------------------------------------

skeleton();
render();

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  if (live.isLive()) refresh();
  else if (app.screen === "ready") live.kick();
  outbox.retryNow();
});
window.addEventListener("pageshow", (event) => {
  if (event.persisted && app.screen === "ready") {
    live.kick();
    refresh();
  }
});
window.addEventListener("online", () => {
  render();
  outbox.retryNow();
  if (app.screen === "ready") live.kick();
});
window.addEventListener("offline", () => render());
window.addEventListener("storage", (event) => {
  if (event.key === "amv.outbox") render(); // another tab of the same phone voted
});

joining = join().finally(() => {
  joining = null;
});
