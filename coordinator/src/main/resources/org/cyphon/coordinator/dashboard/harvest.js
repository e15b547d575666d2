// What the pool harvested, from the coordinator's own records: fair-share usage by user, and the
// jobs by state.
import { api, every } from './api.js';
import { el, number, say } from './format.js';
import { startPage } from './nav.js';
import { bars } from './charts.js';

async function refresh() {
  const shares = await api('/users');
  const users = shares.users.slice().sort((a, b) => b.usageCpuSeconds - a.usageCpuSeconds);
  document.getElementById('share-chart').replaceChildren(bars(
    users.slice(0, 20).map((u) => ({ label: u.owner, value: u.usageCpuSeconds / 3600 })), 'CPU-h',
    'Fair-share usage by user, in decayed CPU-hours'));
  document.getElementById('share-rows').replaceChildren(...users.map((u) => el('tr', {},
    el('th', { scope: 'row', text: u.owner }), el('td', { class: 'num', text: number(u.usageCpuSeconds / 3600, 2) }),
    el('td', { class: 'num', text: u.queued }), el('td', { class: 'num', text: u.running }))));
  const list = await api('/jobs?limit=1');
  const counts = list.matching || {};
  document.getElementById('job-counts').replaceChildren(...Object.entries(counts)
    .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
  say('Usage half-life: ' + number(shares.halfLifeSeconds / 3600, 1) + ' h.');
}

async function main() {
  await startPage();
  every(5000, refresh);
}

main();
