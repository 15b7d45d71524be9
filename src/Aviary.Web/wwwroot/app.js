// Aviary dashboard. Every string a peer can influence (names, miners, messages, nonces) reaches the
// page through text nodes only: the DOM is built with createElement/append/textContent, never parsed HTML.
'use strict';

(() => {
  const PAGE = 20;
  const $ = (id) => document.getElementById(id);
  const state = { from: null, height: 0, status: null, fresh: new Set() };
  const STALE = 15;
  const CHIPS = 30;
  const charts = window.AviaryCharts;

  // el('td', { class: 'num', title: 'x' }, child, 'text', …): strings become text nodes.
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') e.className = v;
      else if (k === 'onclick') e.addEventListener('click', v);
      else e.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  const text = (id, value) => { $(id).textContent = value; };
  const short = (h) => (h ? `${h.slice(0, 8)}…${h.slice(-8)}` : '—');
  const num = (n) => Number(n).toLocaleString('en-US');
  const hashEl = (h) => el('span', { class: 'hash', title: h || '' }, short(h));

  function ago(seconds) {
    if (seconds < 1) return 'just now';
    if (seconds < 120) return `${Math.round(seconds)} s ago`;
    if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
    return `${Math.round(seconds / 3600)} h ago`;
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }

  function rate(h) {
    const units = ['H/s', 'kH/s', 'MH/s', 'GH/s'];
    let i = 0;
    while (h >= 1000 && i < units.length - 1) { h /= 1000; i++; }
    return `${h.toFixed(i === 0 ? 0 : 2)} ${units[i]}`;
  }

  const when = (ts) => new Date(ts * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC');
  const nowSeconds = () => Date.now() / 1000;

  function fill(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  // ---- status ----------------------------------------------------------------------------------

  function renderStatus(s) {
    state.status = s;
    text('node-name', s.node.name);
    text('node-meta', `${s.node.address} · id ${s.node.id} · difficulty ${s.node.difficulty}`);
    document.title = `${s.node.name} · ${num(s.chain.height)} blocks · Aviary`;
    text('height', num(s.chain.height));
    $('top-hash').replaceChildren(hashEl(s.chain.topHash));
    if (s.chain.top) {
      text('last-block', ago(Math.max(0, nowSeconds() - s.chain.top.timestamp)));
      $('last-block-note').replaceChildren('mined by ', el('span', { class: 'name' }, s.chain.top.minedBy));
    } else {
      text('last-block', '—');
      text('last-block-note', 'no chain yet');
    }

    const c = s.counters;
    text('traffic', `${num(c.datagramsIn)} / ${num(c.datagramsOut)}`);
    text('traffic-note', `datagrams in / out · ${bytes(c.bytesIn)} / ${bytes(c.bytesOut)}`);
    renderPeers(s.peers);
    renderSync(s.sync, s.lastSync);
    renderMiner(s.miner, s.miners, s.chain.height, s.distinctMiners);
    renderCounters(c);
    renderRejections(s.rejections);
    if (s.defences) renderDefences(s.defences);
    if (charts) charts.status(s, $('charts-note'));
    if (/^#peer\//.test(location.hash)) showDetail();
    if (s.chain.height !== state.height && state.from === null) {
      state.height = s.chain.height;
      loadBlocks();
    }
  }

  function renderPeers(peers) {
    text('peer-count', num(peers.length));
    const bad = peers.filter((p) => p.misbehaving).length;
    const proven = peers.filter((p) => p.proven).length;
    text('peer-note', `${num(proven)} proven${bad ? ` · ${bad} misbehaving` : ''}`);
    $('no-peers').hidden = peers.length > 0;
    fill($('peers').tBodies[0], peers.map((p) => {
      const stale = p.claimAgeSeconds === null || p.claimAgeSeconds > STALE;
      return el('tr', {
        class: p.misbehaving ? 'bad' : null,
        'data-address': p.address,
        'data-height': p.height === null ? '' : p.height,
        onclick: () => { location.hash = `#peer/${p.address}`; },
      },
        el('td', { class: 'name' }, p.name || '(no name)',
          el('span', { class: p.proven ? 'proven' : 'unproven' }, p.proven ? 'proven' : 'unproven'),
          p.misbehaving ? el('span', { class: 'badge' }, 'misbehaving') : null),
        el('td', { class: 'mono' }, p.address),
        el('td', { class: 'mono claim' }, p.height === null ? 'None' : num(p.height), ' @ ', p.topHash ? hashEl(p.topHash) : 'None'),
        el('td', { class: `num age${stale ? ' stale' : ''}` }, p.claimAgeSeconds === null ? 'never asked' : ago(p.claimAgeSeconds)),
        el('td', { class: 'num' }, ago(p.lastHeardSecondsAgo)));
    }));
  }

  function renderSync(sync, last) {
    const bar = $('sync-bar');
    if (sync) {
      text('sync-text', `Syncing to ${num(sync.targetHeight)} @ ${short(sync.targetHash)} — ${sync.phase}: ${num(sync.verifiedHeight)} of ${num(sync.targetHeight)} verified (${sync.percent.toFixed(1)}%), ${sync.inFlight} in flight from ${sync.peers} peers, ${num(sync.retransmissions)} retransmissions`);
      bar.style.width = `${sync.percent}%`;
      bar.parentElement.hidden = false;
    } else {
      text('sync-text', state.status && state.status.chain.height > 0 ? 'In sync: no download running.' : 'Waiting for a chain: no download running.');
      bar.parentElement.hidden = true;
    }

    text('last-sync', last
      ? `Last sync: ${num(last.fetched)} blocks to ${num(last.targetHeight)} @ ${short(last.targetHash)} in ${last.seconds.toFixed(2)} s (${num(Math.round(last.blocksPerSecond))} blocks/s, ${num(last.retransmissions)} retransmissions) — ${last.outcome}`
      : 'No sync has finished yet.');
  }

  function renderMiner(m, miners, height, distinct) {
    const box = $('miner');
    if (!m) {
      box.replaceChildren(el('p', { class: 'muted' }, 'This node is not mining.'));
    } else {
      const chips = (id, words, more) => el('div', { class: 'chips', id },
        ...(words.length ? words.map((w) => el('span', { class: 'chip' }, w)) : [el('span', { class: 'muted' }, 'none')]),
        more > 0 ? el('span', { class: 'muted' }, `and ${num(more)} more`) : null);
      const threads = m.threads === 1 ? '1 thread' : `${num(m.threads)} threads`;
      const workers = m.workers.length === 1 ? '1 remote worker' : `${num(m.workers.length)} remote workers`;
      const rejected = Object.entries(m.wordRejections).map(([why, n]) => `${num(n)} ${why}`).join(', ');
      const gpuRate = m.gpus.reduce((sum, g) => sum + g.hashesPerSecond, 0);
      box.dataset.rate = String(m.hashesPerSecond + m.remoteHashesPerSecond + gpuRate);
      box.replaceChildren(el('dl', { class: 'kv' },
        el('dt', null, 'State'), el('dd', { id: 'miner-state' }, m.mining ? `mining block ${num(m.miningHeight)} (job ${num(m.jobId)})` : 'idle: nothing to mine'),
        el('dt', null, 'Hash rate'), el('dd', { id: 'miner-rate' }, `${rate(m.hashesPerSecond)} on ${threads} (${m.tier})`),
        el('dt', null, 'GPU'), el('dd', { id: 'miner-gpu' }, m.gpus.length ? m.gpus.map((g) => `${g.device}: ${rate(g.hashesPerSecond)}`).join('; ') : 'none (run --gpu to add one)'),
        el('dt', null, 'Remote workers'), el('dd', null, m.workers.length ? `${workers}, ${rate(m.remoteHashesPerSecond)}: ${m.workers.map((w) => `${w.name || w.address} (${w.threads} × ${w.tier || '?'}, ${rate(w.hashesPerSecond)})`).join('; ')}` : 'none connected'),
        el('dt', null, 'Blocks mined'), el('dd', null, `${num(m.blocksMined)} since start${m.staleSolutions || m.rejectedSolutions ? ` · ${num(m.staleSolutions)} stale, ${num(m.rejectedSolutions)} rejected solutions` : ''}`),
        el('dt', null, 'Currently mining'), el('dd', null, chips('miner-current', m.mining ? m.currentMessages : [], 0)),
        el('dt', null, 'Data to mine'), el('dd', null, chips('miner-waiting', m.queuedWords.slice(0, CHIPS), m.queuedCount - Math.min(CHIPS, m.queuedWords.length)),
          rejected ? el('div', { class: 'muted small' }, `NEW_WORD refused: ${rejected}`) : null)));
    }

    fill($('miners').tBodies[0], miners.map((x) => el('tr', null,
      el('td', { class: 'name' }, x.name),
      el('td', { class: 'num' }, num(x.blocks)),
      el('td', { class: 'num' }, height ? `${((100 * x.blocks) / height).toFixed(1)}%` : '—'))));
    if (distinct > miners.length) {
      $('miners').tBodies[0].append(el('tr', null, el('td', { class: 'muted', colspan: 3 }, `and ${distinct - miners.length} more`)));
    }
  }

  function renderCounters(c) {
    const types = [...new Set([...Object.keys(c.received), ...Object.keys(c.sent)])].sort();
    fill($('traffic-table').tBodies[0], types.map((t) => el('tr', null,
      el('td', { class: 'mono' }, t),
      el('td', { class: 'num' }, num(c.received[t] || 0)),
      el('td', { class: 'num' }, num(c.sent[t] || 0)))));
    text('counters', `${num(c.invalidBlocks)} invalid blocks · ${num(c.consensusRequests)} CONSENSUS requests · ${num(c.oversizedRefused)} oversized refused · ${num(c.rejected)} rejected`);
  }

  function renderRejections(r) {
    fill($('rejections').tBodies[0], Object.entries(r).map(([reason, n]) => el('tr', { class: n ? null : 'zero' },
      el('td', null, reason),
      el('td', { class: 'num' }, num(n)))));
  }

  function renderDefences(d) {
    const rows = [
      ...Object.entries(d.rateLimited).map(([budget, n]) => ['rate-limited (incoming)', budget, n]),
      ...d.withheld.map((w) => [`withheld: ${w.reason}`, w.type, w.count]),
    ];
    fill($('defences').tBodies[0], rows.length
      ? rows.map(([what, type, n]) => el('tr', null, el('td', null, what), el('td', { class: 'mono' }, type), el('td', { class: 'num' }, num(n))))
      : [el('tr', { class: 'zero' }, el('td', null, 'nothing held back'), el('td', null, ''), el('td', { class: 'num' }, '0'))]);
    text('defences-summary', `${num(d.repliesPaced)} replies paced for slow peers · ${num(d.inboxDropped)} dropped from the inbox · ${num(d.challengesSent)} challenges sent · ${num(d.addressesProven)} addresses proven`);
  }

  // ---- blocks ----------------------------------------------------------------------------------

  async function getJson(url) {
    const r = await fetch(url, { cache: 'no-store' });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return r.json();
  }

  async function loadBlocks() {
    const url = state.from === null ? `/api/blocks?count=${PAGE}` : `/api/blocks?from=${state.from}&count=${PAGE}`;
    renderBlocks(await getJson(url));
  }

  function renderBlocks(page) {
    state.height = page.height;
    const blocks = page.blocks;
    $('no-blocks').hidden = page.height > 0;
    fill($('blocks').tBodies[0], blocks.map((b) => el('tr', {
      class: state.fresh.has(b.hash) ? 'fresh' : null,
      'data-height': b.height,
      onclick: () => { location.hash = `#block/${b.height}`; },
    },
      el('td', { class: 'num' }, el('a', { href: `#block/${b.height}` }, num(b.height))),
      el('td', null, hashEl(b.hash)),
      el('td', { class: 'name' }, b.minedBy),
      el('td', { class: 'messages' }, b.messages.join(' · ')),
      el('td', { class: 'num', title: when(b.timestamp) }, ago(Math.max(0, nowSeconds() - b.timestamp))))));
    state.fresh.clear();
    if (charts && state.from === null) charts.blocks(blocks, page.height, $('charts-note'));
    const top = blocks.length ? blocks[0].height : 0;
    const bottom = blocks.length ? blocks[blocks.length - 1].height : 0;
    text('page-info', blocks.length ? `${num(top)} – ${num(bottom)} of ${num(page.height)}` : '');
    $('newer').disabled = state.from === null || top >= page.height - 1;
    $('newest').disabled = state.from === null;
    $('older').disabled = bottom <= 0;
  }

  function onChain(e) {
    for (const b of e.blocks) {
      if (b.height >= state.height) state.fresh.add(b.hash);
    }

    text('height', num(e.height));
    $('top-hash').replaceChildren(hashEl(e.topHash));
    if (state.from === null) {
      renderBlocks({ height: e.height, blocks: e.blocks });
    } else {
      state.height = e.height;
      if (charts) charts.blocks(e.blocks, e.height, $('charts-note'));
    }
  }

  $('newest').addEventListener('click', () => { state.from = null; loadBlocks(); });
  $('newer').addEventListener('click', () => {
    const next = (state.from ?? state.height - 1) + PAGE;
    state.from = next >= state.height - 1 ? null : next;
    loadBlocks();
  });
  $('older').addEventListener('click', () => {
    state.from = Math.max(0, (state.from ?? state.height - 1) - PAGE);
    loadBlocks();
  });

  // ---- one block -------------------------------------------------------------------------------

  function showPeer(address) {
    const p = state.status && state.status.peers.find((x) => x.address === address);
    text('detail-title', p ? `Peer ${p.name || address}` : 'Peer');
    if (!p) {
      $('detail-body').replaceChildren(el('p', { class: 'muted' }, `This node does not track ${address} (any more).`));
      return;
    }

    $('detail-body').replaceChildren(el('dl', { class: 'kv detail' },
      el('dt', null, 'Name'), el('dd', { class: 'name' }, p.name || '(no name)'),
      el('dt', null, 'Address'), el('dd', { class: 'mono' }, p.address),
      el('dt', null, 'Proven'), el('dd', { id: 'peer-proven' }, p.proven ? 'yes: it answered one of our requests (or is a bootstrap peer), so it is served without the no-amplification limits' : 'no: it has not yet answered one of our requests; what we send it stays within the response limits'),
      el('dt', null, 'Last claim'), el('dd', null, p.height === null ? 'none: it never answered our STATS' : `${num(p.height)} blocks, ${ago(p.claimAgeSeconds)}`),
      el('dt', null, 'Top hash'), el('dd', { class: 'mono wrap' }, p.topHash || 'None'),
      el('dt', null, 'Last heard'), el('dd', null, ago(p.lastHeardSecondsAgo)),
      el('dt', null, 'First seen'), el('dd', null, new Date(p.firstSeen).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')),
      el('dt', null, 'Misbehaving'), el('dd', { id: 'peer-misbehaving' }, p.misbehaving ? 'yes: it served an invalid block or lied about its chain, so consensus and downloads ignore it for 10 minutes' : 'no')));
  }

  async function showDetail() {
    const panel = $('detail');
    const peer = /^#peer\/(.+)$/.exec(location.hash);
    if (peer) {
      panel.hidden = false;
      showPeer(decodeURIComponent(peer[1]));
      return;
    }

    const m = /^#block\/(\d+)$/.exec(location.hash);
    if (!m) {
      panel.hidden = true;
      return;
    }

    const height = Number(m[1]);
    panel.hidden = false;
    text('detail-title', `Block ${num(height)}`);
    const body = $('detail-body');
    let b;
    try {
      b = await getJson(`/api/blocks/${height}`);
    } catch {
      body.replaceChildren(el('p', { class: 'muted' }, `This node has no block at height ${height}.`));
      return;
    }

    const difficulty = state.status ? state.status.node.difficulty : null;
    const link = (h, label) => el('a', { href: `#block/${h}` }, label);
    body.replaceChildren(
      el('dl', { class: 'kv detail' },
        el('dt', null, 'Height'), el('dd', null, num(b.height)),
        el('dt', null, 'Hash'), el('dd', { class: 'mono wrap', id: 'detail-hash' }, b.hash),
        el('dt', null, 'Previous'), el('dd', { class: 'mono wrap' }, b.previousHash ? link(b.height - 1, b.previousHash) : 'none (genesis)'),
        el('dt', null, 'Mined by'), el('dd', { class: 'name', id: 'detail-miner' }, b.minedBy),
        el('dt', null, 'Nonce'), el('dd', { class: 'mono wrap' }, JSON.stringify(b.nonce)),
        el('dt', null, 'Timestamp'), el('dd', null, `${b.timestamp} (${when(b.timestamp)})`),
        el('dt', null, 'Proof of work'), el('dd', null, `${b.zeros} trailing zeros${difficulty === null ? '' : ` (difficulty ${difficulty})`}`),
        el('dt', null, `Messages (${b.messages.length})`), el('dd', null, el('ol', { class: 'messages-list' }, ...b.messages.map((x) => el('li', null, x))))),
      el('div', { class: 'detail-nav' },
        b.height > 0 ? link(b.height - 1, '← previous') : el('span'),
        link(b.height + 1, 'next →')));
  }

  $('detail-close').addEventListener('click', () => {
    history.replaceState(null, '', location.pathname + location.search);
    showDetail();
  });
  window.addEventListener('hashchange', showDetail);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('detail').hidden) $('detail-close').click(); });

  // ---- live ------------------------------------------------------------------------------------

  function connect() {
    const live = $('live');
    const source = new EventSource('/api/events');
    source.addEventListener('open', () => { live.textContent = 'live'; live.className = 'live on'; });
    source.addEventListener('error', () => { live.textContent = 'reconnecting…'; live.className = 'live off'; });
    source.addEventListener('status', (e) => renderStatus(JSON.parse(e.data)));
    source.addEventListener('block', (e) => onChain(JSON.parse(e.data)));
  }

  // The server puts the first status and block page in the page itself (a JSON data block, not
  // script), so the first paint has data; later changes come over the event stream.
  const initial = $('initial-state');
  if (initial) {
    const first = JSON.parse(initial.textContent);
    renderBlocks(first.blocks);
    renderStatus(first.status);
  } else {
    getJson('/api/status').then(renderStatus).catch(() => {});
    loadBlocks().catch(() => {});
  }

  if (charts) getJson('/api/history').then((h) => charts.init(h, $('charts-note'))).catch(() => {});
  showDetail();
  connect();
})();
