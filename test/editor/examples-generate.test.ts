/**
 * "NetPol: Generate Policies for Namespace…" in a real VS Code on the examples/ workspace
 * (the one `npm start` opens): run by scripts/run-editor-tests.mjs in a second session with
 * NETPOL_EDITOR_WORKSPACE=examples on a throwaway copy of examples/.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { GenerateOutcome } from '../../client/src/views/generate/command';

const EXTENSION_ID = 'netpol-studio.netpol-studio';

suite('Generate policies for the examples workspace in a real VS Code', () => {
  suiteSetup(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the examples workspace is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'shop', 'backend.yaml')));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
  });

  test('namespace shop: one least-privilege policy per workload (backend, db, frontend), each rule with its evidence in the examples, as an untitled document', async () => {
    const outcome = await vscode.commands.executeCommand<GenerateOutcome | undefined>('netpol.generatePolicies', { namespace: 'shop' });
    assert.ok(outcome?.document, `a document was opened (${outcome?.policies} policies)`);
    const doc = outcome.document;
    assert.equal(doc.isUntitled, true);
    assert.equal(doc.languageId, 'yaml');
    const text = doc.getText();
    assert.match(text, /^# NetPol: least-privilege policies for namespace shop/);
    const names = [...text.matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(names, ['backend-least-privilege', 'db-least-privilege', 'frontend-least-privilege']);
    assert.equal(outcome.policies, 3);
    // Every generated policy names the example files its evidence is in.
    const evidence = [...text.matchAll(/netpol\.studio\/evidence: \|-\n((?: {6}.*\n)+)/g)].map((m) => m[1]);
    assert.equal(evidence.length, 3);
    for (const e of evidence) assert.match(e, /\((shop|staging|monitoring|ingress-nginx)\/[\w.-]+\.yaml:\d+\)/);
    // Existing policies are left alone and said so (the wider rules of examples/shop).
    assert.match(text, /^# Note: shop\/backend-allow-frontend spec\.ingress\[0\] admits more than the evidence .*existing policies are never edited.*\(shop\/policies-backend\.yaml:\d+\)$/m);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
