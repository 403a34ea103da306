// Entries (coordinators): every entry with its contact, its file check and its repeat flag; clear a flag, check a file
// again; import the previous finalists. Reloads every few seconds while a file is being checked.
import { api, el, fill, $, say, describe, act, clock } from './console.js';

const stateNames = { none: 'No file yet', queued: 'Waiting', running: 'Checking', passed: 'Passed', failed: 'Failed' };
const stateClass = { none: 'closed', queued: 'pending', running: 'pending', passed: 'ok', failed: 'bad' };
let timer = null;

const megabytes = bytes => `${(bytes / 1048576).toFixed(1)} MB`;

async function reload() {
  const [entries, previous] = await Promise.all([api('GET', '/api/entries'), api('GET', '/api/previous-finalists')]);
  render(entries);
  $('#previous-count').textContent = previous.count === 0 ? 'No previous finalists imported yet.' : `${previous.count} previous finalist(s) on the list.`;
  clearTimeout(timer);
  if (entries.some(e => e.checkState === 'queued' || e.checkState === 'running' || (e.proxyNeeded && !e.hasProxy))) {
    timer = setTimeout(() => reload().catch(e => say(describe(e), 'bad')), 3000);
  }
}

function check(e) {
  const facts = [
    e.fileName ? `${e.fileName}${e.fileBytes ? `, ${megabytes(e.fileBytes)}` : ''}` : null,
    e.durationSeconds != null ? clock(e.durationSeconds) : null,
    e.integratedLufs != null ? `${e.integratedLufs.toFixed(1)} LUFS` : null,
    e.proxyNeeded ? (e.hasProxy ? 'web proxy ready' : 'web proxy being made') : null,
  ].filter(Boolean).join(' · ');
  return el('td', {},
    el('span', { class: `badge ${stateClass[e.checkState] ?? ''}`, dataset: { check: e.checkState } },
      e.checkState === 'running' && e.checkProgress != null ? `${stateNames.running} ${Math.round(e.checkProgress * 100)} %` : stateNames[e.checkState] ?? e.checkState),
    e.checkMessage ? el('div', { class: 'small', dataset: { message: '' } }, e.checkMessage) : null,
    facts ? el('div', { class: 'small muted' }, facts) : null);
}

function repeat(e) {
  if (!e.repeatOf) return el('td', { class: 'small muted' }, '—');
  return el('td', {},
    el('span', { class: `badge ${e.repeatCleared ? 'closed' : 'warn'}`, dataset: { repeat: e.repeatCleared ? 'cleared' : 'flagged' } },
      e.repeatCleared ? 'Reviewed: not a repeat' : 'Likely repeat'),
    el('div', { class: 'small' }, e.repeatOf));
}

function render(entries) {
  const counts = { passed: 0, failed: 0, waiting: 0, flagged: 0, withdrawn: 0 };
  for (const e of entries) {
    if (e.withdrawnAt) { counts.withdrawn++; continue; }
    if (e.checkState === 'passed') counts.passed++;
    else if (e.checkState === 'failed') counts.failed++;
    else if (e.checkState !== 'none') counts.waiting++;
    if (e.repeatOf && !e.repeatCleared) counts.flagged++;
  }
  $('#summary').textContent = `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${counts.passed} passed, ${counts.failed} failed, ` +
    `${counts.waiting} being checked, ${counts.flagged} likely repeat(s) to review, ${counts.withdrawn} withdrawn.`;
  $('#empty').hidden = entries.length > 0;
  fill($('#entries tbody'), entries.map(e => el('tr', { dataset: { entry: e.id }, class: e.withdrawnAt ? 'disqualified' : '' },
    el('td', {}, el('div', { class: 'title' }, e.title), el('div', { class: 'small muted' }, e.editors.join(', ')),
      el('div', { class: 'small muted' }, `${e.musicArtist} — ${e.musicTitle}`),
      e.withdrawnAt ? el('span', { class: 'badge closed', dataset: { withdrawn: '' } }, 'Withdrawn') : null),
    el('td', { class: 'small' }, e.category),
    el('td', { class: 'small' }, el('a', { href: `mailto:${e.contactEmail}` }, e.contactEmail)),
    check(e),
    repeat(e),
    el('td', { class: 'actions-cell' },
      e.repeatOf && !e.repeatCleared ? el('button', { type: 'button', class: 'small', 'aria-label': `Not a repeat: ${e.title}`,
        onclick: ev => act(ev.currentTarget, async () => { await api('POST', `/api/entries/${e.id}/clear-repeat`); await reload(); }, { done: `${e.title}: flag cleared.` }) }, 'Not a repeat') : null,
      e.checkState === 'passed' || e.checkState === 'failed' ? el('button', { type: 'button', class: 'small', 'aria-label': `Check again: ${e.title}`,
        onclick: ev => act(ev.currentTarget, async () => { await api('POST', `/api/entries/${e.id}/recheck`); await reload(); }, { done: `${e.title}: its file is checked again.` }) }, 'Check again') : null))));
}

$('#previous-form').addEventListener('submit', async event => {
  event.preventDefault();
  const file = $('#previous-file').files[0];
  fill($('#previous-errors'));
  if (!file) { say('Choose a .csv or .json file first.', 'warn'); return; }
  const text = (await file.text()).replace(/^\uFEFF/, '');
  const type = /\.json$/i.test(file.name) || text.trimStart().startsWith('[') ? 'application/json' : 'text/csv';
  try {
    const answer = await api('PUT', '/api/previous-finalists', text, { contentType: type });
    say(`Imported ${answer.imported} previous finalist(s); ${answer.flagged} entr${answer.flagged === 1 ? 'y' : 'ies'} flagged as likely repeats.`, 'ok');
    await reload();
  } catch (error) {
    if (error.status === 400 && error.problem?.errors) {
      fill($('#previous-errors'), Object.entries(error.problem.errors).map(([place, messages]) => el('li', {}, el('strong', {}, `${place}: `), [].concat(messages).join(' '))));
      say(`${error.problem.title} ${error.problem.detail ?? ''} Fix the file and import it again.`, 'bad');
    } else {
      say(describe(error), 'bad');
    }
  }
});

reload().catch(e => say(describe(e), 'bad'));
