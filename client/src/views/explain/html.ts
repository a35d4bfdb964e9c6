/**
 * The explain webview's HTML: the verdict, then the chain of policies and rules on the
 * source's egress side and on the destination's ingress side, each a link to file:line.
 */
import type { ExplainParams, ExplainResult, ExplainSide, SourceLocation } from '../../../../server/src/lsp/protocol';
import { escapeHtml, renderPage } from '../webview-html';
import { defaultDisplayPath, locationText } from './links';

export interface ExplainPage {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  readonly query: ExplainParams;
  readonly result?: ExplainResult;
  readonly error?: string;
  /** How a file is named in the links (the panel passes a workspace-relative path). */
  readonly displayPath?: (uri: string) => string;
}

function link(loc: SourceLocation, text: string, displayPath: (uri: string) => string): string {
  return `<a href="#" class="loc" data-uri="${escapeHtml(loc.uri)}" data-line="${loc.line}" title="Open ${escapeHtml(locationText(loc, displayPath))}">${escapeHtml(text)}</a>`;
}

const isNone = (conn: string) => conn.trim() === '' || /^no connections$/i.test(conn.trim());

/** One-line verdict, also used for the status message and tests. */
export function verdictText(r: ExplainResult, q?: Pick<ExplainParams, 'port' | 'protocol'>): string {
  const what = q?.port !== undefined ? `${q.protocol ?? 'TCP'} ${q.port}` : isNone(r.connections) ? 'any connection' : r.connections;
  return `${r.allowed ? 'Allowed' : 'Denied'}: ${r.from} → ${r.to} on ${what}`;
}

export function renderSide(side: ExplainSide, self: string, other: string, displayPath: (uri: string) => string = defaultDisplayPath): string {
  const dir = side.direction;
  const lower = dir.toLowerCase();
  const out: string[] = [`<section class="side side-${lower}" aria-label="${dir} of ${escapeHtml(self)}">`];
  out.push(`<h2>${dir} of <code>${escapeHtml(self)}</code></h2>`);
  if (side.external) {
    out.push(`<p class="open-side">Outside the cluster: no NetworkPolicy applies to this side, which allows everything.</p>`);
  } else if (!side.isolated) {
    out.push(`<p class="open-side">No NetworkPolicy selects <code>${escapeHtml(self)}</code> for ${dir}: it is not isolated, so this side allows everything.</p>`);
  } else {
    const n = side.policies.length;
    out.push(
      `<p>Isolated for ${dir} by ${n} polic${n === 1 ? 'y' : 'ies'}; together they allow ${
        isNone(side.allowed) ? `<strong class="deny">nothing</strong> ${dir === 'Egress' ? 'to' : 'from'} <code>${escapeHtml(other)}</code>` : `<strong>${escapeHtml(side.allowed)}</strong>`
      }.</p>`,
    );
    out.push('<ol class="chain">');
    for (const p of side.policies) {
      out.push(`<li class="policy"><span class="policy-name">${link(p.location, p.name, displayPath)}</span> <span class="muted">${escapeHtml(locationText(p.location, displayPath))}</span>`);
      if (p.rules.length === 0) {
        out.push(`<p class="no-rule muted">No ${lower} rule of this policy admits <code>${escapeHtml(other)}</code>.</p>`);
      } else {
        out.push('<ul class="rules">');
        for (const r of p.rules) {
          out.push(
            `<li class="rule">${link(r.location, `${lower}[${r.index}]`, displayPath)} allows <strong>${escapeHtml(isNone(r.allows) ? 'nothing' : r.allows)}</strong> <span class="muted">${escapeHtml(locationText(r.location, displayPath))}</span></li>`,
          );
        }
        out.push('</ul>');
      }
      out.push('</li>');
    }
    out.push('</ol>');
  }
  out.push('</section>');
  return out.join('\n');
}

export function renderExplainContent(p: Pick<ExplainPage, 'query' | 'result' | 'error' | 'displayPath'>): string {
  const q = p.query;
  const asked = q.port !== undefined ? ` on ${escapeHtml(`${q.protocol ?? 'TCP'} ${q.port}`)}` : '';
  if (p.error) {
    return `<p class="pair"><code>${escapeHtml(q.from)}</code> → <code>${escapeHtml(q.to)}</code>${asked}</p><p class="error" role="alert">${escapeHtml(p.error)}</p>`;
  }
  const r = p.result;
  if (!r) return `<p class="muted" role="status">Explaining <code>${escapeHtml(q.from)}</code> → <code>${escapeHtml(q.to)}</code>${asked}…</p>`;
  const displayPath = p.displayPath ?? defaultDisplayPath;
  const out: string[] = [];
  out.push(
    `<h1 class="verdict ${r.allowed ? 'allowed' : 'denied'}" role="status"><span class="icon" aria-hidden="true">${r.allowed ? '✔' : '✘'}</span> ${r.allowed ? 'Allowed' : 'Denied'}</h1>`,
    `<p class="pair"><code>${escapeHtml(r.from)}</code> → <code>${escapeHtml(r.to)}</code>${asked}</p>`,
    `<p>Allowed between them: <strong>${isNone(r.connections) ? 'nothing' : escapeHtml(r.connections)}</strong> <span class="muted">(what the egress side allows, intersected with what the ingress side allows)</span></p>`,
  );
  out.push('<div class="sides">');
  out.push(renderSide(r.egress, r.from, r.to, displayPath));
  out.push(renderSide(r.ingress, r.to, r.from, displayPath));
  out.push('</div>');
  return out.join('\n');
}

export function renderExplainHtml(p: ExplainPage): string {
  const body = `<header class="toolbar">
<button type="button" data-action="again" class="primary">Explain another…</button>
<button type="button" data-action="swap" title="Explain the opposite direction">Swap direction</button>
<button type="button" data-action="reach" title="Show the reachability of the source">Show reachability</button>
</header>
<main id="content" aria-live="polite">
${renderExplainContent(p)}
</main>`;
  return renderPage({ cspSource: p.cspSource, nonce: p.nonce, title: p.title, css: EXPLAIN_CSS, body, script: EXPLAIN_SCRIPT });
}

const EXPLAIN_CSS = `
.toolbar { display: flex; gap: 8px; padding: 10px 0; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.verdict { font-size: 1.5em; margin: 14px 0 4px; }
.verdict.allowed .icon { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.verdict.denied .icon { color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground)); }
.pair { font-size: 1.1em; margin: 4px 0 10px; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; margin-top: 12px; }
.side { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8884)); border-radius: 4px; padding: 4px 14px 10px;
  background: var(--vscode-editorWidget-background); }
.side h2 { font-size: 1.05em; }
.deny { color: var(--vscode-errorForeground); }
.chain { padding-left: 20px; }
.chain > li { margin-bottom: 8px; }
.policy-name { font-weight: 600; }
.rules { padding-left: 18px; margin: 4px 0; }
.no-rule { margin: 4px 0; }
.open-side { color: var(--vscode-descriptionForeground); }
`;

export const EXPLAIN_SCRIPT = `(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (e) {
    const t = e.target && e.target.closest ? e.target : e.target && e.target.parentElement;
    if (!t || !t.closest) return;
    const loc = t.closest('[data-uri]');
    if (loc) {
      e.preventDefault();
      vscode.postMessage({ type: 'open', uri: loc.getAttribute('data-uri'), line: Number(loc.getAttribute('data-line')) });
      return;
    }
    const action = t.closest('[data-action]');
    if (action) vscode.postMessage({ type: action.getAttribute('data-action') });
  });
  window.addEventListener('message', function (e) {
    const m = e.data;
    if (m && m.type === 'update' && typeof m.html === 'string') document.getElementById('content').innerHTML = m.html;
  });
})();
`;
