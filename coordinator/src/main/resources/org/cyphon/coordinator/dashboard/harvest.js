// What the pool harvested, from the coordinator's own records: fair-share usage by user, and the
// jobs by state.
import { api, every } from './api.js';
import { el, number, say } from './format.js';
import { startPage } from './nav.js';
import { bars, weekHeatmap } from './charts.js';

async function refresh() {
  const h = await api('/harvest?days=' + document.getElementById('f-days').value);
  const completed = h.byDay.reduce((n, d) => n + d.jobsCompleted, 0);
  document.getElementById('totals').replaceChildren(...[
    ['CPU-hours harvested', number(h.cpuHours, 2)],
    ['CPU-hours lost (work thrown away)', number(h.lostCpuHours, 2)],
    ['Jobs completed', completed],
    ['Owner-visible events (a job slower than ' + h.yieldBoundMillis + ' ms to yield to its owner)', h.ownerVisible],
  ].flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
  document.getElementById('day-chart').replaceChildren(bars(
    h.byDay.map((d) => ({ label: d.day, value: d.cpuHours })), 'CPU-h', 'CPU-hours harvested per day'));
  document.getElementById('day-rows').replaceChildren(...h.byDay.slice().reverse().map((d) => el('tr', {},
    el('th', { scope: 'row', text: d.day }), el('td', { class: 'num', text: number(d.cpuHours, 2) }),
    el('td', { class: 'num', text: number(d.lostCpuHours, 2) }), el('td', { class: 'num', text: d.jobsCompleted }),
    el('td', { class: 'num', text: d.jobsFailed }), el('td', { class: 'num', text: d.ownerVisible }))));
  const peak = Math.max(...h.byHourOfWeek, 0.01);
  document.getElementById('week-chart').replaceChildren(weekHeatmap(h.byHourOfWeek.map((v) => v / peak),
    'CPU-hours harvested by hour of the week', (i) => number(h.byHourOfWeek[i], 2) + ' CPU-hours'));
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
  const stop = every(30000, refresh);
  document.getElementById('f-days').addEventListener('input', () => refresh());
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  window.addEventListener('pagehide', stop);
}

main();
