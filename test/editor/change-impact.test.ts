/**
 * The change impact in a real VS Code: an unsaved edit of change/policy.yaml (outside git:
 * compared with the last saved text) closes the frontend → backend flow that the backend
 * Service routes to; the status-bar item, the Change Impact view's tree and the change
 * diagnostic follow, and go away when the text is restored. Needs the server's
 * `netpol/changeImpactChanged` notification and `netpol/changeImpact` request.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NetPolApi } from '../../client/src/extension';
import type { ChangeImpactState } from '../../client/src/views/change-impact/view';
import { flowNodes, type ImpactNode } from '../../client/src/views/change-impact/model';
import { codeOf } from './wait';
import type { ExplainResult } from '../../server/src/protocol';

const EXTENSION_ID = 'netpol-studio.netpol-studio';
const POLICY_FILE = 'change/policy.yaml';
const CLOSED_FLOW = 'change/frontend[Deployment] → change/backend[Deployment]';
const POLICY = 'change/backend-from-frontend';
const ROUTED_FLOW_DIAGNOSTIC = 'change-removes-routed-flow';
/** The only rule of the policy, up to the end of the file: removing it closes the flow. */
const RULE = '  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: frontend}}\n    ports:\n    - {protocol: TCP, port: 8080}\n';
const NO_RULE = '  ingress: []\n';
const WAIT_MS = 20_000;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

/**
 * Resolves with the first value `probe` returns (checked now and on every `onChange`),
 * no polling, no sleeps; the deadline only turns a hang into a failure saying `now()`.
 */
function waitUntil<T>(onChange: vscode.Event<unknown>, probe: () => T | undefined, what: string, now: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = probe();
      if (value === undefined) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(value);
    };
    const sub = onChange(check);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; now: ${now()}`));
    }, WAIT_MS);
    check();
  });
}

function describeState(s: ChangeImpactState): string {
  const outline = (nodes: readonly ImpactNode[]): string => nodes.map((n) => (n.children.length ? `${n.label} [${outline(n.children)}]` : n.label)).join(', ');
  return `status ${JSON.stringify(s.statusText)}, files ${JSON.stringify(s.result?.files)}, tree: ${outline(s.tree) || '(empty)'}`;
}

/** Resolves with the first state the view shows that satisfies `test`; a timeout lists the states seen. */
function waitForImpact(api: NetPolApi, test: (s: ChangeImpactState) => boolean, what: string): Promise<ChangeImpactState> {
  const seen: string[] = [];
  return waitUntil(
    api.views.onDidChangeImpact,
    () => {
      const s = api.views.changeImpact();
      seen.push(describeState(s));
      return test(s) ? s : undefined;
    },
    what,
    () => seen.join('\n  then '),
  );
}

/** All diagnostics of the file, whatever their source (the change diagnostics may have their own). */
function waitForCodes(uri: vscode.Uri, test: (codes: string[]) => boolean, what: string): Promise<string[]> {
  const codes = () => vscode.languages.getDiagnostics(uri).map(codeOf);
  return waitUntil(vscode.languages.onDidChangeDiagnostics, () => (test(codes()) ? codes() : undefined), what, () => `[${codes().join(', ')}]`);
}

function rootNode(s: ChangeImpactState, label: RegExp): ImpactNode | undefined {
  return s.tree.find((n) => label.test(n.label));
}

function closedFlow(s: ChangeImpactState): ImpactNode | undefined {
  return rootNode(s, /^Closed flows \(/)?.children.find((n) => n.label === CLOSED_FLOW);
}

async function replaceAll(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
}

suite('Change impact in a real VS Code', () => {
  let api: NetPolApi;
  let doc: vscode.TextDocument;
  let saved: string;

  suiteSetup(async () => {
    // Outside git the baseline is the last saved text: an auto-save would make the edit
    // the baseline (code-server saves after a delay by default).
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
    doc = await vscode.workspace.openTextDocument(workspaceFile(POLICY_FILE));
    saved = doc.getText();
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension<NetPolApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    api = await ext.activate();
  });

  suiteTeardown(async () => {
    // Leave the throwaway workspace as it was: the other suites read this namespace.
    if (doc?.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('the command is registered and the view knows there is no pending change', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('netpol.showChangeImpact'), 'netpol.showChangeImpact is registered');
    // The client asks once the server runs: a result arrives without any edit.
    const s = await waitForImpact(api, (x) => x.result !== undefined, 'the answer to netpol/changeImpact after activation');
    assert.equal(s.statusText, undefined, 'no status-bar item without edits');
    assert.deepEqual(s.result?.files, []);
    assert.deepEqual(s.tree, [], 'an empty tree: the view shows its welcome text');
  });

  async function removeRule(): Promise<void> {
    assert.ok(saved.endsWith(RULE), `${POLICY_FILE} ends with its ingress rule`);
    await replaceAll(doc, saved.slice(0, -RULE.length) + NO_RULE);
  }

  const closesTheFlow = (s: ChangeImpactState) => s.statusText?.endsWith('\u22121 flow') === true && closedFlow(s) !== undefined;
  const CLOSES_THE_FLOW = `the status "… \u22121 flow" and ${CLOSED_FLOW} under "Closed flows"`;
  const noFlows = (s: ChangeImpactState) => s.statusText === undefined && flowNodes(s.tree).length === 0;

  test('removing the rule closes the routed flow in the status bar, the tree and the diagnostics; restoring clears them', async () => {
    await removeRule();
    const pending = await waitForImpact(api, closesTheFlow, CLOSES_THE_FLOW);
    assert.equal(pending.statusText, '$(warning) \u22121 flow', 'one closed flow, likely breaking: the warning form');
    const result = pending.result;
    assert.ok(result);
    assert.deepEqual([result.opened, result.closed, result.removed, result.breaking], [0, 1, 1, 1], describeState(pending));
    assert.ok(result.files.some((f) => f.endsWith(POLICY_FILE)), `the edited file is listed: ${result.files.join(', ')}`);
    assert.equal(result.baseline, 'last saved', 'the fixture workspace is not in git');
    assert.equal(rootNode(pending, /^Opened flows/), undefined, 'nothing opens');

    const flow = closedFlow(pending);
    assert.ok(flow);
    assert.equal(flow.breaking, true, 'the backend Service routes to TCP 8080');
    assert.equal(flow.icon, 'warning');
    assert.equal(flow.description, 'TCP 8080');
    assert.ok(flow.children.length > 0, 'the policy responsible is listed under the flow');
    assert.ok(flow.children.every((c) => c.kind === 'responsible' && c.label.length > 0));
    assert.ok(
      flow.children.some((c) => c.label.includes(POLICY) && c.location?.uri === doc.uri.toString()),
      `a child names ${POLICY} and opens ${POLICY_FILE}: ${flow.children.map((c) => `${c.label} @ ${c.location?.uri}`).join(' | ')}`,
    );
    const policy = rootNode(pending, /^Changed policies \(1\)$/)?.children[0];
    assert.ok(policy, describeState(pending));
    assert.deepEqual([policy.label, policy.description], [POLICY, 'modified · +0 \u22121']);
    assert.equal(policy.location?.uri, doc.uri.toString());

    await waitForCodes(doc.uri, (codes) => codes.includes(ROUTED_FLOW_DIAGNOSTIC), `a ${ROUTED_FLOW_DIAGNOSTIC} diagnostic while the edit is pending`);

    // The lens above the changed policy opens the view.
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
    const lens = lenses.find((l) => l.command?.command === 'netpol.showChangeImpact');
    assert.ok(lens?.command, `a change lens: ${lenses.map((l) => l.command?.title).join(' | ')}`);
    assert.match(lens.command.title, /changed vs last saved: \+0 flows · \u22121 flow/);

    // The flow's inline action explains it as it is now: closed.
    assert.deepEqual(flow.explain, { from: 'change/frontend[Deployment]', to: 'change/backend[Deployment]' });
    const explained = await vscode.commands.executeCommand<ExplainResult | undefined>('netpol.changeImpact.explainFlow', flow);
    assert.ok(explained, 'the explain panel answered');
    assert.equal(explained.allowed, false, `frontend → backend is closed now: ${explained.connections}`);

    const shown = await vscode.commands.executeCommand<ChangeImpactState>('netpol.showChangeImpact');
    assert.equal(shown.statusText, pending.statusText, 'the command reveals what the status bar shows');

    await replaceAll(doc, saved);
    const restored = await waitForImpact(api, noFlows, 'the status item hidden and no flows after restoring the text');
    assert.deepEqual(restored.tree, []);
    await waitForCodes(doc.uri, (codes) => !codes.includes(ROUTED_FLOW_DIAGNOSTIC), `no ${ROUTED_FLOW_DIAGNOSTIC} after restoring the text`);
  });

  test('a restarted server\'s impact replaces the stopped one\'s', async () => {
    await removeRule();
    await waitForImpact(api, closesTheFlow, CLOSES_THE_FLOW);
    // While the server is down the view shows nothing; once it runs again the client asks.
    let stopped = false;
    const back = waitForImpact(
      api,
      (s) => {
        stopped ||= s.result === undefined;
        return stopped && closesTheFlow(s);
      },
      `nothing while the server restarts, then ${CLOSES_THE_FLOW} again`,
    );
    await vscode.commands.executeCommand('netpol.restartServer');
    await back;
    await replaceAll(doc, saved);
    await waitForImpact(api, noFlows, 'no flows after restoring the text');
  });
});
