// Contest setup (coordinators): details and voting rules, saved with PUT /api/contest/details; errors beside the fields;
// the latest pre-flight report (GET /api/preflight), a failed finalist movable to the end of its category, a file the
// player found changed since the check flagged.
import { api, el, fill, $, say, describe, act, showFieldErrors, clearFieldErrors, moveToEnd, preflightFlags, changedSincePreflight } from './console.js';

const form = $('#details');

function fillForm(c) {
  $('#name').value = c.name;
  $('#year').value = c.year;
  $('#publicBaseUrl').value = c.publicBaseUrl ?? '';
  $('#scoreMin').value = c.voting.scoreMin;
  $('#scoreMax').value = c.voting.scoreMax;
  for (const radio of form.querySelectorAll('input[name="bestInShowMethod"]')) radio.checked = radio.value === c.voting.bestInShowMethod;
  $('#keeps').checked = c.voting.bestInShowKeepsCategoryPrize;
  for (const radio of form.querySelectorAll('input[name="prizegiving"]')) radio.checked = radio.value === c.prizegiving;
  $('#autoClose').value = c.voting.autoCloseMinutes ?? '';
  $('#requireCards').checked = c.voting.requireCards;
  $('#rotateAtCategoryCard').checked = c.roomCode.rotateAtCategoryCard;
  $('#rotateEveryMinutes').value = c.roomCode.rotateEveryMinutes ?? '';
  $('#showOnScreenView').checked = c.roomCode.showOnScreenView;
  $('#maxFileMegabytes').value = c.limits.maxFileMegabytes;
  $('#maxDurationSeconds').value = c.limits.maxDurationSeconds;
  $('#loudnessTargetLufs').value = c.limits.loudnessTargetLufs;
  $('#judgingMin').value = c.judging.min;
  $('#judgingMax').value = c.judging.max;
  $('#blindJudging').checked = c.judging.blind;
  $('#entriesOpensAt').value = c.entries.opensAt ?? '';
  $('#entriesDeadline').value = c.entries.deadline ?? '';
  $('#entriesTimeZone').value = c.entries.timeZone;
  $('#entriesPremieredAfter').value = c.entries.premieredAfter ?? '';
  $('#entriesMaxPerPerson').value = c.entries.maxPerPerson;
  $('#entriesMaxPerCategory').value = c.entries.maxPerPersonPerCategory;
}

const number = input => input.value.trim() === '' ? null : Number(input.value);

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearFieldErrors(form);
  const body = {
    name: $('#name').value,
    year: number($('#year')) ?? 0,
    publicBaseUrl: $('#publicBaseUrl').value.trim() || null,
    prizegiving: form.querySelector('input[name="prizegiving"]:checked')?.value ?? '',
    voting: {
      scoreMin: number($('#scoreMin')) ?? 0,
      scoreMax: number($('#scoreMax')) ?? 0,
      bestInShowMethod: form.querySelector('input[name="bestInShowMethod"]:checked')?.value ?? '',
      bestInShowKeepsCategoryPrize: $('#keeps').checked,
      autoCloseMinutes: number($('#autoClose')),
      requireCards: $('#requireCards').checked,
    },
    roomCode: {
      rotateAtCategoryCard: $('#rotateAtCategoryCard').checked,
      rotateEveryMinutes: number($('#rotateEveryMinutes')),
      showOnScreenView: $('#showOnScreenView').checked,
    },
    limits: {
      maxFileMegabytes: number($('#maxFileMegabytes')) ?? 0,
      maxDurationSeconds: number($('#maxDurationSeconds')) ?? 0,
      loudnessTargetLufs: number($('#loudnessTargetLufs')) ?? 0,
    },
    judging: {
      min: number($('#judgingMin')) ?? 0,
      max: number($('#judgingMax')) ?? 0,
      blind: $('#blindJudging').checked,
    },
    entries: {
      opensAt: $('#entriesOpensAt').value.trim() || null,
      deadline: $('#entriesDeadline').value.trim() || null,
      timeZone: $('#entriesTimeZone').value.trim(),
      premieredAfter: $('#entriesPremieredAfter').value || null,
      maxPerPerson: number($('#entriesMaxPerPerson')) ?? 0,
      maxPerPersonPerCategory: number($('#entriesMaxPerCategory')) ?? 0,
    },
  };
  try {
    fillForm(await api('PUT', '/api/contest/details', body));
    say('Saved.', 'ok');
  } catch (error) {
    const shown = showFieldErrors(form, error);
    say(shown ? `Not saved: ${error.problem?.detail ?? 'check the fields marked below.'}` : describe(error), 'bad');
  }
});

// data-ready: the form holds the contest and saves through the API (tests wait for it before acting).
api('GET', '/api/contest').then(c => { fillForm(c.contest); fillCategories(c.categories); form.dataset.ready = 'true'; }).catch(e => say(describe(e), 'bad'));

// --- Categories on the entry portal: description and finalist limit, each saved with PUT /api/contest/categories/{id} ---

function fillCategories(categories) {
  const box = $('#entry-categories');
  if (!categories.length) {
    fill(box, el('p', { class: 'muted' }, 'No categories yet: add them on the Finalists page or import a contest file.'));
    return;
  }
  fill(box, categories.map(c => {
    const description = el('textarea', { id: `cd-${c.id}`, name: 'description', rows: '2', maxlength: '1000' }, c.description);
    const limit = el('input', { id: `cl-${c.id}`, name: 'finalistLimit', type: 'number', min: '1', max: '100', value: String(c.finalistLimit) });
    const row = el('form', { class: 'entry-category', dataset: { category: c.id }, novalidate: true },
      el('h3', {}, c.name),
      el('div', { class: 'field' }, el('label', { for: `cd-${c.id}` }, 'Description'), description),
      el('div', { class: 'inline-fields' },
        el('div', { class: 'field' }, el('label', { for: `cl-${c.id}` }, 'Finalists at most'), limit),
        el('div', { class: 'field' }, el('button', { type: 'submit' }, `Save ${c.name}`))));
    row.addEventListener('submit', async event => {
      event.preventDefault();
      clearFieldErrors(row);
      try {
        await api('PUT', `/api/contest/categories/${c.id}`, { name: c.name, description: description.value, finalistLimit: number(limit) ?? 0 });
        say(`${c.name} saved.`, 'ok');
      } catch (error) {
        if (!showFieldErrors(row, error)) say(describe(error), 'bad');
      }
    });
    return row;
  }));
}

// --- Pre-flight report --------------------------------------------------------------------------------------------

const fixed = (n, digits = 1) => Number(n).toFixed(digits).replace('-', '−');
const length = seconds => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}.${Math.floor((seconds * 10) % 10)}`;
const size = bytes => bytes < 104857 ? `${bytes.toLocaleString('en')} bytes` : `${(bytes / 1048576).toFixed(1)} MB`;
const statusBadge = { ok: ['ok', 'ok'], warning: ['warn', 'warning'], error: ['bad', 'failed'] };

function preflightRow(e, i, changed) {
  const [badge, word] = statusBadge[e.status] ?? ['closed', e.status];
  const loudness = e.loudness
    ? [el('div', {}, `${fixed(e.loudness.integratedLufs)} LUFS`),
       el('div', { class: 'small muted' }, `LRA ${fixed(e.loudness.rangeLu)} LU · TP ${fixed(e.loudness.truePeakDbtp)} dBTP`)]
    : '—';
  const cut = e.decodedSeconds != null && e.durationSeconds != null && e.durationSeconds - e.decodedSeconds > 0.5;
  return el('tr', { dataset: { entry: e.entryId ?? '', status: e.status } },
    el('td', { class: 'num' }, String(i + 1)),
    el('td', {},
      el('div', {}, `${e.category} ${e.order} · `, el('strong', {}, e.title)),
      el('div', { class: 'small muted' }, e.file ?? e.videoPath ?? 'no file set'),
      e.issues.length ? el('ul', { class: 'issues small' }, e.issues.map(issue => el('li', { class: issue.severity === 'error' ? 'bad' : 'warning-line' }, issue.message))) : null),
    el('td', {}, el('span', { class: `badge ${badge}` }, word),
      changed.has(e.entryId) ? el('div', {}, el('span', { class: 'badge warn', dataset: { changed: 'true' }, title: 'The player found its file is not the one this check saw.' }, changedSincePreflight)) : null),
    el('td', { class: 'num' }, e.durationSeconds != null ? length(e.durationSeconds) : '—', cut ? el('div', { class: 'small bad' }, `plays ${length(e.decodedSeconds)}`) : null),
    el('td', { class: 'small' }, e.width ? `${e.width}×${e.height}` : '—', e.frameRate ? el('div', { class: 'muted' }, `${e.frameRate} fps`) : null),
    el('td', { class: 'small' }, e.videoCodec ? `${e.videoCodec}${e.videoProfile ? ` ${e.videoProfile}` : ''}` : '—',
      el('div', { class: 'muted' }, [e.pixelFormat, e.audioCodec, e.container].filter(Boolean).join(' · '))),
    el('td', { class: 'small' }, loudness),
    el('td', { class: 'num small' }, e.sizeBytes != null ? size(e.sizeBytes) : '—'),
    el('td', { class: 'actions-cell' }, e.status === 'error' && e.entryId
      ? el('button', { type: 'button', class: 'small', dataset: { moveToEnd: e.entryId },
          onclick: ev => act(ev.currentTarget, () => moveToEnd(e.entryId), { done: `${e.title} now plays last in ${e.category}.` }) }, 'Move to the end of its category')
      : null));
}

async function loadPreflight() {
  const summary = $('#preflight-summary');
  // Asked first so that a contest without a report does not answer 404 (which a browser logs as an error).
  const flags = await preflightFlags();
  if (!flags.hasReport) {
    fill(summary, 'No report yet: run the pre-flight check on the player machine.');
    return;
  }
  const stored = await api('GET', '/api/preflight');
  const r = stored.report;
  const s = r.summary;
  const target = r.limits?.loudnessTargetLufs;
  fill(summary,
    el('strong', {}, `${s.total} checked: ${s.ok} ok, ${s.warnings} with warnings, ${s.errors} with errors.`), ' ',
    s.errors ? el('span', { class: 'badge bad' }, 'fix before the show') : el('span', { class: 'badge ok' }, 'every finalist will play'),
    el('div', { class: 'small muted' }, `Checked ${new Date(r.checkedAt ?? stored.receivedAt).toLocaleString()}${r.machine ? ` on ${r.machine}` : ''}` +
      (target != null ? ` · loudness target ${fixed(target)} LUFS` : '')));
  fill($('#preflight-rows'), (r.entries ?? []).map((e, i) => preflightRow(e, i, flags.changed)));
  $('#preflight-files').hidden = !(r.entries ?? []).length;
}

loadPreflight().then(() => { $('#preflight-summary').dataset.ready = 'true'; }).catch(e => say(describe(e), 'bad'));
