/**
 * Change impact (`netpol/changeImpact`): a temporary git repository with two namespaces
 * and a policy; editing the open policy to drop its ingress rule removes the flow a
 * Service routes to (breaking), reverting it gives no impact. Checked in process
 * (ChangeImpact over a WorkspaceState, baselines from the real git) and over stdio when
 * the server wires the request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChangeImpact, CHANGE_IMPACT_REQUEST, NO_IMPACT, type ChangeImpactResult } from '../../../server/src/lsp/change-impact';
import { DEFAULT_SETTINGS } from '../../../server/src/lsp/settings';
import { WorkspaceState } from '../../../server/src/lsp/workspace';
import { LspClient } from './lsp-client';

const deployment = (ns: string, app: string, port?: number) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers:
        - name: c
          image: nginx${port === undefined ? '' : `\n          ports: [{name: http, containerPort: ${port}}]`}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - {port: 80, targetPort: http}
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: client}}
      ports:
        - {protocol: TCP, port: 8080}
`;

const NO_RULE = POLICY.slice(0, POLICY.indexOf('  ingress:')) + '  ingress: []\n';

const FILES: Record<string, string> = {
  'shop/web.yaml': deployment('shop', 'web', 8080),
  'shop/service.yaml': SERVICE,
  'shop/policy.yaml': POLICY,
  'client/app.yaml': deployment('client', 'app'),
};

let dir: string;
const policyUri = () => pathToFileURL(join(dir, 'shop/policy.yaml')).toString();

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-change-impact-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'workspace');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function assertRemovedBreaking(r: ChangeImpactResult): void {
  assert.equal(r.removed, 1, JSON.stringify(r));
  assert.equal(r.added, 0);
  assert.equal(r.changed, 0);
  assert.deepEqual(r.entries, [{ kind: 'removed', src: 'client/app[Deployment]', dst: 'shop/web[Deployment]', before: 'TCP 8080', after: 'No Connections', breaking: true }]);
}

describe('in process', () => {
  test('removing the rule removes the routed flow; reverting gives no impact', () => {
    const state = new WorkspaceState();
    for (const [path, text] of Object.entries(FILES)) state.setDisk(pathToFileURL(join(dir, path)).toString(), text);
    const impact = new ChangeImpact({ state, settings: () => DEFAULT_SETTINGS });
    assert.deepEqual(impact.compute(), NO_IMPACT);
    state.setOpen(policyUri(), POLICY);
    assert.deepEqual(impact.compute(), NO_IMPACT);
    state.setOpen(policyUri(), NO_RULE);
    assertRemovedBreaking(impact.compute());
    // Same analysis: the cached answer.
    assert.equal(impact.compute(), impact.compute());
    state.setOpen(policyUri(), POLICY);
    assert.deepEqual(impact.compute(), NO_IMPACT);
  });

  test('the baseline is HEAD, not the disk', () => {
    const state = new WorkspaceState();
    // The disk already has the edit (saved, not committed): HEAD still has the rule.
    for (const [path, text] of Object.entries(FILES)) state.setDisk(pathToFileURL(join(dir, path)).toString(), path === 'shop/policy.yaml' ? NO_RULE : text);
    const impact = new ChangeImpact({ state, settings: () => DEFAULT_SETTINGS });
    state.setOpen(policyUri(), NO_RULE);
    assertRemovedBreaking(impact.compute());
  });

  test('outside git, the baseline is the disk text when opened', () => {
    const state = new WorkspaceState();
    const uri = 'file:///nonexistent-netpol/shop/policy.yaml';
    for (const [path, text] of Object.entries(FILES)) state.setDisk(`file:///nonexistent-netpol/${path}`, text);
    const impact = new ChangeImpact({ state, settings: () => DEFAULT_SETTINGS }, { gitHead: () => undefined, disk: () => POLICY });
    state.setOpen(uri, NO_RULE);
    assertRemovedBreaking(impact.compute());
    state.setOpen(uri, POLICY);
    assert.deepEqual(impact.compute(), NO_IMPACT);
  });
});

describe('over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
  });

  test('netpol/changeImpact after an edit and a revert', async (t) => {
    client.open(policyUri(), POLICY, 1);
    await client.nextNotification('netpol/analysisChanged');
    let first: ChangeImpactResult;
    try {
      first = await client.connection.sendRequest<ChangeImpactResult>(CHANGE_IMPACT_REQUEST);
    } catch (e) {
      // -32601: the server does not wire the request (yet).
      if ((e as { code?: number }).code === -32601) return t.skip('netpol/changeImpact is not wired in server.ts');
      throw e;
    }
    assert.deepEqual(first, NO_IMPACT);
    // The server answers on request (no push yet): wait for each edit's analysis, then ask.
    let analysed = client.nextNotification('netpol/analysisChanged');
    client.change(policyUri(), NO_RULE, 2);
    await analysed;
    assertRemovedBreaking(await client.connection.sendRequest<ChangeImpactResult>(CHANGE_IMPACT_REQUEST));
    analysed = client.nextNotification('netpol/analysisChanged');
    client.change(policyUri(), POLICY, 3);
    await analysed;
    assert.deepEqual(await client.connection.sendRequest<ChangeImpactResult>(CHANGE_IMPACT_REQUEST), NO_IMPACT);
  });
});
