// Aviary dashboard charts, drawn with uPlot (bundled beside this file, MIT; no CDN). The points come
// from /api/history when the page opens (the server keeps ten minutes, one sample a second), then one
// with each live status; the block intervals come from the blocks themselves. Each chart keeps at most
// MAX points, and its element's data-points attribute says how many it draws.
'use strict';

window.AviaryCharts = (() => {
  const MAX = 600;
  const MAX_INTERVALS = 200;
  const pts = { at: [], height: [], best: [], hps: [], remote: [], inRate: [], outRate: [], sync: [] };
  const intervals = new Map();
  let last = null;
  let charts = null;
  let early = [];

  const si = (v, unit) => {
    if (v === null || v === undefined) return '—';
    const prefixes = ['', 'k', 'M', 'G', 'T'];
    let i = 0;
    let x = Math.abs(v);
    while (x >= 1000 && i < prefixes.length - 1) { x /= 1000; i++; }
    return `${(Math.sign(v) * x).toFixed(i === 0 ? 0 : 1)} ${prefixes[i]}${unit}`;
  };
  const plain = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US'));

  const axis = (format) => ({
    stroke: '#8a96a6',
    grid: { stroke: '#1f2935', width: 1 },
    ticks: { stroke: '#243040', width: 1 },
    ...(format ? { values: (u, vals) => vals.map(format), size: 84 } : {}),
  });

  function make(id, series, format, time = true) {
    const el = document.getElementById(id);
    const chart = new uPlot({
      width: Math.max(280, el.clientWidth),
      height: 150,
      scales: { x: { time } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: time ? 'time' : 'height' },
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false, points: { show: !time }, value: (u, v) => format(v) })),
      ],
      axes: [axis(time ? null : plain), axis(format)],
    }, [[], ...series.map(() => [])], el);
    return { el, chart };
  }

  function ensure() {
    if (charts || typeof uPlot === 'undefined') return charts;
    charts = {
      height: make('chart-height', [{ label: 'ours', color: '#f5a524' }, { label: 'best peer claim', color: '#5aa9ff' }], plain),
      interval: make('chart-interval', [{ label: 'seconds', color: '#f5a524' }], (v) => (v === null || v === undefined ? '—' : `${v} s`), false),
      hashrate: make('chart-hashrate', [{ label: 'own threads', color: '#3ecf8e' }, { label: 'remote workers', color: '#b48cff' }], (v) => si(v, 'H/s')),
      traffic: make('chart-traffic', [{ label: 'in', color: '#5aa9ff' }, { label: 'out', color: '#f5a524' }], (v) => si(v, 'B/s')),
      sync: make('chart-sync', [{ label: 'verified', color: '#3ecf8e' }], (v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} %`)),
    };
    window.addEventListener('resize', () => {
      for (const c of Object.values(charts)) c.chart.setSize({ width: Math.max(280, c.el.clientWidth), height: 150 });
    });
    return charts;
  }

  function add(p) {
    // One sample a second: statuses that follow block events come more often.
    if (!p || (last && p.at - last.at < 0.9)) return;
    const dt = last ? p.at - last.at : 0;
    pts.at.push(p.at);
    pts.height.push(p.height);
    pts.best.push(p.bestPeerHeight);
    pts.hps.push(p.hashesPerSecond);
    pts.remote.push(p.remoteHashesPerSecond);
    pts.inRate.push(dt > 0 ? Math.max(0, (p.bytesIn - last.bytesIn) / dt) : null);
    pts.outRate.push(dt > 0 ? Math.max(0, (p.bytesOut - last.bytesOut) / dt) : null);
    pts.sync.push(p.syncPercent);
    last = p;
    if (pts.at.length > MAX) {
      for (const k of Object.keys(pts)) pts[k].shift();
    }
  }

  // Blocks newest first (a page or a live "block" event): each one whose predecessor is beside it gives an interval.
  function blocks(list, height) {
    for (const h of [...intervals.keys()]) {
      if (h >= height) intervals.delete(h);
    }

    for (let i = 0; i + 1 < list.length; i++) {
      if (list[i + 1].height === list[i].height - 1) intervals.set(list[i].height, list[i].timestamp - list[i + 1].timestamp);
    }

    const keys = [...intervals.keys()].sort((a, b) => a - b);
    for (const h of keys.slice(0, Math.max(0, keys.length - MAX_INTERVALS))) intervals.delete(h);
  }

  function draw(note) {
    const c = ensure();
    if (!c) return;
    const set = (chart, data) => {
      chart.chart.setData(data);
      chart.el.dataset.points = String(data[0].length);
    };
    set(c.height, [pts.at, pts.height, pts.best]);
    set(c.hashrate, [pts.at, pts.hps, pts.remote]);
    set(c.traffic, [pts.at, pts.inRate, pts.outRate]);
    set(c.sync, [pts.at, pts.sync]);
    const heights = [...intervals.keys()].sort((a, b) => a - b);
    set(c.interval, [heights, heights.map((h) => intervals.get(h))]);
    const syncNote = document.getElementById('sync-chart-note');
    if (syncNote) syncNote.textContent = pts.sync.some((v) => v !== null && v !== undefined) ? '' : '— no download during these samples';
    if (note) note.textContent = pts.at.length ? `${pts.at.length} samples, one a second (at most ${MAX}); the last ${heights.length} block intervals` : '';
  }

  return {
    // The history may arrive after the first live statuses: it goes first, they follow.
    init(history, note) {
      for (const k of Object.keys(pts)) pts[k].length = 0;
      last = null;
      for (const p of history.points) add(p);
      for (const p of early || []) add(p);
      early = null;
      for (const i of history.intervals) intervals.set(i.height, i.seconds);
      draw(note);
    },
    status(s, note) {
      if (early && early.length < MAX) early.push(s.sample);
      add(s.sample);
      draw(note);
    },
    blocks(list, height, note) { blocks(list, height); draw(note); },
  };
})();
