// Reveal (coordinators): the prizegiving, step by step (docs/prizegiving.md). The steps come from the server
// (GET /api/ceremony): per category its nominees then its winner, Best In Show, the awards. "Show" puts a step on the
// projector (POST /api/ceremony/show); a prize is revealed to every phone first. Nothing on this page names a winner
// not yet revealed unless the coordinator turns on the rehearsal: the page may be mirrored to the screen.
import { api, el, fill, $, say, act, connectHub, loadContest } from './console.js';

let contest = null, tally = null, plan = null, onScreen = null;

const blockers = {
  'category-open': 'Voting in this category is still open: close it first.',
  'no-votes': 'Nobody has voted here: there is no winner to reveal.',
  'tie-undecided': 'Tied at the top: choose the winner below (write down why; the rehearsal shows the choice), then reveal.',
  'best-in-show-undecided': 'Its Best In Show winner gives up the category prize, so this waits until Best In Show is settled: close the ballot (and decide any tie there).',
  'categories-not-revealed': 'Reveal every category first.',
  'ballot-open': 'The Best In Show ballot is still open: close it first.',
};

const entry = id => contest.entryById.get(id);
const nameOf = id => entry(id) ? `${entry(id).title} — ${entry(id).editors.join(', ')}` : `#${id}`;
const rehearsing = () => $('#rehearse').checked;
const key = s => `${s.kind}|${s.scope}`;

/** The tally's prize of a step (its outcome, for ties), or null for an award. */
function prizeOf(step) {
  if (step.scope === 'best-in-show') return tally.bestInShow;
  return tally.categories.find(c => `category:${c.categoryId}` === step.scope) ?? null;
}

function closeAction(step, prize) {
  if (step.blocker === 'category-open') return { path: `/api/voting/categories/${prize.categoryId}/close`, label: 'Close voting' };
  if (step.blocker === 'ballot-open') return { path: '/api/voting/best-in-show/close', label: 'Close the ballot' };
  return null;
}

// A tie being decided on this page (its choice and its note, by scope): kept while the steps are drawn again, as
// they are on every tally push, so a choice made a moment before a push is not lost.
const drafts = new Map();

function tieChooser(step, prize) {
  const outcome = prize.outcome;
  const group = `tie-${step.scope.replace(':', '-')}`;
  if (!rehearsing()) { // who tied at the top, and the choice once made, name the winner-to-be: never on a mirrored page
    return el('fieldset', { class: 'tie', dataset: { tie: step.scope } },
      el('legend', {}, outcome.decidedEntryId ? 'Tie (decided)' : 'Tie at the top'),
      el('p', { class: 'small' }, outcome.decidedEntryId
        ? `${outcome.tied.length} finalists tied at the top and the winner is chosen. To see or change the choice, take this page off the projector and turn on the rehearsal.`
        : `${outcome.tied.length} finalists are tied at the top. To see them and choose the winner, take this page off the projector and turn on the rehearsal.`));
  }
  const draft = drafts.get(step.scope) ?? { entryId: outcome.decidedEntryId ?? null, note: prize.decisionNote ?? '' };
  const keep = change => drafts.set(step.scope, { ...(drafts.get(step.scope) ?? draft), ...change });
  return el('fieldset', { class: 'tie', dataset: { tie: step.scope } },
    el('legend', {}, outcome.decidedEntryId ? 'Tie (decided — you may change it)' : 'Tie at the top: who wins?'),
    outcome.tied.map(id => el('label', { class: 'choice' },
      el('input', { type: 'radio', name: group, value: String(id), checked: draft.entryId === id, onchange: () => keep({ entryId: id }) }), nameOf(id))),
    el('div', { class: 'field' }, el('label', { for: `${group}-note` }, 'Why (kept with the results)'),
      el('input', { id: `${group}-note`, type: 'text', value: draft.note, oninput: e => keep({ note: e.currentTarget.value }) })),
    el('button', {
      type: 'button', class: 'decide',
      onclick: e => {
        const chosen = document.querySelector(`input[name="${group}"]:checked`);
        if (!chosen) { say('Choose the winner of the tie first.', 'warn'); return; }
        const note = document.getElementById(`${group}-note`).value.trim();
        act(e.currentTarget, () => api('POST', '/api/results/ties', { scope: step.scope, entryId: Number(chosen.value), ...(note ? { note } : {}) }),
          { done: 'Tie decided.' }).then(() => { drafts.delete(step.scope); return refresh(); }); // no name: the page may be mirrored
      },
    }, 'Decide the tie'));
}

/** The private preview: the slate the player will draw, made by the server with the player's renderer. */
function preview(step) {
  const details = el('details', { class: 'preview', dataset: { preview: key(step) } },
    el('summary', {}, 'Preview the slate (only here)'));
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('img')) return;
    const query = new URLSearchParams({ kind: step.kind, scope: step.scope });
    details.append(el('img', { src: `/api/ceremony/slate.svg?${query}`, alt: `Preview of the ${step.kind === 'nominees' ? 'nominees' : 'winner'} slate: ${step.heading}`, width: 480, height: 270 }));
  });
  return details;
}

function stepItem(step, index, current, next) {
  const state = step.kind === 'prize' && step.revealed ? 'done' : index === current ? 'current' : 'waiting';
  const secret = step.kind === 'prize' && !step.revealed;
  const title = step.kind === 'nominees' ? `Nominees: ${step.heading}` : step.scope.startsWith('category:') ? `Winner: ${step.heading}` : step.heading;
  const body = [el('h2', {}, title)];
  const actions = [];
  if (!secret || rehearsing()) {
    body.push(el('p', { class: 'presenter', dataset: { presenter: key(step) } }, el('span', { class: 'small muted' }, secret ? 'Rehearsal — the MC reads: ' : 'The MC reads: '), step.presenter));
    if (!secret || !step.blocker) body.push(preview(step)); // a blocked prize has no slate yet
  } else {
    body.push(el('p', { class: 'small muted' }, 'The presenter’s line and the preview name the winner: turn on the rehearsal to see them.'));
  }
  const prize = step.kind === 'prize' ? prizeOf(step) : null;
  if (secret && step.blocker && index === next) body.push(el('p', { class: 'notice warn blocker', dataset: { blocker: step.blocker } }, blockers[step.blocker] ?? step.blocker));
  if (secret && prize && (prize.outcome.tied?.length ?? 0) > 1) body.push(tieChooser(step, prize));
  if (secret && index === next && prize && closeAction(step, prize)) {
    const close = closeAction(step, prize);
    actions.push(el('button', { type: 'button', onclick: e => act(e.currentTarget, () => api('POST', close.path), { done: 'Voting closed.' }).then(refresh) }, close.label));
  }
  const label = step.kind === 'nominees' ? 'Show the nominees' : secret ? 'Reveal and show' : 'Show again';
  actions.push(el('button', {
    type: 'button', class: secret ? 'primary reveal' : 'show', dataset: { show: key(step) },
    disabled: secret && (index !== next || !!step.blocker),
    onclick: e => act(e.currentTarget, () => api('POST', '/api/ceremony/show', { kind: step.kind, scope: step.scope }),
      { done: secret ? `${step.heading} revealed to every phone and sent to the projector.` : `${title}: sent to the projector.` }).then(refresh),
  }, label));
  if (onScreen === key(step)) body.push(el('p', { class: 'small' }, el('span', { class: 'badge accent' }, 'On the projector')));
  else if (state === 'done') body.push(el('p', { class: 'small muted' }, el('span', { class: 'badge accent' }, 'Revealed'), ' Phones show it.'));
  return el('li', { class: 'step', dataset: { state, step: key(step), kind: step.kind } }, el('div', {}, body), el('div', { class: 'step-actions' }, actions));
}

function render() {
  if (!plan || !tally || !contest) return;
  const firstSecret = plan.steps.findIndex(s => s.kind === 'prize' && !s.revealed);
  // The current step: the first prize not revealed (the next to reveal), or the nominees just before it until shown.
  const current = firstSecret > 0 && plan.steps[firstSecret - 1].kind === 'nominees' && onScreen !== key(plan.steps[firstSecret - 1]) && !shown.has(key(plan.steps[firstSecret - 1]))
    ? firstSecret - 1 : firstSecret;
  $('#prizegiving').textContent = plan.prizegiving === 'placings' ? 'the placings (runners-up as bars)' : 'the winner alone';
  const typing = document.activeElement?.closest('#steps') && document.activeElement.id ? document.activeElement : null;
  fill($('#steps'), plan.steps.map((s, i) => stepItem(s, i, current === -1 ? plan.steps.length : current, firstSecret)));
  if (typing) { // a note being written keeps its caret
    const again = document.getElementById(typing.id);
    again?.focus();
    if (again?.setSelectionRange && typing.selectionStart !== null) again.setSelectionRange(typing.selectionStart, typing.selectionEnd);
  }
}

const shown = new Set(); // nominees steps put on screen from this page

let loads = 0; // the latest load wins: an older answer arriving after a newer one would bring back a stale step

async function refresh() {
  const load = ++loads;
  const [t, p] = await Promise.all([api('GET', '/api/tallies'), api('GET', '/api/ceremony')]);
  if (load !== loads) return;
  [tally, plan] = [t, p];
  render();
}

function readScreen(state) {
  const kind = state.phase === 'nominees' ? 'nominees' : state.phase === 'winner' ? 'prize' : null;
  onScreen = kind && state.scope ? `${kind}|${state.scope}` : null;
  if (kind === 'nominees') shown.add(onScreen);
  render();
}

$('#rehearse').addEventListener('change', render);

connectHub({
  tallyChanged: refresh,
  resultsRevealed: refresh,
  showChanged: readScreen,
}, async connection => {
  contest = await loadContest();
  readScreen(await connection.invoke('GetShow'));
  await refresh();
});
