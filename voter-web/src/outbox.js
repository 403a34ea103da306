// Ballots not yet confirmed by the server, kept on the phone (localStorage) across reloads and reconnects, and sent
// one at a time with backoff. Each carries the phone's increasing sequence, so a retry counts once and an older retry
// never replaces a newer vote. A ballot leaves the outbox only when the server has answered for it.

import { load, nextSequence, request, retryDelayMs, save } from "./net.js";

const KEY = "outbox";

/** { votes: { [entryId]: { score, sequence } }, pick: { entryId, sequence } | null } */
function read() {
  const box = load(KEY, null);
  return box && typeof box === "object" ? { votes: box.votes || {}, pick: box.pick || null } : { votes: {}, pick: null };
}

export function pendingVote(entryId) {
  return read().votes[entryId] || null;
}

export function pendingPick() {
  return read().pick;
}

export function pendingCount() {
  const box = read();
  return Object.keys(box.votes).length + (box.pick ? 1 : 0);
}

/**
 * The sender. `hooks`: token() → the voter token or null; confirmed(kind, entryId, value) after a 200;
 * refused(kind, entryId, reason) after a refusal; held(kind, entryId, value) once per ballot that could not reach the
 * server (it stays queued); unauthorized() after a 401; changed() whenever the outbox or the
 * sender's state changed. isFailing(): the last try did not reach the server; isBusy(): the server asked to wait (503).
 */
export function createOutbox(hooks) {
  let busy = false;
  let again = false;
  let timer = 0;
  let attempt = 0;
  let pausedUntil = 0;
  let failing = false; // the last try did not reach the server
  let serverBusy = false; // the server answered 503 (its storage is full): it asked to wait, the ballot is kept
  let retryAsked = false; // retryNow during a try: try again the moment it ends (it may have failed for what is now over)
  let told = 0; // the sequence of the last ballot said to be held (hooks.held): each is said once

  function vote(entryId, score) {
    const box = read();
    box.votes[entryId] = { score, sequence: nextSequence() };
    save(KEY, box);
    queued({ kind: "vote", entryId, ...box.votes[entryId] });
  }

  function pick(entryId) {
    const box = read();
    box.pick = { entryId, sequence: nextSequence() };
    save(KEY, box);
    queued({ kind: "pick", ...box.pick });
  }

  function queued(job) {
    if (failing) tell(job); // the server is out of reach already: this one waits too
    hooks.changed();
    flush();
  }

  /** Says (once per ballot) that `job` is kept on the phone because the server could not be reached. */
  function tell(job) {
    if (job.sequence <= told) return;
    told = job.sequence;
    hooks.held(job.kind, job.entryId, job.kind === "vote" ? job.score : job.entryId);
  }

  function next() {
    const box = read();
    const id = Object.keys(box.votes)[0];
    if (id !== undefined) return { kind: "vote", entryId: Number(id), ...box.votes[id] };
    return box.pick ? { kind: "pick", ...box.pick } : null;
  }

  /** Removes the ballot if the outbox still holds that one (not a newer choice made meanwhile). */
  function settle(job) {
    const box = read();
    if (job.kind === "vote") {
      if (box.votes[job.entryId]?.sequence === job.sequence) delete box.votes[job.entryId];
    } else if (box.pick?.sequence === job.sequence) {
      box.pick = null;
    }
    save(KEY, box);
  }

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  /** Sends what is queued, now (unless a 429 asked to wait). Safe to call at any time and often. */
  async function flush() {
    if (busy) {
      again = true;
      return;
    }
    if (Date.now() < pausedUntil) {
      later(pausedUntil - Date.now());
      return;
    }
    clearTimeout(timer);
    busy = true;
    try {
      do {
        again = false;
        for (let job = next(); job; job = next()) {
          const token = hooks.token();
          if (!token) return; // sent once the phone has joined
          const response =
            job.kind === "vote"
              ? await request("PUT", `/api/votes/${job.entryId}`, { token, body: { score: job.score, sequence: job.sequence } })
              : await request("PUT", "/api/best-in-show", { token, body: { entryId: job.entryId, sequence: job.sequence } });
          const { status, data } = response;
          if (status === 200) {
            settle(job);
            attempt = 0;
            failing = false;
            serverBusy = false;
            hooks.confirmed(job.kind, job.entryId, job.kind === "vote" ? data?.score ?? job.score : data?.entryId ?? job.entryId);
          } else if (status === 401) {
            failing = true;
            hooks.unauthorized();
            return;
          } else if (status === 400 || status === 403 || status === 404 || status === 409 || status === 422) {
            // Refused for good: keeping it would block the rest. The page says why (403: the contest votes with cards).
            settle(job);
            failing = false;
            serverBusy = false;
            hooks.refused(job.kind, job.entryId, data?.reason || "other");
          } else {
            // No answer, a timeout, a server error, 429 or 503: keep it, try again later (as long as Retry-After says).
            const waitAsked = (status === 429 || status === 503) && response.retryAfter != null;
            failing = status !== 429 && status !== 503;
            if (failing) tell(job);
            serverBusy = status === 503;
            const wait = retryDelayMs(response, attempt);
            if (waitAsked) pausedUntil = Date.now() + wait;
            else attempt++;
            later(wait);
            return;
          }
          hooks.changed();
        }
      } while (again);
    } finally {
      busy = false;
      hooks.changed();
      if (retryAsked) {
        retryAsked = false;
        flush();
      }
    }
  }

  /** The network is back or the page is visible again: forget the backoff and send now (a 429's wait still holds). */
  function retryNow() {
    attempt = 0;
    if (busy) retryAsked = true;
    flush();
  }

  /** Seconds left of the wait a 429 or 503 asked for (the server is busy, not unreachable), or 0. */
  const busyFor = () => Math.max(0, Math.ceil((pausedUntil - Date.now()) / 1000));

  return { vote, pick, flush, retryNow, busyFor, isFailing: () => failing, isBusy: () => serverBusy };
}
