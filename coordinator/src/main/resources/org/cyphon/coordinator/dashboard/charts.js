// Charts drawn as SVG by hand: a week-by-hour heatmap, a curve, bars. Each carries a text
// equivalent (<title> per mark, and a label) for screen readers.
const NS = 'http://www.w3.org/2000/svg';
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function pct(p) {
  return Math.round(p * 100) + '%';
}

/**
 * 168 values in [0, 1], hour 0 = Monday 00:00, as 7 rows of 24 cells; describe(i) names cell i
 * (default: the value as a percentage present).
 */
export function weekHeatmap(values, label, describe) {
  const cell = 18;
  const left = 34;
  const top = 16;
  const root = svg('svg', {
    viewBox: `0 0 ${left + 24 * cell + 4} ${top + 7 * cell + 4}`, role: 'img', 'aria-label': label, class: 'chart wide',
  });
  for (let h = 0; h < 24; h += 3) root.append(svg('text', { x: left + h * cell + 2, y: 11 }, String(h).padStart(2, '0')));
  for (let d = 0; d < 7; d++) {
    root.append(svg('text', { x: 0, y: top + d * cell + 13 }, DAYS[d]));
    for (let h = 0; h < 24; h++) {
      const p = values ? values[d * 24 + h] : null;
      const known = p !== null && p !== undefined;
      const shade = known ? `hsl(215, 70%, ${Math.round(96 - p * 66)}%)` : '#e6e6e6';
      const r = svg('rect', { x: left + h * cell, y: top + d * cell, width: cell - 2, height: cell - 2, fill: shade });
      const what = !known ? 'unknown' : describe ? describe(d * 24 + h) : pct(p) + ' present';
      r.append(svg('title', {}, `${DAYS[d]} ${String(h).padStart(2, '0')}:00: ${what}`));
      root.append(r);
    }
  }
  return root;
}

/** A curve through points [{x, y}] with x in hours and y in [0, 1]. */
export function curve(points, xLabel, label) {
  const w = 420;
  const h = 180;
  const pad = 32;
  const maxX = Math.max(...points.map((p) => p.x), 1);
  const X = (x) => pad + (x / maxX) * (w - 2 * pad);
  const Y = (y) => h - pad - y * (h - 2 * pad);
  const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': label, class: 'chart' });
  root.append(svg('line', { x1: pad, y1: Y(0), x2: w - pad, y2: Y(0), stroke: '#444' }));
  root.append(svg('line', { x1: pad, y1: Y(0), x2: pad, y2: Y(1), stroke: '#444' }));
  for (const y of [0, 0.5, 1]) root.append(svg('text', { x: 2, y: Y(y) + 4 }, y.toFixed(1)));
  for (const p of points) root.append(svg('text', { x: X(p.x) - 6, y: h - pad + 14 }, p.x + 'h'));
  root.append(svg('text', { x: w / 2 - 20, y: h - 4 }, xLabel));
  root.append(svg('polyline', {
    points: points.map((p) => X(p.x) + ',' + Y(p.y)).join(' '), fill: 'none', stroke: '#0b4fa8', 'stroke-width': 2,
  }));
  for (const p of points) {
    const c = svg('circle', { cx: X(p.x), cy: Y(p.y), r: 4, fill: '#0b4fa8' });
    c.append(svg('title', {}, `${p.x} h: ${pct(p.y)}`));
    root.append(c);
  }
  return root;
}

/** Horizontal bars [{label, value}], scaled to the largest. */
export function bars(items, unit, label) {
  const rowH = 22;
  const w = 480;
  const left = 110;
  // A floor of 0.01: near-zero figures draw as near-zero bars, not as full ones.
  const max = Math.max(...items.map((i) => i.value), 0.01);
  const root = svg('svg', {
    viewBox: `0 0 ${w} ${items.length * rowH + 4}`, role: 'img', 'aria-label': label, class: 'chart wide',
  });
  items.forEach((it, i) => {
    root.append(svg('text', { x: 0, y: i * rowH + 15 }, it.label));
    const bw = Math.max(1, (it.value / max) * (w - left - 80));
    const r = svg('rect', { x: left, y: i * rowH + 3, width: bw, height: rowH - 6, fill: '#0b4fa8' });
    r.append(svg('title', {}, `${it.label}: ${it.value.toFixed(2)} ${unit}`));
    root.append(r);
    root.append(svg('text', { x: left + bw + 4, y: i * rowH + 15 }, it.value.toFixed(2) + ' ' + unit));
  });
  return root;
}
