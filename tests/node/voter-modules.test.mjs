// The phone app's modules that need no page, run by Node's own test runner (no packages):
//   node --test tests/node/voter-modules.test.mjs
// The browser tests (tests/AmvScreening.Tests/Web/Voter*.cs) hold the whole app to its behaviour; these pin the rules
// the state and the session lean on. Each test imports its own copy of state.js (a fresh module per query string).

import assert from "node:assert/strict";
import { test } from "node:test";
import { codeInPath } from "../../voter-web/src/codes.js";
import { delayUntilOnline, oneAtATime, reconnectDelayMs, retryDelayMs } from "../../voter-web/src/net.js";
import { applyVotingChange, followVoting } from "../../voter-web/src/voting.js";
import { languages, pickLanguage } from "../../voter-web/src/lang/index.js";
import { newReveal, revealsOf } from "../../voter-web/src/podium.js";

let copies = 0;
const freshState = () => import(`../../voter-web/src/state.js?copy=${++copies}`);
// Not a sleep: a timer of 0 runs once every microtask queued before it has run (the draw, the next run of a task).
const afterMicrotasks = () => new Promise((resolve) => setTimeout(resolve, 0));

const voting = (categories, extra = {}) => ({ scoreMin: 1, scoreMax: 5, categories, ...extra });
const category = (categoryId, status, votableEntries) => ({ categoryId, name: `C${categoryId}`, status, votableEntries });

test("The state cannot be assigned from outside its module", async () => {
  const app = await freshState();
  assert.throws(() => {
    app.screen = "ready";
  }, TypeError);
  assert.equal(app.screen, "joining");
});

test("Several changes in one turn draw the page once, after the last", async () => {
  const app = await freshState();
  const drawn = [];
  app.onChange(() => drawn.push([app.screen, app.conn]));
  app.setScreen("ready");
  app.setConn("live");
  app.markSynced();
  assert.deepEqual(drawn, []);
  await afterMicrotasks();
  assert.deepEqual(drawn, [["ready", "live"]]);
});

test("A show state older than the one held is not taken (a refresh's answer crossing a push)", async () => {
  const app = await freshState();
  assert.equal(app.setShow(null), false);
  assert.equal(app.setShow({ sequence: 5, phase: "video" }), true);
  assert.equal(app.setShow({ sequence: 4, phase: "introSlate" }), false);
  assert.equal(app.show.phase, "video");
  assert.equal(app.setShow({ sequence: 5, phase: "paused" }), true);
  assert.equal(app.show.phase, "paused");
});

test("An entry's status follows its category: open, not open yet, closed, disqualified, unknown", async () => {
  const app = await freshState();
  const shown = { id: 1, categoryId: 1 };
  const dropped = { id: 2, categoryId: 1 };
  const later = { id: 3, categoryId: 2 };
  app.setVoting(voting([category(1, "open", [shown]), category(2, "notOpen", []), category(3, "closed", [])]));
  assert.equal(app.entryStatus(shown), "open");
  assert.equal(app.entryStatus(dropped), "disqualified");
  assert.equal(app.entryStatus(later), "notOpen");
  assert.equal(app.entryStatus({ id: 4, categoryId: 3 }), "closed");
  assert.equal(app.entryStatus({ id: 5, categoryId: 9 }), "unknown");
});

test("The Best In Show ballot shows only with the ballot method, once open", async () => {
  const app = await freshState();
  assert.equal(app.ballot(), null);
  for (const [method, status, expected] of [
    ["ballot", "notOpen", null],
    ["ballot", "open", "open"],
    ["ballot", "closed", "closed"],
    ["judges", "open", null],
  ]) {
    app.setVoting(voting([], { bestInShowMethod: method, bestInShow: status }));
    assert.equal(app.ballot(), expected, `${method}/${status}`);
  }
});

test("In card mode a phone that joined without a card follows but does not vote", async () => {
  const app = await freshState();
  app.setVoting(voting([], { requireCards: true }));
  app.setVoter("t1", "screen", null);
  assert.equal(app.needsCard(), true);
  app.setVoter("t2", "card", "ACEFHJKMNPRTWXY3");
  assert.equal(app.needsCard(), false);
  app.setVoting(voting([], { requireCards: false }));
  app.setVoter("t3", "poster", null);
  assert.equal(app.needsCard(), false);
});

test("A confirmed ballot forgets the refusal before it; a new tap forgets it too", async () => {
  const app = await freshState();
  app.setRefusal(7, "closed");
  app.setRefusal("pick", "ballot-not-open");
  app.confirmVote(7, 4);
  assert.equal(app.scores[7], 4);
  assert.equal(app.refusals[7], undefined);
  app.setRefusal("pick", null);
  assert.deepEqual(app.refusals, {});
  app.setMine({ scores: { 3: 2 }, bestInShow: 9 });
  assert.deepEqual([app.scores, app.pick], [{ 3: 2 }, 9]);
  app.setMine(null);
  assert.deepEqual([app.scores, app.pick], [{}, null]);
});

test("One run at a time: a call during a run gets that run", async () => {
  let runs = 0;
  let release;
  const task = oneAtATime(async (value) => {
    runs++;
    await new Promise((resolve) => (release = resolve));
    return value;
  });
  const first = task("a");
  const second = task("b");
  assert.equal(first, second);
  assert.equal(task.busy(), true);
  release();
  await first;
  assert.equal(runs, 1);
  assert.equal(task.busy(), false);
});

test("One run at a time, again: calls during a run ask for one more run after it, however many they are", async () => {
  let runs = 0;
  let release;
  const refresh = oneAtATime(async () => {
    runs++;
    await new Promise((resolve) => (release = resolve));
  }, true);
  const run = refresh();
  refresh();
  refresh();
  release();
  await afterMicrotasks();
  assert.equal(runs, 2);
  release();
  await run;
  assert.equal(runs, 2);
  assert.equal(refresh.busy(), false);
});

test("Retry-After is honoured on 429 and 503 (seconds or a date); otherwise the phone backs off", () => {
  assert.equal(retryDelayMs({ status: 429, retryAfter: "2" }, 0), 2000);
  assert.equal(retryDelayMs({ status: 503, retryAfter: "0" }, 0), 1000);
  const date = retryDelayMs({ status: 503, retryAfter: new Date(Date.now() + 10000).toUTCString() }, 0);
  assert.ok(date > 8000 && date <= 10000, String(date));
  for (const response of [{ status: 0, retryAfter: null }, { status: 500, retryAfter: "60" }, { status: 429, retryAfter: null }]) {
    const wait = retryDelayMs(response, 2);
    assert.ok(wait >= 2400 && wait <= 4000, `${response.status}: ${wait}`);
  }
});

test("The room code comes from the link's path; none, or a mangled one, is no code", () => {
  assert.equal(codeInPath("/v/K7XM4P"), "K7XM4P");
  assert.equal(codeInPath("/v/%20K7XM4P%20"), "K7XM4P");
  assert.equal(codeInPath("/v"), "");
  assert.equal(codeInPath("/v/"), "");
  assert.equal(codeInPath("/v/%E0%A4%A"), "");
});

const entry = (id, categoryId) => ({ id, categoryId, title: `E${id}` });
const versioned = (version, categories, extra = {}) => ({ ...voting(categories, { bestInShowMethod: "ballot", bestInShow: "notOpen", ...extra }), version });

test("A voting change applies only to the version just before it", () => {
  const before = versioned(10, [category(1, "pending", [entry(1, 1), entry(3, 1)]), category(2, "pending", [])]);
  const opened = applyVotingChange(before, { version: 11, kind: "entryOpened", categoryId: 1, index: 1, entry: entry(2, 1) });
  assert.deepEqual(opened.categories[0].votableEntries.map((e) => e.id), [1, 2, 3]);
  assert.equal(opened.version, 11);
  assert.deepEqual(before.categories[0].votableEntries.map((e) => e.id), [1, 3], "the state before is not changed");
  const closed = applyVotingChange(opened, { version: 12, kind: "categoryChanged", category: category(1, "closed", []) });
  assert.deepEqual([closed.categories[0].status, closed.categories[1]], ["closed", before.categories[1]]);
  assert.equal(applyVotingChange(opened, { version: 12, kind: "bestInShowChanged", bestInShow: "open" }).bestInShow, "open");
  const replaced = versioned(40, []);
  assert.equal(applyVotingChange(before, { version: 40, kind: "reset", snapshot: replaced }), replaced);
  // Not after the version held, about a category it does not know, or of a kind it does not know: the snapshot is needed.
  assert.equal(applyVotingChange(before, { version: 12, kind: "bestInShowChanged", bestInShow: "open" }), null);
  assert.equal(applyVotingChange(before, { version: 11, kind: "entryOpened", categoryId: 9, index: 0, entry: entry(9, 9) }), null);
  assert.equal(applyVotingChange(before, { version: 11, kind: "entryOpened", categoryId: 1, index: 3, entry: entry(9, 1) }), null);
  assert.equal(applyVotingChange(before, { version: 11, kind: "somethingNew" }), null);
  assert.equal(applyVotingChange(null, { version: 11, kind: "bestInShowChanged", bestInShow: "open" }), null);
});

/** A phone's voting follower over a server that answers GET /api/voting with `served()`, each fetch released by hand. */
function followerOf(initial, served) {
  const held = { voting: initial };
  const fetches = [];
  const follower = followVoting({
    held: () => held.voting,
    take: (snapshot) => {
      held.voting = snapshot;
    },
    fetchSnapshot: () => new Promise((resolve) => fetches.push(() => resolve({ status: 200, data: served() }))),
  });
  return { held, fetches, follower };
}

test("A gap in the versions makes the phone fetch the snapshot; changes that follow on are applied without one", async () => {
  let server = versioned(5, [category(1, "pending", [])]);
  const { held, fetches, follower } = followerOf(server, () => server);
  follower.change({ version: 6, kind: "entryOpened", categoryId: 1, index: 0, entry: entry(1, 1) });
  follower.change({ version: 6, kind: "entryOpened", categoryId: 1, index: 0, entry: entry(1, 1) }); // again: held already
  assert.equal(fetches.length, 0);
  assert.deepEqual(held.voting.categories[0].votableEntries.map((e) => e.id), [1]);

  // Version 7 never arrives: 8 cannot be applied, the phone fetches the server's state (which has both).
  server = versioned(8, [category(1, "closed", [])], { bestInShow: "open" });
  follower.change({ version: 8, kind: "categoryChanged", category: category(1, "closed", []) });
  assert.equal(fetches.length, 1);
  assert.equal(held.voting.version, 6, "nothing applied over the gap");
  fetches.shift()();
  await afterMicrotasks();
  assert.equal(held.voting, server);
  follower.change({ version: 9, kind: "bestInShowChanged", bestInShow: "closed" });
  assert.deepEqual([held.voting.version, held.voting.bestInShow, fetches.length], [9, "closed", 0]);
});

test("A phone with no voting state yet fetches it on the first push; a fetched snapshot older than a push taken meanwhile is dropped", async () => {
  let server = versioned(20, [category(1, "pending", [])]);
  const { held, fetches, follower } = followerOf(null, () => server);
  follower.change({ version: 21, kind: "bestInShowChanged", bestInShow: "open" });
  assert.equal(fetches.length, 1);
  fetches.shift()();
  await afterMicrotasks();
  assert.equal(held.voting.version, 20);

  // The snapshot asked for after a reconnect left at 20; a push of 21 is taken before it comes back: 21 stays.
  follower.fetch();
  follower.change({ version: 21, kind: "bestInShowChanged", bestInShow: "open" });
  fetches.shift()();
  await afterMicrotasks();
  assert.deepEqual([held.voting.version, held.voting.bestInShow], [21, "open"]);

  // No push crossed it: the server's answer is taken even when its version is lower (the server restarted).
  server = versioned(3, []);
  follower.fetch();
  fetches.shift()();
  await afterMicrotasks();
  assert.equal(held.voting, server);
});

test("Reconnecting: the first try at a random moment within a second, then backing off, always with jitter", () => {
  const first = Array.from({ length: 200 }, () => reconnectDelayMs(0));
  assert.ok(first.every((ms) => ms >= 0 && ms <= 1000), String(first));
  assert.ok(new Set(first).size > 50, "spread out, not one instant");
  for (const [retries, low, high] of [[1, 600, 1000], [2, 1200, 2000], [6, 18000, 30000], [40, 18000, 30000]]) {
    const waits = Array.from({ length: 50 }, () => reconnectDelayMs(retries));
    assert.ok(waits.every((ms) => ms >= low && ms <= high), `${retries}: ${waits}`);
    assert.ok(new Set(waits).size > 5, `${retries}: jittered`);
  }
});

test("A wait for the next try ends when the network comes back, not later; without that, at its time", async () => {
  globalThis.window = new EventTarget();
  try {
    const started = Date.now();
    const waiting = delayUntilOnline(60000);
    window.dispatchEvent(new Event("online"));
    await waiting;
    assert.ok(Date.now() - started < 1000);
    await delayUntilOnline(10); // no event: ends at its time
  } finally {
    delete globalThis.window;
  }
});

test("A ballot that cannot reach the server is said to be kept once, not at every retry; each new one is said too; the network back during a try sends at once", async () => {
  const { createOutbox } = await import("../../voter-web/src/outbox.js");
  const realFetch = globalThis.fetch;
  let reachable = false;
  globalThis.fetch = async (_path, init) => {
    if (!reachable) throw new TypeError("Failed to fetch");
    const body = JSON.parse(init.body);
    return new Response(JSON.stringify({ score: body.score }), { status: 200 });
  };
  const held = [];
  const confirmed = [];
  const outbox = createOutbox({
    token: () => "token",
    confirmed: (kind, entryId, value) => confirmed.push([kind, entryId, value]),
    refused: () => assert.fail("nothing is refused"),
    held: (kind, entryId, value) => held.push([kind, entryId, value]),
    unauthorized: () => assert.fail("the token is valid"),
    changed: () => {},
  });
  try {
    outbox.vote(1, 4);
    await afterMicrotasks();
    await outbox.flush(); // retries
    await outbox.flush();
    assert.deepEqual(held, [["vote", 1, 4]]);
    outbox.vote(2, 3); // the server is known to be out of reach: said at once
    await outbox.flush();
    assert.deepEqual(held, [["vote", 1, 4], ["vote", 2, 3]]);

    reachable = true;
    outbox.retryNow();
    for (let turn = 0; turn < 100 && confirmed.length < 2; turn++) await afterMicrotasks();
    assert.deepEqual(confirmed.map(([, id]) => id).sort(), [1, 2]);
    assert.equal(outbox.isFailing(), false);
  } finally {
    globalThis.fetch = realFetch;
  }
});

// --- Languages ------------------------------------------------------------------------------------------------------

test("Every language has exactly English's texts, each of the same kind (a string, a function, a table of them)", () => {
  const shape = (value) =>
    typeof value === "function" ? "function" : typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)])) : typeof value;
  const english = shape(languages.en);
  for (const [code, texts] of Object.entries(languages)) {
    assert.deepEqual(shape(texts), english, `lang/${code}.js`);
    assert.ok(texts.languageName.length > 0, `lang/${code}.js names itself`);
  }
  // Each function takes what English's takes and gives text.
  for (const [code, texts] of Object.entries(languages)) {
    assert.equal(typeof texts.place(2), "string", code);
    assert.equal(typeof texts.placeScore("4.50", 12), "string", code);
    assert.equal(typeof texts.winnerAnnounce("Winner", "Title", ""), "string", code);
  }
});

test("The language: the switch's choice when the app has it, else the browser's first it has, else English", () => {
  assert.equal(pickLanguage(null, ["ja-JP", "en-US"]), "ja");
  assert.equal(pickLanguage(null, ["de-DE", "JA"]), "ja");
  assert.equal(pickLanguage("en", ["ja-JP"]), "en");
  assert.equal(pickLanguage("ja", ["en-US"]), "ja");
  assert.equal(pickLanguage("xx", ["fr-FR"]), "en");
  assert.equal(pickLanguage(undefined, undefined), "en");
  assert.equal(pickLanguage("__proto__", ["constructor"]), "en");
});

test("English ordinals: 1st 2nd 3rd 4th, 11th 12th 13th, 21st 22nd 101st 111th", () => {
  const place = languages.en.place;
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(place),
    ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]);
});

// --- The podium -----------------------------------------------------------------------------------------------------

const finalist = (id) => ({ id, title: `T${id}`, editors: [`E${id}`] });
const revealed = (categoryId, winner, at, placings) => ({ categoryId, name: `C${categoryId}`, winner: finalist(winner), revealedAt: at, placings });

test("A category without placings is a podium of its winner; with placings, every finalist in rank order with mean and votes", () => {
  const placings = [
    { rank: 2, entry: finalist(8), mean: 4.1, votes: 30 },
    { rank: 1, entry: finalist(7), mean: 4.62, votes: 41 },
    { rank: 3, entry: finalist(9), mean: 3.5, votes: 28 },
    { rank: 3, entry: finalist(10), mean: 3.5, votes: 28 },
  ];
  const [withPlacings, winnerOnly] = revealsOf({
    categories: [revealed(1, 3, "2026-11-30T20:00:00Z", null), revealed(2, 7, "2026-11-30T20:05:00Z", placings)],
    bestInShow: null,
    awards: null,
  });
  assert.deepEqual(winnerOnly, { key: "category:1", kind: "category", name: "C1", at: "2026-11-30T20:00:00Z", places: [{ rank: 1, entry: finalist(3) }] });
  assert.equal(withPlacings.key, "category:2");
  assert.deepEqual(withPlacings.places.map((p) => [p.rank, p.entry.id, p.mean, p.votes]), [[1, 7, 4.62, 41], [2, 8, 4.1, 30], [3, 9, 3.5, 28], [3, 10, 3.5, 28]]);
  // An empty list of placings is no placings: the winner alone.
  assert.deepEqual(revealsOf({ categories: [revealed(4, 5, "2026-11-30T20:00:00Z", [])] })[0].places, [{ rank: 1, entry: finalist(5) }]);
});

test("Reveals come the latest first; Best In Show and each award are podiums of their winners", () => {
  const results = {
    categories: [revealed(1, 1, "2026-11-30T20:00:00Z"), revealed(2, 2, "2026-11-30T20:10:00Z")],
    bestInShow: { winner: finalist(2), revealedAt: "2026-11-30T20:20:00Z" },
    awards: {
      awards: [
        { id: 1, name: "Judges' Choice", note: "Editing", entry: finalist(5), revealedAt: "2026-11-30T20:25:00Z" },
        { id: 2, name: "Technical Effects", note: null, entry: finalist(6), revealedAt: "2026-11-30T20:15:00Z" },
      ],
      revealedAt: "2026-11-30T20:25:00Z",
    },
  };
  const reveals = revealsOf(results);
  assert.deepEqual(reveals.map((r) => r.key), ["award:1", "best-in-show", "award:2", "category:2", "category:1"]);
  assert.deepEqual(reveals[1].places, [{ rank: 1, entry: finalist(2) }]);
  assert.deepEqual(reveals[0], { key: "award:1", kind: "award", name: "Judges' Choice", at: "2026-11-30T20:25:00Z", places: [{ rank: 1, entry: finalist(5), note: "Editing" }] });
  assert.deepEqual(reveals[2].places, [{ rank: 1, entry: finalist(6), note: null }]);
  // Nothing revealed, no results: no reveals; awards without an award: no podium.
  assert.deepEqual(revealsOf(null), []);
  assert.deepEqual(revealsOf({ categories: [], bestInShow: null, awards: { awards: [], revealedAt: "2026-11-30T20:15:00Z" } }), []);
});

test("The new reveal is the latest one the phone had not seen; each award revealed after another is new", () => {
  const one = { categories: [revealed(1, 1, "2026-11-30T20:00:00Z")], bestInShow: null, awards: null };
  const two = { ...one, categories: [...one.categories, revealed(2, 2, "2026-11-30T20:10:00Z")] };
  assert.equal(newReveal(one, two).key, "category:2");
  assert.equal(newReveal(two, two), null);
  assert.equal(newReveal({ categories: [], bestInShow: null, awards: null }, one).key, "category:1");
  const award = (id, minute) => ({ id, name: `A${id}`, note: null, entry: finalist(id), revealedAt: `2026-11-30T20:${minute}:00Z` });
  const awards = (...list) => ({ ...two, awards: { awards: list, revealedAt: list.map((a) => a.revealedAt).sort().at(-1) } });
  assert.equal(newReveal(two, awards(award(5, 30))).key, "award:5");
  assert.equal(newReveal(awards(award(5, 30)), awards(award(5, 30), award(6, 31))).key, "award:6");
  assert.equal(newReveal(awards(award(5, 30), award(6, 31)), awards(award(5, 30), award(6, 31))), null);
  // An older server's awards (one time for all of them) are podiums too.
  const legacy = { ...two, awards: { awards: [{ id: 7, name: "A7", note: null, entry: finalist(7) }], revealedAt: "2026-11-30T20:40:00Z" } };
  assert.equal(newReveal(two, legacy).at, "2026-11-30T20:40:00Z");
});
