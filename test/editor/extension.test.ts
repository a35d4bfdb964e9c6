import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, netpolDiagnostics, waitForDiagnostics } from './wait';

const EXTENSION_ID = 'netpol-studio.netpol-studio';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

async function replaceAll(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const text = doc.getText();
  const at = text.indexOf(from);
  assert.ok(at >= 0, `"${from}" is in ${doc.uri.fsPath}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
}

suite('NetPol in a real VS Code', () => {
  let policy: vscode.TextDocument;

  suiteSetup(async () => {
    policy = await vscode.workspace.openTextDocument(workspaceFile('policy.yaml'));
    await vscode.window.showTextDocument(policy);
  });

  test('the extension activates for YAML', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.equal(policy.languageId, 'yaml');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('diagnostics appear with the expected code, range and docs link', async () => {
    const diags = await waitForDiagnostics(policy.uri, (d) => d.length > 0, 'the invalid-protocol error');
    assert.deepEqual(
      diags.map((d) => [codeOf(d), d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['invalid-protocol', vscode.DiagnosticSeverity.Error, 13, 16, 19]],
    );
    const code = diags[0].code as { target: vscode.Uri };
    assert.match(code.target.toString(), /docs\/rules\/invalid-protocol\.md$/);
  });

  test('an edit changes the diagnostics', async () => {
    await replaceAll(policy, 'protocol: tcp', 'protocol: TCP');
    await waitForDiagnostics(policy.uri, (d) => d.length === 0, 'no diagnostics after the fix');
    await replaceAll(policy, 'protocol: TCP', 'protocol: UDP\n      endPort: 80');
    const diags = await waitForDiagnostics(policy.uri, (d) => d.length > 0, 'the invalid-end-port error');
    assert.deepEqual(diags.map(codeOf), ['invalid-end-port']);
    assert.equal(diags[0].range.start.line, 14);
  });

  test('non-Kubernetes YAML gets nothing from NetPol', async () => {
    const ci = await vscode.workspace.openTextDocument(workspaceFile('ci.yaml'));
    await vscode.window.showTextDocument(ci);
    // The policy file is re-analysed with it: once that publication is in, ci.yaml's is too.
    await replaceAll(policy, 'endPort: 80', 'endPort: 81');
    await waitForDiagnostics(policy.uri, (d) => d.length === 1 && d[0].message.includes('81'), 'the re-analysis');
    assert.deepEqual(netpolDiagnostics(ci.uri), []);
  });

  test('a broken file does not kill the server', async () => {
    const junk = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n\u0000\u0001 {{ junk' });
    await vscode.window.showTextDocument(junk);
    await replaceAll(policy, 'endPort: 81', 'endPort: 82');
    const diags = await waitForDiagnostics(policy.uri, (d) => d.length === 1 && d[0].message.includes('82'), 'diagnostics after the junk file');
    assert.equal(codeOf(diags[0]), 'invalid-end-port');
  });

  test('the restart command restarts the server, which then serves again', async () => {
    await vscode.commands.executeCommand('netpol.restartServer');
    await replaceAll(policy, 'endPort: 82', 'endPort: 83');
    const diags = await waitForDiagnostics(policy.uri, (d) => d.length === 1 && d[0].message.includes('83'), 'diagnostics from the restarted server');
    assert.equal(codeOf(diags[0]), 'invalid-end-port');
  });
});

suite('Workspace-wide diagnostics in a real VS Code', () => {
  test('editing one file changes another file\'s diagnostics', async () => {
    const policyDoc = await vscode.workspace.openTextDocument(workspaceFile('cross-policy.yaml'));
    await vscode.window.showTextDocument(policyDoc);
    const before = await waitForDiagnostics(policyDoc.uri, (d) => d.some((x) => codeOf(x) === 'selector-matches-nothing'), 'selector-matches-nothing on cross-policy.yaml');
    assert.deepEqual([...new Set(before.map(codeOf))], ['selector-matches-nothing']);
    const workloadsDoc = await vscode.workspace.openTextDocument(workspaceFile('cross-workloads.yaml'));
    await vscode.window.showTextDocument(workloadsDoc);
    // The Deployment gets the labels the policy selects: its warnings go away.
    const edit = new vscode.WorkspaceEdit();
    const text = workloadsDoc.getText();
    for (const m of text.matchAll(/app: api/g)) {
      edit.replace(workloadsDoc.uri, new vscode.Range(workloadsDoc.positionAt(m.index), workloadsDoc.positionAt(m.index + m[0].length)), 'app: web');
    }
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(policyDoc.uri, (d) => d.length === 0, 'cross-policy.yaml clean after editing cross-workloads.yaml');
    // Undo: the warnings come back.
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(policyDoc.uri, (d) => d.some((x) => codeOf(x) === 'selector-matches-nothing'), 'the warnings back after undo');
  });

  test('a settings change turns a rule off, and back on', async () => {
    const policyDoc = await vscode.workspace.openTextDocument(workspaceFile('cross-policy.yaml'));
    const config = vscode.workspace.getConfiguration('netpol');
    await waitForDiagnostics(policyDoc.uri, (d) => d.some((x) => codeOf(x) === 'selector-matches-nothing'), 'the warning before the setting');
    await config.update('rules', { 'selector-matches-nothing': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitForDiagnostics(policyDoc.uri, (d) => d.length === 0, 'no warning with the rule off');
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(policyDoc.uri, (d) => d.some((x) => codeOf(x) === 'selector-matches-nothing'), 'the warning back with the default');
  });
});
