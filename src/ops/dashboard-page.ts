/**
 * The live dashboard: a page, a script and a style sheet written for Rune (no CDN, no framework),
 * served from /dashboard under a strict Content-Security-Policy. The script polls
 * /dashboard/data every two seconds and draws SVG line charts.
 */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Rune dashboard</title>
<link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script>
</head>
<body>
<header><h1>Rune</h1><span id="version"></span><span id="uptime"></span><span id="status" class="pill">connecting…</span></header>
<main>
  <section class="tiles">
    <div class="tile"><h2>Sessions</h2><p id="sessions-count">–</p></div>
    <div class="tile"><h2>Calls/s</h2><p id="rate-now">–</p></div>
    <div class="tile"><h2>p95 latency</h2><p id="p95-now">–</p></div>
    <div class="tile"><h2>Cache hit rate</h2><p id="cache-rate">–</p></div>
    <div class="tile"><h2>Index</h2><p id="index-state">–</p></div>
    <div class="tile"><h2>Memory (RSS)</h2><p id="memory-now">–</p></div>
  </section>
  <section class="charts">
    <figure><figcaption>Tool calls per second (last 2 minutes)</figcaption><svg id="rate-chart" class="chart" viewBox="0 0 600 160" preserveAspectRatio="none" role="img" aria-label="call rate"></svg></figure>
    <figure><figcaption>Latency p50 / p95 / p99 (ms)</figcaption><svg id="latency-chart" class="chart" viewBox="0 0 600 160" preserveAspectRatio="none" role="img" aria-label="latency percentiles"></svg><div class="legend"><span class="l-p50">p50</span><span class="l-p95">p95</span><span class="l-p99">p99</span></div></figure>
    <figure><figcaption>Memory: RSS and heap (MiB)</figcaption><svg id="memory-chart" class="chart" viewBox="0 0 600 160" preserveAspectRatio="none" role="img" aria-label="memory"></svg><div class="legend"><span class="l-rss">rss</span><span class="l-heap">heap</span></div></figure>
  </section>
  <section class="tables">
    <div><h2>Connected sessions</h2><table id="sessions"><thead><tr><th>transport</th><th>client</th><th>revision</th><th>id</th></tr></thead><tbody></tbody></table></div>
    <div><h2>Slowest recent calls</h2><table id="slowest"><thead><tr><th>ms</th><th>method</th><th>tool</th><th>transport</th><th>outcome</th><th>at</th></tr></thead><tbody></tbody></table></div>
    <div><h2>Cache</h2><table id="cache"><thead><tr><th>kind</th><th>hits</th><th>misses</th><th>entries</th><th>bytes</th></tr></thead><tbody></tbody></table></div>
  </section>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = `
:root { color-scheme: light dark; --fg: #1d2433; --bg: #f6f7f9; --card: #fff; --muted: #6b7385; --a: #3867d6; --b: #e58e26; --c: #c0392b; --d: #20bf6b; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --bg: #14161b; --card: #1d2027; --muted: #8b93a7; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1rem; align-items: baseline; padding: .75rem 1.25rem; background: var(--card); border-bottom: 1px solid #8883; }
header h1 { margin: 0; font-size: 1.25rem; }
header span { color: var(--muted); }
.pill { margin-left: auto; padding: .1rem .6rem; border-radius: 1rem; background: #8882; }
.pill.ok { background: #20bf6b33; color: var(--d); } .pill.bad { background: #c0392b33; color: var(--c); }
main { padding: 1rem 1.25rem; display: grid; gap: 1rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: .75rem; }
.tile, figure, .tables > div { background: var(--card); border-radius: 8px; padding: .75rem 1rem; margin: 0; box-shadow: 0 1px 2px #0001; }
.tile h2, .tables h2 { margin: 0; font-size: .8rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.tile p { margin: .25rem 0 0; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: .75rem; }
figcaption { color: var(--muted); font-size: .85rem; margin-bottom: .25rem; }
.chart { width: 100%; height: 160px; display: block; }
.chart .grid { stroke: #8883; stroke-width: 1; }
.chart .axis { fill: var(--muted); font-size: 10px; }
.chart polyline { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; }
.dot { stroke: none; } .d0 { fill: var(--a); } .d1 { fill: var(--b); } .d2 { fill: var(--c); }
.s0 { stroke: var(--a); } .s1 { stroke: var(--b); } .s2 { stroke: var(--c); }
.legend { display: flex; gap: 1rem; font-size: .8rem; color: var(--muted); }
.legend span::before { content: ""; display: inline-block; width: .8rem; height: .2rem; margin-right: .3rem; vertical-align: middle; }
.l-p50::before, .l-rss::before { background: var(--a); } .l-p95::before, .l-heap::before { background: var(--b); } .l-p99::before { background: var(--c); }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: .75rem; }
table { width: 100%; border-collapse: collapse; margin-top: .5rem; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #8882; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 16rem; }
th { color: var(--muted); font-weight: 500; }
`;

export const DASHBOARD_JS = `"use strict";
(() => {
  const NS = "http://www.w3.org/2000/svg";
  const W = 600, H = 160, PAD = 24;
  const $ = (id) => document.getElementById(id);
  const fmtBytes = (n) => n >= 1 << 30 ? (n / (1 << 30)).toFixed(2) + " GiB" : n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + " MiB" : n >= 1024 ? (n / 1024).toFixed(1) + " KiB" : n + " B";
  const fmtMs = (ms) => ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms >= 1 ? ms.toFixed(1) + " ms" : (ms * 1000).toFixed(0) + " µs";

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Draws series (arrays of {t, v}) into an SVG: grid, y labels, one polyline per series. */
  function chart(svg, series, format, domain) {
    svg.replaceChildren();
    const all = series.flat();
    if (all.length === 0) return;
    const times = domain || all.map((p) => p.t);
    const t0 = Math.min(...times), t1 = Math.max(...times);
    const vmax = Math.max(1e-9, ...all.map((p) => p.v)) * 1.1;
    const x = (t) => PAD + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - PAD - 4));
    const y = (v) => H - 14 - (v / vmax) * (H - 24);
    for (const f of [0, 0.5, 1]) {
      svg.append(el("line", { class: "grid", x1: PAD, x2: W, y1: y(vmax * f), y2: y(vmax * f) }));
      svg.append(el("text", { class: "axis", x: 0, y: y(vmax * f) + 3 }, format(vmax * f)));
    }
    series.forEach((points, i) => {
      const line = el("polyline", { class: "s" + i, "data-points": points.length, points: points.map((p) => x(p.t).toFixed(1) + "," + y(p.v).toFixed(1)).join(" ") });
      svg.append(line);
      // Dots mark the measured points, so a lone interval with calls is visible too.
      if (points.length <= 60) for (const p of points) svg.append(el("circle", { class: "dot d" + i, cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 2.5 }));
    });
  }

  function rows(tbody, items, cells) {
    tbody.replaceChildren(...items.map((item) => {
      const tr = document.createElement("tr");
      for (const value of cells(item)) {
        const td = document.createElement("td");
        td.textContent = value === undefined || value === null ? "" : String(value);
        td.title = td.textContent;
        tr.append(td);
      }
      return tr;
    }));
  }

  function render(d) {
    $("version").textContent = "v" + d.version;
    $("uptime").textContent = "up " + d.uptimeSeconds + " s";
    const status = $("status");
    status.textContent = d.readiness.ready ? "ready" : d.readiness.status;
    status.className = "pill " + (d.readiness.ready ? "ok" : "bad");
    const last = d.series.slice(-3);
    const rate = last.reduce((s, p) => s + p.rate, 0) / Math.max(1, last.length);
    $("sessions-count").textContent = d.sessions.length;
    $("rate-now").textContent = rate.toFixed(1);
    const p95 = Math.max(0, ...last.map((p) => p.p95));
    $("p95-now").textContent = fmtMs(p95);
    $("cache-rate").textContent = d.cache.hitRate === null ? "–" : (d.cache.hitRate * 100).toFixed(1) + " %";
    $("index-state").textContent = d.index.state + (d.index.files ? " · " + d.index.files + " files" : "");
    $("memory-now").textContent = fmtBytes(d.memory.rss);
    chart($("rate-chart"), [d.series.map((p) => ({ t: p.t, v: p.rate }))], (v) => v.toFixed(0));
    const withCalls = d.series.filter((p) => p.rate > 0);
    chart($("latency-chart"), ["p50", "p95", "p99"].map((k) => withCalls.map((p) => ({ t: p.t, v: p[k] }))), (v) => v.toFixed(v < 10 ? 2 : 0), d.series.map((p) => p.t));
    const mib = 1 << 20;
    chart($("memory-chart"), [d.memory.series.map((m) => ({ t: m.t, v: m.rss / mib })), d.memory.series.map((m) => ({ t: m.t, v: m.heapUsed / mib }))], (v) => v.toFixed(0));
    rows($("sessions").tBodies[0], d.sessions, (s) => [s.transport, s.client, s.protocolVersion, s.id.slice(0, 8)]);
    rows($("slowest").tBodies[0], d.slowest.slice(0, 10), (c) => [c.ms.toFixed(2), c.method, c.tool, c.transport, c.outcome, c.at.slice(11, 19)]);
    rows($("cache").tBodies[0], Object.entries(d.cache.kinds), ([k, s]) => [k, s.hits, s.misses, s.entries, fmtBytes(s.bytes)]);
    document.body.dataset.updated = String(d.now);
  }

  async function poll() {
    try {
      const res = await fetch("/dashboard/data", { credentials: "same-origin", cache: "no-store" });
      if (res.status === 401) { $("status").textContent = "unauthorized: open /dashboard?token=…"; return; }
      render(await res.json());
    } catch (error) {
      $("status").textContent = "disconnected";
      $("status").className = "pill bad";
    }
    setTimeout(poll, 2000);
  }
  poll();
})();
`;
