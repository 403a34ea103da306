// A judge's sign-in (name and password, POST /api/auth/judge/login) and the invite page (choose a password with the
// invite's secret, POST /api/auth/judge/invite; the secret is the link's fragment, which never reaches a server log).
// Both go on to the judge's panel (data-next).
import { $, csrfToken } from './console.js';

const form = $('#sign-in') ?? $('#welcome');
const error = $('#sign-in-error');
const password = $('#password');
const invite = location.hash.slice(1);

function fail(message) {
  $('#session-ended')?.remove();
  error.textContent = message;
  error.hidden = false;
  password.setAttribute('aria-invalid', 'true');
  password.setAttribute('aria-describedby', 'sign-in-error');
  password.select();
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const body = form.id === 'welcome'
    ? { invite, password: password.value }
    : { name: $('#name').value, password: password.value };
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-TOKEN': csrfToken() },
      body: JSON.stringify(body),
    });
    if (response.ok) {
      location.assign(form.dataset.next);
      return;
    }
    const problem = await response.json().catch(() => ({}));
    const field = Object.values(problem.errors ?? {}).flat()[0];
    fail(field ?? problem.detail ?? problem.title ?? `Sign-in failed (HTTP ${response.status}).`);
  } catch {
    fail('The server cannot be reached. Check the network and try again.');
  } finally {
    button.disabled = false;
  }
});
if (form.id === 'welcome' && !invite) fail('This page needs the invite link the coordinator sent you, in full.');
form.dataset.ready = 'true';
