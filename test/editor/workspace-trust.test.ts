/**
 * Workspace trust in a real VS Code. The editor under test runs with workspace trust
 * disabled, i.e. every workspace is trusted: the client must tell the server so (the
 * server runs no git for a client that says nothing), and the change impact then compares
 * with git HEAD. A git repository made inside the workspace whose HEAD differs from the
 * saved policy shows it without any edit: against HEAD the saved text closes a flow,
 * against the last saved text nothing changed. (Restricted Mode itself, and trust granted
 * later, are covered over stdio in test/node/trust.test.ts.)
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NetPolApi } from '../../client/src/extension';
import type { ChangeImpactState } from '../../client/src/views/change-impact/view';

const EXTENSION_ID = 'netpol-studio.netpol-studio';
const WAIT_MS = 20_000;

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: trust}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: trust}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
`;
/** The workload is in the same file: a file created in a new folder may reach the server's watcher late or not at all. */
const SAVED = `${APP}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: trust}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`;
/** HEAD also admitted an address range: against HEAD the saved text closes that flow. */
const HEAD = `${SAVED}  ingress:\n  - from: [{ipBlock: {cidr: 203.0.113.0/24}}]\n`;

function waitForImpact(api: NetPolApi, test: (s: ChangeImpactState) => boolean, what: string): Promise<ChangeImpactState> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = api.views.changeImpact();
      if (!test(s)) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(s);
    };
    const sub = api.views.onDidChangeImpact(check);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; now: ${JSON.stringify(api.views.changeImpact().result)}`));
    }, WAIT_MS);
    check();
  });
}

suite('Workspace trust in a real VS Code', () => {
  let api: NetPolApi;
  let repo: string;

  suiteSetup(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the fixture workspace is open');
    repo = path.join(folder.uri.fsPath, 'trust-git');
    mkdirSync(repo, { recursive: true });
    writeFileSync(path.join(repo, 'policy.yaml'), HEAD);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'head');
    writeFileSync(path.join(repo, 'policy.yaml'), SAVED);
    const ext = vscode.extensions.getExtension<NetPolApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    api = await ext.activate();
  });

  suiteTeardown(async () => {
    // Only this suite's editor (it is not edited): other suites' untitled buffers stay as they are.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path.join(repo, 'policy.yaml'));
    if (doc) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    rmSync(repo, { recursive: true, force: true });
  });

  test('the editor trusts the workspace and says so to the server: the baseline is git HEAD', async () => {
    assert.equal(vscode.workspace.isTrusted, true, 'workspace trust is disabled in the test editor');
    const doc = await vscode.workspace.openTextDocument(path.join(repo, 'policy.yaml'));
    await vscode.window.showTextDocument(doc);
    const s = await waitForImpact(api, (x) => (x.result?.files ?? []).some((f) => f.endsWith('trust-git/policy.yaml')) && x.result?.closed === 1, 'one closed flow for trust-git/policy.yaml');
    // Against the last saved text the file would not be listed at all (it is not edited).
    assert.match(s.result?.baseline ?? '', /git HEAD/);
    assert.ok(s.result?.entries.some((e) => e.src === '203.0.113.0-203.0.113.255[External]' && e.dst === 'trust/web[Deployment]'), JSON.stringify(s.result?.entries));
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
    const lens = lenses.find((l) => l.command?.command === 'netpol.showChangeImpact');
    assert.match(lens?.command?.title ?? '', /changed vs git HEAD: \+0 flows · \u22121 flow/, lenses.map((l) => l.command?.title).join(' | '));
  });
});
