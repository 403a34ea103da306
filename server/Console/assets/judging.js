// The judges' accounts (coordinators): list, add (answers the invite link once), rename and assign categories, a new
// invite link, disable and enable (GET/POST/PUT /api/judging/judges…).
import { api, el, fill, $, say, describe, act, showFieldErrors, clearFieldErrors } from './console.js';

let categories = [];

const categoryChoices = (prefix, chosen) => categories.map(c => el('label', { class: 'choice' },
  el('input', { type: 'checkbox', name: `${prefix}-category`, value: c.id, checked: chosen.includes(c.id) }), c.name));

const chosenIn = root => [...root.querySelectorAll('input[type=checkbox]:checked')].map(i => Number(i.value));

function showInvite(invited) {
  $('#invite-name').textContent = invited.judge.name;
  $('#invite-link').value = location.origin + invited.invitePath;
  $('#invite').hidden = false;
  $('#invite-link').select();
}

const stateBadge = { invited: ['pending', 'Invited'], active: ['ok', 'Active'], disabled: ['bad', 'Disabled'] };

function judgeRow(j) {
  const name = el('input', { type: 'text', value: j.name, maxlength: 100, 'aria-label': `Name of judge ${j.name}` });
  const choices = el('div', { class: 'inline-fields', role: 'group', 'aria-label': `Categories of ${j.name}` }, categoryChoices(`judge-${j.id}`, j.categoryIds));
  const [kind, label] = stateBadge[j.state];
  return el('tr', { dataset: { judge: j.id } },
    el('td', {}, name),
    el('td', {}, choices),
    el('td', {}, el('span', { class: `badge ${kind}` }, label)),
    el('td', { class: 'nowrap' },
      el('button', { type: 'button', class: 'small', onclick: e => act(e.currentTarget, async () => {
        await api('PUT', `/api/judging/judges/${j.id}`, { name: name.value, categoryIds: chosenIn(choices) });
        await load();
      }, { done: 'Saved.' }) }, 'Save'), ' ',
      j.state === 'disabled' ? null : el('button', { type: 'button', class: 'small', onclick: e => act(e.currentTarget, async () => {
        showInvite(await api('POST', `/api/judging/judges/${j.id}/invite`));
        await load();
      }) }, 'New invite link'), ' ',
      el('button', { type: 'button', class: `small${j.state === 'disabled' ? '' : ' danger'}`, onclick: e => act(e.currentTarget, async () => {
        await api('POST', `/api/judging/judges/${j.id}/${j.state === 'disabled' ? 'enable' : 'disable'}`);
        await load();
      }, { done: j.state === 'disabled' ? `${j.name} enabled.` : `${j.name} disabled: signed out everywhere.` }) },
      j.state === 'disabled' ? 'Enable' : 'Disable')));
}

async function load() {
  const [contest, judges] = await Promise.all([api('GET', '/api/contest'), api('GET', '/api/judging/judges')]);
  categories = contest.categories;
  fill($('#add-categories'), categoryChoices('add', []));
  fill($('#judges'), judges.length === 0
    ? el('p', { class: 'placeholder' }, 'No judge yet.')
    : el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Categories'), el('th', {}, 'State'), el('th', {}, el('span', { class: 'sr-only' }, 'Actions')))),
        el('tbody', {}, judges.map(judgeRow))));
  $('#judges').dataset.ready = 'true';
}

$('#add-judge').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  try {
    const invited = await api('POST', '/api/judging/judges', { name: $('#judge-name').value, categoryIds: chosenIn($('#add-categories')) });
    form.reset();
    showInvite(invited);
    say(`${invited.judge.name} added.`, 'ok');
    await load();
  } catch (error) {
    showFieldErrors(form, error);
    say(describe(error), 'bad');
  }
});

load().catch(e => say(describe(e), 'bad'));
