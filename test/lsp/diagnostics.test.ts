import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lsp-client';

const URI = 'untitled:policy.yaml';
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
    ports:
    - protocol: tcp
      port: 80
`;

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

test('the server publishes validation errors with code, range, source and docs link', async () => {
  client.open(URI, POLICY);
  const diags = await client.waitForDiagnostics(URI, (d) => d.length > 0);
  assert.equal(diags.length, 1);
  const d = diags[0];
  assert.equal(d.code, 'invalid-protocol');
  assert.equal(d.source, 'netpol');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.range, { start: { line: 12, character: 16 }, end: { line: 12, character: 19 } });
  assert.match(String(d.message), /write "TCP"/);
  assert.match(d.codeDescription?.href ?? '', /docs\/rules\/invalid-protocol\.md$/);
});

test('an edit that fixes the problem clears the diagnostics; a new mistake brings one', async () => {
  client.change(URI, POLICY.replace('tcp', 'TCP'), 2);
  assert.deepEqual(await client.nextDiagnostics(URI), []);
  client.change(URI, POLICY.replace('tcp', 'TCP').replace('port: 80', 'port: 70000'), 3);
  const diags = await client.nextDiagnostics(URI);
  assert.deepEqual(diags.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['invalid-port', 13, 12]]);
});

test('broken YAML and binary junk do not take the server down', async () => {
  client.change(URI, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: [\n', 4);
  const diags = await client.nextDiagnostics(URI);
  assert.deepEqual(diags.map((d) => d.code), ['yaml-syntax']);
  client.change(URI, '\u0000\u0001\u0002\uFFFD garbage \u0000', 5);
  await client.nextDiagnostics(URI);
  client.change(URI, POLICY, 6);
  const again = await client.nextDiagnostics(URI);
  assert.deepEqual(again.map((d) => d.code), ['invalid-protocol']);
});

test('rules can be turned off in the settings', async () => {
  const next = client.nextDiagnostics(URI, (d) => d.length === 0);
  client.setSettings({ rules: { 'invalid-protocol': 'off' } });
  assert.deepEqual(await next, []);
  const back = client.nextDiagnostics(URI, (d) => d.length === 1);
  client.setSettings({});
  assert.equal((await back)[0].code, 'invalid-protocol');
});
