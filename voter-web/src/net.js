// HTTP, the phone's own storage, and when to try again.

const PREFIX = "amv.";
const memory = new Map(); // when localStorage is unavailable (some private modes), the page still works until reload

/** A value kept on the phone (JSON in localStorage), or `fallback`. */
export function load(key, fallback) {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text == null ? fallback : JSON.parse(text);
  } catch {
    return memory.has(key) ? memory.get(key) : fallback;
  }
}

/** Keeps `value` on the phone; null or undefined removes it. */
export function save(key, value) {
  memory.set(key, value);
  try {
    if (value == null) {
      localStorage.removeItem(PREFIX + key);
    } else {
      localStorage.setItem(PREFIX + key, JSON.stringify(value));
    }
  } catch {
    // Storage full or forbidden: the in-memory copy above keeps this page working.
  }
}

/** The phone's next ballot sequence: always above every earlier one (even if storage was wiped, thanks to the clock). */
export function nextSequence() {
  const sequence = Math.max(Number(load("seq", 0)) + 1, Date.now());
  save("seq", sequence);
  return sequence;
}

/** How long one request may take on congested Wi-Fi before it counts as failed (and is retried by its caller). */
const TIMEOUT_MS = 15000;

/**
 * One HTTP request with a time limit. Never throws: { status, data, retryAfter }, status 0 when the network failed or
 * the time ran out.
 */
export async function request(method, path, { body, token } = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers["X-Voter-Token"] = token;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
      cache: "no-store",
      credentials: "same-origin",
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      // No JSON body (a proxy's error page, an empty 204): the status says enough.
    }
    return { status: response.status, data, retryAfter: response.headers.get("Retry-After") };
  } catch {
    return { status: 0, data: null, retryAfter: null };
  } finally {
    clearTimeout(timer);
  }
}

/** Retry-After (seconds or an HTTP date) in milliseconds, at least one second. */
function retryAfterMs(value) {
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1000, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(1000, date - Date.now()) : 30000;
}

/**
 * How long to wait before trying a request again: as long as the server's Retry-After says when it sent one (429 too
 * many requests, 503 busy: its storage is full), else exponential backoff.
 */
export function retryDelayMs(response, attempt) {
  return (response.status === 429 || response.status === 503) && response.retryAfter != null
    ? retryAfterMs(response.retryAfter)
    : backoffMs(attempt);
}

/** Exponential backoff with jitter: about 1, 2, 4, 8, 16 s, then 30 s. */
export function backoffMs(attempt) {
  const base = Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.6 + Math.random() * 0.4));
}

/** How long to wait before connecting to the hub again, after `retries` failed tries: the first at a random moment
 * within a second, then as backoffMs. After a server restart a hall of phones comes back spread out, not all at the same
 * instants. */
export function reconnectDelayMs(retries) {
  return retries === 0 ? Math.round(Math.random() * 1000) : backoffMs(retries - 1);
}

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let returns = 0; // how many times the network came back (the browser's `online` event)
if (typeof window !== "undefined") window.addEventListener("online", () => returns++);

/** A mark to give delayUntilOnline: taken before a request, it makes the wait after it end at once when the network
 * came back while the request was on its way (and so failed for what is now over). */
export const networkMark = () => returns;

/** Waits `ms`, or less: until the network comes back (the browser's `online` event), when that is sooner, or not at
 * all when it came back since `mark` (networkMark). */
export function delayUntilOnline(ms, mark = returns) {
  if (mark !== returns) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
  });
}

/** `task` one run at a time: a call while it runs gets the run under way, and with `again` also asks for one more run
 * after it (what the task reads may have changed meanwhile). `.busy()`: a run is under way. */
export function oneAtATime(task, again = false) {
  let running = null;
  let more = false;
  const run = (...args) => {
    if (running) {
      more = again;
      return running;
    }
    running = (async () => {
      do {
        more = false;
        await task(...args);
      } while (more);
    })().finally(() => {
      running = null;
    });
    return running;
  };
  run.busy = () => running !== null;
  return run;
}
