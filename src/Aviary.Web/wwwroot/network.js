"use strict";
// The Network page: every peer the node's census has heard of, its grade, its branch, and the miners.
// Everything a peer sends is shown with textContent, never as HTML.
(() => {
  const $ = id => document.getElementById(id);
  const short = h => (h && h.length > 20 ? h.slice(0, 10) + "…" + h.slice(-8) : h || "");
  const ago = s => (s < 60 ? s.toFixed(0) + " s" : s < 3600 ? (s / 60).toFixed(0) + " min" : (s / 3600).toFixed(1) + " h");
  const cell = (tr, text, cls) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  };

  function peers(view) {
    const body = $("net-peers").tBodies[0];
    body.replaceChildren();
    $("net-empty").hidden = view.peers.length > 0;
    for (const p of view.peers) {
      const tr = document.createElement("tr");
      if (!p.inMembership) tr.className = "gone";
      cell(tr, p.name, "name");
      cell(tr, p.address, "mono");
      cell(tr, p.height == null ? "–" : p.height + " @ " + short(p.hash), "hash");
      cell(tr, ago(p.lastHeardSecondsAgo) + (p.inMembership ? "" : " (left)"), "num");
      cell(tr, p.chain, p.answered === false ? "silent" : "");
      cell(tr, p.grade ?? "–", "grade grade-" + (p.grade ?? "none"));
      const fails = cell(tr, p.failures.length ? "" : p.answered === false ? "no reply to STATS" : p.gradedAt ? "none" : "not graded yet", p.failures.length || p.answered !== false ? "" : "muted");
      if (p.failures.length) {
        const ul = document.createElement("ul");
        ul.className = "fails";
        for (const f of p.failures) {
          const li = document.createElement("li");
          li.textContent = f.id + ": " + f.evidence;
          ul.appendChild(li);
        }
        fails.appendChild(ul);
      }
      body.appendChild(tr);
    }
  }

  function forks(view) {
    const box = $("net-forks");
    box.replaceChildren();
    const top = Math.max(1, view.height, ...view.branches.map(b => b.topHeight));
    for (const b of view.branches) {
      const div = document.createElement("div");
      div.className = "branch";
      const head = document.createElement("div");
      head.className = "branch-head";
      const label = document.createElement("span");
      label.textContent = b.label + " (" + (b.forkHeight == null ? view.height : b.topHeight) + " blocks)";
      const who = document.createElement("span");
      who.className = "muted";
      who.textContent = b.peers.length ? b.peers.join(", ") : "no peer";
      head.append(label, who);
      const track = document.createElement("div");
      track.className = "track";
      const bar = document.createElement("div");
      const from = b.forkHeight ?? 0;
      const to = b.forkHeight == null ? view.height : b.topHeight;
      bar.style.left = (100 * from / top) + "%";
      bar.style.width = Math.max(0.5, 100 * (to - from) / top) + "%";
      if (b.forkHeight != null) bar.className = "fork";
      track.appendChild(bar);
      div.append(head, track);
      box.appendChild(div);
    }
  }

  function miners(view) {
    const body = $("net-miners").tBodies[0];
    body.replaceChildren();
    const total = view.miners.reduce((s, m) => s + m.blocks, 0);
    for (const m of view.miners) {
      const tr = document.createElement("tr");
      cell(tr, m.name, "name");
      cell(tr, String(m.blocks), "num");
      cell(tr, total ? (100 * m.blocks / total).toFixed(1) + " %" : "–", "num");
      body.appendChild(tr);
    }
  }

  function render(view) {
    $("net-meta").textContent = "as this node's census sees it · peers graded one at a time, at most one every " + view.gradeIntervalSeconds + " s";
    $("net-count").textContent = view.peers.length;
    $("net-count-note").textContent = view.peers.filter(p => p.inMembership).length + " in membership now · kept " + view.retentionHours + " h, at most " + view.capacity;
    const onBest = view.peers.filter(p => p.chainKind === "same").length;
    $("net-best").textContent = onBest;
    $("net-best-note").textContent = view.height + " @ " + short(view.topHash);
    const graded = view.peers.filter(p => p.gradedAt);
    $("net-graded").textContent = graded.length + " / " + view.peers.length;
    $("net-graded-note").textContent = graded.filter(p => p.grade === "A").length + " with grade A · " + view.peers.filter(p => p.answered === false).length + " silent";
    peers(view);
    forks(view);
    miners(view);
  }

  async function refresh() {
    try {
      const r = await fetch("/api/network", { cache: "no-store" });
      const body = await r.json();
      if (!r.ok) {
        $("net-off").hidden = false;
        $("net-off").textContent = body.error || ("HTTP " + r.status);
        $("net-live").textContent = "census off";
        return;
      }
      $("net-off").hidden = true;
      render(body);
      $("net-live").className = "live on";
      $("net-live").textContent = "updated " + new Date().toLocaleTimeString();
    } catch (e) {
      $("net-live").className = "live off";
      $("net-live").textContent = "node unreachable";
    }
  }

  refresh();
  setInterval(refresh, 5000);
})();
