// Releasing a ballot card from a lost phone (Room page and booth remote): the batch chosen from a list, the number
// printed on the card. Staff only; docs/room-codes-and-cards.md.
import { api, $, act, el, fill, say } from './console.js';

/** Fills the batch list (the batches not revoked), keeping the one chosen. */
export function fillBatches(select, batches) {
  const chosen = select.value;
  fill(select, batches.filter(b => !b.revokedAt).map(b => el('option', { value: b.id }, `${b.label} (1–${b.size})`)));
  if (chosen) select.value = chosen;
}

/** Wires a release form: #release-batch, #release-number and its submit button; `after()` runs once a card is released. */
export function wireRelease(form, after = async () => {}) {
  form.addEventListener('submit', event => {
    event.preventDefault();
    act(form.querySelector('button[type=submit]'), async () => {
      const batch = $('#release-batch', form);
      const number = Number($('#release-number', form).value) || 0;
      const label = batch.selectedOptions[0]?.textContent ?? '';
      await api('POST', `/api/cards/batches/${batch.value}/cards/${number}/release`);
      $('#release-number', form).value = '';
      await after();
      say(`Card ${number} of ${label} released: the next phone that scans it continues its ballot.`, 'ok');
    });
  });
}
