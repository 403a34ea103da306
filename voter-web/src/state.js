// What the page shows, all of it here. Each piece is a `let` exported as a live binding: any module reads it
// (`import * as app from "./state.js"`, then `app.show`), no other module can assign it (imports are read-only: esbuild
// refuses to build such an assignment). It changes only through the named functions below, and each of them schedules
// one draw of the page (several changes in a row draw once, after the last). The session's own bookkeeping (requests
// under way, pushes counted) stays in session.js; the views keep only their DOM nodes.

import { load, save } from "./net.js";
import { revealsOf } from "./podium.js";

/** joining | ready | stale | unknown | refused | nocode */
export let screen = "joining";
/** [title, body] of a refused join */
export let problem = null;
/** Joining could not reach the server (yet). */
export let trouble = false;
/** Joining got a 429 or 503: the server asked to wait until then (ms since the epoch); else 0. */
export let busyUntil = 0;
/** The hub: connecting | live | reconnecting */
export let conn = "connecting";
export let show = null; // ShowState
export let voting = null; // VotingSnapshot
export let results = null; // PublicResults
export let scores = {}; // entry id → score the server holds
export let pick = null; // Best In Show pick the server holds
export let refusals = {}; // entry id (or "pick") → why the server refused the last ballot
export let finalists = null; // EntrySummary[] for the Best In Show ballot
export let token = load("token", null); // this phone's voter token
export let via = load("via", null); // how this phone joined: screen | poster | card
/** The contest's own name (from the voting snapshot; kept on the phone for the next opening, offline too), or null. */
export let contestName = load("contest", null);
/** What is wrong with the code typed in the code box: null before anything was checked, "" when nothing is. */
export let codeError = null;
/** Full refreshes done (shown as body[data-synced] for people who script the page, and the tests). */
export let synced = 0;

// --- Drawing ------------------------------------------------------------------------------------------------------

let draw = () => {};
let queued = false;

/** The function that draws the page from this state (main.js). */
export function onChange(drawPage) {
  draw = drawPage;
}

/** Draws the page once the current turn is done: after a change here, or in what the page also shows (the outbox, the
 * network). */
export function render() {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    draw();
  });
}

// --- Changes ------------------------------------------------------------------------------------------------------

export function setScreen(next) {
  screen = next;
  render();
}

/** A join was refused: the screen that says so, and [title, body]. */
export function refuseJoin(next, why) {
  screen = next;
  problem = why;
  render();
}

/** While joining: whether the server could not be reached, and until when it asked to wait (0: it did not). */
export function setJoinWait(cannotReach, until) {
  trouble = cannotReach;
  busyUntil = until;
  render();
}

export function setConn(next) {
  conn = next;
  render();
}

/** Takes a show state unless it is older than the one held (a push and a refresh can cross). True when taken. */
export function setShow(next) {
  if (!next || (show && next.sequence < show.sequence)) return false;
  show = next;
  render();
  return true;
}

export function setVoting(snapshot) {
  voting = snapshot;
  render();
}

export function setResults(next) {
  results = next;
  render();
}

export function setFinalists(list) {
  finalists = list;
  render();
}

/** The ballots the server holds for this phone (`GET /api/votes`); null: none (a new voter). */
export function setMine(mine) {
  scores = { ...(mine?.scores || {}) };
  pick = mine?.bestInShow ?? null;
  render();
}

export function confirmVote(entryId, score) {
  scores[entryId] = score;
  delete refusals[entryId];
  render();
}

export function confirmPick(entryId) {
  pick = entryId;
  delete refusals.pick;
  render();
}

/** Why the server refused the last ballot for `key` (an entry id, or "pick"); null forgets it (a new tap). */
export function setRefusal(key, reason) {
  if (reason) refusals[key] = reason;
  else delete refusals[key];
  render();
}

/** Joined: the token and how (screen, poster, card), kept on the phone with the card's key (null without one). */
export function setVoter(newToken, how, cardKey) {
  token = newToken;
  via = how;
  save("token", token);
  save("via", via);
  save("card", cardKey);
  render();
}

/** The server no longer knows the token (401): the phone joins again. */
export function forgetToken() {
  token = null;
  save("token", null);
  render();
}

/** The contest's name as the server gives it (the voting snapshot), kept on the phone. */
export function setContestName(name) {
  if (!name || name === contestName) return;
  contestName = name;
  save("contest", name);
  render();
}

export function setCodeError(message) {
  codeError = message;
  render();
}

export function markSynced() {
  synced++;
  render();
}

// --- Reading ------------------------------------------------------------------------------------------------------

export const scoreMax = () => voting?.scoreMax ?? 5;
export const scoreMin = () => voting?.scoreMin ?? 1;

/** The connection as the page shows it: offline (the phone has no network), else the hub's state. */
export const connection = () => (navigator.onLine === false ? "offline" : conn);

/** The contest votes with ballot cards and this phone did not join with one: it follows the show, it does not vote. */
export const needsCard = () => !!voting?.requireCards && via !== "card";

/** The Best In Show ballot as the page shows it: "open", "closed", or null (no ballot, or not open yet). */
export function ballot() {
  const status = voting?.bestInShowMethod === "ballot" ? voting.bestInShow : null;
  return status === "open" || status === "closed" ? status : null;
}

/** Something has been revealed (a reveal with a podium: podium.js). */
export const hasResults = () => revealsOf(results).length > 0;

export function findEntry(id) {
  if (show?.entry?.id === id) return show.entry;
  for (const category of voting?.categories || []) {
    const found = category.votableEntries.find((e) => e.id === id);
    if (found) return found;
  }
  return (finalists || []).find((e) => e.id === id) || null;
}

/** open | notOpen | closed | disqualified | unknown */
export function entryStatus(entry) {
  const category = voting?.categories.find((c) => c.categoryId === entry.categoryId);
  if (!category) return "unknown";
  if (category.status === "closed") return "closed";
  if (category.votableEntries.some((e) => e.id === entry.id)) return "open";
  return category.status === "open" ? "disqualified" : "notOpen";
}
