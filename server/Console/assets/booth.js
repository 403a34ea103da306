// Booth remote: what is on screen and what is next, the player's connection, and the commands. A command is "sent"
// until the player reports a change of what is on screen (the next ShowChanged), then "done".
import { api, el, fill, $, $$, say, describe, connectHub, sendPlayerCommand, phaseNames, describeScreen, projectorLost, clock, remainingSeconds, loadContest, preflightFlags, changedSincePreflight, showPhones } from './console.js';
import { fillBatches, wireRelease } from './cards.js';

const names = {
  pause: 'Pause', resume: 'Resume', next: 'Next', previous: 'Previous', restart: 'Restart', skipSlate: 'Skip slate',
  blackoutOn: 'Blackout', blackoutOff: 'End blackout', jumpToEntry: 'Jump', showWinner: 'Winner slate',
  volumeUp: 'Volume +', volumeDown: 'Volume −', mute: 'Mute', unmute: 'Unmute',
};
const volumeKinds = new Set(['volumeUp', 'volumeDown', 'mute', 'unmute']);
let contest = null;
let preflight = { failed: new Set(), changed: new Set() }; // entry ids whose file failed its pre-flight check, or changed since
let show = null;
let turnout = null; // votes per finalist, phones that voted per category (never a score)
let presence = { connected: false, since: null };
const pending = [];

function order() {
  return contest ? contest.entries : [];
}

function renderShow() {
  const s = show ?? { phase: 'idle' };
  const screen = describeScreen(s);
  const phase = $('#phase');
  phase.dataset.phase = screen.phase;
  phase.textContent = screen.label;
  $('#now-title').textContent = screen.title;
  $('#now-detail').textContent = screen.detail ||
    (s.categoryId && contest?.categoryById.get(s.categoryId) ? contest.categoryById.get(s.categoryId).name : '');
  const entries = order().filter(e => !e.disqualified);
  const at = s.entry ? entries.findIndex(e => e.id === s.entry.id) : -1;
  const next = s.entry ? entries[at + 1] : entries[0];
  $('#next-title').textContent = next ? next.title : 'End of the show';
  $('#next-detail').textContent = next ? `· ${contest.categoryById.get(next.categoryId)?.name ?? ''}` : '';
  // The player finds changed files while the show runs: the flag says so from the next change on screen.
  const flag = $('#next-flag');
  const changed = next && preflight.changed.has(next.id);
  flag.hidden = !(next && (changed || preflight.failed.has(next.id)));
  flag.textContent = changed ? changedSincePreflight : 'failed pre-flight';
  flag.title = changed ? 'The player found its file is not the one the pre-flight check saw' : 'Its file failed the latest pre-flight check';
  $('#pause').disabled = s.phase === 'paused';
  $('#resume').disabled = s.phase !== 'paused';
  $('#blackout-on').disabled = s.phase === 'blackout';
  $('#blackout-off').disabled = s.phase !== 'blackout';
  renderVolume(s.audio);
  renderTurnout();
  tick();
}

// The master volume the player last reported (null before it did).
function renderVolume(audio) {
  $('#volume').textContent = !audio ? 'Volume: not reported yet'
    : audio.muted ? `MUTED (volume ${audio.volumePercent} %)` : `Volume ${audio.volumePercent} %`;
  $('#volume').dataset.muted = String(audio?.muted ?? false);
  $('#mute').disabled = audio?.muted === true;
  $('#unmute').disabled = audio?.muted !== true;
}

// The votes cast for each finalist of the category on screen (the first category before the show starts).
function renderTurnout() {
  if (!contest) return;
  const categoryId = show?.categoryId ?? (show?.entry ? contest.entryById.get(show.entry.id)?.categoryId : null) ?? contest.categories[0]?.id;
  const category = contest.categoryById.get(categoryId);
  const counts = turnout?.categories.find(c => c.categoryId === categoryId);
  const votes = new Map((counts?.entries ?? []).map(e => [e.entryId, e.votes]));
  $('#turnout-category').textContent = category ? `${category.name}: ${counts?.voters ?? 0} phone(s) voted` : 'No categories yet.';
  fill($('#turnout'), contest.entries.filter(e => e.categoryId === categoryId).map(e => el('tr', { dataset: { entry: e.id } },
    el('td', {}, `${e.position}. ${e.title}${e.disqualified ? ' (disqualified)' : ''}`),
    el('td', { class: 'num', dataset: { votes: e.id } }, String(votes.get(e.id) ?? 0)))));
}

function tick() {
  const left = remainingSeconds(show);
  $('#remaining').textContent = clock(left);
  const bar = $('#progress');
  bar.style.width = left === null || !show?.durationSeconds ? '0' : `${100 - (100 * left) / show.durationSeconds}%`;
}

function renderPresence() {
  const p = $('#presence');
  p.dataset.connected = String(presence.connected);
  const since = presence.since ? ` (since ${new Date(presence.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})` : '';
  p.textContent = presence.connected ? `Player connected${since}` : `Player not connected${since}`;
}

function renderLog() {
  const list = $('#log');
  if (!pending.length) return;
  fill(list, pending.slice(-8).reverse().map(c => el('li', { dataset: { state: c.state, kind: c.kind } },
    `${c.at.toLocaleTimeString()} — ${names[c.kind]}${c.target ? ` “${c.target}”` : ''}: `,
    c.state === 'sent' ? 'sent, waiting for the player…' : c.state === 'acted' ? `done: now ${c.result}` : c.result)));
}

async function command(kind, button, entryId) {
  if (button) button.disabled = true;
  const item = { kind, at: new Date(), state: 'sent', target: entryId ? contest?.entryById.get(entryId)?.title : null };
  try {
    await sendPlayerCommand(hub, kind, entryId);
    pending.push(item);
    if (!presence.connected) { item.state = 'lost'; item.result = 'no player is connected: nothing will happen.'; }
    else setTimeout(() => { if (item.state === 'sent') { item.state = 'lost'; item.result = 'the player has not reported a change (10 s).'; renderLog(); } }, 10000);
    renderLog();
  } catch (error) {
    say(describe(error), 'bad');
  } finally {
    if (button) { button.disabled = false; renderShow(); }
  }
}

function onShowChanged(state) {
  const before = show;
  const volumeChanged = JSON.stringify(before?.audio ?? null) !== JSON.stringify(state.audio ?? null);
  const onlyVolume = volumeChanged && before && before.phase === state.phase && before.startedAt === state.startedAt && before.entry?.id === state.entry?.id;
  show = state;
  const lost = projectorLost(state);
  const what = lost ? 'the projector stopped reporting.' : `${phaseNames[state.phase] ?? state.phase}${state.entry ? ` · ${state.entry.title}` : ''}`;
  const volume = state.audio ? (state.audio.muted ? `muted (volume ${state.audio.volumePercent} %)` : `volume ${state.audio.volumePercent} %`) : '';
  // A volume command is done when the player reports the new level; the others when what is on screen changes.
  for (const c of pending) {
    if (c.state !== 'sent' || (!lost && (volumeKinds.has(c.kind) ? !volumeChanged : onlyVolume))) continue;
    c.state = lost ? 'lost' : 'acted';
    c.result = volumeKinds.has(c.kind) && !lost ? volume : what;
  }
  renderShow();
  renderLog();
  if (!onlyVolume) preflightFlags().then(flags => { preflight = flags; renderShow(); }).catch(() => {});
}

for (const button of $$('[data-command]')) button.addEventListener('click', () => command(button.dataset.command, button));
$('#jump').addEventListener('click', event => {
  const id = Number($('#jump-entry').value);
  if (id) command('jumpToEntry', event.currentTarget, id);
});

const hub = connectHub({
  showChanged: onShowChanged,
  playerPresence: p => { presence = p; renderPresence(); },
  votingChanged: () => {},
  votersOnline: showPhones,
  turnoutChanged: t => { turnout = t; renderTurnout(); },
}, async connection => {
  [contest, preflight] = await Promise.all([loadContest(), preflightFlags()]);
  fill($('#jump-entry'), contest.categories.map(c => el('optgroup', { label: c.name },
    contest.entries.filter(e => e.categoryId === c.id).map(e => el('option', { value: String(e.id), disabled: e.disqualified },
      `${e.position}. ${e.title}${e.disqualified ? ' (disqualified)' : ''}`)))));
  fillBatches($('#release-batch'), await api('GET', '/api/cards/batches'));
  turnout = await api('GET', '/api/turnout');
  presence = await connection.invoke('GetPlayerPresence');
  renderPresence();
  show = await connection.invoke('GetShow');
  renderShow();
});
wireRelease($('#release'));
setInterval(tick, 1000);
