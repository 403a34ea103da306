// Live show (coordinators): what is on screen, the tallies per category with score bars, turnout, ties, voting
// control, paper ballots, flagged voters, Best In Show and the judges' awards. Everything follows the hub's pushes.
import {
  api, el, fill, $, say, describe, act, connectHub, describeScreen, projectorLost, statusNames, clock, time, remainingSeconds, distribution, sum,
  loadContest, showFieldErrors, clearFieldErrors, showPhones,
} from './console.js';

let contest = null, tally = null, voting = null, show = null;

const reasonText = {
  'category-open': 'Voting is still open.',
  'no-votes': 'No votes yet.',
  'tie-undecided': 'Tie at the top: decide it on the Reveal page.',
  'best-in-show-undecided': 'Waits for Best In Show (its winner gives up the category prize).',
  'categories-not-revealed': 'Reveal every category first.',
  'ballot-open': 'The ballot is still open.',
};

function titleOf(id) { return contest?.entryById.get(id)?.title ?? `#${id}`; }

/** A row's flagged votes: "12", "12 (300 excluded)", "(300 excluded)" or "–". */
function flaggedText(r) {
  if (!r.flagged && !r.excluded) return '–';
  return [r.flagged ? String(r.flagged) : '', r.excluded ? `(${r.excluded} excluded)` : ''].filter(Boolean).join(' ');
}

function renderShow() {
  const screen = describeScreen(show);
  $('#phase').dataset.phase = screen.phase;
  $('#phase').textContent = screen.label;
  $('#now-title').textContent = screen.title;
  $('#now-detail').textContent = screen.detail;
  $('#remaining').textContent = clock(remainingSeconds(show));
  document.querySelectorAll('tr.now-playing').forEach(r => r.classList.remove('now-playing'));
  if (show?.entry && !projectorLost(show)) document.querySelector(`tr[data-entry="${show.entry.id}"]`)?.classList.add('now-playing');
}

function categoryCard(c) {
  const window = voting?.categories.find(v => v.categoryId === c.categoryId);
  const status = window?.status ?? c.status;
  const tied = c.outcome.tied ?? [];
  const revealed = !!c.revealedAt;
  const rows = c.rows;
  const online = rows.reduce((n, r) => n + sum(r.online), 0);
  const paper = rows.reduce((n, r) => n + sum(r.paper), 0);
  const votable = new Set((window?.votableEntries ?? []).map(e => e.id));
  const control = (action, label) => el('button', {
    type: 'button', class: 'small', disabled: revealed || status === action || (action === 'closed' && status === 'closed'),
    dataset: { action: action === 'closed' ? 'close' : action === 'open' ? 'open' : 'auto' },
    onclick: e => act(e.currentTarget, () => api('POST', `/api/voting/categories/${c.categoryId}/${e.currentTarget.dataset.action}`)),
  }, label);
  return el('section', { class: 'card', dataset: { category: c.categoryId }, 'aria-labelledby': `cat-${c.categoryId}` },
    el('div', { class: 'card-head' },
      el('h2', { id: `cat-${c.categoryId}` }, c.name),
      el('span', { class: `badge ${status}`, dataset: { status } }, statusNames[status] ?? status),
      window?.closesAt && status !== 'closed' ? el('span', { class: 'badge warn' }, `closes ${new Date(window.closesAt).toLocaleTimeString()}`) : null,
      tied.length > 1 && !c.outcome.decidedEntryId ? el('span', { class: 'badge tie', dataset: { tie: 'true' } }, `Tie: ${tied.map(titleOf).join(' = ')}`) : null,
      tied.length > 1 && c.outcome.decidedEntryId ? el('span', { class: 'badge ok' }, `Tie decided: ${titleOf(c.outcome.decidedEntryId)}`) : null,
      revealed ? el('span', { class: 'badge accent' }, 'Revealed') : null,
      el('span', { class: 'small muted', dataset: { voters: c.categoryId } },
        `${online} phone vote(s) from ${c.voters} phone(s)${paper ? `, ${paper} on paper` : ''}`),
      el('div', { class: 'actions' },
        control('open', 'Open all'), control('pending', 'As shown'), control('closed', 'Close voting'))),
    c.flagsChangeWinner ? el('p', { class: 'notice warn', dataset: { flagsChangeWinner: 'true' } },
      `Flagged votes decide this category: without them, ${c.winnerWithoutFlagged ? titleOf(c.winnerWithoutFlagged) : 'no single entry'} would win. `
      + 'See the flagged voters above.') : null,
    rows.length === 0 ? el('p', { class: 'muted' }, 'No finalists.') :
      el('div', { class: 'table-scroll' }, el('table', {},
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col', class: 'num' }, 'Rank'), el('th', { scope: 'col' }, 'Finalist'),
          el('th', { scope: 'col' }, 'Votes by score'), el('th', { scope: 'col', class: 'num' }, 'Phones'),
          el('th', { scope: 'col', class: 'num' }, 'Paper'), el('th', { scope: 'col', class: 'num' }, 'Flagged'),
          el('th', { scope: 'col', class: 'num' }, 'Mean'),
          el('th', { scope: 'col' }, el('span', { class: 'sr-only' }, 'Actions')))),
        el('tbody', {}, rows.map(r => el('tr', { dataset: { entry: r.entryId } },
          el('td', { class: 'num' }, r.count ? String(r.rank) : '–'),
          el('td', {}, el('div', { class: 'title' }, r.title, tied.includes(r.entryId) ? el('span', { class: 'badge tie', style: 'margin-left:.5rem' }, 'tied') : null), el('div', { class: 'small muted' },
            r.editors.join(', '), votable.has(r.entryId) && status !== 'closed' ? ' · taking votes' : '')),
          el('td', {}, distribution(r, tally.scoreMin, tally.scoreMax)),
          el('td', { class: 'num', dataset: { turnout: r.entryId } }, String(sum(r.online))),
          el('td', { class: 'num' }, String(sum(r.paper))),
          el('td', { class: 'num', dataset: { flagged: r.entryId } }, flaggedText(r)),
          el('td', { class: 'num', dataset: { mean: r.entryId } }, r.mean === null ? '–' : Number(r.mean).toFixed(2)),
          el('td', {}, el('button', { type: 'button', class: 'small', disabled: revealed, onclick: () => openPaper(r) }, 'Paper…'))))))),
    c.outcome.blocker && !revealed && c.outcome.blocker !== 'category-open' ? el('p', { class: 'small muted' }, reasonText[c.outcome.blocker] ?? c.outcome.blocker) : null);
}

// Flagged voters: the clusters the server flags, each with the coordinator's decision and a note box. The list is
// redrawn only when it changes, keeping what is typed in the note boxes and where the focus was.
const notes = new Map();
let flagsShown = '';

function renderFlags() {
  const flags = tally.flags ?? [];
  const key = JSON.stringify(flags);
  if (key === flagsShown) return;
  flagsShown = key;
  const open = flags.filter(f => f.flagged && !f.excluded && !f.locked).length;
  const badge = $('#flags-count');
  badge.className = `badge ${open ? 'warn' : 'closed'}`;
  badge.textContent = open ? `${open} to look at` : flags.length ? 'All decided' : 'None';
  const focused = document.activeElement?.id;
  fill($('#flags'), flags.length ? flags.map(flagCard) : el('p', { class: 'muted' }, 'Nothing flagged.'));
  if (focused) document.getElementById(focused)?.focus();
}

function flagCard(f) {
  const id = `flag-${f.id}`;
  const action = f.excluded ? 'include' : 'exclude';
  const who = f.entries.map(titleOf).join(', ');
  return el('article', { class: 'flag', dataset: { cluster: f.id }, 'aria-labelledby': `${id}-title` },
    el('div', { class: 'card-head' },
      el('h3', { id: `${id}-title` }, `${f.reason === 'burst' ? 'Burst' : 'Drip'}: ${f.voters} voter(s) for ${who}`),
      f.excluded ? el('span', { class: 'badge ok' }, 'Excluded') : f.flagged ? el('span', { class: 'badge warn' }, 'Still counted') : null,
      !f.flagged ? el('span', { class: 'badge closed' }, 'No longer flagged') : null,
      f.locked ? el('span', { class: 'badge closed' }, 'Revealed: final') : null),
    el('p', {}, f.summary),
    f.decision ? el('p', { class: 'small muted' },
      `${f.decision.action === 'exclude' ? 'Excluded' : 'Counted again'} by ${f.decision.decidedBy} at ${time(f.decision.decidedAt)}: “${f.decision.note}”`) : null,
    f.locked ? null : el('form', { class: 'inline-fields', novalidate: true, onsubmit: event => decide(event, f, action) },
      el('div', { class: 'field', style: 'flex:1;min-width:16rem' },
        el('label', { for: `${id}-note` }, f.excluded ? 'Why count these ballots again (required)' : 'Why exclude these ballots (required)'),
        el('input', {
          id: `${id}-note`, name: 'note', type: 'text', required: true, maxlength: '500', value: notes.get(f.id) ?? '',
          oninput: event => notes.set(f.id, event.currentTarget.value),
        })),
      el('div', { class: 'field', style: 'align-self:flex-end' },
        el('button', { type: 'submit', class: f.excluded ? '' : 'danger' }, f.excluded ? 'Count again' : 'Exclude'))));
}

async function decide(event, f, action) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  const note = notes.get(f.id) ?? '';
  notes.delete(f.id); // the redraw that follows the decision starts with an empty box
  try {
    await api('POST', `/api/integrity/clusters/${f.id}/${action}`, { note: note.trim() });
    const box = document.getElementById(`flag-${f.id}-note`);
    if (box) box.value = '';
    say(action === 'exclude' ? `Excluded: ${f.voters} voter(s)' ballots no longer count.` : 'Those ballots count again.', 'ok');
  } catch (error) {
    notes.set(f.id, note);
    if (!showFieldErrors(form, error)) say(describe(error), 'bad');
  }
}

function renderTally() {
  if (!tally || !contest) return;
  renderFlags();
  fill($('#categories'), tally.categories.map(categoryCard));
  const b = tally.bestInShow;
  const ballot = voting?.bestInShow ?? b.ballot;
  const badge = $('#bis-status');
  badge.className = `badge ${ballot === 'open' ? 'open' : ballot === 'closed' ? 'closed' : 'pending'}`;
  badge.textContent = ballot === 'notOpen' ? 'Not open' : ballot === 'open' ? 'Ballot open' : 'Ballot closed';
  const byBallot = b.method === 'ballot';
  $('#bis-open').hidden = $('#bis-close').hidden = !byBallot;
  $('#bis-open').disabled = ballot === 'open' || !!b.revealedAt;
  $('#bis-close').disabled = ballot !== 'open';
  $('#bis-method').textContent = (byBallot ? 'The audience picks one finalist on a ballot.' : 'Decided by the finalists’ scores (top score).')
    + (b.keepsCategoryPrize ? ' Its winner keeps its category prize.' : ' Its winner’s category prize passes to the runner-up.');
  fill($('#bis-rows'), b.rows.slice(0, 5).map(r => el('li', {},
    el('strong', {}, r.title), ` — ${r.category}: `, byBallot ? `${r.picks} pick(s)` : `mean ${r.mean ?? '–'} (${r.count} votes)`,
    r.flagged ? ` · ${r.flagged} flagged` : '')));
  const tie = b.outcome.tied ?? [];
  fill($('#bis-tie'), tie.length > 1 && !b.outcome.decidedEntryId ? el('span', { class: 'badge tie' }, `Tie: ${tie.map(titleOf).join(' = ')}`) : '',
    b.flagsChangeWinner ? el('p', { class: 'notice warn' },
      `Flagged picks decide Best In Show: without them, ${b.winnerWithoutFlagged ? titleOf(b.winnerWithoutFlagged) : 'no single entry'} would win.`) : '');
  renderAwards();
  renderShow();
}

function renderAwards() {
  const awards = tally.awards;
  fill($('#award-presets'), awards.presets.map(p => el('option', { value: p })));
  fill($('#awards'), awards.awards.length ? awards.awards.map(a => el('tr', { dataset: { award: a.id } },
    el('td', { class: 'title' }, a.name), el('td', {}, `${a.entry.title} `, el('span', { class: 'muted small' }, a.entry.category)),
    el('td', { class: 'muted' }, a.note ?? ''),
    el('td', {}, el('button', {
      type: 'button', class: 'small danger', onclick: e => act(e.currentTarget, () => api('DELETE', `/api/awards/${a.id}`), { done: `${a.name} taken back.` }),
    }, 'Remove')))) : el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No awards yet.')));
}

function fillEntrySelect() {
  fill($('#award-entry'), el('option', { value: '' }, 'Choose a finalist…'), contest.categories.map(c => el('optgroup', { label: c.name },
    contest.entries.filter(e => e.categoryId === c.id).map(e => el('option', { value: String(e.id) }, `${e.position}. ${e.title}`)))));
}

$('#award-form').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  const body = { name: $('#award-name').value.trim(), entryId: Number($('#award-entry').value) || null };
  const note = $('#award-note').value.trim();
  if (note) body.note = note;
  try {
    const award = await api('POST', '/api/awards', body);
    say(`${award.name} given to ${award.entry.title}.`, 'ok');
    form.reset();
  } catch (error) {
    if (!showFieldErrors(form, error)) say(describe(error), 'bad');
  }
});

// Paper ballots: one number per score.
let paperEntry = null;
function openPaper(row) {
  paperEntry = row;
  $('#paper-entry').textContent = row.title;
  const fields = [];
  for (let s = tally.scoreMax; s >= tally.scoreMin; s--) {
    fields.push(el('div', { class: 'field' },
      el('label', { for: `paper-${s}` }, `Score ${s}`),
      el('input', { id: `paper-${s}`, name: `counts.${s}`, type: 'number', min: '0', step: '1', inputmode: 'numeric', value: String(row.paper?.[s] ?? 0) })));
  }
  fill($('#paper-fields'), fields);
  clearFieldErrors($('#paper-form'));
  $('#paper-dialog').showModal();
}
$('#paper-cancel').addEventListener('click', () => $('#paper-dialog').close());
$('#paper-form').addEventListener('submit', async event => {
  event.preventDefault();
  const counts = {};
  for (let s = tally.scoreMin; s <= tally.scoreMax; s++) counts[s] = Number($(`#paper-${s}`).value || 0);
  try {
    await api('PUT', `/api/entries/${paperEntry.entryId}/paper`, { counts });
    $('#paper-dialog').close();
    say(`Paper ballots saved for ${paperEntry.title}.`, 'ok');
  } catch (error) {
    if (!showFieldErrors($('#paper-form'), error)) say(describe(error), 'bad', $('#paper-entry'));
  }
});

$('#bis-open').addEventListener('click', e => act(e.currentTarget, () => api('POST', '/api/voting/best-in-show/open')));
$('#bis-close').addEventListener('click', e => act(e.currentTarget, () => api('POST', '/api/voting/best-in-show/close')));

connectHub({
  showChanged: s => { show = s; renderShow(); },
  // Pushes carry one change each; the few consoles simply fetch the whole snapshot (the newest of crossing answers wins).
  votingChanged: () => api('GET', '/api/voting').then(v => {
    if (!voting || v.version >= voting.version) { voting = v; renderTally(); }
  }, () => {}),
  tallyChanged: t => { tally = t; renderTally(); },
  votersOnline: showPhones,
  playerPresence: p => {
    $('#presence').dataset.connected = String(p.connected);
    $('#presence').textContent = p.connected ? 'Player connected' : 'Player not connected';
  },
}, async connection => {
  contest = await loadContest();
  fillEntrySelect();
  [voting, tally] = await Promise.all([api('GET', '/api/voting'), api('GET', '/api/tallies')]);
  show = await connection.invoke('GetShow');
  const p = await connection.invoke('GetPlayerPresence');
  $('#presence').dataset.connected = String(p.connected);
  $('#presence').textContent = p.connected ? 'Player connected' : 'Player not connected';
  renderTally();
});
setInterval(() => { $('#remaining').textContent = clock(remainingSeconds(show)); }, 1000);
