// The coordinator's selection: per category the entries ranked by the judges' mean (GET /api/selection); each
// marked finalist, not selected, disqualified (a reason) or pending (PUT /api/selection/entries/{id}/outcome);
// the finalists' running order (PUT /api/selection/categories/{id}/order); promotion to the show
// (POST /api/selection/promote) and the outcomes published (PUT /api/selection/published).
import { api, el, fill, $, say, describe, act } from './console.js';

const outcomes = { pending: 'Pending', finalist: 'Finalist', 'not-selected': 'Not selected', disqualified: 'Disqualified' };
let view = null;

const number = n => n == null ? '–' : Number(n).toFixed(2).replace(/\.?0+$/, '').replace('-', '−');

function verdicts(e) {
  if (e.verdicts.length === 0) return el('span', { class: 'muted' }, 'none');
  return el('details', {},
    el('summary', {}, `${e.verdicts.length} judge${e.verdicts.length === 1 ? '' : 's'}` +
      (e.verdicts.some(v => v.ruleFlag) ? ' · flagged' : '')),
    el('ul', { class: 'small' }, e.verdicts.map(v => el('li', {},
      `${v.judge}: ${v.score ?? 'no score'}`,
      v.ruleFlag ? [' ', el('span', { class: 'badge bad' }, v.ruleFlag)] : null,
      v.note ? ` — ${v.note}` : null))));
}

function row(category, e, finalists) {
  const select = el('select', { 'aria-label': `Outcome of ${e.title}` },
    Object.entries(outcomes).map(([value, label]) => el('option', { value, selected: value === e.outcome }, label)));
  const reason = el('input', { type: 'text', value: e.reason ?? '', maxlength: 500, placeholder: 'reason', 'aria-label': `Reason for ${e.title}` });
  const save = el('button', { type: 'button', class: 'small', onclick: ev => act(ev.currentTarget, async () => {
    await api('PUT', `/api/selection/entries/${e.id}/outcome`, { outcome: select.value, reason: reason.value || null });
    await load();
  }, { done: `${e.title}: ${outcomes[select.value]}.` }) }, 'Set');
  const position = finalists.indexOf(e.id);
  const move = delta => ev => act(ev.currentTarget, async () => {
    const order = [...finalists];
    order.splice(position, 1);
    order.splice(position + delta, 0, e.id);
    await api('PUT', `/api/selection/categories/${category.id}/order`, { submissionIds: order });
    await load();
  });
  const flagged = e.verdicts.some(v => v.ruleFlag);
  return el('tr', { dataset: { entry: e.id, outcome: e.outcome }, class: e.outcome === 'disqualified' ? 'disqualified' : null },
    el('td', { class: 'num' }, e.rank),
    el('td', {}, el('div', { class: 'title' }, e.title), el('div', { class: 'small muted' }, e.editors.join(', ')),
      e.repeatOf ? el('div', { class: 'small' }, el('span', { class: 'badge warn' }, 'likely repeat'), ` ${e.repeatOf}`) : null,
      e.judgeable ? null : el('div', { class: 'small' }, el('span', { class: 'badge bad' }, 'withdrawn or file not passed'))),
    el('td', { class: 'num', dataset: { mean: e.mean ?? '' } }, number(e.mean)),
    el('td', { class: 'num nowrap' }, e.spread == null ? '–' : `${number(e.spread)} (${number(e.lowest)}…${number(e.highest)})`),
    el('td', { class: 'num' }, `${e.scored}/${category.judges}`),
    el('td', {}, flagged ? el('span', { class: 'badge bad' }, 'rule flag') : null, verdicts(e)),
    el('td', {}, el('div', { class: 'outcome' }, select, reason, save)),
    el('td', { class: 'nowrap' }, e.outcome === 'finalist'
      ? [el('span', { class: 'badge accent' }, `#${e.finalistPosition}`), ' ',
         el('button', { type: 'button', class: 'small', disabled: position === 0, onclick: move(-1), 'aria-label': `Move ${e.title} up` }, '↑'),
         el('button', { type: 'button', class: 'small', disabled: position === finalists.length - 1, onclick: move(1), 'aria-label': `Move ${e.title} down` }, '↓')]
      : null,
      e.promotedEntryId ? el('span', { class: 'badge ok' }, 'in the show') : null));
}

function category(c) {
  const finalists = c.entries.filter(e => e.outcome === 'finalist').sort((a, b) => a.finalistPosition - b.finalistPosition).map(e => e.id);
  return el('section', { class: 'card', 'aria-labelledby': `category-${c.id}`, dataset: { category: c.id } },
    el('div', { class: 'card-head' }, el('h2', { id: `category-${c.id}` }, c.name),
      el('span', { class: 'badge accent' }, `${finalists.length} of ${c.finalistLimit} finalists`),
      el('span', { class: 'small muted' }, `${c.judges} judge${c.judges === 1 ? '' : 's'}`)),
    c.entries.length === 0 ? el('p', { class: 'placeholder' }, 'No entry to judge in this category.')
      : el('div', { style: 'overflow-x:auto' }, el('table', {},
          el('thead', {}, el('tr', {}, ['#', 'Entry', 'Mean', 'Spread', 'Scored', 'Judges’ notes', 'Outcome', 'Running order']
            .map((h, i) => el('th', { class: [0, 2, 3, 4].includes(i) ? 'num' : null, scope: 'col' }, h)))),
          el('tbody', {}, c.entries.map(e => row(c, e, finalists))))));
}

async function load() {
  view = await api('GET', '/api/selection');
  $('#state').textContent = [
    `Judging scale ${view.scale.min} to ${view.scale.max}${view.scale.blind ? ', blind' : ''}.`,
    view.outcomesPublishedAt ? `Outcomes published ${new Date(view.outcomesPublishedAt).toLocaleString()}.` : 'Outcomes not published.',
    view.showHasVotes ? 'The show has votes: promotion is closed.' : '',
  ].join(' ');
  $('#publish').textContent = view.outcomesPublishedAt ? 'Take outcomes back' : 'Publish outcomes';
  fill($('#categories'), view.categories.map(category));
  $('#categories').dataset.ready = 'true';
}

$('#promote').addEventListener('click', ev => {
  if (!confirm('Replace the show’s finalists with the selected ones, in their running order?')) return;
  act(ev.currentTarget, async () => {
    const promoted = await api('POST', '/api/selection/promote');
    await load();
    say(`${promoted.finalists} finalists are in the show now: see Finalists, and the player’s pre-flight.`, 'ok');
  });
});

$('#publish').addEventListener('click', ev => act(ev.currentTarget, async () => {
  await api('PUT', '/api/selection/published', { published: !view.outcomesPublishedAt });
  await load();
}, { done: 'Done.' }));

load().catch(e => say(describe(e), 'bad'));
