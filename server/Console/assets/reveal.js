// Reveal (coordinators): the guided sequence. Each step reveals through the results API (the server pushes it to
// every phone) and can put the winner slate on the projector (SendPlayerCommand showWinner).
import { api, el, fill, $, say, describe, act, connectHub, sendPlayerCommand, loadContest } from './console.js';

let contest = null, tally = null, hub = null;

const blockers = {
  'category-open': 'Voting in this category is still open: close it first.',
  'no-votes': 'Nobody has voted here: there is no winner to reveal.',
  'tie-undecided': 'Tied at the top: choose the winner below (write down why), then reveal.',
  'best-in-show-undecided': 'Its Best In Show winner gives up the category prize, so this waits until Best In Show is settled: close the ballot (and decide any tie there).',
  'categories-not-revealed': 'Reveal every category first.',
  'ballot-open': 'The Best In Show ballot is still open: close it first.',
};

const entry = id => contest.entryById.get(id);
const nameOf = id => entry(id) ? `${entry(id).title} — ${entry(id).editors.join(', ')}` : `#${id}`;

function steps() {
  const list = tally.categories.filter(c => c.rows.length > 0).map(c => ({
    key: `category:${c.categoryId}`, title: c.name, prize: c, revealed: !!c.revealedAt,
    reveal: `/api/results/reveal/categories/${c.categoryId}`, scope: `category:${c.categoryId}`,
    close: c.status !== 'closed' ? `/api/voting/categories/${c.categoryId}/close` : null,
  }));
  const b = tally.bestInShow;
  list.push({ key: 'best-in-show', title: 'Best In Show', prize: b, revealed: !!b.revealedAt, reveal: '/api/results/reveal/best-in-show',
    scope: 'best-in-show', close: b.method === 'ballot' && b.ballot === 'open' ? '/api/voting/best-in-show/close' : null });
  list.push({ key: 'awards', title: 'Judges’ awards', awards: tally.awards.awards, revealed: !!tally.awards.revealedAt, reveal: '/api/results/reveal/awards' });
  return list;
}

function showButton(entryId, label = 'Show on screen') {
  return el('button', {
    type: 'button', dataset: { show: entryId },
    onclick: e => act(e.currentTarget, () => sendPlayerCommand(hub, 'showWinner', entryId), { done: `Winner slate sent to the player: ${entry(entryId)?.title}.` }),
  }, label);
}

function stepItem(step, index, current) {
  const state = step.revealed ? 'done' : index === current ? 'current' : 'waiting';
  const body = [el('h2', {}, step.title)];
  const actions = [];
  if (step.awards) {
    body.push(step.awards.length
      ? el('ul', {}, step.awards.map(a => el('li', { dataset: { award: a.id } }, el('strong', {}, a.name), `: ${a.entry.title} (${a.entry.category})`, a.note ? ` — ${a.note}` : '',
          step.revealed ? el('span', {}, ' ', showButton(a.entry.id, 'Show')) : null)))
      : el('p', { class: 'muted' }, 'No awards recorded (give them on the Live show page).'));
  } else {
    const outcome = step.prize.outcome;
    const winner = outcome.winnerId;
    if (winner) body.push(el('p', { class: step.revealed || state === 'current' ? 'winner' : 'winner pending', dataset: { winner } }, step.revealed ? 'Winner: ' : 'Winner (not revealed yet): ', nameOf(winner)));
    if (!step.revealed && outcome.blocker && state === 'current') body.push(el('p', { class: 'notice warn blocker', dataset: { blocker: outcome.blocker } }, blockers[outcome.blocker] ?? outcome.blocker));
    if (!step.revealed && (outcome.tied?.length ?? 0) > 1) {
      const group = `tie-${step.key}`;
      body.push(el('fieldset', { class: 'tie', dataset: { tie: step.scope } },
        el('legend', {}, outcome.decidedEntryId ? 'Tie (decided — you may change it)' : 'Tie at the top: who wins?'),
        outcome.tied.map(id => el('label', { class: 'choice' },
          el('input', { type: 'radio', name: group, value: String(id), checked: outcome.decidedEntryId === id }), nameOf(id))),
        el('div', { class: 'field' }, el('label', { for: `${group}-note` }, 'Why (kept with the results)'),
          el('input', { id: `${group}-note`, type: 'text', value: step.prize.decisionNote ?? '' })),
        el('button', {
          type: 'button', class: 'decide',
          onclick: e => {
            const chosen = document.querySelector(`input[name="${group}"]:checked`);
            if (!chosen) { say('Choose the winner of the tie first.', 'warn'); return; }
            const note = document.getElementById(`${group}-note`).value.trim();
            act(e.currentTarget, () => api('POST', '/api/results/ties', { scope: step.scope, entryId: Number(chosen.value), ...(note ? { note } : {}) }),
              { done: `Tie decided: ${entry(Number(chosen.value))?.title}.` });
          },
        }, 'Decide the tie')));
    }
    if (step.revealed && winner) actions.push(showButton(winner));
  }
  if (!step.revealed) {
    if (step.close && state === 'current') {
      actions.push(el('button', { type: 'button', onclick: e => act(e.currentTarget, () => api('POST', step.close), { done: 'Voting closed.' }) },
        step.key === 'best-in-show' ? 'Close the ballot' : 'Close voting'));
    }
    const blocked = state !== 'current' || (!step.awards && !!step.prize.outcome.blocker);
    actions.push(el('button', {
      type: 'button', class: 'primary reveal', disabled: blocked, dataset: { reveal: step.key },
      onclick: e => act(e.currentTarget, () => api('POST', step.reveal), { done: `${step.title} revealed to every phone.` }),
    }, 'Reveal'));
    if (state === 'waiting') body.push(el('p', { class: 'small muted' }, 'Waits for the steps before it.'));
  } else {
    body.push(el('p', { class: 'small muted' }, el('span', { class: 'badge accent' }, 'Revealed'), ' Phones show it.'));
  }
  return el('li', { class: 'step', dataset: { state, step: step.key } }, el('div', {}, body), el('div', { class: 'step-actions' }, actions));
}

function render() {
  if (!tally || !contest) return;
  const list = steps();
  const current = list.findIndex(s => !s.revealed);
  fill($('#steps'), list.map((s, i) => stepItem(s, i, current)));
}

hub = connectHub({
  tallyChanged: t => { tally = t; render(); },
  resultsRevealed: async () => { tally = await api('GET', '/api/tallies'); render(); },
}, async () => {
  contest = await loadContest();
  tally = await api('GET', '/api/tallies');
  render();
});
