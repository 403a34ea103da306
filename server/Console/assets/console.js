// Shared helpers of the console pages: the API with the antiforgery header, the show hub, DOM building with
// textContent only (never innerHTML with data), formatting.

/** The page's antiforgery request token, for the X-CSRF-TOKEN header. */
export const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? '';

// Buttons marked data-print print the page (no inline handlers: the Content-Security-Policy allows none).
document.addEventListener('click', event => { if (event.target.closest?.('[data-print]')) window.print(); });
// A choice marked data-autosubmit sends its form as soon as it changes.
document.addEventListener('change', event => { if (event.target.matches?.('[data-autosubmit]')) event.target.form?.submit(); });

/** Sends the browser to the sign-in page, back here afterwards (the session expired or was ended). */
export function signInAgain() {
  const back = location.pathname + location.search;
  const page = document.body.dataset.role === 'judge' || location.pathname.startsWith('/console/judge') ? '/console/judge/sign-in' : '/console/sign-in';
  location.assign(`${page}?returnUrl=${encodeURIComponent(back)}&expired=1`);
}

/** An API refusal: the ProblemDetails as sent, with its field errors. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = problem?.errors ?? {};
    this.reason = problem?.reason;
  }
}

/** JSON API call with the antiforgery token; resolves to the JSON answer (or null), rejects with ApiError. */
export async function api(method, url, body, { contentType } = {}) {
  const headers = { 'X-CSRF-TOKEN': csrfToken(), Accept: 'application/json' };
  let payload;
  if (body !== undefined) {
    if (contentType) { headers['Content-Type'] = contentType; payload = body; }
    else { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { title: 'The server cannot be reached.', detail: 'Check the network and try again.' });
  }
  if (response.status === 401) {
    signInAgain();
    throw new ApiError(401, { title: 'Signed out.' });
  }
  const text = await response.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch { data = { title: text }; } }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Builds an element: el('td', { class: 'num', dataset: { id: 3 } }, 'text', child…). Strings become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') node.style.cssText = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Shows a message in the page's live region (role=status), kind ok | bad | warn. */
export function say(message, kind = 'ok', where = $('#message')) {
  if (!where) return;
  where.className = `notice ${kind}`;
  where.textContent = message;
}

/** An ApiError (or other failure) as one readable line, field errors included. */
export function describe(error) {
  const fields = Object.entries(error?.errors ?? {}).map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
  return [error?.message ?? String(error), ...fields].filter((v, i, all) => v && all.indexOf(v) === i).join(' — ');
}

/** Shows field errors of an ApiError beside the inputs of a form, by name (data-field or name). */
/** The phones connected to the hub (the server's VotersOnline push), in the element with id "phones". */
export function showPhones(count) {
  const phones = $('#phones');
  phones.dataset.count = String(count);
  phones.textContent = `${count} phone${count === 1 ? '' : 's'} connected`;
}

export function showFieldErrors(form, error) {
  clearFieldErrors(form);
  let shown = 0;
  for (const [field, messages] of Object.entries(error?.errors ?? {})) {
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"], [name="${CSS.escape(field)}"]`);
    if (!input) continue;
    const id = `${input.id || input.name}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    const message = el('div', { class: 'error field-error', id, dataset: { for: field } }, [].concat(messages).join(' '));
    (input.tagName === 'FIELDSET' ? input : input.closest('.field') ?? input.parentElement).append(message);
    shown++;
  }
  return shown;
}

export function clearFieldErrors(form) {
  form.querySelectorAll('.field-error').forEach(e => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach(e => { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); });
}

/** Runs an action from a button: disables it meanwhile, reports a failure in the message area. */
export async function act(button, action, { done } = {}) {
  if (button) button.disabled = true;
  try {
    const result = await action();
    if (done) say(done, 'ok');
    return result;
  } catch (error) {
    say(describe(error), 'bad');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/**
 * Connects to the show hub with the session cookie and keeps reconnecting. `handlers` maps client methods
 * (showChanged, votingChanged, tallyChanged, roomChanged, resultsRevealed, playerPresence) to functions;
 * `sync(connection)` runs after every (re)connect to fetch the current state.
 */
export function connectHub(handlers, sync) {
  const status = $('#hub-status');
  const show = (state, text) => { if (status) { status.dataset.state = state; status.textContent = text; } };
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/show')
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(1000 * 2 ** ctx.previousRetryCount, 10000) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  const all = ['showChanged', 'votingChanged', 'tallyChanged', 'turnoutChanged', 'votersOnline', 'roomChanged', 'resultsRevealed', 'playerPresence'];
  for (const name of all) connection.on(name, handlers[name] ?? (() => {}));

  const synchronize = async () => {
    // A connection made without a valid session is a voter's: the session has expired.
    const me = await fetch('/api/auth/me', { credentials: 'same-origin' });
    if (me.status === 401) { signInAgain(); return; }
    await sync?.(connection);
    show('live', 'Live');
  };
  connection.onreconnecting(() => show('reconnecting', 'Reconnecting…'));
  connection.onreconnected(() => synchronize().catch(e => say(describe(e), 'bad')));
  connection.onclose(() => { show('offline', 'Offline'); setTimeout(start, 3000); });

  async function start() {
    show('connecting', 'Connecting…');
    try {
      await connection.start();
      await synchronize();
    } catch (error) {
      show('offline', 'Offline');
      setTimeout(start, 3000);
    }
  }
  start();
  return connection;
}

/** Sends a command to the player over the hub. */
export function sendPlayerCommand(connection, kind, entryId) {
  const command = { id: crypto.randomUUID(), kind };
  if (entryId !== undefined && entryId !== null) command.entryId = entryId;
  return connection.invoke('SendPlayerCommand', command).then(() => command);
}

export const phaseNames = {
  idle: 'Idle', categoryCard: 'Category card', introSlate: 'Intro slate', video: 'Video', outroSlate: 'Outro slate',
  paused: 'Paused', blackout: 'Blackout', intermission: 'Intermission', difficulties: 'Technical difficulties',
  winner: 'Winner slate', endCard: 'End card',
};

export const statusNames = { pending: 'Opens as shown', open: 'Open', closed: 'Closed' };

export function clock(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–:––';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const time = iso => iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';

/** Whether the projector has stopped reporting with the show under way: the state is only what it last showed. */
export const projectorLost = show => show?.projector === 'lost' && show.phase !== 'idle';

/** What the consoles say is on screen: the phase label, a title and a detail line. While the projector is lost they
 *  say so, and what it last showed, rather than present a stale state as the screen. */
export function describeScreen(show) {
  const s = show ?? { phase: 'idle' };
  const last = `${phaseNames[s.phase] ?? s.phase}${s.entry ? ` · ${s.entry.title}` : ''}`;
  if (projectorLost(s)) return { phase: 'lost', label: 'Projector lost', title: 'The projector is reconnecting…', detail: `Last reported: ${last}` };
  return {
    phase: s.phase,
    label: phaseNames[s.phase] ?? s.phase,
    title: s.entry ? s.entry.title : s.phase === 'idle' ? 'Nothing yet' : phaseNames[s.phase],
    detail: s.entry ? `${s.entry.category} · ${s.entry.editors.join(', ')}` : '',
  };
}

/** Seconds left of what is on screen, from the server's state (null when unknown, paused or the projector is lost). */
export function remainingSeconds(show, now = Date.now()) {
  if (!show?.durationSeconds || !show.reportedAt || projectorLost(show) || ['paused', 'blackout', 'idle'].includes(show.phase)) return null;
  const elapsed = show.positionSeconds + (now - Date.parse(show.reportedAt)) / 1000;
  return Math.max(0, show.durationSeconds - elapsed);
}

/** Score bars of a tally row: one bar per score, online and paper stacked, labelled with the score. */
export function distribution(row, scoreMin, scoreMax) {
  const scores = [];
  for (let s = scoreMin; s <= scoreMax; s++) scores.push(s);
  const counts = scores.map(s => row.combined?.[s] ?? 0);
  const max = Math.max(1, ...counts);
  const label = scores.map((s, i) => `${s}: ${counts[i]}`).join(', ');
  return el('div', { class: 'dist', role: 'img', 'aria-label': `Votes by score — ${label}` },
    scores.map((s, i) => {
      const paper = row.paper?.[s] ?? 0;
      const onlineShare = counts[i] ? Math.round(100 * (counts[i] - paper) / counts[i]) : 100;
      return el('div', {
        class: paper ? 'bar paper' : 'bar',
        style: `height:${Math.max(2, Math.round(44 * counts[i] / max))}px;--online:${onlineShare}%`,
        title: `${s}: ${counts[i]} vote(s)${paper ? `, ${paper} on paper` : ''}`,
      }, el('span', {}, String(s)));
    }));
}

export const sum = values => Object.values(values ?? {}).reduce((a, b) => a + b, 0);

/** The finalists whose file failed the latest pre-flight check, and those whose file the player found changed since
 * (GET /api/preflight/failed): { hasReport, failed, changed }, two Sets of entry ids. */
export async function preflightFlags() {
  const answer = await api('GET', '/api/preflight/failed');
  return { hasReport: answer.hasReport, failed: new Set(answer.entryIds), changed: new Set(answer.changedEntryIds) };
}

/** What a console says of a finalist whose file changed after its pre-flight check. */
export const changedSincePreflight = 'changed since pre-flight: run the check again';

/** Moves a finalist to the end of its category (one whose file failed its pre-flight check). */
export const moveToEnd = entryId => api('POST', `/api/contest/entries/${entryId}/move-to-end`);

/** The contest as staff see it (GET /api/contest) with lookups. */
export async function loadContest() {
  const contest = await api('GET', '/api/contest');
  contest.categoryById = new Map(contest.categories.map(c => [c.id, c]));
  contest.entryById = new Map(contest.entries.map(e => [e.id, e]));
  return contest;
}
