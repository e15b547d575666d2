// The jobs page: the queue in pages of PAGE jobs, newest first, found by id (keyset paging: the
// API's `before`, never an offset, so the millionth job is as quick to reach as the first);
// the detail of one job with its attempts and its output followed live; submit; and
// cancel, hold or release of the jobs selected.
import { api, ApiFailure, every } from './api.js';
import { bytes, duration, el, number, pairs, say, when, words } from './format.js';
import { startPage } from './nav.js';

const PAGE = 50;
let me = null;
const cursors = []; // the `before` of each newer page: a stack, so "Newer" goes back exactly
let before = null; // this page's `before` (null: the newest jobs)
let pageIds = [];
const selected = new Set();
let shownJob = null;
let log = { job: null, stream: 'stdout', offset: 0, final: false, decoder: new TextDecoder() };

function query() {
  const q = new URLSearchParams();
  if (document.querySelector('input[name="whose"]:checked').value === 'mine') q.set('owner', me.name);
  const state = document.getElementById('f-state').value;
  if (state) q.set('state', state);
  const name = document.getElementById('f-name').value.trim();
  if (name) q.set('name', name);
  q.set('limit', String(PAGE));
  if (before !== null) q.set('before', String(before));
  return q;
}

let lastCounts = null;
let lastList = '';

async function refresh() {
  const q = query().toString();
  const list = await api('/jobs?' + q);
  // Redrawn only when something changed: a keyboard user's focus stays where it is.
  const signature = q + JSON.stringify(list);
  if (signature === lastList) return;
  lastList = signature;
  const jobs = list.jobs.slice().reverse(); // newest first
  if (before === null) lastCounts = list.matching;
  pageIds = jobs.map((j) => j.id);
  const body = document.getElementById('job-rows');
  const frag = document.createDocumentFragment();
  for (const j of jobs) frag.append(row(j));
  body.replaceChildren(frag);
  document.getElementById('select-all').checked = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  document.getElementById('p-newer').disabled = before === null;
  document.getElementById('p-older').disabled = jobs.length < PAGE;
  document.getElementById('p-where').textContent = jobs.length === 0
    ? 'no jobs'
    : 'jobs ' + jobs[jobs.length - 1].id + '–' + jobs[0].id;
  const counts = lastCounts
    ? Object.entries(lastCounts).map(([s, n]) => n + ' ' + s).join(', ')
    : '';
  document.getElementById('counts').textContent = counts ? 'Matching: ' + counts : '';
  // For bench/run dashboard-jobs: when the first page of rows stood.
  if (!document.body.dataset.rendered) {
    performance.mark('jobs-rendered');
    document.body.dataset.rendered = String(jobs.length);
  }
}

function row(j) {
  const box = el('input', {
    type: 'checkbox',
    'aria-label': 'Select job ' + j.id,
    onchange: (e) => {
      if (e.target.checked) selected.add(j.id);
      else selected.delete(j.id);
    },
  });
  box.checked = selected.has(j.id);
  const open = el('button', { type: 'button', class: 'secondary', text: String(j.id), onclick: () => show(j.id, true) });
  open.setAttribute('aria-label', 'Show job ' + j.id);
  return el('tr', { 'data-job': j.id },
    el('td', {}, box),
    el('td', { class: 'num' }, open),
    el('td', { text: j.name || '' }),
    el('td', { text: j.owner }),
    el('td', { class: 'state-' + j.state, text: j.state }),
    el('td', { class: 'wrap', text: j.reason || (j.waitingOn ? 'after jobs ' + j.waitingOn.join(', ') : '') }),
    el('td', { text: j.machine || '' }),
    el('td', { class: 'num', text: j.attemptCount + '/' + j.maxAttempts }),
    el('td', { class: 'num', text: duration(j.runSeconds) }),
    el('td', { class: 'num', text: j.lostCpuSeconds ? number(j.lostCpuSeconds, 1) + ' s' : '' }),
    el('td', { text: when(j.submittedAt) }));
}

async function act(action) {
  const ids = [...selected];
  if (ids.length === 0) {
    say('Select jobs first.', true);
    return;
  }
  let done = 0;
  const failed = [];
  for (const id of ids) {
    try {
      await api('/jobs/' + id + '/' + action, { method: 'POST' });
      done++;
    } catch (e) {
      failed.push(id + ': ' + e.message);
    }
  }
  selected.clear();
  say(action + ': ' + done + ' of ' + ids.length + ' jobs' + (failed.length ? '; refused: ' + failed.join('; ') : ''),
    failed.length > 0);
  await refresh();
  if (shownJob !== null) await show(shownJob, false);
}

let shownSignature = '';

async function show(id, focus) {
  const j = await api('/jobs/' + id);
  shownJob = id;
  const d = document.getElementById('detail');
  d.hidden = false;
  // Redrawn only when something changed (a keyboard user's place in the attempts stays put).
  const signature = JSON.stringify(j);
  if (signature !== shownSignature) {
    shownSignature = signature;
    drawDetail(j);
  }
  const stream = document.getElementById('l-stream').value;
  if (log.job !== id || log.stream !== stream) {
    log = { job: id, stream, offset: 0, final: false, decoder: new TextDecoder() };
    document.getElementById('log').textContent = '';
  }
  if (focus) document.getElementById('detail-h').focus();
}

// The shown job's state and attempts follow it while it is not finished: a job shown as
// queued right after its submission gets its machine and attempt once it starts.
async function followDetail() {
  if (shownJob === null || log.final) return;
  await show(shownJob, false);
}

function drawDetail(j) {
  document.getElementById('detail-h').textContent = 'Job ' + j.id + (j.name ? ' (' + j.name + ')' : '');
  const facts = [
    ['State', j.state], ['Why', j.reason || ''], ['Owner', j.owner], ['Command', (j.command || []).join(' ')],
    ['CPUs', number(j.cpus, 2)], ['Memory', bytes(j.memoryBytes)], ['Machine', j.machine || ''],
    ['Attempts', j.attemptCount + ' of ' + j.maxAttempts], ['Exit code', j.exitCode ?? ''],
    ['CPU time', j.cpuSeconds != null ? number(j.cpuSeconds, 2) + ' s' : ''],
    ['Lost CPU', j.lostCpuSeconds != null ? number(j.lostCpuSeconds, 2) + ' s' : ''],
    ['Checkpoint', j.checkpointBytes != null ? bytes(j.checkpointBytes) + ' at ' + when(j.checkpointAt) : 'none stored'],
    ['Checkpoint every', j.checkpointEverySeconds != null ? duration(j.checkpointEverySeconds) : 'only before a vacate'],
    ['Submitted', when(j.submittedAt)], ['Started', when(j.startedAt)], ['Finished', when(j.finishedAt)],
  ];
  document.getElementById('detail-facts').replaceChildren(
    ...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
  document.getElementById('attempt-rows').replaceChildren(...(j.attempts || []).map((a) => el('tr', {},
    el('td', { text: a.attempt }), el('td', { text: a.machine }), el('td', { text: a.fencingToken }),
    el('td', { text: when(a.startedAt) }), el('td', { text: when(a.endedAt) }), el('td', { text: a.outcome || 'live' }),
    el('td', { text: a.exitCode ?? '' }), el('td', { text: a.cpuSeconds != null ? number(a.cpuSeconds, 2) : '' }),
    el('td', { class: 'wrap', text: a.message || '' }))));
}

async function followLog() {
  if (log.job === null || log.final) return;
  if (!document.getElementById('l-follow').checked && log.offset > 0) return;
  const mine = log;
  const r = await api('/jobs/' + mine.job + '/logs?stream=' + mine.stream + '&offset=' + mine.offset, { raw: true });
  const got = await r.arrayBuffer();
  if (mine !== log) return; // another job or stream was chosen meanwhile
  const text = log.decoder.decode(got, { stream: true });
  if (text.length > 0) {
    const pre = document.getElementById('log');
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(text);
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }
  log.offset += got.byteLength;
  const size = Number(r.headers.get('X-Cyphon-Log-Size'));
  if (r.headers.get('X-Cyphon-Log-Final') === 'true' && log.offset >= size) {
    log.final = true;
    if (shownJob !== null) await show(shownJob, false);
  }
}

async function submit(e) {
  e.preventDefault();
  const sub = {};
  try {
    sub.command = words(document.getElementById('s-command').value);
    if (sub.command.length === 0) throw new Error('the command is empty');
    const name = document.getElementById('s-name').value.trim();
    if (name) sub.name = name;
    sub.cpus = Number(document.getElementById('s-cpus').value);
    const memory = document.getElementById('s-memory').value.trim();
    if (memory) sub.memory = memory;
    const runtime = document.getElementById('s-runtime').value.trim();
    if (runtime) sub.runtime = runtime;
    const count = Number(document.getElementById('s-count').value);
    if (count > 1) sub.count = count;
    const requires = pairs(document.getElementById('s-requires').value);
    if (Object.keys(requires).length) sub.requires = requires;
  } catch (err) {
    say('Not submitted: ' + err.message, true);
    return;
  }
  let reply;
  try {
    reply = await api('/jobs', { method: 'POST', body: sub });
  } catch (err) {
    say('Not submitted: ' + err.message + (err instanceof ApiFailure && err.field ? ' (' + err.field + ')' : ''), true);
    return;
  }
  // Accepted: whatever fails from here on must not read "Not submitted" (a user would submit twice).
  say('Submitted job' + (reply.ids.length > 1 ? 's ' : ' ') + reply.ids.join(', ') + '.');
  before = null;
  cursors.length = 0;
  await show(reply.ids[0], false).catch((e) => console.error(e));
  await refresh().catch((e) => console.error(e));
}

async function main() {
  me = await startPage();
  document.getElementById('submit').addEventListener('submit', submit);
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('filters').addEventListener('input', () => {
    before = null;
    cursors.length = 0;
    refresh();
  });
  document.getElementById('select-all').addEventListener('change', (e) => {
    for (const id of pageIds) {
      if (e.target.checked) selected.add(id);
      else selected.delete(id);
    }
    for (const box of document.querySelectorAll('#job-rows input[type="checkbox"]')) box.checked = e.target.checked;
  });
  document.getElementById('a-cancel').addEventListener('click', () => act('cancel'));
  document.getElementById('a-hold').addEventListener('click', () => act('hold'));
  document.getElementById('a-release').addEventListener('click', () => act('release'));
  document.getElementById('p-older').addEventListener('click', () => {
    if (pageIds.length === 0) return;
    cursors.push(before);
    before = Math.min(...pageIds);
    refresh();
  });
  document.getElementById('p-newer').addEventListener('click', () => {
    before = cursors.length ? cursors.pop() : null;
    refresh();
  });
  document.getElementById('l-stream').addEventListener('change', () => shownJob !== null && show(shownJob, false));
  document.getElementById('detail-h').setAttribute('tabindex', '-1');
  // ?before=ID opens the page of the jobs below ID (a deep page can be linked to).
  const from = new URLSearchParams(location.search).get('before');
  if (from && /^\d+$/.test(from)) before = Number(from);
  const wanted = new URLSearchParams(location.search).get('job');
  if (wanted && /^\d+$/.test(wanted)) await show(Number(wanted), false);
  every(2000, refresh);
  every(1000, followLog);
  every(2000, followDetail);
}

main();
