/**
 * Hostile names from the real server (over stdio) in the client's views: the
 * reachability webview (matrix, graph, the exports the server writes for it), the explain
 * webview, and the change-impact tree, tooltips, status bar and view message.
 * Webviews are built by their shipped scripts from the extension's trees with DOM calls
 * (names are text nodes), the exports are the CLI's own text, tree labels are one line,
 * tooltips Markdown as text.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flowNodes, impactTree, statusText, statusTooltip, viewMessage, type ImpactNode } from '../../client/src/views/change-impact/model';
import { explainContent } from '../../client/src/views/explain/content';
import { reachabilityContent } from '../../client/src/views/reachability/content';
import { NO_FILTERS } from '../../client/src/views/reachability/filters';
import { ATTRIBUTES, HTML_TAGS, SVG_TAGS, type ViewNode } from '../../client/src/webview/view-node';
import { loadPage, type FakeDocument } from './fake-dom';
import { elementsOf, textsOf } from './view-tree';
import { EXPORT_FORMATS, type ChangeImpactResult, type ExplainResult, type ExportFormat, type ExportParams, type ExportResult, type ReachabilityResult } from '../../server/src/protocol';
import { assertSafeLines, assertSafeMarkdown, FORGED, FORMULA, IMG, POLICIES, writeHostileWorkspace } from '../helpers/hostile';
import { LspClient } from '../lsp/lsp-client';

const CLI = resolve(__dirname, '../../../dist/cli.js');
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

const MEDIA = resolve(__dirname, '../../../dist/media');

/** Shows content in a page as its shipped script does; returns the page's document. */
function shown(view: 'reachability' | 'explain', content: ViewNode[]): FakeDocument {
  const page = loadPage(join(MEDIA, view, 'main.js'));
  page.post({ type: 'page', body: [{ tag: 'main', attrs: { id: 'content' }, children: content }] });
  return page.document;
}

/** The tree has only our elements and attributes; the page built exactly those, names as text. */
function assertShownAsText(view: 'reachability' | 'explain', content: ViewNode[], what: string): FakeDocument {
  const tags: readonly string[] = [...HTML_TAGS, ...SVG_TAGS];
  for (const e of elementsOf(content)) {
    assert.ok(tags.includes(e.tag), `${what}: <${e.tag}>`);
    for (const a of Object.keys(e.attrs ?? {})) assert.ok((ATTRIBUTES as readonly string[]).includes(a), `${what}: attribute ${a}`);
  }
  const doc = shown(view, content);
  const built = doc.body.descendants();
  assert.equal(built.length, elementsOf(content).length + 1, `${what}: one element per element of the tree`);
  assert.ok(built.every((e) => tags.includes(e.localName) && ![...e.attributes.keys()].some((a) => /^on/i.test(a))), `${what}: an element or a handler from a name`);
  assert.equal(doc.body.textContent, textsOf(content).join(''), `${what}: the text is the tree's text`);
  return doc;
}

test('the reachability webview shows hostile names as text, and their ids round-trip for open/explain', () => {
  const ids = reach.endpoints.map((e) => e.id);
  assert.ok(ids.includes(`shop/${IMG}[Deployment]`) && ids.includes(`shop/${FORGED}[Deployment]`), ids.join(' | '));
  const doc = assertShownAsText('reachability', reachabilityContent({ model: reach, filters: NO_FILTERS }), 'reachability content');
  assert.ok(doc.body.textContent.includes(IMG), 'the name as it is written');
  const opens = doc.body.querySelectorAll('[data-open]').map((e) => e.getAttribute('data-open'));
  assert.ok(opens.includes(`shop/${FORGED}[Deployment]`), 'the id a click posts is the name itself');
  assertShownAsText('reachability', reachabilityContent({ model: reach, filters: { ...NO_FILTERS, workload: '<img' } }), 'filtered content');
});

test('the exports (netpol/export) are the CLI’s, formula-safe, one statement per line', async () => {
  const cli = (format: string) => {
    const r = spawnSync(process.execPath, [CLI, 'reach', dir, '--format', format, '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const exported = async (format: ExportFormat, connections: ReachabilityResult['connections']) =>
    (await client.connection.sendRequest<ExportResult>('netpol/export', { format, connections } satisfies ExportParams)).content;
  // The CLI reads the files on disk (no policies there): the same connections for both.
  const rows = JSON.parse(cli('json')) as ReachabilityResult['connections'];
  for (const format of EXPORT_FORMATS) assert.equal(await exported(format, rows), cli(format), format);
  const csv = await exported('csv', reach.connections);
  assertSafeLines(csv, 'csv export');
  assert.ok(csv.includes(`"'${FORMULA}/${FORMULA}[Deployment]"`), 'the formula neutralised');
  assert.doesNotMatch(csv, /(^|,)"?[=+\-@]/m, 'no cell starts a formula');
  assertSafeLines(await exported('dot', reach.connections), 'dot export');
  const mermaid = await exported('mermaid', reach.connections);
  assertSafeLines(mermaid, 'mermaid export');
  for (const [, label] of mermaid.matchAll(/"([^"]*)"/g)) assert.doesNotMatch(label, /[<>`|]/, label);
  assertSafeLines(await exported('md', reach.connections), 'markdown export');
});

test('the explain webview shows hostile names as text', () => {
  assert.equal(explained.from, `shop/${FORGED}[Deployment]`);
  const doc = assertShownAsText('explain', explainContent({ query: { from: `shop/${FORGED}`, to: `shop/${IMG}` }, result: explained }), 'explain content');
  assert.deepEqual(doc.body.querySelectorAll('p')[0].querySelectorAll('code').map((c) => c.textContent), [`shop/${FORGED}[Deployment]`, `shop/${IMG}[Deployment]`]);
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
