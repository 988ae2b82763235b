// The fleet page. Everything a terminal reports is outside input: the script only ever sets
// textContent and attributes it chose itself, never HTML made from a report.
#include "fleet/fleet_service.h"

namespace smzc::fleet {

const char* const kFleetPage = R"page(<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>市民之窗 · 终端运行 Fleet</title>
<style>
  body { font: 14px/1.4 "Noto Sans CJK SC", system-ui, sans-serif; margin: 0; color: #1b1f24; }
  header { background: #0b3d91; color: #fff; padding: 12px 20px; display: flex; gap: 24px;
           align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 20px; margin: 0; }
  .count b { font-size: 18px; }
  .tools { padding: 10px 20px; display: flex; gap: 16px; align-items: center; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #dde1e6; vertical-align: top; }
  th { background: #f2f4f7; position: sticky; top: 0; }
  tr[data-state="offline"] td, tr[data-state="silent"] td { background: #fdecea; }
  tr[data-state="stopped"] td { color: #69707a; }
  .state { font-weight: 600; }
  .alert { display: inline-block; border-radius: 3px; padding: 0 6px; margin: 0 4px 2px 0; }
  .critical { background: #b3261e; color: #fff; }
  .warning { background: #f4c542; color: #1b1f24; }
  .device { display: inline-block; margin-right: 8px; }
  .device[data-ok="false"] { color: #b3261e; font-weight: 600; }
  #link[data-up="false"] { color: #ffb4ab; }
</style>
</head>
<body>
<header>
  <h1>市民之窗 · 终端运行 <small>Fleet</small></h1>
  <span class="count">终端 Terminals <b id="n-total">0</b></span>
  <span class="count">在线 Online <b id="n-online">0</b></span>
  <span class="count">离线 Offline <b id="n-offline">0</b></span>
  <span class="count">告警 With alerts <b id="n-alerts">0</b></span>
  <span id="link" data-up="false">连接中 connecting…</span>
</header>
<div class="tools">
  <label>筛选 Filter <input id="filter" type="search" placeholder="终端 / 地区 / 告警"></label>
  <label><input id="only-alerts" type="checkbox"> 只看告警 Alerts only</label>
</div>
<table>
  <thead><tr><th>终端 Terminal</th><th>站点 Site</th><th>状态 State</th><th>设备 Devices</th>
  <th>耗材 Supplies</th><th>最后联系 Last seen</th><th>告警 Alerts</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<script>
"use strict";
const rows = new Map();  // terminal id -> {data, tr}
const KINDS = { hall: "24小时大厅", bank: "政银合作", partner: "异地合作" };
window.fleetStats = { rows: 0, events: 0, lastEvent: null };

function cell(tr, i) { return tr.children[i]; }
function text(el, value) { el.textContent = value === undefined || value === null ? "" : String(value); }

function ago(ms) {
  if (!ms) return "";
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? s + " s" : s < 3600 ? Math.floor(s / 60) + " min" : Math.floor(s / 3600) + " h";
}

function render(tr, d) {
  tr.dataset.state = d.state;
  const site = d.site || {};
  text(cell(tr, 0), d.terminal);
  text(cell(tr, 1), (KINDS[site.kind] || site.kind || "") + " · " + (d.region || "") +
       (site.branding ? " · " + site.branding : ""));
  text(cell(tr, 2), d.state);
  const devices = cell(tr, 3);
  devices.replaceChildren();
  for (const [id, dev] of Object.entries(d.devices || {})) {
    const span = document.createElement("span");
    span.className = "device";
    const ok = dev && (dev.state === "online" || dev.state === "busy") && !dev.cover_open &&
               dev.media !== "paperOut" && dev.media !== "paperJammed";
    span.dataset.ok = String(ok);
    text(span, id + ": " + (dev ? dev.state + (dev.media && dev.media !== "unknown" &&
         dev.media !== "notApplicable" ? " / " + dev.media : "") : "?"));
    devices.append(span);
  }
  const paper = [];
  for (const c of Object.values(d.consumables || {})) {
    if (!c) continue;
    if (c.paper) paper.push(c.paper);
    for (const s of Array.isArray(c.supplies) ? c.supplies : [])
      if (s && s.level >= 0) paper.push(s.name + " " + s.level + "%");
  }
  text(cell(tr, 4), paper.join(", "));
  cell(tr, 5).dataset.seen = String(d.last_seen_ms || 0);
  text(cell(tr, 5), ago(d.last_seen_ms));
  const alerts = cell(tr, 6);
  alerts.replaceChildren();
  for (const a of d.alerts || []) {
    const span = document.createElement("span");
    span.className = "alert " + (a.severity === "critical" ? "critical" : "warning");
    text(span, a.code + (a.device ? " (" + a.device + (a.supply ? ": " + a.supply : "") + ")" : ""));
    alerts.append(span);
  }
  tr.dataset.alerts = String((d.alerts || []).length);
  tr.dataset.search = [d.terminal, d.region, d.state, site.branding || "",
                       ...(d.alerts || []).map(a => a.code)].join(" ").toLowerCase();
  applyFilter(tr);
}

// Terminals that need someone come first, then by id.
function order(d) {
  const trouble = d.state !== "online" && d.state !== "stopped" || (d.alerts || []).length > 0;
  return (trouble ? "0" : "1") + d.terminal;
}

function upsert(d) {
  if (!d || typeof d.terminal !== "string") return;
  let entry = rows.get(d.terminal);
  if (!entry) {
    const tr = document.createElement("tr");
    tr.className = "terminal";
    for (let i = 0; i < 7; i++) tr.append(document.createElement("td"));
    entry = { tr, key: null };
    rows.set(d.terminal, entry);
  }
  entry.data = d;
  render(entry.tr, d);
  const key = order(d);
  if (key !== entry.key) {
    entry.key = key;
    let next = null;
    for (const other of rows.values())
      if (other !== entry && other.key !== null && other.key > key &&
          (next === null || other.key < next.key)) next = other;
    document.getElementById("rows").insertBefore(entry.tr, next ? next.tr : null);
  }
}

function counts() {
  let online = 0, offline = 0, alerts = 0;
  for (const { data } of rows.values()) {
    if (data.state === "online") online++; else if (data.state !== "stopped") offline++;
    if ((data.alerts || []).length) alerts++;
  }
  text(document.getElementById("n-total"), rows.size);
  text(document.getElementById("n-online"), online);
  text(document.getElementById("n-offline"), offline);
  text(document.getElementById("n-alerts"), alerts);
  window.fleetStats.rows = rows.size;
}

function applyFilter(tr) {
  const q = document.getElementById("filter").value.trim().toLowerCase();
  const only = document.getElementById("only-alerts").checked;
  tr.hidden = (q && !tr.dataset.search.includes(q)) || (only && tr.dataset.alerts === "0");
}
function applyFilters() { for (const { tr } of rows.values()) applyFilter(tr); }
document.getElementById("filter").addEventListener("input", applyFilters);
document.getElementById("only-alerts").addEventListener("change", applyFilters);

let stream = null;
async function load() {
  if (stream) stream.close();
  const res = await fetch("/api/terminals", { cache: "no-store" });
  const body = await res.json();
  for (const d of body.terminals) upsert(d);
  counts();
  stream = new EventSource("/api/events?from=" + body.next_event);
  const link = document.getElementById("link");
  stream.onopen = () => { link.dataset.up = "true"; text(link, "实时 live"); };
  stream.onerror = () => { link.dataset.up = "false"; text(link, "重连中 reconnecting…"); };
  stream.addEventListener("row", e => {
    const d = JSON.parse(e.data);
    upsert(d);
    counts();
    window.fleetStats.events++;
    window.fleetStats.lastEvent = { terminal: d.terminal, sent_at_ms: d.sent_at_ms,
                                    shown_at_ms: Date.now() };
  });
  stream.addEventListener("reset", () => load());
}
setInterval(() => {
  for (const { tr } of rows.values()) text(cell(tr, 5), ago(Number(cell(tr, 5).dataset.seen)));
}, 1000);
load().catch(e => { text(document.getElementById("link"), "错误 error: " + e); });
</script>
</body>
</html>
)page";

}  // namespace smzc::fleet
