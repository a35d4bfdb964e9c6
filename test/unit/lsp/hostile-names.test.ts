/**
 * Hostile names over the LSP (the real server over stdio): hovers on every workload,
 * policy, peer and port, the code lenses, the completion documentation of label keys,
 * diagnostics and quick-fix titles show HTML, forged lines, backtick runs, `|` and
 * formulas as text: Markdown that renders no element of its own, names inside code
 * spans, plain-text strings on one line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-protocol';
import { textLine } from '../../../server/src/core/base/escape';
import { assertSafeLines, assertSafeMarkdown, FORGED, FORMULA, IMG, LABEL, POLICIES, WORKLOADS } from '../helpers/hostile';
import { LspClient } from './lsp-client';
import { positionOf } from './reach-fixture';

const W = 'untitled:workloads.yaml';
const P = 'untitled:policies.yaml';
/** A policy being written: completion of label keys under matchLabels. */
const DRAFT = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: draft, namespace: shop}
spec:
  podSelector:
    matchLabels:
      
`;
const D = 'untitled:draft.yaml';

let client: LspClient;

before(async () => {
  client = await LspClient.startWithCapabilities({ textDocument: { hover: { contentFormat: ['markdown'] }, completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } } } });
  for (const [uri, text] of [[W, WORKLOADS], [P, POLICIES], [D, DRAFT]]) {
    const published = client.diagnosticsForVersion(uri, 1);
    client.open(uri, text, 1);
    await published;
  }
});
after(async () => {
  await client.stop();
});

async function hoverMarkdown(uri: string, text: string, needle: string, delta: number, nth = 0): Promise<string> {
  const at = positionOf(text, needle, delta, nth);
  const h = await client.hover(uri, at.line, at.character);
  assert.ok(h, `a hover at ${needle} #${nth}`);
  return (h.contents as MarkupContent).value;
}

const messageOf = (m: string | MarkupContent): string => (typeof m === 'string' ? m : m.value);

/** Code spans of some Markdown, as their text. */
function codeSpans(markdown: string): string[] {
  return [...markdown.matchAll(/(`+) ?([\s\S]*?) ?\1(?!`)/g)].map((m) => m[2]);
}

test('hovers on hostile workloads: the names are code spans, the Markdown renders no element of its own', async () => {
  const hovers: string[] = [];
  for (let nth = 0; nth < 3; nth++) hovers.push(await hoverMarkdown(W, WORKLOADS, 'kind: Deployment', 6, nth));
  for (const md of hovers) {
    assertSafeMarkdown(md, 'workload hover');
    assertSafeLines(md, 'workload hover');
  }
  const spans = hovers.flatMap(codeSpans);
  assert.ok(spans.includes(textLine(`shop/${IMG}`)), spans.join(' | '));
  assert.ok(spans.includes(textLine(`shop/${FORGED}`)), spans.join(' | '));
  assert.ok(spans.includes(`${FORMULA}/${FORMULA}`), spans.join(' | '));
  // The web workload is reachable from the forged one: listed by its short name, in a code span.
  assert.ok(spans.includes(textLine(`${FORGED}[Deployment]`)), hovers[0]);
});

test('hovers on policies, peers and ports, also of policies the API server rejects by name', async () => {
  const mds = [
    await hoverMarkdown(P, POLICIES, 'kind: NetworkPolicy', 6, 0),
    await hoverMarkdown(P, POLICIES, 'kind: NetworkPolicy', 6, 1),
    await hoverMarkdown(P, POLICIES, 'kind: NetworkPolicy', 6, 2),
    await hoverMarkdown(P, POLICIES, 'podSelector: {matchLabels: {app: api}}', 2),
    await hoverMarkdown(P, POLICIES, '{port: 80}', 2),
  ];
  for (const md of mds) {
    assertSafeMarkdown(md, 'policy hover');
    assertSafeLines(md, 'policy hover');
  }
  assert.ok(codeSpans(mds[1]).includes(`shop/${IMG}`), mds[1]);
  assert.ok(codeSpans(mds[2]).includes(textLine(`shop/p${FORGED}`)), mds[2]);
  // The API server's reason quotes the name: text, not HTML.
  assert.match(mds[1], /Invalid metadata\.name "\\<img src=x onerror=alert\\\(1\\\)\\>"/);
  assert.ok(codeSpans(mds[3]).includes(textLine(`${FORGED}[Deployment]`)), mds[3]);
});

test('code lenses: plain one-line titles that quote no name', async () => {
  for (const uri of [W, P]) {
    const lenses = await client.codeLenses(uri);
    assert.ok(lenses.length >= 3, `${uri}: ${lenses.length} lenses`);
    for (const lens of lenses) {
      const title = lens.command?.title ?? '';
      assertSafeLines(title, 'lens title');
      for (const name of [IMG, FORGED, FORMULA, LABEL]) assert.ok(!title.includes(textLine(name)) && !title.includes(name), title);
      assert.doesNotMatch(title.replace(/^\$\(git-compare\) /, ''), /\$\(/, 'no theme icon but our own');
    }
  }
});

test('completion documentation of label keys and values: Markdown with the values in code spans', async () => {
  const items = await client.complete(D, 6, 6);
  const team = items.find((i) => i.label === 'team');
  assert.ok(team, items.map((i) => i.label).join(', '));
  for (const item of items) {
    const doc = typeof item.documentation === 'string' ? item.documentation : (item.documentation?.value ?? '');
    assertSafeMarkdown(doc, `completion ${item.label}`);
    assertSafeLines(doc, `completion ${item.label}`);
  }
  const doc = (team.documentation as MarkupContent).value;
  assert.ok(codeSpans(doc).includes(`team: ${LABEL}`), doc);
  assert.ok(codeSpans(doc).includes(textLine(`shop/${IMG}[Deployment]`)), doc);
});

test('diagnostics and quick-fix titles: one line each', async () => {
  for (const uri of [W, P]) {
    const diagnostics = client.diagnostics.get(uri) ?? [];
    for (const d of diagnostics) assertSafeLines(messageOf(d.message), `${uri} ${String(d.code)}`);
    const actions = (await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } },
      context: { diagnostics },
    })) ?? [];
    for (const a of actions) assertSafeLines(a.title, `${uri} quick fix`);
  }
  const messages = (client.diagnostics.get(P) ?? []).map((d) => messageOf(d.message));
  assert.ok(messages.some((m) => m.includes(textLine(`"p${FORGED}"`))), messages.join('\n'));
});
