/**
 * The whole workspace over LSP: files on disk are analysed with the open buffers, a
 * change on disk (workspace/didChangeWatchedFiles) changes the diagnostics of an open
 * file, the open buffer wins over the disk, and settings change what is reported.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lsp-client';

const workloads = (app: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-from-itself
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
    ports:
    - port: http
`;

let dir: string;
let client: LspClient;
let policyUri: string;
let workloadsPath: string;
const codes = (d: { code?: unknown }[]) => d.map((x) => String(x.code)).sort();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-ws-'));
  workloadsPath = join(dir, 'workloads.yaml');
  writeFileSync(workloadsPath, workloads('api'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'ci.yaml'), 'stages: [build]\n');
  policyUri = pathToFileURL(join(dir, 'policy.yaml')).toString();
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('files on disk are part of the analysis: the open policy is clean against them', async () => {
  client.open(policyUri, POLICY, 1);
  assert.deepEqual(codes(await client.diagnosticsForVersion(policyUri, 1)), []);
});

test('a change on disk in another file changes the open file\'s diagnostics', async () => {
  // The Deployment's label changes: the policy's selectors now match nothing, and its
  // named port no longer resolves on a selected pod.
  const next = client.nextDiagnostics(policyUri, (d) => d.length > 0);
  writeFileSync(workloadsPath, workloads('web'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(workloadsPath).toString(), type: 2 }] });
  const diags = await next;
  assert.deepEqual([...new Set(codes(diags))], ['selector-matches-nothing']);
  assert.deepEqual(diags.map((d) => d.range.start.line).sort((a, b) => a - b), [15, 19]);
  // And back.
  const clean = client.nextDiagnostics(policyUri, (d) => d.length === 0);
  writeFileSync(workloadsPath, workloads('api'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(workloadsPath).toString(), type: 2 }] });
  assert.deepEqual(await clean, []);
});

test('the open buffer of another file wins over the disk', async () => {
  const uri = pathToFileURL(workloadsPath).toString();
  const next = client.nextDiagnostics(policyUri, (d) => d.length > 0);
  client.open(uri, workloads('web'), 1);
  assert.deepEqual([...new Set(codes(await next))], ['selector-matches-nothing']);
  const clean = client.nextDiagnostics(policyUri, (d) => d.length === 0);
  client.close(uri);
  assert.deepEqual(await clean, []);
});

test('a deleted file leaves the analysis', async () => {
  const uri = pathToFileURL(workloadsPath).toString();
  rmSync(workloadsPath);
  // With the Deployment gone, namespace shop has no workloads: nothing to judge.
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
  client.change(policyUri, POLICY.replace('default-deny', 'default-deny-all'), 2);
  assert.deepEqual(codes(await client.diagnosticsForVersion(policyUri, 2)), []);
  writeFileSync(workloadsPath, workloads('api'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
});

test('a deleted folder takes its files out of the analysis (one event, for the folder, as VS Code sends it)', async () => {
  const sub = join(dir, 'more');
  mkdirSync(sub);
  const dup = join(sub, 'again.yaml');
  writeFileSync(dup, POLICY.slice(POLICY.indexOf('---') + 4)); // api-from-itself, which the open buffer still has
  const twice = client.nextDiagnostics(policyUri, (d) => d.some((x) => String(x.code) === 'duplicate-policy-name'));
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(dup).toString(), type: 1 }] });
  await twice;
  const clean = client.nextDiagnostics(policyUri, (d) => d.length === 0);
  rmSync(sub, { recursive: true });
  void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(sub).toString(), type: 3 }] });
  assert.deepEqual(await clean, []);
});

test('settings: a rule set to off disappears, a severity override applies', async () => {
  const next = client.nextDiagnostics(policyUri, (d) => d.length > 0);
  client.change(policyUri, POLICY.replace('port: http', 'port: htp'), 3);
  const before = await next;
  assert.deepEqual([...new Set(codes(before))], ['named-port-not-found']);
  assert.equal(before[0].severity, 2);
  const demoted = client.nextDiagnostics(policyUri, (d) => d.length > 0 && d[0].severity === 1);
  client.setSettings({ rules: { 'named-port-not-found': 'error' } });
  assert.equal((await demoted)[0].code, 'named-port-not-found');
  const off = client.nextDiagnostics(policyUri, (d) => d.length === 0);
  client.setSettings({ rules: { 'named-port-not-found': 'off' } });
  assert.deepEqual(await off, []);
  client.setSettings({});
});
