/**
 * Suppressions over stdio against dist/server.js: a suppressed finding is not published,
 * "Suppress here" inserts the comment with the line's indentation (a snippet placeholder
 * for the reason where the client takes snippet edits), the placeholder is reported until
 * a reason replaces it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from './lsp-client';

// Online Boutique's checkout policy, egress narrowed to ports only.
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: checkoutservice
  namespace: boutique
spec:
  podSelector:
    matchLabels:
      app: checkoutservice
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontend
      ports:
        - port: 5050
          protocol: TCP
  egress:
    - ports:
        - port: 443
          protocol: TCP
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
`;

function codeActions(client: LspClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'yaml', 0, text), [...edits]);
}

describe('suppressions over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(() => client.stop());

  test('"Suppress here" inserts the comment above the line, indented like it; the placeholder is reported until a reason is written', async () => {
    const uri = 'untitled:checkout.yaml';
    client.open(uri, POLICY);
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'allow-all-peers'));
    const target = diags.filter((d) => d.code === 'allow-all-peers');
    const actions = await codeActions(client, uri, target);
    const here = actions.find((a) => a.title === 'Suppress allow-all-peers here (with a reason)');
    assert.ok(here, actions.map((a) => a.title).join(' | '));
    assert.ok(actions.some((a) => a.title === 'Suppress allow-all-peers in this document (with a reason)'));
    // After the rule's own fixes.
    assert.ok(actions.indexOf(here) > 0);
    const edits = here.edit?.changes?.[uri];
    assert.ok(edits, 'a plain text edit for a client without snippet edits');
    const suppressed = apply(POLICY, edits);
    assert.match(suppressed, /\n {2}egress:\n {4}# netpol-disable-next-line allow-all-peers -- <reason>\n {4}- ports:\n/);

    client.change(uri, suppressed, 2);
    const pending = await client.diagnosticsForVersion(uri, 2);
    assert.deepEqual(
      pending.map((d) => [d.code, d.severity, d.range.start.line]).sort(),
      [
        ['allow-all-peers', 3, 22],
        ['invalid-suppression', 3, 21],
      ],
      'the placeholder is no reason: the suppression does not apply yet, and says so',
    );

    client.change(uri, suppressed.replace('<reason>', 'the Cloud APIs it calls have no fixed addresses'), 3);
    assert.deepEqual(await client.diagnosticsForVersion(uri, 3), []);

    client.change(uri, suppressed.replace('allow-all-peers -- <reason>', 'allow-all-peers, and-or-pitfall -- the Cloud APIs'), 4);
    const unused = await client.diagnosticsForVersion(uri, 4);
    assert.deepEqual(unused.map((d) => [d.code, d.severity]), [['unused-suppression', 3]]);
  });
});

describe('suppressions with a client that takes snippet edits', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.startWithCapabilities({ workspace: { workspaceEdit: { documentChanges: true, snippetEditSupport: true } } });
  });
  after(() => client.stop());

  test('the reason is a snippet placeholder the cursor lands on', async () => {
    const uri = 'untitled:checkout-snippet.yaml';
    client.open(uri, POLICY);
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'allow-all-peers'));
    const actions = await codeActions(client, uri, diags.filter((d) => d.code === 'allow-all-peers'));
    const doc = actions.find((a) => a.title === 'Suppress allow-all-peers in this document (with a reason)');
    const change = doc?.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
    assert.ok(change, JSON.stringify(doc));
    const edit = change.edits[0] as unknown as { range: TextEdit['range']; snippet: { kind: string; value: string } };
    assert.deepEqual(edit.range.start, { line: 0, character: 0 });
    assert.equal(edit.snippet.kind, 'snippet');
    assert.equal(edit.snippet.value, '# netpol-disable allow-all-peers -- ${1:<reason>}\n');
  });
});
