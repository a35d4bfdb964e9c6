/**
 * The reachability, explain and default-deny views in a real VS Code. The commands take
 * their answers as arguments here (no quick picks) and return what they showed. They
 * need the server's custom requests (netpol/reachability, netpol/explain,
 * netpol/workloads, netpol/defaultDenyEdit): without them the commands report the
 * server's "method not found" and these tests fail with that message.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { NetPolApi } from '../../client/src/extension';
import type { DefaultDenyOutcome } from '../../client/src/views/default-deny/command';
import type { ReachabilitySummary } from '../../client/src/views/reachability/panel';
import type { ExplainResult, WorkloadInfo } from '../../server/src/protocol';

const EXTENSION_ID = 'netpol-studio.netpol-studio';
const REACHABILITY_TITLE = 'NetPol Reachability';
const EXPLAIN_TITLE = 'NetPol Explain';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

/** Resolves with the first webview tab whose label satisfies `test`, checking now and on every tab change. */
function waitForWebviewTab(test: (label: string) => boolean, what: string, timeoutMs = 15_000): Promise<vscode.Tab> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const tab = webviewTabs().find((t) => test(t.label));
      if (!tab) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(tab);
    };
    const sub = vscode.window.tabGroups.onDidChangeTabs(check);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; webview tabs: [${webviewTabs().map((t) => t.label).join(', ')}]`));
    }, timeoutMs);
    check();
  });
}

async function replaceAll(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `"${from}" is in ${doc.uri.fsPath}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
}

/** Resolves when the reachability panel shows an answer satisfying `test` (event-driven, no polling). */
function waitForReachability(api: NetPolApi, test: (s: ReachabilitySummary) => boolean, what: string, timeoutMs = 20_000): Promise<ReachabilitySummary> {
  return new Promise((resolve, reject) => {
    const sub = api.views.onDidLoadReachability((s) => {
      if (!test(s)) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(s);
    });
    const timer = setTimeout(() => {
      sub.dispose();
      const now = api.views.reachability();
      reject(new Error(`timed out waiting for ${what}; the panel shows ${now ? `${now.connections} connections${now.error ? ` (${now.error})` : ''}` : 'nothing'}`));
    }, timeoutMs);
  });
}

suite('Reachability, explain and default-deny views in a real VS Code', () => {
  let api: NetPolApi;

  suiteSetup(async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('workloads.yaml'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension<NetPolApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    api = await ext.activate();
  });

  test('the view commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['netpol.showReachability', 'netpol.explainConnection', 'netpol.explainWorkload', 'netpol.createDefaultDeny']) assert.ok(all.includes(c), `${c} is registered`);
  });

  test('NetPol: Show Reachability opens its webview with the workspace\'s connections', async () => {
    const summary = await vscode.commands.executeCommand<ReachabilitySummary | undefined>('netpol.showReachability', {});
    const tab = await waitForWebviewTab((l) => l === REACHABILITY_TITLE, `a "${REACHABILITY_TITLE}" webview tab`);
    assert.equal(tab.isActive, true);
    assert.ok(summary, 'the command returns what it shows');
    assert.equal(summary.error, undefined, `the server answered netpol/reachability (${summary.error})`);
    assert.ok(summary.endpoints > 0, `endpoints: ${summary.endpoints}`);
    assert.ok(summary.connections > 0, `connections: ${summary.connections}`);
    assert.equal(summary.shown, summary.connections, 'no filter: everything shown');
  });

  test('a namespace scope and preset filters reuse the panel', async () => {
    const summary = await vscode.commands.executeCommand<ReachabilitySummary | undefined>('netpol.showReachability', { namespace: 'shop', filters: { workload: 'backend' } });
    assert.ok(summary);
    assert.equal(summary.error, undefined, summary.error);
    assert.equal(summary.title, `${REACHABILITY_TITLE}: shop`);
    assert.deepEqual(summary.filters, { namespace: '', workload: 'backend', port: '' });
    assert.ok(summary.shown > 0 && summary.shown <= summary.connections, `${summary.shown} of ${summary.connections} shown`);
    await waitForWebviewTab((l) => l === `${REACHABILITY_TITLE}: shop`, 'the renamed reachability tab');
    assert.equal(webviewTabs().filter((t) => t.label.startsWith(REACHABILITY_TITLE)).length, 1, 'one reachability panel');
  });

  test('the panel follows edits live (netpol/analysisChanged)', async () => {
    const first = await vscode.commands.executeCommand<ReachabilitySummary | undefined>('netpol.showReachability', {});
    assert.ok(first && first.error === undefined, first?.error);
    // Edited without being shown, so that the panel stays visible (hidden panels refresh when shown).
    const doc = await vscode.workspace.openTextDocument(workspaceFile('default-deny.yaml'));
    const fewer = waitForReachability(api, (s) => s.connections < first.connections, 'fewer connections once shop also denies egress');
    await replaceAll(doc, 'policyTypes: [Ingress]', 'policyTypes: [Ingress, Egress]');
    await fewer;
    const back = waitForReachability(api, (s) => s.connections === first.connections, `${first.connections} connections again after the undo`);
    await replaceAll(doc, 'policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress]');
    await back;
  });

  test('the code lens command shows a workload\'s reachability', async () => {
    const id = 'shop/backend[Deployment]';
    const summary = await vscode.commands.executeCommand<ReachabilitySummary | undefined>('netpol.explainWorkload', { uri: workspaceFile('workloads.yaml').toString(), id, kind: 'Deployment' });
    assert.ok(summary);
    assert.equal(summary.error, undefined, summary.error);
    assert.equal(summary.filters.workload, id);
    assert.ok(summary.shown > 0, `${id} has connections (its egress is open)`);
  });

  test('NetPol: Explain Connection shows both sides in a webview', async () => {
    const client = api.client();
    assert.ok(client, 'the language client runs');
    const workloads = await client.sendRequest<WorkloadInfo[]>('netpol/workloads');
    const byName = (ns: string, name: string) => workloads.find((w) => w.namespace === ns && w.name === name);
    const frontend = byName('shop', 'frontend');
    const backend = byName('shop', 'backend');
    assert.ok(frontend && backend, `netpol/workloads lists shop/frontend and shop/backend: ${workloads.map((w) => w.id).join(', ')}`);
    const result = await vscode.commands.executeCommand<ExplainResult | undefined>('netpol.explainConnection', { from: frontend.id, to: backend.id, port: 9090, protocol: 'TCP' });
    assert.ok(result, 'netpol/explain answered');
    assert.equal(typeof result.allowed, 'boolean');
    assert.equal(result.egress.direction, 'Egress');
    assert.equal(result.egress.isolated, false, 'no egress policy in shop');
    assert.equal(result.ingress.direction, 'Ingress');
    assert.equal(result.ingress.isolated, true, 'shop denies ingress by default');
    const deny = result.ingress.policies.find((p) => p.name.includes('default-deny'));
    assert.ok(deny, `the default-deny policy is in the chain: ${result.ingress.policies.map((p) => p.name).join(', ')}`);
    assert.match(deny.location.uri, /default-deny\.yaml$/);
    await waitForWebviewTab((l) => l.startsWith(EXPLAIN_TITLE), `a "${EXPLAIN_TITLE}" webview tab`);
  });

  test('NetPol: Create Default-Deny applies the server\'s edit', async () => {
    const outcome = await vscode.commands.executeCommand<DefaultDenyOutcome | undefined>('netpol.createDefaultDeny', { namespace: 'cross', egress: true });
    assert.ok(outcome);
    assert.equal(outcome.applied, true, `the edit was applied (${outcome.reason})`);
    assert.ok(outcome.uris.length > 0);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(outcome.uris[0]));
    assert.match(doc.getText(), /kind: NetworkPolicy[\s\S]*namespace: cross[\s\S]*Egress/);
  });
});
