/**
 * Hostile names from the real server (over stdio) in the client's views: the
 * reachability webview (matrix, graph, the CSV/DOT/Mermaid exports), the explain
 * webview, and the change-impact tree, tooltips, status bar and view message.
 * Webview HTML holds them as escaped text (the page sets it with innerHTML), the
 * exports are the CLI's own, tree labels are one line, tooltips Markdown as text.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flowNodes, impactTree, statusText, statusTooltip, viewMessage, type ImpactNode } from '../../../client/src/views/change-impact/model';
import { renderExplainContent } from '../../../client/src/views/explain/html';
import { toCsv, toDot, toMermaid } from '../../../client/src/views/reachability/export';
import { NO_FILTERS } from '../../../client/src/views/reachability/filters';
import { renderReachabilityContent } from '../../../client/src/views/reachability/html';
import type { ChangeImpactResult, ExplainResult, ReachabilityResult } from '../../../server/src/lsp/protocol';
import { assertSafeLines, assertSafeMarkdown, FORGED, FORMULA, IMG, POLICIES, writeHostileWorkspace } from '../helpers/hostile';
import { LspClient } from '../lsp/lsp-client';

const CLI = resolve(__dirname, '../../../../dist/cli.js');
/** The policies' file, under a name that tries its luck too. */
const POLICY_FILE = 'evil\n::error file=z::forged <b>`x`.yaml';

let dir: string;
let client: LspClient;
let reach: ReachabilityResult;
let impact: ChangeImpactResult;
let explained: ExplainResult;

before(async () => {
  // On disk: the workloads and no policy; open: the policies (a pending change that closes flows).
  dir = writeHostileWorkspace({ policies: false });
  writeFileSync(join(dir, POLICY_FILE), '');
  client = await LspClient.start(dir);
  const uri = pathToFileURL(join(dir, POLICY_FILE)).toString();
  const published = client.diagnosticsForVersion(uri, 1);
  client.open(uri, POLICIES, 1);
  await published;
  reach = await client.connection.sendRequest<ReachabilityResult>('netpol/reachability', {});
  impact = await client.connection.sendRequest<ChangeImpactResult>('netpol/changeImpact');
  explained = await client.connection.sendRequest<ExplainResult>('netpol/explain', { from: `shop/${FORGED}`, to: `shop/${IMG}` });
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Elements of an HTML fragment (`<name` with a letter: an escaped `&lt;` is text) and their attributes. */
function elements(html: string): { tag: string; attrs: string[] }[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({ tag: m[1].toLowerCase(), attrs: [...m[2].matchAll(/([\w:-]+)(?:="[^"]*")?/g)].map((a) => a[1].toLowerCase()) }));
}

function assertSafeHtml(html: string, what: string): void {
  // Every `<` opens one of our elements, with attributes in double quotes and no `"` inside.
  const opened = (html.match(/<[a-zA-Z]/g) ?? []).length;
  const els = elements(html);
  assert.equal(els.length, opened, `${what}: a tag that is not well-formed (an attribute broken by a name?)`);
  const ours = ['div', 'ol', 'p', 'span', 'section', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'svg', 'defs', 'marker', 'path', 'g', 'rect', 'text', 'title', 'h1', 'h2', 'code', 'strong', 'ul', 'li', 'a'];
  for (const e of els) {
    assert.ok(ours.includes(e.tag), `${what}: <${e.tag}> from a name`);
    for (const a of e.attrs) assert.doesNotMatch(a, /^on/, `${what}: an event handler attribute ${a}`);
  }
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

test('the reachability webview holds hostile names as text, and their ids round-trip for open/explain', () => {
  const ids = reach.endpoints.map((e) => e.id);
  assert.ok(ids.includes(`shop/${IMG}[Deployment]`) && ids.includes(`shop/${FORGED}[Deployment]`), ids.join(' | '));
  const html = renderReachabilityContent({ model: reach, filters: NO_FILTERS });
  assertSafeHtml(html, 'reachability content');
  assert.ok(!html.includes(IMG), 'no raw HTML of a name');
  const opens = [...html.matchAll(/data-open="([^"]*)"/g)].map((m) => decode(m[1]));
  assert.ok(opens.includes(`shop/${FORGED}[Deployment]`), 'the id a click posts is the name itself');
  const filtered = renderReachabilityContent({ model: reach, filters: { ...NO_FILTERS, workload: '<img' } });
  assertSafeHtml(filtered, 'filtered content');
});

test('the webview exports are the CLI’s, formula-safe, one statement per line', () => {
  const cli = (format: string) => {
    const r = spawnSync(process.execPath, [CLI, 'reach', dir, '--format', format, '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const rows = JSON.parse(cli('json')) as ReachabilityResult['connections'];
  assert.equal(toCsv(rows), cli('csv'));
  assert.equal(toDot(rows), cli('dot'));
  assert.equal(toMermaid(rows), cli('mermaid'));
  const csv = toCsv(reach.connections);
  assertSafeLines(csv, 'csv export');
  assert.ok(csv.includes(`"'${FORMULA}/${FORMULA}[Deployment]"`), 'the formula neutralised');
  assert.doesNotMatch(csv, /(^|,)"?[=+\-@]/m, 'no cell starts a formula');
  assertSafeLines(toDot(reach.connections), 'dot export');
  const mermaid = toMermaid(reach.connections);
  assertSafeLines(mermaid, 'mermaid export');
  for (const [, label] of mermaid.matchAll(/"([^"]*)"/g)) assert.doesNotMatch(label, /[<>`|]/, label);
});

test('the explain webview holds hostile names as text', () => {
  assert.equal(explained.from, `shop/${FORGED}[Deployment]`);
  const html = renderExplainContent({ query: { from: `shop/${FORGED}`, to: `shop/${IMG}` }, result: explained });
  assertSafeHtml(html, 'explain content');
  assert.ok(!html.includes(IMG));
  assert.ok(html.includes(`<code>shop/${FORGED.replace(/</g, '&lt;')}[Deployment]</code>`));
});

test('the change impact: one-line labels and descriptions, Markdown tooltips that render no element of theirs', () => {
  assert.ok(impact.closed > 0, JSON.stringify(impact));
  const tree = impactTree(impact);
  const all: ImpactNode[] = [];
  const walk = (nodes: readonly ImpactNode[]) => nodes.forEach((n) => (all.push(n), walk(n.children)));
  walk(tree);
  const flows = flowNodes(tree);
  assert.ok(flows.some((f) => f.label === `shop/a\\n::error file=x::forged[Deployment] → shop/${IMG}[Deployment]`), flows.map((f) => f.label).join(' | '));
  for (const n of all) {
    assertSafeLines(n.label, `tree label ${n.id}`);
    if (n.description !== undefined) assertSafeLines(n.description, `tree description ${n.id}`);
    if (n.tooltip !== undefined) assertSafeMarkdown(n.tooltip, `tooltip ${n.id}`);
    // Theme icons in tooltips are ours only.
    for (const icon of n.tooltip?.match(/(?<!\\)\$\([^)]*\)/g) ?? []) assert.equal(icon, '$(warning)', n.tooltip);
  }
  assertSafeLines(statusText(impact) ?? '', 'status text');
  assertSafeMarkdown(statusTooltip(impact), 'status tooltip');
  assert.ok(statusTooltip(impact).includes('``evil\\n::error file=z::forged <b>`x`.yaml``'), statusTooltip(impact));
  assertSafeLines(viewMessage(impact) ?? '', 'view message');
});
