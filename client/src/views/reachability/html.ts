/**
 * The reachability webview's HTML: the page with its filters and buttons, and the
 * content (summary, matrix table, graph SVG) replaced on every update.
 */
import type { ReachabilityResult } from '../../../../server/src/lsp/protocol';
import { escapeHtml, renderPage } from '../webview-html';
import { groupOf, shortLabel } from './endpoints';
import { applyFilters, type ReachFilters, type ReachView } from './filters';
import { GRAPH, layoutGraph, truncate, type GraphLayout } from './graph-layout';
import { buildMatrix, type Matrix } from './matrix';

export interface ReachabilityPage {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  /** "whole workspace" or "namespace shop". */
  readonly scope: string;
  readonly filters: ReachFilters;
  readonly view: ReachView;
  /** Absent while the first answer is awaited. */
  readonly model?: ReachabilityResult;
  readonly error?: string;
}

/** The dynamic part (replaced on every update without reloading the page). */
export function renderReachabilityContent(p: Pick<ReachabilityPage, 'model' | 'error' | 'filters'>): string {
  if (p.error) return `<p class="error" role="alert">${escapeHtml(p.error)}</p>`;
  if (!p.model) return '<p class="muted" role="status">Waiting for the NetPol analysis…</p>';
  const f = applyFilters(p.model, p.filters);
  const out: string[] = [];
  const filtered = f.connections.length !== f.total ? ` (of ${f.total})` : '';
  out.push(
    `<p class="summary" role="status">${f.connections.length} connection${f.connections.length === 1 ? '' : 's'}${filtered} between ${f.endpoints.length} endpoint${f.endpoints.length === 1 ? '' : 's'}.` +
      ' <span class="muted">Click a workload to open its definition, a connection to explain it.</span></p>',
  );
  if (f.portError) out.push(`<p class="error" id="port-error">Port filter ignored: ${escapeHtml(f.portError)}</p>`);
  if (f.connections.length === 0) {
    out.push(`<p class="muted empty">${f.total === 0 ? 'No connection is allowed in this scope.' : 'No connection matches the filters.'}</p>`);
    return out.join('\n');
  }
  out.push('<section class="matrix-view" aria-label="Matrix">', renderMatrixTable(buildMatrix(f)), '</section>');
  const layout = layoutGraph(f);
  out.push('<section class="graph-view" aria-label="Graph">');
  if (layout.truncated) out.push(`<p class="muted">Only the first ${layout.nodes.length} endpoints are drawn: filter to see the others.</p>`);
  out.push(renderGraphSvg(layout), '</section>');
  return out.join('\n');
}

export function renderMatrixTable(m: Matrix): string {
  const out: string[] = ['<table class="matrix">', '<thead>'];
  // First header row: destination namespaces spanning their columns.
  const spans: { group: string; n: number }[] = [];
  for (const d of m.destinations) {
    const g = groupOf(d);
    if (spans.length > 0 && spans[spans.length - 1].group === g) spans[spans.length - 1].n++;
    else spans.push({ group: g, n: 1 });
  }
  out.push(
    '<tr><th class="corner" rowspan="2" scope="col"><span class="muted">from ↓ to →</span></th>' +
      spans.map((s) => `<th class="group" colspan="${s.n}" scope="colgroup">${escapeHtml(s.group)}</th>`).join('') +
      '</tr>',
  );
  out.push(
    '<tr>' +
      m.destinations
        .map((d) => `<th class="dst" scope="col" title="${escapeHtml(d.id)}"><span class="link vertical" data-open="${escapeHtml(d.id)}" tabindex="0" role="link">${escapeHtml(shortLabel(d))}</span></th>`)
        .join('') +
      '</tr>',
    '</thead>',
    '<tbody>',
  );
  m.sources.forEach((s, r) => {
    const cells = m.destinations.map((d, k) => {
      const conn = m.cells[r][k];
      if (conn === undefined) return '<td class="cell none"></td>';
      const all = /^all connections$/i.test(conn);
      return (
        `<td class="cell allowed${all ? ' all' : ''}" data-explain-from="${escapeHtml(s.id)}" data-explain-to="${escapeHtml(d.id)}" tabindex="0" role="button" title="${escapeHtml(`${s.id} → ${d.id}: ${conn} (click to explain)`)}">` +
        `${escapeHtml(all ? 'all' : conn)}</td>`
      );
    });
    out.push(
      `<tr><th class="src" scope="row" title="${escapeHtml(s.id)}"><span class="group-tag">${escapeHtml(groupOf(s))}</span> <span class="link" data-open="${escapeHtml(s.id)}" tabindex="0" role="link">${escapeHtml(shortLabel(s))}</span></th>${cells.join('')}</tr>`,
    );
  });
  out.push('</tbody>', '</table>');
  if (m.truncated) out.push(`<p class="muted">The matrix shows the first ${m.sources.length} sources and ${m.destinations.length} destinations: filter to see the others.</p>`);
  return out.join('\n');
}

export function renderReachabilityHtml(p: ReachabilityPage): string {
  const input = (id: string, key: keyof ReachFilters, label: string, placeholder: string, help: string) =>
    `<label class="filter" for="${id}" title="${escapeHtml(help)}"><span>${label}</span><input id="${id}" data-filter="${key}" type="text" value="${escapeHtml(p.filters[key])}" placeholder="${escapeHtml(placeholder)}" spellcheck="false" autocomplete="off"></label>`;
  const viewButton = (v: ReachView, label: string) => `<button type="button" data-view="${v}" aria-pressed="${p.view === v}">${label}</button>`;
  const body = `<header class="toolbar">
<h1>${escapeHtml(p.title)} <span class="muted scope">${escapeHtml(p.scope)}</span></h1>
<div class="row">
${input('f-namespace', 'namespace', 'Namespace', 'e.g. shop, staging', 'Connections from or to these namespaces (comma-separated; a full name matches exactly, a part matches every namespace containing it)')}
${input('f-workload', 'workload', 'Workload', 'e.g. shop/web, db', 'Connections from or to these endpoints (comma-separated; ns/name or ns/name[Kind] matches exactly, a part matches every name containing it)')}
${input('f-port', 'port', 'Port', 'e.g. 80, TCP 8080, 53/UDP', 'Connections that admit this port and/or protocol')}
</div>
<div class="row">
<span class="group-buttons" role="group" aria-label="View">${viewButton('matrix', 'Matrix')}${viewButton('graph', 'Graph')}<button type="button" data-fit aria-pressed="false" title="Scale the graph to the width of the panel">Fit width</button></span>
<span class="group-buttons" role="group" aria-label="Export">Export:
<button type="button" data-export="mermaid" title="Open the shown connections as a Mermaid flowchart">Mermaid</button>
<button type="button" data-export="dot" title="Open the shown connections as a Graphviz DOT graph">DOT</button>
<button type="button" data-export="csv" title="Open the shown connections as CSV">CSV</button></span>
<button type="button" data-refresh title="Ask the server again">Refresh</button>
</div>
</header>
<main id="content" aria-live="polite">
${renderReachabilityContent(p)}
</main>`;
  return renderPage({ cspSource: p.cspSource, nonce: p.nonce, title: p.title, bodyClass: `view-${p.view}`, css: REACH_CSS, body, script: REACH_SCRIPT });
}

const REACH_CSS = `
.toolbar { position: sticky; top: 0; background: var(--vscode-editor-background); padding: 8px 0; z-index: 1;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.toolbar h1 { font-size: 1.2em; margin: 0 0 8px; font-weight: 600; }
.toolbar .scope { font-weight: normal; }
.row { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-bottom: 6px; }
.filter { display: inline-flex; gap: 6px; align-items: center; }
.filter input { width: 14em; }
.group-buttons { display: inline-flex; gap: 4px; align-items: center; }
.summary { margin: 10px 0; }
body.view-matrix .graph-view, body.view-graph .matrix-view, body.view-matrix [data-fit] { display: none; }
.matrix-view { overflow: auto; }
table.matrix { border-collapse: collapse; font-size: 0.95em; }
table.matrix th, table.matrix td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8884)); padding: 3px 6px; }
table.matrix th { font-weight: normal; text-align: left; white-space: nowrap; }
table.matrix th.group { text-align: center; color: var(--vscode-descriptionForeground); }
table.matrix th.dst { vertical-align: bottom; }
table.matrix .vertical { writing-mode: vertical-rl; transform: rotate(180deg); display: inline-block; max-height: 14em; overflow: hidden; text-overflow: ellipsis; }
.group-tag { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
td.cell { font-family: var(--vscode-editor-font-family); white-space: nowrap; text-align: center; }
td.cell.allowed { cursor: pointer; background: var(--vscode-diffEditor-insertedTextBackground, #3c73); color: var(--vscode-foreground); }
td.cell.allowed.all { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
td.cell.allowed:hover { outline: 1px solid var(--vscode-focusBorder); }
.graph-view { overflow: auto; }
svg.graph { font-family: var(--vscode-font-family); font-size: 12px; }
svg.graph .column-bg { fill: var(--vscode-sideBar-background, transparent); stroke: var(--vscode-panel-border, #8884); }
svg.graph .column-title { fill: var(--vscode-descriptionForeground); font-weight: 600; }
svg.graph .node { cursor: pointer; }
svg.graph .node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-charts-blue, var(--vscode-focusBorder)); stroke-width: 1.2; }
svg.graph .node.kind-ip rect { stroke: var(--vscode-charts-orange); stroke-dasharray: 4 2; }
svg.graph .node.kind-ingress-controller rect { stroke: var(--vscode-charts-purple); }
svg.graph .node text { fill: var(--vscode-editorWidget-foreground, var(--vscode-foreground)); }
svg.graph .node:hover rect, svg.graph .node:focus rect { stroke: var(--vscode-focusBorder); stroke-width: 2; }
svg.graph .edge { cursor: pointer; }
svg.graph .edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, #888); stroke-width: 1.2; }
svg.graph .arrowhead { fill: var(--vscode-editorLineNumber-foreground, #888); }
svg.graph .edge:hover path { stroke: var(--vscode-focusBorder); stroke-width: 2.2; }
svg.graph .edge-label { fill: var(--vscode-descriptionForeground); font-size: 10px; font-family: var(--vscode-editor-font-family);
  paint-order: stroke; stroke: var(--vscode-editor-background); stroke-width: 3px; visibility: hidden; }
svg.graph.labels .edge-label, svg.graph .edge:hover .edge-label { visibility: visible; }
svg.graph .edge:hover .edge-label { fill: var(--vscode-foreground); }
body.graph-fit svg.graph { max-width: 100%; height: auto; }
`;

/**
 * The webview's script (plain ES2020, inline with the nonce). Filters are debounced and
 * sent to the extension, which answers with the new content; clicks on workloads and
 * connections become `open` / `explain` messages.
 */
export const REACH_SCRIPT = `(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const content = document.getElementById('content');
  const inputs = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  let timer;
  function filters() {
    const f = { namespace: '', workload: '', port: '' };
    inputs.forEach(function (i) { f[i.getAttribute('data-filter')] = i.value; });
    return f;
  }
  function sendFilters() {
    clearTimeout(timer);
    timer = undefined;
    vscode.postMessage({ type: 'filter', filters: filters() });
  }
  inputs.forEach(function (i) {
    i.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(sendFilters, 200); });
    i.addEventListener('keydown', function (e) { if (e.key === 'Enter') sendFilters(); });
  });
  function setView(view) {
    document.body.classList.remove('view-matrix', 'view-graph');
    document.body.classList.add('view-' + view);
    Array.prototype.forEach.call(document.querySelectorAll('button[data-view]'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-view') === view));
    });
  }
  function activate(target) {
    const t = target && target.closest ? target : target && target.parentElement;
    if (!t || !t.closest) return false;
    const view = t.closest('[data-view]');
    if (view) { setView(view.getAttribute('data-view')); vscode.postMessage({ type: 'view', view: view.getAttribute('data-view') }); return true; }
    const fit = t.closest('[data-fit]');
    if (fit) {
      const on = fit.getAttribute('aria-pressed') !== 'true';
      if (on) document.body.classList.add('graph-fit');
      else document.body.classList.remove('graph-fit');
      fit.setAttribute('aria-pressed', String(on));
      return true;
    }
    const exp = t.closest('[data-export]');
    if (exp) { vscode.postMessage({ type: 'export', format: exp.getAttribute('data-export') }); return true; }
    if (t.closest('[data-refresh]')) { vscode.postMessage({ type: 'refresh' }); return true; }
    const open = t.closest('[data-open]');
    if (open) { vscode.postMessage({ type: 'open', id: open.getAttribute('data-open') }); return true; }
    const explain = t.closest('[data-explain-from]');
    if (explain) {
      vscode.postMessage({ type: 'explain', from: explain.getAttribute('data-explain-from'), to: explain.getAttribute('data-explain-to') });
      return true;
    }
    return false;
  }
  document.addEventListener('click', function (e) { if (activate(e.target)) e.preventDefault(); });
  document.addEventListener('keydown', function (e) {
    if ((e.key === 'Enter' || e.key === ' ') && e.target && e.target.tagName !== 'INPUT' && e.target.tagName !== 'BUTTON' && activate(e.target)) e.preventDefault();
  });
  window.addEventListener('message', function (e) {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'update' && typeof m.html === 'string') content.innerHTML = m.html;
    if (m.type === 'filters' && m.filters) {
      inputs.forEach(function (i) { const v = m.filters[i.getAttribute('data-filter')]; if (typeof v === 'string') i.value = v; });
    }
    if (m.type === 'view' && (m.view === 'matrix' || m.view === 'graph')) setView(m.view);
    if (m.type === 'update' || m.type === 'filters') {
      const port = document.getElementById('f-port');
      if (port) port.setAttribute('aria-invalid', String(!!document.getElementById('port-error')));
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;

export function renderGraphSvg(layout: GraphLayout): string {
  const G = GRAPH;
  const parts: string[] = [];
  parts.push(
    `<svg class="graph${layout.edgeLabels ? ' labels' : ''}" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Reachability graph: ${layout.nodes.length} endpoints, ${layout.edges.length} connections">`,
    '<defs><marker id="np-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
  );
  for (const c of layout.columns) {
    parts.push(
      `<g class="column"><rect class="column-bg" x="${c.x - 8}" y="${layout.columnTop}" width="${c.width + 16}" height="${layout.columnBottom - layout.columnTop}" rx="6"/>` +
        `<text class="column-title" x="${c.x + c.width / 2}" y="${layout.columnTop + 17}" text-anchor="middle">${escapeHtml(truncate(c.title, G.labelChars))}</text></g>`,
    );
  }
  parts.push('<g class="edges">');
  for (const e of layout.edges) {
    const title = `${e.src} → ${e.dst}: ${e.conn}`;
    parts.push(
      `<g class="edge" data-explain-from="${escapeHtml(e.src)}" data-explain-to="${escapeHtml(e.dst)}"><path d="${e.path}" marker-end="url(#np-arrow)"/>` +
        `<text class="edge-label" x="${e.labelX}" y="${e.labelY}" text-anchor="middle">${escapeHtml(truncate(e.conn, 24))}</text>` +
        `<title>${escapeHtml(title)}</title></g>`,
    );
  }
  parts.push('</g><g class="nodes">');
  for (const n of layout.nodes) {
    parts.push(
      `<g class="node kind-${n.kind}" data-open="${escapeHtml(n.id)}" tabindex="0" role="button"><rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="4"/>` +
        `<text x="${n.x + 8}" y="${n.y + n.height / 2 + 4}">${escapeHtml(n.label)}</text><title>${escapeHtml(n.id)}</title></g>`,
    );
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}
