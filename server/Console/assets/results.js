// Results (coordinators): the announcer's sheet, printable — each category's winner, turnout and ranking, Best In Show, awards.
import { api, el, fill, $, connectHub, sum } from './console.js';

let tally = null;

const mean = m => m === null || m === undefined ? '–' : Number(m).toFixed(2);
const winnerOf = prize => prize.outcome.winnerId;

/** A category's turnout: phones that voted in it, and the votes cast by phone and on paper. */
function turnoutText(c) {
  const online = c.rows.reduce((n, r) => n + sum(r.online), 0);
  const paper = c.rows.reduce((n, r) => n + sum(r.paper), 0);
  return `Turnout: ${c.voters} phone${c.voters === 1 ? '' : 's'} voted (${online} phone vote${online === 1 ? '' : 's'}), ${paper} paper vote${paper === 1 ? '' : 's'}.`;
}

function render() {
  if (!tally) return;
  $('#as-of').textContent = `As of ${new Date().toLocaleString()}. Winners marked “not revealed” are not public yet.`;
  const categories = tally.categories.map(c => {
    const winner = c.rows.find(r => r.entryId === winnerOf(c));
    return el('section', { class: 'card sheet-category', dataset: { category: c.categoryId } },
      el('div', { class: 'card-head' }, el('h2', {}, c.name),
        el('span', { class: c.revealedAt ? 'badge accent' : 'badge' }, c.revealedAt ? 'Revealed' : 'Not revealed')),
      el('p', { class: 'sheet-winner' }, 'Winner: ', winner ? el('strong', {}, winner.title) : el('em', {}, c.outcome.tied?.length > 1 ? 'tie not decided' : 'not decided'),
        winner ? ` — ${winner.editors.join(', ')}` : ''),
      el('p', { class: 'small', dataset: { turnout: c.categoryId } }, turnoutText(c)),
      c.decisionNote ? el('p', { class: 'small' }, `Tie decided: ${c.decisionNote}`) : null,
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { class: 'num', scope: 'col' }, 'Rank'), el('th', { scope: 'col' }, 'Finalist'),
          el('th', { scope: 'col' }, 'Editors'), el('th', { class: 'num', scope: 'col' }, 'Mean'), el('th', { class: 'num', scope: 'col' }, 'Votes'),
          el('th', { class: 'num', scope: 'col' }, 'of which paper'))),
        el('tbody', {}, c.rows.map(r => el('tr', {},
          el('td', { class: 'num' }, r.count ? String(r.rank) : '–'), el('td', { class: 'title' }, r.title), el('td', {}, r.editors.join(', ')),
          el('td', { class: 'num' }, mean(r.mean)), el('td', { class: 'num' }, String(r.count)), el('td', { class: 'num' }, String(sum(r.paper))))))));
  });
  const b = tally.bestInShow;
  const bis = b.rows.find(r => r.entryId === winnerOf(b));
  const awards = tally.awards;
  fill($('#sheet'), categories,
    el('section', { class: 'card sheet-category' },
      el('div', { class: 'card-head' }, el('h2', {}, 'Best In Show'), el('span', { class: b.revealedAt ? 'badge accent' : 'badge' }, b.revealedAt ? 'Revealed' : 'Not revealed')),
      el('p', { class: 'sheet-winner' }, 'Winner: ', bis ? el('strong', {}, bis.title) : el('em', {}, 'not decided'), bis ? ` — ${bis.category}` : ''),
      el('ol', {}, b.rows.slice(0, 5).map(r => el('li', {}, `${r.title} (${r.category}) — `, b.method === 'ballot' ? `${r.picks} pick(s)` : `mean ${mean(r.mean)}`)))),
    el('section', { class: 'card sheet-category' },
      el('div', { class: 'card-head' }, el('h2', {}, 'Judges’ awards'), el('span', { class: awards.awards.length && awards.awards.every(a => a.revealedAt) ? 'badge accent' : 'badge' }, `${awards.awards.filter(a => a.revealedAt).length} of ${awards.awards.length} revealed`)),
      awards.awards.length ? el('ul', {}, awards.awards.map(a => el('li', { dataset: { revealed: a.revealedAt ? 'true' : 'false' } }, el('strong', {}, a.name), `: ${a.entry.title} — ${a.entry.editors.join(', ')} (${a.entry.category})`, a.note ? ` · ${a.note}` : '', a.revealedAt ? '' : ' (not revealed)')))
        : el('p', { class: 'muted' }, 'None.')));
}

connectHub({ tallyChanged: t => { tally = t; render(); } }, async () => { tally = await api('GET', '/api/tallies'); render(); });
