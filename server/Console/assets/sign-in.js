// The sign-in page: posts role and password to the one sign-in route, /api/auth/login, then goes on to the page the
// server chose (data-next: the console page that sent the visitor here, or the console's home).
import { $, csrfToken } from './console.js';

const form = $('#sign-in');
const error = $('#sign-in-error');
const password = $('#password');

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
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-TOKEN': csrfToken() },
      body: JSON.stringify({ role: form.elements.Role.value, password: password.value }),
    });
    if (response.ok) {
      location.assign(form.dataset.next);
      return;
    }
    const problem = await response.json().catch(() => ({}));
    fail(problem.detail || problem.title || `Sign-in failed (HTTP ${response.status}).`);
  } catch {
    fail('The server cannot be reached. Check the network and try again.');
  } finally {
    button.disabled = false;
  }
});
form.dataset.ready = 'true';
