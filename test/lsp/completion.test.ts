/**
 * Completion over LSP (`textDocument/completion`, the real server over stdio): a policy
 * typed in an open buffer completes from the workspace on disk (namespaces, deployments
 * with labels and named ports) and from other open buffers; ranges are LSP positions
 * (UTF-16); snippets go as snippets to an editor that takes them (VS Code's
 * capabilities) and as plain text to one that does not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client';

const WORKLOADS = (frontendLabels: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: shop}
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels: {team: platform}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: ${frontendLabels}}
    spec:
      containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: shop}
spec:
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend, tier: api}}
    spec:
      containers: [{name: c, image: i, ports: [{name: api, containerPort: 9090}, {name: metrics, containerPort: 9100}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: prometheus, namespace: monitoring}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: prometheus}}
  template:
    metadata: {labels: {app.kubernetes.io/name: prometheus}}
    spec:
      containers: [{name: c, image: i, ports: [{name: web, containerPort: 9090}]}]
`;

/** On disk with a finding: its publication tells that the disk has been read. */
const SENTINEL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sentinel, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - ports:
    - protocol: tcp
`;

const HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend
  namespace: shop
spec:
`;

// LSP constants (vscode-languageserver-protocol), spelled out.
const KIND = { Property: 10, Value: 12, EnumMember: 20, Snippet: 15 };
const FORMAT = { PlainText: 1, Snippet: 2 };
const AS_IS = 1;

/** The editor's (VS Code's) completion capabilities that matter here. */
const VSCODE_COMPLETION = {
  completion: {
    completionItem: { snippetSupport: true, insertReplaceSupport: true, documentationFormat: ['markdown', 'plaintext'], insertTextModeSupport: { valueSet: [1, 2] } },
    contextSupport: true,
  },
};

let dir: string;
let client: LspClient;
let plain: LspClient;
let version = 1;

/** The line and UTF-16 character of the `|` in `marked`, and the text without it. */
function cursor(marked: string): { text: string; line: number; character: number } {
  const cut = marked.indexOf('|');
  const before = marked.slice(0, cut);
  const line = before.split('\n').length - 1;
  return { text: before + marked.slice(cut + 1), line, character: cut - (before.lastIndexOf('\n') + 1) };
}

/** Opens (or updates) `uri` with `marked` and completes at its `|`. */
async function completeAt(c: LspClient, uri: string, marked: string, trigger?: string): Promise<CompletionItem[]> {
  const at = cursor(marked);
  if (version === 1) c.open(uri, at.text, version++);
  else c.change(uri, at.text, version++);
  return c.complete(uri, at.line, at.character, trigger);
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
function item(items: CompletionItem[], label: string): CompletionItem {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no item ${label} among ${labels(items).join(', ')}`);
  return found;
}
function edit(i: CompletionItem): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string } {
  assert.ok(i.textEdit && 'range' in i.textEdit, `${i.label} has no textEdit with a range`);
  return i.textEdit;
}
const range = (i: CompletionItem) => {
  const r = edit(i).range;
  return [r.start.line, r.start.character, r.end.line, r.end.character];
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-complete-'));
  writeFileSync(join(dir, 'workloads.yaml'), WORKLOADS('{app: frontend}'));
  writeFileSync(join(dir, 'sentinel.yaml'), SENTINEL);
  const sentinel = pathToFileURL(join(dir, 'sentinel.yaml')).toString();
  client = await LspClient.startWithCapabilities({ textDocument: VSCODE_COMPLETION }, dir);
  plain = await LspClient.start(dir);
  await Promise.all([client.waitForDiagnostics(sentinel, (d) => d.length > 0), plain.waitForDiagnostics(sentinel, (d) => d.length > 0)]);
});
after(async () => {
  await Promise.all([client.stop(), plain.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('completion over LSP', () => {
  const uri = () => pathToFileURL(join(dir, 'new-policy.yaml')).toString();

  test('the server declares completion with its trigger characters', () => {
    const caps = (client.initializeResult as { capabilities: { completionProvider?: { triggerCharacters?: string[] } } }).capabilities;
    assert.ok(caps.completionProvider, 'no completionProvider');
    assert.deepEqual([...(caps.completionProvider.triggerCharacters ?? [])].sort(), [' ', '-', ':']);
  });

  test('an empty document: the snippets, in snippet format, replacing the typed word', async () => {
    const empty = await completeAt(client, uri(), '|');
    assert.ok(empty.length >= 12);
    const deny = item(empty, 'netpol-deny-ingress');
    assert.equal(deny.kind, KIND.Snippet);
    assert.equal(deny.insertTextFormat, FORMAT.Snippet);
    assert.equal(deny.insertTextMode, AS_IS);
    assert.deepEqual(range(deny), [0, 0, 0, 0]);
    assert.match(edit(deny).newText, /^apiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\nmetadata:\n {2}name: \$\{1:default-deny-ingress\}/);
    assert.equal(deny.detail, 'NetworkPolicy: default-deny ingress');
    const typed = await completeAt(client, uri(), 'netpol-de|');
    assert.deepEqual(range(item(typed, 'netpol-deny-all')), [0, 0, 0, 9]);
  });

  test('label keys of the pods of the policy namespace, from the files on disk', async () => {
    const items = await completeAt(client, uri(), `${HEAD}  podSelector:\n    matchLabels:\n      ap|\n`);
    assert.deepEqual(labels(items).sort(), ['app', 'tier']);
    const app = item(items, 'app');
    assert.equal(app.kind, KIND.Value);
    assert.deepEqual(range(app), [8, 6, 8, 8]);
    assert.equal(edit(app).newText, 'app: ');
    assert.equal(app.insertTextFormat, FORMAT.PlainText);
    assert.deepEqual(app.command, { title: 'Suggest', command: 'editor.action.triggerSuggest' });
    assert.deepEqual(Object.keys(app.documentation as object).sort(), ['kind', 'value']);
    assert.equal((app.documentation as { kind: string }).kind, 'markdown');
    assert.match((app.documentation as { value: string }).value, /`app: backend`: `shop\/backend\[Deployment\]`/);
  });

  test('values of the key on the line; in a flow mapping after a character outside the BMP', async () => {
    const values = await completeAt(client, uri(), `${HEAD}  podSelector:\n    matchLabels:\n      app: |\n`);
    assert.deepEqual(labels(values).sort(), ['backend', 'frontend']);
    // The key 🚀 is two UTF-16 units: the range is in UTF-16 characters, as LSP counts.
    const flow = await completeAt(client, uri(), `${HEAD}  podSelector:\n    matchLabels: {"🚀": x, app: fr|}\n`);
    assert.deepEqual(range(item(flow, 'frontend')), [7, 32, 7, 34]);
  });

  test('named ports of the selected pods for an ingress rule, typed space as trigger', async () => {
    const text = `${HEAD}  podSelector:\n    matchLabels: {app: backend}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: platform}}\n    ports:\n    - port: |\n`;
    const items = await completeAt(client, uri(), text, ' ');
    assert.deepEqual(labels(items), ['api', 'metrics', '9090', '9100']);
    assert.equal(item(items, 'api').detail, 'named port · TCP 9090');
    assert.deepEqual(range(item(items, 'api')), [12, 12, 12, 12]);
    // Typing a space anywhere else asks for nothing.
    assert.deepEqual(await completeAt(client, uri(), `${HEAD}  podSelector:\n    matchLabels: {app: backend} |\n`, ' '), []);
  });

  test('peer podSelector with a sibling namespaceSelector: the labels of those namespaces\' pods', async () => {
    const items = await completeAt(client, uri(), `${HEAD}  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: platform\n      podSelector:\n        matchLabels:\n          |\n`);
    assert.deepEqual(labels(items), ['app.kubernetes.io/name']);
  });

  test('fields: properties with multi-line insertions as is; enumerations', async () => {
    const fields = await completeAt(client, uri(), `${HEAD}  podSelector: {}\n  |\n`);
    assert.deepEqual(labels(fields), ['policyTypes', 'ingress', 'egress']);
    const ingress = item(fields, 'ingress');
    assert.equal(ingress.kind, KIND.Property);
    assert.equal(ingress.insertTextMode, AS_IS);
    assert.equal(edit(ingress).newText, 'ingress:\n    - ');
    const types = item(fields, 'policyTypes');
    assert.equal(types.insertTextFormat, FORMAT.Snippet);
    assert.equal(edit(types).newText, 'policyTypes:\n    - ${1|Ingress,Egress|}$0');
    const protocols = await completeAt(client, uri(), `${HEAD}  podSelector: {}\n  ingress:\n  - ports:\n    - protocol: t|\n`);
    assert.deepEqual(labels(protocols), ['TCP', 'UDP', 'SCTP']);
    assert.equal(item(protocols, 'TCP').kind, KIND.EnumMember);
    assert.deepEqual(range(item(protocols, 'TCP')), [9, 16, 9, 17]);
  });

  test('an open buffer of another file wins over the disk', async () => {
    const workloads = pathToFileURL(join(dir, 'workloads.yaml')).toString();
    client.open(workloads, WORKLOADS('{app: frontend, tier: edge}'), 1);
    const values = await completeAt(client, uri(), `${HEAD}  podSelector:\n    matchLabels:\n      tier: |\n`);
    assert.deepEqual(labels(values).sort(), ['api', 'edge']);
    client.close(workloads);
    const back = await completeAt(client, uri(), `${HEAD}  podSelector:\n    matchLabels:\n      tier: |\n`);
    assert.deepEqual(labels(back), ['api']);
  });

  test('nothing for unknown documents, other kinds of objects and comments', async () => {
    assert.deepEqual(await client.complete('file:///nowhere/x.yaml', 0, 0), []);
    assert.deepEqual(await completeAt(client, uri(), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  |\n'), []);
    assert.deepEqual(await completeAt(client, uri(), `${HEAD}  # podSelector: |\n`), []);
  });
});

describe('completion over LSP without snippet support', () => {
  test('snippets and choices arrive as plain text with their defaults', async () => {
    const uri = 'untitled:plain.yaml';
    plain.open(uri, '', 1);
    const snippets = await plain.complete(uri, 0, 0);
    const deny = item(snippets, 'netpol-deny-ingress');
    assert.equal(deny.insertTextFormat, FORMAT.PlainText);
    assert.match(edit(deny).newText, /^apiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\nmetadata:\n {2}name: default-deny-ingress\n {2}namespace: default\n/);
    assert.doesNotMatch(edit(deny).newText, /\$/);
    plain.change(uri, `${HEAD}  podSelector: {}\n  \n`, 2);
    const fields = await plain.complete(uri, 7, 2);
    assert.equal(edit(item(fields, 'policyTypes')).newText, 'policyTypes:\n    - Ingress');
  });
});
