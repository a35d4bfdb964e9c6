import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, netpolDiagnostics, waitForDiagnostics } from './wait';

/**
 * The ClusterNetworkPolicy of examples/cluster/, as shipped, opened in a real VS Code next to
 * a namespace its subject selects (written into the throwaway workspace, removed after).
 */
const VAULT = `apiVersion: v1
kind: Namespace
metadata:
  name: vault
  labels: {environment: production}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
  namespace: vault
spec:
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: postgres
        image: postgres
        ports:
        - {name: postgres, containerPort: 5432}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: vault
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: api
`;

suite('Cluster-level policies in a real VS Code', () => {
  test('an example ClusterNetworkPolicy shows its code lens and diagnostics, and an edit the API server rejects is an error at its value', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    const ext = vscode.extensions.getExtension('netpol-studio.netpol-studio');
    assert.ok(ext);
    const dir = vscode.Uri.file(path.join(folder.uri.fsPath, 'cluster'));
    const example = vscode.Uri.joinPath(dir, 'protect-databases.yaml');
    const vault = vscode.Uri.joinPath(dir, 'vault.yaml');
    await vscode.workspace.fs.createDirectory(dir);
    await vscode.workspace.fs.copy(vscode.Uri.file(path.join(ext.extensionPath, 'examples', 'cluster', 'protect-databases.yaml')), example, { overwrite: true });
    await vscode.workspace.fs.writeFile(vault, Buffer.from(VAULT));
    try {
      const doc = await vscode.workspace.openTextDocument(example);
      await vscode.window.showTextDocument(doc);
      const text = doc.getText();

      // vault has no NetworkPolicy and there is no Baseline tier: the Pass from production
      // namespaces means allow. Reported on the rule's first key, as info.
      const diags = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'pass-with-nothing-below'), 'pass-with-nothing-below on the example');
      const pass = diags.find((x) => codeOf(x) === 'pass-with-nothing-below');
      assert.ok(pass);
      const at = text.indexOf('- name: production-decides-per-namespace') + 2;
      assert.deepEqual([pass.range.start, pass.range.end], [doc.positionAt(at), doc.positionAt(at + 'name'.length)]);
      assert.equal(pass.severity, vscode.DiagnosticSeverity.Information);
      assert.match(pass.message, /vault\/db\[Deployment\]/);
      assert.match(pass.message, /Pass here means allow/);

      // The lens above the policy: its tier and priority, what its subject selects.
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      const titles = lenses.map((l) => l.command?.title ?? '');
      assert.ok(
        titles.some((t) => /^Admin tier, priority 10 · selects 1 workload in 1 namespace( · decides \d+ flows?)?$/.test(t)),
        `lens titles: ${titles.join(' | ')}`,
      );

      // v1alpha2 says Accept: Allow is rejected by the CRD's enum, an error at the value.
      const editor = await vscode.window.showTextDocument(doc);
      const deny = text.indexOf('action: Deny') + 'action: '.length;
      assert.ok(await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(deny), doc.positionAt(deny + 'Deny'.length)), 'Allow')));
      const rejected = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'invalid-cluster-policy'), 'invalid-cluster-policy after the edit');
      const error = rejected.find((x) => codeOf(x) === 'invalid-cluster-policy');
      assert.ok(error);
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([error.range.start, error.range.end], [doc.positionAt(deny), doc.positionAt(deny + 'Allow'.length)]);
      assert.match(error.message, /Accept/);
      const after = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      assert.ok(after.some((l) => l.command?.title === 'rejected by the API server: not applied'), `lens titles: ${after.map((l) => l.command?.title).join(' | ')}`);

      await vscode.commands.executeCommand('undo');
      await waitForDiagnostics(doc.uri, (d) => !d.some((x) => codeOf(x) === 'invalid-cluster-policy') && d.some((x) => codeOf(x) === 'pass-with-nothing-below'), 'the example as shipped after undo');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false });
    }
    // The files are gone from the server's workspace too: their diagnostics are withdrawn.
    await waitForDiagnostics(vault, (d) => d.length === 0, 'no diagnostics for the deleted vault.yaml');
    assert.deepEqual(netpolDiagnostics(example), []);
  });
});
