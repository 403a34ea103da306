// Contest setup (coordinators): details and voting rules, saved with PUT /api/contest/details; errors beside the fields.
import { api, $, say, describe, showFieldErrors, clearFieldErrors } from './console.js';

const form = $('#details');

function fillForm(c) {
  $('#name').value = c.name;
  $('#year').value = c.year;
  $('#publicBaseUrl').value = c.publicBaseUrl ?? '';
  $('#scoreMin').value = c.voting.scoreMin;
  $('#scoreMax').value = c.voting.scoreMax;
  for (const radio of form.querySelectorAll('input[name="bestInShowMethod"]')) radio.checked = radio.value === c.voting.bestInShowMethod;
  $('#keeps').checked = c.voting.bestInShowKeepsCategoryPrize;
  $('#autoClose').value = c.voting.autoCloseMinutes ?? '';
  $('#requireCards').checked = c.voting.requireCards;
  $('#rotateAtCategoryCard').checked = c.roomCode.rotateAtCategoryCard;
  $('#rotateEveryMinutes').value = c.roomCode.rotateEveryMinutes ?? '';
  $('#maxFileMegabytes').value = c.limits.maxFileMegabytes;
  $('#maxDurationSeconds').value = c.limits.maxDurationSeconds;
  $('#loudnessTargetLufs').value = c.limits.loudnessTargetLufs;
}

const number = input => input.value.trim() === '' ? null : Number(input.value);

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearFieldErrors(form);
  const body = {
    name: $('#name').value,
    year: number($('#year')) ?? 0,
    publicBaseUrl: $('#publicBaseUrl').value.trim() || null,
    voting: {
      scoreMin: number($('#scoreMin')) ?? 0,
      scoreMax: number($('#scoreMax')) ?? 0,
      bestInShowMethod: form.querySelector('input[name="bestInShowMethod"]:checked')?.value ?? '',
      bestInShowKeepsCategoryPrize: $('#keeps').checked,
      autoCloseMinutes: number($('#autoClose')),
      requireCards: $('#requireCards').checked,
    },
    roomCode: { rotateAtCategoryCard: $('#rotateAtCategoryCard').checked, rotateEveryMinutes: number($('#rotateEveryMinutes')) },
    limits: {
      maxFileMegabytes: number($('#maxFileMegabytes')) ?? 0,
      maxDurationSeconds: number($('#maxDurationSeconds')) ?? 0,
      loudnessTargetLufs: number($('#loudnessTargetLufs')) ?? 0,
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
api('GET', '/api/contest').then(c => { fillForm(c.contest); form.dataset.ready = 'true'; }).catch(e => say(describe(e), 'bad'));
