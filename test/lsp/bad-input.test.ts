/**
 * Hostile and half-typed input over LSP: the server must stay up, answer the next
 * edit, and report clear diagnostics or nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lsp-client';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: backend}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions:
        - {key: team, operator: In, values: [shop]}
      podSelector:
        matchLabels:
          app: frontend
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.1.0.0/16]
    ports:
    - {protocol: TCP, port: 8080, endPort: 8090}
    - port: http
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
`;

let client: LspClient;
let version = 1;
const URI = 'untitled:bad-input.yaml';

before(async () => {
  client = await LspClient.start();
  client.open(URI, '', version);
  await client.diagnosticsForVersion(URI, version);
});
after(async () => {
  await client.stop();
});

async function edit(text: string) {
  version++;
  const result = client.diagnosticsForVersion(URI, version);
  client.change(URI, text, version);
  return result;
}

test('half-typed policy at every cut point: a publication for each, the server stays up', async () => {
  let withErrors = 0;
  for (let i = 0; i <= POLICY.length; i++) {
    const diags = await edit(POLICY.slice(0, i));
    for (const d of diags) {
      assert.equal(d.source, 'netpol');
      assert.ok(typeof d.code === 'string' && d.code.length > 0);
    }
    if (diags.length > 0) withErrors++;
  }
  assert.ok(client.alive);
  assert.ok(withErrors > 0, 'some cut points are broken YAML and say so');
  assert.deepEqual(await edit(POLICY), [], 'the complete policy is clean');
});

test('a Helm template gets one info diagnostic saying it is not analysed, not "broken YAML"', async () => {
  const helm = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ include "app.fullname" . }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  podSelector:\n    matchLabels:\n      {{- include "app.selectorLabels" . | nindent 6 }}\n`;
  const diags = await edit(helm);
  assert.deepEqual(diags.map((d) => [d.code, d.severity, d.range.start.line, d.range.end.line]), [['helm-template-skipped', 3, 0, 0]]);
  assert.match(String(diags[0].message), /Helm template/);
});

test('non-Kubernetes YAML and binary junk get nothing', async () => {
  assert.deepEqual(await edit('name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n'), []);
  assert.deepEqual(await edit('\u0000\u0001\u0002PK\u0003\u0004\uFFFD\uFFFD binary \u0000'), []);
});

test('an alias bomb is answered quickly and does not hang the server', async () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  labels: *a11\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
  const t0 = Date.now();
  await edit(bomb);
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  assert.deepEqual(await edit(POLICY.replace('TCP', 'tcp')).then((d) => d.map((x) => x.code)), ['invalid-protocol']);
});

test('a 20 MB file is not parsed: one clear warning, and the next edit is answered', async () => {
  const doc = POLICY.replace('allow-frontend', 'p');
  const big = `# generated\n${Array.from({ length: Math.ceil((20 * 1048576) / doc.length) }, () => doc).join('---\n')}`;
  assert.ok(big.length > 20 * 1048576);
  const t0 = Date.now();
  const diags = await edit(big);
  assert.deepEqual(diags.map((d) => [d.code, d.severity, d.range.start.line]), [['file-too-large', 2, 0]]);
  assert.match(String(diags[0].message), /20\.\d MB, over the analysis limit of 4\.0 MB/);
  assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  assert.deepEqual(await edit(POLICY), []);
  assert.ok(client.alive);
});
