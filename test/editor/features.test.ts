import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, waitForDiagnostics } from './wait';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

suite('Fixes, snippets and completion in a real VS Code', () => {
  test('a quick fix from the code action provider removes its diagnostic', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('fix-me.yaml'));
    await vscode.window.showTextDocument(doc);
    const [diag] = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'invalid-protocol'), 'invalid-protocol on fix-me.yaml');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Change protocol to UDP');
    assert.ok(fix, `a quick fix for invalid-protocol among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit, `the action carries its edit (command: ${fix.command?.command})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit as vscode.WorkspaceEdit));
    await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'no diagnostics after the fix');
    assert.match(doc.getText(), /protocol: UDP\n/);
  });

  test('a snippet inserted with insertSnippet yields a clean policy', async () => {
    const ext = vscode.extensions.getExtension('netpol-studio.netpol-studio');
    assert.ok(ext);
    const snippets = JSON.parse(readFileSync(path.join(ext.extensionPath, 'snippets', 'netpol.code-snippets'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const denyIngress = Object.values(snippets).find((s) => s.prefix === 'netpol-deny-ingress');
    assert.ok(denyIngress, 'the netpol-deny-ingress snippet ships with the extension');
    // Start from a document with a known problem, so the clean state is a real transition.
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: draft\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [ingress]\n' });
    const editor = await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'invalid-policy-types'), 'the draft\'s error');
    const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    assert.ok(await editor.insertSnippet(new vscode.SnippetString(denyIngress.body.join('\n')), all));
    await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'a clean policy from the snippet');
    assert.match(doc.getText(), /^apiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\n/);
  });

  test('completion in matchLabels offers the labels of the workspace\'s pods', async () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: typing\n  namespace: cross\nspec:\n  podSelector:\n    matchLabels:\n      \n';
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(8, 6));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('app'), `label keys offered: ${labels.slice(0, 20).join(', ')}`);
  });
});

suite('Reachability in a real VS Code', () => {
  test('hover on a workload lists the sources that reach it', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('workloads.yaml'));
    await vscode.window.showTextDocument(doc);
    const text = doc.getText();
    // The backend Deployment's metadata.name value.
    const at = text.indexOf('name: backend') + 'name: '.length;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(at + 2));
    const markdown = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    assert.match(markdown, /backend/);
    // Namespace shop is default-deny; fix-me.yaml (fixed by the quick-fix test above)
    // admits the frontend on UDP 9090: the hover says so, as `netpol reach` does.
    assert.match(markdown, /isolated/i, markdown);
    assert.match(markdown, /Reachable from\*\* 1 source:[\s\S]*`shop` \(UDP 9090\): `frontend\[Deployment\]`/, markdown);
  });

  test('code lenses resolve above policies and workloads', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('cross-policy.yaml'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(lenses.length >= 2, `lenses: ${lenses.length}`);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.every((t) => t.length > 0), 'every lens has its title');
    assert.ok(titles.some((t) => /denies all ingress|selects \d+ workload/.test(t)), titles.join(' | '));
    assert.ok(lenses.every((l) => l.command?.command === 'netpol.explainWorkload'));
  });
});
