// One machine: the owner's learned week, the idle forecast, why the desk does what it does, its
// sensors and jobs; for admins, drain, labels, the desk VM's actions (each confirmed first),
// its screen and its audit log. Every action is the API's own route.
import { api, every } from './api.js';
import { bytes, duration, el, number, pairs, say, when } from './format.js';
import { startPage } from './nav.js';
import { curve, weekHeatmap } from './charts.js';

const name = new URLSearchParams(location.search).get('name') || '';
const path = '/machines/' + encodeURIComponent(name);
let admin = false;
let drawnProfile = '';

function facts(target, list) {
  document.getElementById(target).replaceChildren(
    ...list.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v === null || v === undefined ? '' : String(v) })]));
}

async function refresh() {
  const m = await api(path);
  const d = m.desk;
  facts('facts', [
    ['State', m.state + (m.drained ? ' (drained)' : '')],
    ['Owner', (m.owner || 'nobody') + (d ? ': ' + d.owner + (d.owner === 'away' ? ' for ' + duration(d.idleSeconds) : '') : '')],
    ['Owner ' + (d ? d.owner.replace('_', ' ') : '') + ' since', d && d.ownerSince ? when(d.ownerSince) : ''],
    ['May start work', d ? (d.mayStart ? 'yes' : 'no') : ''],
    ['Policy', d ? d.policy : ''],
    ['Declared absence', m.absence ? m.absence.kind + ' until ' + when(m.absence.until) : 'none'],
    ['CPUs used by jobs', number(m.cpus - m.freeCpus, 2) + ' of ' + number(m.cpus, 2)],
    ['Memory used by jobs', bytes(m.memoryBytes - m.freeMemoryBytes) + ' of ' + bytes(m.memoryBytes)],
    ['Sandbox', (m.sandbox || '') + (m.sandboxNote ? ' (' + m.sandboxNote + ')' : '')],
    ['Labels', Object.entries(m.labels || {}).map(([k, v]) => k + '=' + v).join(', ')],
    ['Last heartbeat', when(m.lastHeartbeat)],
  ]);
  document.getElementById('reasons').replaceChildren(...((d && d.reasons) || []).map((r) => el('li', { text: r })));
  document.getElementById('sensors').replaceChildren(...((d && d.sensors) || []).map((s) =>
    el('li', { text: s.name + ': ' + (s.running ? 'running' : 'not running') + (s.status ? ' (' + s.status + ')' : '') })));
  const p = m.profile;
  const sig = JSON.stringify(p);
  if (sig !== drawnProfile) {
    drawnProfile = sig;
    document.getElementById('heatmap').replaceChildren(p
      ? weekHeatmap(p.presentProbability, 'Probability the owner is present, by hour of the week (' + p.zone + ')')
      : el('p', { text: 'Nothing learned yet.' }));
    const f = p && p.forecast;
    document.getElementById('forecast').replaceChildren(f
      ? curve([{ x: 0, y: 1 }, { x: 1, y: f.awayAtLeast1h }, { x: 3, y: f.awayAtLeast3h }, { x: 8, y: f.awayAtLeast8h }],
        'hours from now', 'P(away at least t): 1 h ' + Math.round(f.awayAtLeast1h * 100) + '%, 3 h '
          + Math.round(f.awayAtLeast3h * 100) + '%, 8 h ' + Math.round(f.awayAtLeast8h * 100) + '%')
      : el('p', { text: 'No forecast while nothing is known.' }));
  }
  const jobs = await api('/jobs?machine=' + encodeURIComponent(name) + '&state=running,suspended&limit=100');
  document.getElementById('jobs-here').replaceChildren(...(jobs.jobs.length ? jobs.jobs.map((j) => el('li', {},
    el('a', { href: '/dashboard/jobs?job=' + j.id, text: 'job ' + j.id }), ' ' + (j.name || '') + ' (' + j.owner + ', '
      + j.state + ')')) : [el('li', { text: 'none' })]));
  if (admin) {
    document.getElementById('drain').textContent = m.drained ? 'Undrain' : 'Drain';
    facts('vm', m.vm ? [['State', m.vm.state], ['Hypervisor', m.vm.hypervisorState], ['Accel', m.vm.accel],
      ['vCPUs', m.vm.vcpus], ['Memory max', m.vm.memoryMaxMiB ? m.vm.memoryMaxMiB + ' MiB' : ''],
      ['Problem', m.vm.problem || '']] : [['Desk VM', 'none on this machine']]);
  }
  return m;
}

async function audit() {
  const a = await api(path + '/desk/audit?limit=50');
  document.getElementById('audit-rows').replaceChildren(...a.entries.slice().reverse().map((e) => el('tr', {},
    el('td', { text: when(e.at) }), el('td', { text: e.principal }), el('td', { text: e.action + (e.arguments ? ' ' + e.arguments : '') }),
    el('td', { text: e.result }), el('td', { class: 'wrap', text: e.message || '' }))));
}

async function act(label, call, confirmText) {
  if (confirmText && !window.confirm(confirmText)) return;
  try {
    say(label + '…');
    await call();
    say(label + ': done.');
  } catch (e) {
    say(label + ' refused: ' + e.message, true);
  }
  await refresh().catch(() => {});
  if (admin) await audit().catch(() => {});
}

async function screenshot() {
  const r = await api(path + '/desk/screenshot', { raw: true });
  const img = document.getElementById('screenshot');
  if (img.src) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(await r.blob());
  img.hidden = false;
}

function adminControls() {
  const box = document.getElementById('admin-actions');
  const drain = el('button', { type: 'button', id: 'drain', text: 'Drain' });
  drain.addEventListener('click', () => {
    const undo = drain.textContent === 'Undrain';
    act(undo ? 'Undrain' : 'Drain', () => api(path + (undo ? '/undrain' : '/drain'), { method: 'POST' }),
      undo ? null : 'Drain ' + name + '? It takes no new work; running jobs finish.');
  });
  box.append(drain);
  document.getElementById('label-form').addEventListener('submit', (e) => {
    e.preventDefault();
    let set;
    try {
      set = pairs(document.getElementById('label-set').value);
    } catch (err) {
      say(err.message, true);
      return;
    }
    act('Set labels', () => api(path + '/labels', { method: 'POST', body: { set, remove: [] } }));
  });
  const desk = document.getElementById('desk-actions');
  const actions = [
    ['start', 'Start', null], ['pause', 'Pause', 'Pause the desk VM of ' + name + '? Its owner\'s desktop freezes.'],
    ['resume', 'Resume', null], ['save', 'Save', 'Save the desk VM of ' + name + ' to disk and stop it?'],
    ['restore', 'Restore', null],
    ['reimage', 'Reimage', 'Reimage the desk VM of ' + name + '? Every change in the guest since its image is discarded.'],
  ];
  for (const [action, label, confirmText] of actions) {
    desk.append(el('button', { type: 'button', id: 'desk-' + action, text: label, class: action === 'reimage' ? 'danger' : null,
      onclick: () => act('Desk ' + action, () => api(path + '/desk/' + action, { method: 'POST' }), confirmText) }));
  }
  desk.append(el('button', { type: 'button', text: 'Screenshot', onclick: () => act('Screenshot', screenshot, null) }));
}

async function main() {
  const s = await startPage();
  admin = s.admin;
  document.getElementById('title').textContent = 'Machine ' + name;
  document.title = name + ' · Cyphon';
  if (admin) adminControls();
  every(2000, refresh);
  if (admin) every(10000, audit);
}

main();
