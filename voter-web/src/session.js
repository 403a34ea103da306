// Talking to the server: joining (the room code in the link, a typed room or poster code, a ballot card, the stored
// token), the hub's pushes, the full refresh after every (re)connect or wake, the Best In Show finalists, and the outbox
// that sends ballots. It changes the state only through state.js; the views draw what follows.

import { createLive } from "./live.js"; // first: see main.js
import { createOutbox } from "./outbox.js";
import * as app from "./state.js";
import { T, phaseLabel, revealText } from "./lang.js";
import { newReveal } from "./podium.js";
import { delay, delayUntilOnline, load, networkMark, oneAtATime, request, retryDelayMs } from "./net.js";
import { cardInLink, codeInPath, deviceId } from "./codes.js";
import { announce } from "./views/announce.js";
import { followVoting } from "./voting.js";

const roomCode = codeInPath(location.pathname); // from the QR of the screen or a poster: /v/{code}

// A ballot card's QR opens /v#card=KEY: the key comes in the fragment (which no server or proxy log sees) and leaves
// the address bar at once.
const linkCard = cardInLink(location.hash);
if (/card=/.test(location.hash)) history.replaceState(null, "", location.pathname + location.search);

const pushes = { show: 0, results: 0, saved: 0 }; // pushes and confirmed ballots: a refresh's answers never replace newer ones
let votesKnown = false; // join has just learned this phone's votes: the refresh right after need not ask again

const outbox = createOutbox({
  token: () => (app.screen === "ready" ? app.token : null),
  confirmed(kind, entryId, value) {
    pushes.saved++;
    const entry = app.findEntry(kind === "vote" ? entryId : value);
    if (kind === "vote") app.confirmVote(entryId, value);
    else app.confirmPick(value);
    if (entry) announce(kind === "vote" ? T.savedAnnounce(value, app.scoreMax(), entry.title) : T.bisSaved(entry.title));
  },
  held(kind, entryId, value) {
    // Said once per ballot, not at every retry; a busy server's wait is shown beside the ballot, not announced.
    const entry = app.findEntry(kind === "vote" ? entryId : value);
    if (entry) announce(kind === "vote" ? T.keptAnnounce(value, app.scoreMax(), entry.title) : T.bisKept(entry.title));
  },
  refused(kind, entryId, reason) {
    // (a vote without a ballot card in card mode comes back as "card-required")
    app.setRefusal(kind === "vote" ? entryId : "pick", reason);
    announce(T.refused[reason] || T.refused.other);
  },
  unauthorized: () => rejoin(),
  changed: app.render,
});

/** A hub push: counted (see `pushes`), then taken. */
const pushed = (kind, take) => (value) => {
  pushes[kind]++;
  take(value);
};

// Voting comes as numbered changes; a change that does not follow the version held makes it fetch the snapshot.
const voting = followVoting({
  held: () => app.voting,
  take: takeVoting,
  fetchSnapshot: () => request("GET", "/api/voting"),
});

const live = createLive({
  show: pushed("show", takeShow),
  voting: voting.change,
  results: pushed("results", takeResults),
  state: app.setConn,
  synced: () => {
    refresh();
    outbox.retryNow();
  },
});

function takeShow(state) {
  const before = app.show?.entry?.id;
  if (!app.setShow(state)) return;
  if (state.entry && state.entry.id !== before && app.screen === "ready") {
    announce(`${phaseLabel(state.phase, state.entry)}: ${state.entry.title}`);
  }
}

function takeVoting(snapshot) {
  app.setVoting(snapshot);
  app.setContestName(snapshot.contestName);
  if (snapshot.bestInShowMethod === "ballot" && snapshot.bestInShow !== "notOpen" && !app.finalists) loadFinalists();
}

/** Results pushed or fetched: a reveal the phone had not seen yet is said to screen readers (the latest of them), unless
 * these are the first results the page gets (what was revealed before it opened is on the page, not news). */
function takeResults(results) {
  const reveal = app.results && newReveal(app.results, results);
  if (reveal) announce(revealText(reveal));
  app.setResults(results);
}

// --- Joining ------------------------------------------------------------------------------------------------------

/**
 * Joins. With what was typed in the code box or the card in the link, when given; else with the stored token when it
 * is still valid (whatever the URL's code), else with the stored ballot card or the URL's room code. Typed in the card
 * box of a phone already following the show, a refusal leaves the phone as it was and is said beside the box.
 */
async function join(entry = linkCard ? { cardKey: linkCard } : null) {
  const following = app.screen === "ready" && !!app.token;
  app.setScreen("joining");
  if (app.token && !entry) {
    const mine = await request("GET", "/api/votes", { token: app.token });
    if (mine.status === 401) {
      app.forgetToken();
    } else if (mine.status === 200) {
      app.setMine(mine.data);
      votesKnown = true;
    } // no answer now: keep the token, the next refresh tells
  }
  if (!app.token || entry) {
    const body = entry || storedEntry();
    if (!body) {
      learnContestName();
      return app.setScreen("nocode");
    }
    const joined = await enter(body);
    if (joined.problem) {
      if (!following) {
        learnContestName();
        return app.refuseJoin(joined.screen, joined.problem);
      }
      app.setScreen("ready");
      return app.setCodeError(joined.problem.join(" "));
    }
    app.setVoter(joined.token, joined.via, body.cardKey || null);
    app.setCodeError("");
    app.setMine(null); // a new voter has no votes yet
    votesKnown = !body.cardKey; // but a card may have voted already, on this phone or before a release
  }
  app.setScreen("ready");
  if (live.isLive()) refresh(); // joined again while the hub stayed up: it will not sync again by itself
  outbox.flush();
  live.start();
}

/** The way in this phone has when it has no valid token: its ballot card, or the URL's room code. */
function storedEntry() {
  const card = app.via === "card" ? load("card", null) : null;
  return card ? { cardKey: card } : roomCode ? { roomCode } : null;
}

/** POST /api/voters until the server answers: { token, via } or { problem: [title, body], screen }. Waits as long as
 * a 429 asks (saying the server is busy), and backs off when the server cannot be reached. */
async function enter(body) {
  for (let attempt = 0; ; attempt++) {
    const mark = networkMark();
    const joined = await request("POST", "/api/voters", { body: body.cardKey ? { ...body, device: deviceId() } : body });
    const answer =
      (joined.status === 201 || joined.status === 200) && joined.data?.token
        ? { token: joined.data.token, via: joined.data.via || (body.cardKey ? "card" : "screen") }
        : refusalOf(joined.status, joined.data?.reason, !!body.cardKey);
    if (answer) {
      app.setJoinWait(false, 0);
      return answer;
    }
    const busy = joined.status === 429 || joined.status === 503;
    const wait = retryDelayMs(joined, attempt);
    app.setJoinWait(!busy, busy ? Date.now() + wait : 0);
    // Unreachable: try again the moment the network returns, not at the next backoff step. A busy server's wait holds.
    await (busy ? delay(wait) : delayUntilOnline(wait, mark));
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

/** Not following the show (no code, a refused code): the page still says whose contest this is (the voting snapshot
 * is public; nothing else of it is taken). */
async function learnContestName() {
  const answer = await request("GET", "/api/voting");
  if (answer.status === 200) app.setContestName(answer.data?.contestName);
}

const joinOnce = oneAtATime(join);

/** The server no longer knows the token: join again (unless a join is under way). */
function rejoin() {
  if (joinOnce.busy()) return;
  app.forgetToken();
  joinOnce();
}

// --- Catching up --------------------------------------------------------------------------------------------------

/** The full state: GetShow and GetResults over the hub (over HTTP when it is down), GET /api/voting (voting.js),
 * /api/votes. */
const refresh = oneAtATime(async () => {
  if (app.screen !== "ready") return;
  const seen = { ...pushes };
  const askVotes = app.token && !votesKnown;
  votesKnown = false;
  const [show, , mine, results] = await Promise.all([
    overHub("GetShow", "/api/show"),
    voting.fetch(),
    askVotes ? request("GET", "/api/votes", { token: app.token }) : null,
    overHub("GetResults", "/api/results"),
  ]);
  if (show && typeof show.sequence === "number") takeShow(show);
  // A push that arrived while these were on their way is at least as new: keep it.
  if (results && pushes.results === seen.results) takeResults(results);
  // A ballot confirmed while GET /api/votes was on its way is newer than its answer: keep it (a later refresh asks again).
  if (mine?.status === 200 && pushes.saved === seen.saved) app.setMine(mine.data);
  else if (mine?.status === 401) rejoin();
  if (app.voting && !app.finalists) takeVoting(app.voting);
  app.markSynced();
}, true);

/** A hub method's answer, or when the hub gives none the same over HTTP (`path`); null when neither answers. */
async function overHub(method, path) {
  const answer = await live.ask(method);
  if (answer) return answer;
  const response = await request("GET", path);
  return response.status === 200 ? response.data : null;
}

/** GET /api/finalists (the Best In Show ballot) until it comes, or the server says it is not offered. */
const loadFinalists = oneAtATime(async () => {
  for (let attempt = 0; !app.finalists; attempt++) {
    const response = await request("GET", "/api/finalists");
    if (response.status === 200 && Array.isArray(response.data)) return app.setFinalists(response.data);
    if (response.status >= 400 && response.status < 500 && response.status !== 429) return; // not offered (yet)
    await delay(retryDelayMs(response, attempt));
  }
});

// --- For the views ------------------------------------------------------------------------------------------------

/** Joins with what was typed in the code box ({ roomCode } or { cardKey }), unless a join is under way. */
export const joinWith = (code) => joinOnce(code);

/** A tap on a star: queued in the outbox and sent. */
export function vote(entryId, score) {
  app.setRefusal(entryId, null);
  outbox.vote(entryId, score);
}

/** A tap on a Best In Show finalist. */
export function pickBestInShow(entryId) {
  app.setRefusal("pick", null);
  outbox.pick(entryId);
}

const offline = () => navigator.onLine === false || outbox.isFailing();

/** What to say of a ballot still on the phone: one of `forms` [the server is full, it asked to wait N s, no answer,
 * sending], each a function of `args` (the waiting one also of N). */
export function pendingText([full, waiting, unsent, sending], ...args) {
  const wait = outbox.busyFor();
  return outbox.isBusy() ? full(...args) : wait ? waiting(...args, wait) : offline() ? unsent(...args) : sending(...args);
}

// --- Start --------------------------------------------------------------------------------------------------------

/** Joins and follows the show; catches up whenever the page is seen again or the network returns. */
export function start() {
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
    app.render();
    outbox.retryNow();
    if (app.screen === "ready") live.kick();
  });
  window.addEventListener("offline", () => app.render());
  window.addEventListener("storage", (event) => {
    if (event.key === "amv.outbox") app.render(); // another tab of the same phone voted
  });
  joinOnce();
}
