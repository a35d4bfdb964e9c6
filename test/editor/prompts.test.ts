import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostics } from './wait';

/** A folder of the (throwaway) fixture workspace that this suite writes and removes. */
function labFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, 'prompt-lab'));
}

// eks-workshop's lab folder: a default-deny applied with `kubectl apply -n ui`, beside policies of two namespaces.
const GENERIC = 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata:\n  name: default-deny # applied with -n\nspec:\n  podSelector:\n    matchLabels: {}\n  policyTypes:\n    - Ingress\n';
const policyIn = (name: string, ns: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: ${ns}\n  name: ${name}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`;

suite('A fix that asks for a value, in a real VS Code', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(labFolder(), { recursive: true, useTrash: false });
  });

  test("a generic policy's namespace: the snippet lands at the right indentation with the folder's first namespace", async () => {
    const folder = labFolder();
    const write = (name: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), Buffer.from(text));
    await write('allow-catalog.yaml', policyIn('allow-catalog', 'catalog'));
    await write('allow-ui.yaml', policyIn('allow-ui', 'ui'));
    await write('default-deny.yaml', GENERIC);
    await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'allow-catalog.yaml'));
    await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'allow-ui.yaml'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'default-deny.yaml'));
    await vscode.window.showTextDocument(doc);
    const diags = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'missing-namespace'), 'missing-namespace on the generic policy');
    const diag = diags.find((x) => codeOf(x) === 'missing-namespace')!;
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Information);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const asked = actions.find((a) => a.title.startsWith('Set metadata.namespace…'));
    assert.ok(asked?.edit, `the prompt among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(asked.edit));
    // The key at the metadata's indentation (not pushed under `name:`), the comment kept, the first choice in place.
    assert.equal(doc.getText(), GENERIC.replace('  name: default-deny # applied with -n\n', '  name: default-deny # applied with -n\n  namespace: catalog\n'));
    await waitForDiagnostics(doc.uri, (d) => !d.some((x) => codeOf(x) === 'missing-namespace'), 'no missing-namespace once the namespace is chosen');
  });
});
