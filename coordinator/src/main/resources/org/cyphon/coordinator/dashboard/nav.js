// The header every page shares: who is signed in, and the sign-out form's CSRF field.
import { currentSession } from './api.js';

export async function startPage() {
  const s = await currentSession();
  document.getElementById('who').textContent = s.name + (s.admin ? ' (admin)' : '');
  document.getElementById('signout-csrf').value = s.csrf;
  document.body.classList.toggle('admin', s.admin);
  return s;
}
