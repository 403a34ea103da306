// Categories and finalists (coordinators): add, edit, reorder, disqualify, delete — through the contest-editing API.
// A finalist whose file failed the latest pre-flight check is flagged, and can be sent to the end of its category; one
// whose file the player found changed since the check is flagged too.
import { api, el, fill, $, say, describe, act, showFieldErrors, clearFieldErrors, loadContest, preflightFlags, changedSincePreflight, moveToEnd } from './console.js';

let contest = null;
let preflight = { failed: new Set(), changed: new Set() }; // entry ids whose file failed its pre-flight check, or changed since
let editing = null; // entry id being edited, or null for a new one

const list = text => text.split('|').map(s => s.trim()).filter(Boolean);

async function reload() {
  [contest, preflight] = await Promise.all([loadContest(), preflightFlags()]);
  render();
}

function move(ids, index, by) {
  const copy = [...ids];
  const [item] = copy.splice(index, 1);
  copy.splice(index + by, 0, item);
  return copy;
}

function render() {
  const categoryIds = contest.categories.map(c => c.id);
  fill($('#categories'), contest.categories.map((c, ci) => {
    const entries = contest.entries.filter(e => e.categoryId === c.id);
    const entryIds = entries.map(e => e.id);
    return el('section', { class: 'card', dataset: { category: c.id }, 'aria-labelledby': `c-${c.id}` },
      el('div', { class: 'card-head' },
        el('h2', { id: `c-${c.id}` }, `${c.position}. ${c.name}`),
        el('span', { class: 'small muted' }, `${entries.length} finalist(s)`),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'small', disabled: ci === 0, 'aria-label': `Move ${c.name} up`,
            onclick: e => act(e.currentTarget, async () => { await api('PUT', '/api/contest/categories/order', { categoryIds: move(categoryIds, ci, -1) }); await reload(); }) }, '↑'),
          el('button', { type: 'button', class: 'small', disabled: ci === categoryIds.length - 1, 'aria-label': `Move ${c.name} down`,
            onclick: e => act(e.currentTarget, async () => { await api('PUT', '/api/contest/categories/order', { categoryIds: move(categoryIds, ci, 1) }); await reload(); }) }, '↓'),
          el('button', { type: 'button', class: 'small', onclick: e => rename(e.currentTarget, c) }, 'Rename'),
          el('button', { type: 'button', class: 'small danger', disabled: entries.length > 0, title: entries.length ? 'Delete or move its finalists first' : '',
            onclick: e => { if (confirm(`Delete the category ${c.name}?`)) act(e.currentTarget, async () => { await api('DELETE', `/api/contest/categories/${c.id}`); await reload(); }, { done: `${c.name} deleted.` }); } }, 'Delete'))),
      entries.length === 0 ? el('p', { class: 'muted' }, 'No finalists yet.') : el('div', { class: 'table-scroll' }, el('table', { class: 'finalists' },
        el('colgroup', {}, el('col', { class: 'pos' }), el('col', { class: 'title' }), el('col', { class: 'music' }), el('col', { class: 'file' }), el('col', { class: 'actions' })),
        el('thead', {}, el('tr', {}, el('th', { class: 'num', scope: 'col' }, '#'), el('th', { scope: 'col' }, 'Title and editors'),
          el('th', { scope: 'col' }, 'Music'), el('th', { scope: 'col' }, 'File'), el('th', { scope: 'col' }, el('span', { class: 'sr-only' }, 'Actions')))),
        el('tbody', {}, entries.map((e, i) => el('tr', { class: e.disqualified ? 'disqualified' : '', dataset: { entry: e.id } },
          el('td', { class: 'num' }, String(e.position)),
          el('td', {}, el('div', { class: 'title' }, e.title), el('div', { class: 'small muted' }, e.editors.join(', '),
            e.contentNote ? ` · ⚠ ${e.contentNote}` : ''), e.disqualified ? el('span', { class: 'badge bad' }, 'Disqualified') : null,
            preflight.failed.has(e.id) ? el('span', { class: 'badge bad', dataset: { preflight: 'failed' }, title: 'Its file failed the latest pre-flight check: see Contest setup.' }, 'Failed pre-flight') : null,
            preflight.changed.has(e.id) ? el('span', { class: 'badge warn', dataset: { preflight: 'changed' }, title: 'The player found its file is not the one the pre-flight check saw.' }, changedSincePreflight) : null),
          el('td', { class: 'small' }, `${e.musicArtist} — ${e.musicTitle}`),
          el('td', { class: 'small muted' }, e.videoPath ?? '—'),
          el('td', { class: 'actions-cell' },
            el('button', { type: 'button', class: 'small', disabled: i === 0, 'aria-label': `Move ${e.title} up`,
              onclick: ev => act(ev.currentTarget, async () => { await api('PUT', `/api/contest/categories/${c.id}/order`, { entryIds: move(entryIds, i, -1) }); await reload(); }) }, '↑'),
            el('button', { type: 'button', class: 'small', disabled: i === entries.length - 1, 'aria-label': `Move ${e.title} down`,
              onclick: ev => act(ev.currentTarget, async () => { await api('PUT', `/api/contest/categories/${c.id}/order`, { entryIds: move(entryIds, i, 1) }); await reload(); }) }, '↓'),
            preflight.failed.has(e.id) ? el('button', { type: 'button', class: 'small', disabled: i === entries.length - 1, 'aria-label': `Move ${e.title} to the end of ${c.name}`,
              onclick: ev => act(ev.currentTarget, async () => { await moveToEnd(e.id); await reload(); }, { done: `${e.title} now plays last in ${c.name}.` }) }, 'To the end') : null,
            el('button', { type: 'button', class: 'small', onclick: () => openEntry(e) }, 'Edit'),
            el('button', { type: 'button', class: 'small', dataset: { disqualify: e.id },
              onclick: ev => act(ev.currentTarget, async () => { await api('PUT', `/api/contest/entries/${e.id}`, fieldsOf(e, { disqualified: !e.disqualified })); await reload(); },
                { done: `${e.title} ${e.disqualified ? 'reinstated' : 'disqualified'}.` }) }, e.disqualified ? 'Reinstate' : 'Disqualify'),
            el('button', { type: 'button', class: 'small danger',
              onclick: ev => { if (confirm(`Delete ${e.title}?`)) act(ev.currentTarget, async () => { await api('DELETE', `/api/contest/entries/${e.id}`); await reload(); }, { done: `${e.title} deleted.` }); } }, 'Delete'))))))));
  }));
  fill($('#e-category'), contest.categories.map(c => el('option', { value: String(c.id) }, c.name)));
}

const fieldsOf = (e, changes = {}) => ({
  categoryId: e.categoryId, title: e.title, editors: e.editors, musicArtist: e.musicArtist, musicTitle: e.musicTitle,
  sources: e.sources, file: e.videoPath, contentNote: e.contentNote, disqualified: e.disqualified, ...changes,
});

async function rename(button, category) {
  const name = prompt('New name of the category', category.name);
  if (name === null || name.trim() === category.name) return;
  await act(button, async () => { await api('PUT', `/api/contest/categories/${category.id}`, { name }); await reload(); }, { done: 'Renamed.' });
}

function openEntry(e) {
  editing = e?.id ?? null;
  const form = $('#entry-form');
  form.reset();
  clearFieldErrors(form);
  $('#entry-heading').textContent = e ? `Edit “${e.title}”` : 'Add a finalist';
  if (e) {
    $('#e-category').value = String(e.categoryId);
    $('#e-title').value = e.title;
    $('#e-editors').value = e.editors.join(' | ');
    $('#e-artist').value = e.musicArtist;
    $('#e-song').value = e.musicTitle;
    $('#e-sources').value = e.sources.join(' | ');
    $('#e-file').value = e.videoPath ?? '';
    $('#e-note').value = e.contentNote ?? '';
    $('#e-dq').checked = e.disqualified;
  }
  $('#entry-dialog').showModal();
  $('#e-title').focus();
}

$('#add-entry').addEventListener('click', () => openEntry(null));
$('#entry-cancel').addEventListener('click', () => $('#entry-dialog').close());
$('#entry-form').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  const body = {
    categoryId: Number($('#e-category').value), title: $('#e-title').value, editors: list($('#e-editors').value),
    musicArtist: $('#e-artist').value, musicTitle: $('#e-song').value, sources: list($('#e-sources').value),
    file: $('#e-file').value.trim() || null, contentNote: $('#e-note').value.trim() || null, disqualified: $('#e-dq').checked,
  };
  try {
    const saved = editing ? await api('PUT', `/api/contest/entries/${editing}`, body) : await api('POST', '/api/contest/entries', body);
    $('#entry-dialog').close();
    say(`${saved.title} saved.`, 'ok');
    await reload();
  } catch (error) {
    if (!showFieldErrors(form, error)) say(describe(error), 'bad');
  }
});

$('#category-form').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  try {
    const category = await api('POST', '/api/contest/categories', { name: $('#category-name').value });
    form.reset();
    say(`Category ${category.name} added.`, 'ok');
    await reload();
  } catch (error) {
    if (!showFieldErrors(form, error)) say(describe(error), 'bad');
  }
});

reload().catch(e => say(describe(e), 'bad'));
