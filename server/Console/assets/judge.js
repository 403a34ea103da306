// The judge's panel (judges only): the entries of their categories (GET /api/judging/panel), each playable in the
// page (the original file or its web-playable copy, with range requests), scored on the contest's judging scale with
// a note and, when it breaks a rule, the rule named (PUT /api/judging/entries/{id}/score). Editors are absent from the
// answer when judging is blind, so the page cannot show them.
import { api, el, fill, $, say, describe, showFieldErrors, clearFieldErrors } from './console.js';

const root = $('#categories');

function entryCard(entry, panel) {
  const { min, max } = panel.scale;
  const id = entry.id;
  const mine = entry.mine ?? {};
  const status = el('p', { class: 'small muted', id: `status-${id}`, role: 'status' }, mine.score != null ? `Saved: ${mine.score}` : 'Not scored yet');
  const form = el('form', { class: 'stack', novalidate: true, dataset: { entry: id } },
    el('div', { class: 'inline-fields' },
      el('div', { class: 'field' },
        el('label', { for: `score-${id}` }, `Score (${min} to ${max})`),
        el('input', { id: `score-${id}`, name: 'score', type: 'number', min, max, step: 1, value: mine.score ?? '' })),
      el('div', { class: 'field', style: 'flex:1;min-width:14rem' },
        el('label', { for: `flag-${id}` }, 'Rule problem'),
        el('select', { id: `flag-${id}`, name: 'ruleFlag' },
          el('option', { value: '' }, 'None'),
          panel.rules.map(r => el('option', { value: r.id, selected: mine.ruleFlag === r.id }, r.label))))),
    el('div', { class: 'field' },
      el('label', { for: `note-${id}` }, 'Note'),
      el('textarea', { id: `note-${id}`, name: 'note', maxlength: 2000, rows: 3, style: 'min-height:4rem' }, mine.note ?? '')),
    el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary' }, 'Save'), status));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearFieldErrors(form);
    const value = form.elements.score.value.trim();
    const body = {
      score: value === '' ? null : Number(value),
      note: form.elements.note.value,
      ruleFlag: form.elements.ruleFlag.value || null,
    };
    try {
      const saved = await api('PUT', `/api/judging/entries/${id}/score`, body);
      status.textContent = saved.score != null ? `Saved: ${saved.score}` : 'Saved (no score)';
      form.dataset.saved = 'true';
    } catch (error) {
      showFieldErrors(form, error);
      status.textContent = 'Not saved';
      say(describe(error), 'bad');
    }
  });
  const facts = [
    entry.editors ? ['Editors', entry.editors.join(', ')] : null,
    ['Music', `${entry.musicArtist} – ${entry.musicTitle}`],
    entry.sources.length ? ['Sources', entry.sources.join(', ')] : null,
    ['Premiered', entry.premieredOn],
    entry.contentNote ? ['Content note', entry.contentNote] : null,
  ].filter(Boolean);
  return el('article', { class: 'card', dataset: { entry: id }, 'aria-labelledby': `title-${id}` },
    el('h3', { id: `title-${id}` }, entry.title),
    el('dl', { class: 'facts small' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('video', { controls: true, preload: 'none', src: entry.video, style: 'width:100%;max-width:720px;background:#000', 'aria-label': `Video: ${entry.title}` }),
    form);
}

async function load() {
  try {
    const panel = await api('GET', '/api/judging/panel');
    $('#scale-hint').textContent = `Score each entry from ${panel.scale.min} to ${panel.scale.max}.` +
      (panel.scale.blind ? ' Judging is blind: editors are not shown.' : '');
    fill(root, panel.categories.length === 0
      ? el('p', { class: 'placeholder' }, 'No category is assigned to you yet. Ask the coordinator.')
      : panel.categories.map(c => el('section', { 'aria-labelledby': `category-${c.id}` },
          el('h2', { id: `category-${c.id}` }, `${c.name} (${c.entries.length})`),
          c.description ? el('p', { class: 'muted' }, c.description) : null,
          c.entries.length === 0 ? el('p', { class: 'placeholder' }, 'No entry to judge in this category yet.') : c.entries.map(e => entryCard(e, panel)))));
    root.dataset.ready = 'true';
  } catch (error) {
    say(describe(error), 'bad');
  }
}

load();
