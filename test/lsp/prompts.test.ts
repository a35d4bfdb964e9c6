/**
 * Fixes that ask for a value (Fix.prompt) over stdio against dist/server.js: a generic
 * policy's missing namespace is asked for with a snippet placeholder (the namespaces its
 * folder writes as choices) where the client takes snippet edits, and is not offered at
 * all where it does not (its placeholder written literally would be a guess).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { LspClient } from './lsp-client';

// eks-workshop's lab folder: a default-deny applied with `kubectl apply -n ui`, beside policies of two namespaces.
const FOLDER = 'file:///lab/apply-network-policies';
const GENERIC = `kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata:
  name: default-deny # applied with -n
spec:
  podSelector:
    matchLabels: {}
  policyTypes:
    - Ingress
`;
const policyIn = (name: string, ns: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: ${ns}\n  name: ${name}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`;

function codeActions(client: LspClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
}

async function openLab(client: LspClient): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  client.open(`${FOLDER}/allow-catalog.yaml`, policyIn('allow-catalog', 'catalog'));
  client.open(`${FOLDER}/allow-ui.yaml`, policyIn('allow-ui', 'ui'));
  const uri = `${FOLDER}/default-deny.yaml`;
  client.open(uri, GENERIC);
  const all = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'missing-namespace'));
  return { uri, diagnostics: all.filter((d) => d.code === 'missing-namespace') };
}

describe('a prompt with a client that takes snippet edits', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.startWithCapabilities({ workspace: { workspaceEdit: { documentChanges: true, snippetEditSupport: true } } });
  });
  after(() => client.stop());

  test('the namespace is a choice placeholder, inserted from the start of its line', async () => {
    const { uri, diagnostics } = await openLab(client);
    assert.equal(diagnostics[0].severity, 3, 'a generic policy is info');
    const actions = await codeActions(client, uri, diagnostics);
    const asked = actions.find((a) => a.title.startsWith('Set metadata.namespace…'));
    assert.ok(asked, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(asked.title, 'Set metadata.namespace… (choose catalog and ui, or type one)');
    assert.notEqual(asked.isPreferred, true);
    const change = asked.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.ok(change);
    const edit = change.edits[0] as unknown as { range: TextEdit['range']; snippet: { kind: string; value: string } };
    // Line 4 (after `name:`), column 0: an editor indents a snippet's later lines by what precedes it on its line.
    assert.deepEqual(edit.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } });
    assert.equal(edit.snippet.kind, 'snippet');
    assert.equal(edit.snippet.value, '  namespace: ${1|catalog,ui|}\n');
  });
});

describe('a prompt with a client without snippet edits', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(() => client.stop());

  test('is not offered: its placeholder would be written as the namespace', async () => {
    const { uri, diagnostics } = await openLab(client);
    const actions = await codeActions(client, uri, diagnostics);
    assert.ok(actions.length > 0, 'the suppressions are still offered');
    assert.deepEqual(
      actions.filter((a) => a.title.startsWith('Set metadata.namespace')),
      [],
    );
  });
});
