// The Simulate page: pick traces and presets, run the simulator in the coordinator, show its
// table and its HTML report (framed, sandboxed, no script).
import { api } from './api.js';
import { el, say } from './format.js';
import { startPage } from './nav.js';

async function main() {
  const s = await startPage();
  if (!s.admin) {
    say('Simulations are for admins.', true);
    document.getElementById('sim').hidden = true;
    document.getElementById('upload').hidden = true;
    for (const id of ['upload-h', 'sim-h']) document.getElementById(id).hidden = true;
    return;
  }
  const c = await api('/simulate');
  const jobs = document.getElementById('m-jobs');
  for (const j of c.jobs) jobs.append(el('option', { value: j, text: j }));
  const owners = document.getElementById('m-owners');
  for (const f of c.fits) owners.append(el('option', { value: 'fit:' + f, text: 'fit: ' + f }));
  for (const f of c.cpu) owners.append(el('option', { value: 'cpu:' + f, text: 'PlanetLab CPU: ' + f }));
  document.getElementById('upload').addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = document.getElementById('u-file').files[0];
    if (!file) return;
    const go = document.getElementById('u-go');
    go.disabled = true;
    say('Uploading ' + file.name + '…');
    try {
      const u = await api('/simulate/traces/' + encodeURIComponent(file.name), { method: 'PUT', file });
      // Offered at once, and picked: the next run uses it.
      const list = u.kind === 'swf' ? jobs : owners;
      const value = u.kind === 'swf' ? u.name : 'cpu:' + u.name;
      list.append(el('option', { value, text: (u.kind === 'swf' ? '' : 'PlanetLab CPU: ') + u.name }));
      list.value = value;
      say('Uploaded ' + u.name + ': ' + u.summary + '.');
    } catch (err) {
      say('Not uploaded: ' + err.message, true);
    } finally {
      go.disabled = false;
    }
  });
  const presets = document.getElementById('m-presets');
  for (const p of c.presets) {
    const box = el('input', { type: 'checkbox', value: p, id: 'p-' + p });
    box.checked = p === 'desktop' || p === 'htcondor-desktop';
    presets.append(el('label', {}, box, ' ' + p));
  }
  document.getElementById('sim').addEventListener('submit', async (e) => {
    e.preventDefault();
    const go = document.getElementById('m-go');
    const body = {
      jobs: jobs.value || null,
      owners: owners.value,
      policies: [...presets.querySelectorAll('input:checked')].map((b) => b.value),
      machines: Number(document.getElementById('m-machines').value),
      days: Number(document.getElementById('m-days').value),
      maxJobs: Number(document.getElementById('m-maxjobs').value),
      timeScale: Number(document.getElementById('m-scale').value),
    };
    go.disabled = true;
    say('Simulating… (a run of 50 desks for a week takes seconds; bigger ones minutes)');
    try {
      let r = await api('/simulate', { method: 'POST', body });
      while (r.state === 'running') {
        say('Simulating… ' + Math.round(r.progress * 100) + '%');
        await new Promise((done) => setTimeout(done, 1000));
        r = await api('/simulate/' + r.id);
      }
      if (r.state !== 'done') throw new Error(r.error || 'the simulation ' + r.state);
      document.getElementById('table').textContent = r.table;
      document.getElementById('report').src = '/api/v1/simulate/' + r.id + '/report';
      document.getElementById('result').hidden = false;
      say('Simulated in ' + r.seconds.toFixed(1) + ' s.');
    } catch (err) {
      say('Not simulated: ' + err.message + (err.field ? ' (' + err.field + ')' : ''), true);
    } finally {
      go.disabled = false;
    }
  });
}

main();
