// Room page: the screen code (rotate; the QR and code follow RoomChanged, also when another console rotates), the
// poster codes and the ballot card batches (made, printed, revoked; a card released from a lost phone).
import { api, $, act, el, fill, say, describe, connectHub, time } from './console.js';
import { fillBatches, wireRelease } from './cards.js';

/** How many cards one printed sheet holds at most (the sheet links split a bigger batch). */
const SHEET = 500;

function show(room) {
  $('#room-code').textContent = room.code;
  const link = $('#join-url');
  link.textContent = room.joinUrl;
  link.href = room.joinUrl;
  const qr = $('#qr');
  qr.src = `/qr.svg?code=${encodeURIComponent(room.code)}`;
  qr.alt = `QR code of the join address ${room.joinUrl}`;
}

/** A Revoke button: asks first, then posts to `url`, reloads the list and says so. */
const revokeButton = (name, question, url, reload, done) => el('button', {
  type: 'button', class: 'small danger', 'aria-label': `Revoke the ${name}`,
  onclick: event => {
    if (!confirm(question)) return;
    act(event.currentTarget, async () => { await api('POST', url); await reload(); }, { done });
  },
}, 'Revoke');

const status = (revokedAt) => revokedAt
  ? el('span', { class: 'badge bad' }, `Revoked ${time(revokedAt)}`)
  : el('span', { class: 'badge ok' }, 'Valid');

async function loadPosters() {
  const posters = await api('GET', '/api/room/posters');
  fill($('#posters'), posters.length === 0
    ? el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No poster codes yet.'))
    : posters.map(p => el('tr', { dataset: { poster: p.id } },
      el('td', { class: 'title' }, p.label),
      el('td', {}, el('code', {}, p.code)),
      el('td', { class: 'num' }, String(p.joined)),
      el('td', {}, status(p.revokedAt)),
      el('td', { class: 'actions-cell' }, p.revokedAt ? null : [
        el('a', { class: 'button small', href: `/console/room/poster?poster=${p.id}&paper=a4`, target: '_blank' }, 'Print A4'),
        ' ',
        el('a', { class: 'button small', href: `/console/room/poster?poster=${p.id}&paper=letter`, target: '_blank' }, 'Letter'),
        ' ',
        revokeButton(`poster ${p.label}`,
          `Revoke the poster "${p.label}"? Its code stops letting phones join, for good. Phones that joined with it keep voting.`,
          `/api/room/posters/${p.id}/revoke`, loadPosters, `Poster "${p.label}" revoked.`),
      ]))));
}

function printLinks(batch) {
  const links = [];
  for (let from = 1; from <= batch.size; from += SHEET) {
    const to = Math.min(batch.size, from + SHEET - 1);
    const label = batch.size <= SHEET ? 'Print' : `${from}–${to}`;
    links.push(el('a', { class: 'button small', href: `/console/cards/print?batch=${batch.id}&from=${from}&to=${to}`, target: '_blank',
      'aria-label': `Print cards ${from} to ${to} of ${batch.label}` }, label), ' ');
  }
  return links;
}

async function loadBatches() {
  const batches = await api('GET', '/api/cards/batches');
  fill($('#batches'), batches.length === 0
    ? el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No ballot cards yet.'))
    : batches.map(b => el('tr', { dataset: { batch: b.id } },
      el('td', { class: 'title' }, b.label),
      el('td', { class: 'num' }, String(b.size)),
      el('td', { class: 'num' }, String(b.claimed)),
      el('td', { class: 'num' }, String(b.voted)),
      el('td', { class: 'num' }, b.counted === b.ballots ? String(b.ballots) : `${b.counted} of ${b.ballots}`),
      el('td', {}, status(b.revokedAt)),
      el('td', {}, b.revokedAt ? null : printLinks(b)),
      el('td', { class: 'actions-cell' }, b.revokedAt ? null : revokeButton(`batch ${b.label}`,
        `Revoke the batch "${b.label}" (${b.size} cards, ${b.claimed} used)? Its cards stop voting, for good, and their `
          + `${b.ballots} ballot(s) stop counting for every result not yet revealed.`,
        `/api/cards/batches/${b.id}/revoke`, loadBatches, `Batch "${b.label}" revoked.`)))));
  fillBatches($('#release-batch'), batches);
}

function formSubmit(form, action) {
  form.addEventListener('submit', event => {
    event.preventDefault();
    act(form.querySelector('button[type=submit]'), action);
  });
}

formSubmit($('#new-poster'), async () => {
  const poster = await api('POST', '/api/room/posters', { label: $('#poster-label').value });
  $('#poster-label').value = '';
  await loadPosters();
  say(`Poster code ${poster.code} made for "${poster.label}": print it from its row.`, 'ok');
});

formSubmit($('#new-batch'), async () => {
  const batch = await api('POST', '/api/cards/batches', { label: $('#batch-label').value, size: Number($('#batch-size').value) || 0 });
  $('#batch-label').value = '';
  await loadBatches();
  say(`Batch "${batch.label}" made: ${batch.size} cards. Print them from its row.`, 'ok');
});

wireRelease($('#release'), loadBatches);

$('#rotate').addEventListener('click', event => {
  if (!confirm('Make a new screen code? The current one stops letting new phones join at once (posters keep working).')) return;
  act(event.currentTarget, async () => show(await api('POST', '/api/room/rotate')), { done: 'New screen code made.' });
});

// data-ready: the lists are loaded (tests wait for it before acting).
Promise.all([loadPosters(), loadBatches()]).then(() => { document.body.dataset.ready = 'true'; }).catch(e => say(describe(e), 'bad'));
connectHub({ roomChanged: show }, async () => show(await api('GET', '/api/room')));
