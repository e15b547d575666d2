// The pool page: every machine, refreshed every 2 s. Rows are made once and then only the cells
// whose text changed are touched, so a pool of 10,000 desks stays cheap to redraw.
import { api, every } from './api.js';
import { bytes, duration, el, number, say, when } from './format.js';
import { startPage } from './nav.js';

const COLUMNS = 9;
const rows = new Map(); // name -> {tr, cells, texts, search, m}
let order = [];
let firstRender = true;

function presence(m) {
  const d = m.desk;
  const who = m.owner ? m.owner + ': ' : '';
  if (m.absence) return who + 'declared ' + m.absence.kind + (m.absence.until ? ' until ' + when(m.absence.until) : '');
  if (!d) return who + '—';
  if (d.nobodySeen) return who + 'nobody seen';
  const state = d.owner === 'hands_off' ? 'hands off' : d.owner;
  // Since when, as the desk's agent saw it (agents before it: away by its idle time only).
  if (d.ownerSince) return who + state + ' for ' + duration((Date.now() - Date.parse(d.ownerSince)) / 1000)
    + ', since ' + when(d.ownerSince);
  if (d.owner === 'away') return who + 'away ' + duration(d.idleSeconds);
  return who + state;
}

function texts(m) {
  const usedCpus = Math.max(0, m.cpus - m.freeCpus);
  const usedMem = Math.max(0, m.memoryBytes - m.freeMemoryBytes);
  const labels = m.labels ? Object.entries(m.labels).map(([k, v]) => k + '=' + v).join(' ') : '';
  return [
    m.name,
    m.state,
    presence(m),
    m.vm ? m.vm.state : '—',
    number(usedCpus, 2) + ' / ' + number(m.cpus, 2),
    bytes(usedMem) + ' / ' + bytes(m.memoryBytes),
    String(m.runningAttempts),
    m.sandbox || '',
    labels,
  ];
}

function makeRow(m, t) {
  const tr = document.createElement('tr');
  const cells = [];
  for (let i = 0; i < COLUMNS; i++) {
    const td = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) {
      td.setAttribute('scope', 'row');
      const a = document.createElement('a');
      a.href = '/dashboard/machine?name=' + encodeURIComponent(m.name);
      a.textContent = t[0];
      td.append(a);
    } else {
      td.textContent = t[i];
    }
    if (i >= 4 && i <= 6) td.className = 'num';
    cells.push(td);
    tr.append(td);
  }
  cells[8].classList.add('labels');
  return { tr, cells, texts: t };
}

function classes(r, m) {
  r.cells[1].className = 'state-' + m.state;
  r.cells[2].className = m.desk ? 'owner-' + m.desk.owner : '';
}

function render(list) {
  const started = performance.now();
  const seen = new Set();
  let reordered = false;
  const names = [];
  for (const m of list.machines) {
    seen.add(m.name);
    names.push(m.name);
    const t = texts(m);
    let r = rows.get(m.name);
    if (!r) {
      r = makeRow(m, t);
      rows.set(m.name, r);
      reordered = true;
    } else {
      for (let i = 1; i < COLUMNS; i++) {
        if (r.texts[i] !== t[i]) r.cells[i].textContent = t[i];
      }
      r.texts = t;
    }
    r.m = m;
    r.search = (t[0] + ' ' + (m.owner || '') + ' ' + t[8]).toLowerCase();
    classes(r, m);
  }
  for (const [name, r] of rows) {
    if (!seen.has(name)) {
      r.tr.remove();
      rows.delete(name);
      reordered = true;
    }
  }
  if (reordered || names.length !== order.length) {
    const body = document.getElementById('machine-rows');
    const frag = document.createDocumentFragment();
    for (const n of names) frag.append(rows.get(n).tr);
    body.append(frag);
    order = names;
  }
  overload(list.overload);
  filter();
  // For bench/run dashboard: when the first full table stood, and what each redraw cost.
  performance.measure('pool-render', { start: started, end: performance.now() });
  if (firstRender) {
    firstRender = false;
    performance.mark('pool-rendered');
    document.body.dataset.rendered = String(rows.size);
  }
}

function overload(o) {
  const b = document.getElementById('overload');
  const on = o && o.active && (!o.until || new Date(o.until) > new Date());
  b.hidden = !on;
  if (on) {
    b.textContent = 'Overload mode is on until ' + when(o.until) + (o.reason ? ': ' + o.reason : '')
      + (o.by ? ' (' + o.by + ')' : '') + '. Desks run work while their owners are present.';
  }
}

function filter() {
  const text = document.getElementById('f-text').value.trim().toLowerCase();
  const state = document.getElementById('f-state').value;
  const owner = document.getElementById('f-owner').value;
  const busy = document.getElementById('f-busy').checked;
  let shown = 0;
  let online = 0;
  let cpus = 0;
  let used = 0;
  for (const r of rows.values()) {
    const m = r.m;
    const ok = (!text || r.search.includes(text))
      && (!state || m.state === state)
      && (!owner || (m.desk && m.desk.owner === owner))
      && (!busy || m.runningAttempts > 0);
    if (r.tr.hidden === ok) r.tr.hidden = !ok;
    if (ok) {
      shown++;
      if (m.state === 'online') online++;
      cpus += m.cpus;
      used += Math.max(0, m.cpus - m.freeCpus);
    }
  }
  document.getElementById('summary').textContent = shown + ' of ' + rows.size + ' machines shown; '
    + online + ' online; ' + number(used, 1) + ' of ' + number(cpus, 1) + ' CPUs used by jobs';
}

async function main() {
  await startPage();
  for (const id of ['f-text', 'f-state', 'f-owner', 'f-busy']) {
    document.getElementById(id).addEventListener('input', filter);
  }
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  every(2000, async () => {
    try {
      render(await api('/machines'));
      say('');
    } catch (e) {
      say('Could not read the machines: ' + e.message, true);
      throw e;
    }
  });
}

main();
