/**
 * "NetPol: Generate Policies for Namespace…" in a real VS Code: the server generates from
 * the evidence of the fixture workspace, the client opens the policies as an untitled YAML
 * document (the namespace given as an argument: no quick pick).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { GenerateOutcome } from '../../client/src/views/generate/command';

const EXTENSION_ID = 'netpol-studio.netpol-studio';

suite('Generate policies in a real VS Code', () => {
  suiteSetup(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'workloads.yaml')));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
  });

  test('NetPol: Generate Policies for Namespace opens the least-privilege policies as an untitled YAML document', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('netpol.generatePolicies'), 'netpol.generatePolicies is registered');
    const outcome = await vscode.commands.executeCommand<GenerateOutcome | undefined>('netpol.generatePolicies', { namespace: 'shop' });
    assert.ok(outcome?.document, `a document was opened (${outcome?.policies} policies)`);
    const doc = outcome.document;
    assert.equal(doc.isUntitled, true);
    assert.equal(doc.languageId, 'yaml');
    assert.equal(outcome.policies, 2);
    const text = doc.getText();
    assert.match(text, /^# NetPol: least-privilege policies for namespace shop/);
    assert.equal((text.match(/^kind: NetworkPolicy$/gm) ?? []).length, 2);
    assert.match(text, /^ {2}namespace: shop$/m);
    // The flows applying them would close, listed above the policies (never an evidenced one: the server's LSP test pins which).
    assert.match(text, /^# Applying them closes (no flow allowed today\.|\d+ flows? allowed today that no manifest shows:\n# {3}\S.* → .* on )/m);
    assert.ok(text.indexOf('# Applying them closes') < text.indexOf('apiVersion: networking.k8s.io/v1'));
    // The evidence is named by its path in the workspace folder.
    assert.match(text, /netpol\.studio\/evidence: \|-\n {6}(ingress|egress)\[0\]: .*\(workloads\.yaml:\d+\)/);
    assert.equal(vscode.window.activeTextEditor?.document, doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
