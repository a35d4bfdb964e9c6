/**
 * The custom requests of the reachability views over LSP (the real server over stdio):
 * `netpol/reachability` (the connectivity list of `netpol reach --format json`, with
 * endpoints), `netpol/explain` (`netpol explain --format json` with URI + 0-based line
 * locations), `netpol/workloads`, `netpol/namespaces`, `netpol/defaultDenyEdit`, and the
 * `netpol/analysisChanged` notification after each analysis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { WORKSPACE } from '../core/ide/hover/fixture';
import { LspClient } from './lsp-client';
import { netpol, uriOf, writeWorkspace } from './reach-fixture';

let dir: string;
let client: LspClient;

before(async () => {
  dir = writeWorkspace('netpol-lsp-requests-');
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

const request = <T>(method: string, params?: unknown): Promise<T> => client.connection.sendRequest<T>(method, params);

/** The error a request fails with. */
async function failure(method: string, params: unknown): Promise<{ code: number; message: string }> {
  try {
    await request(method, params);
  } catch (e) {
    const err = e as { code: number; message: string };
    return { code: err.code, message: err.message };
  }
  assert.fail(`${method} succeeded`);
}

/** The CLI's `path:line` (1-based) as the server's location (URI, 0-based line). */
function cliLocation(location: string): { uri: string; line: number } {
  const at = location.lastIndexOf(':');
  return { uri: pathToFileURL(location.slice(0, at)).toString(), line: Number(location.slice(at + 1)) - 1 };
}

interface Side {
  policies: { location: string | { uri: string; line: number }; rules: { location: string | { uri: string; line: number } }[] }[];
}

/** `netpol explain … --format json`, locations converted to the server's. */
function cliExplain(...args: string[]): Record<string, unknown> {
  const json = JSON.parse(netpol('explain', dir, ...args, '--format', 'json')) as Record<string, unknown> & { egress: Side; ingress: Side };
  for (const side of [json.egress, json.ingress]) {
    for (const p of side.policies) {
      p.location = cliLocation(p.location as string);
      for (const r of p.rules) r.location = cliLocation(r.location as string);
    }
  }
  return json;
}

describe('netpol/reachability', () => {
  test("connections are `netpol reach --format json`'s rows; endpoints are every workload plus the other ends", async () => {
    const result = await request<{ endpoints: { id: string }[]; connections: unknown[] }>('netpol/reachability', {});
    assert.deepEqual(result.connections, JSON.parse(netpol('reach', dir, '--format', 'json')));
    assert.deepEqual(
      result.endpoints.map((e) => e.id),
      [
        '0.0.0.0-255.255.255.255[External]',
        '0.0.0.0-9.255.255.255[External]',
        '10.0.0.0-10.0.255.255[External]',
        '10.1.0.0-10.1.255.255[External]',
        '10.2.0.0-10.255.255.255[External]',
        '11.0.0.0-255.255.255.255[External]',
        'kube-system/coredns[Deployment]',
        'monitoring/prometheus[Deployment]',
        'shop/backend[Deployment]',
        'shop/db[StatefulSet]',
        'shop/frontend[Deployment]',
        '{ingress-controller}',
      ],
    );
    const byId = new Map(result.endpoints.map((e) => [e.id, e]));
    assert.deepEqual(byId.get('shop/db[StatefulSet]'), {
      id: 'shop/db[StatefulSet]',
      label: 'db[StatefulSet]',
      namespace: 'shop',
      kind: 'workload',
      location: { uri: uriOf(dir, 'shop/backend.yaml'), line: 18 },
    });
    assert.deepEqual(byId.get('10.1.0.0-10.1.255.255[External]'), { id: '10.1.0.0-10.1.255.255[External]', label: '10.1.0.0-10.1.255.255', kind: 'ip' });
    assert.deepEqual(byId.get('{ingress-controller}'), { id: '{ingress-controller}', label: 'ingress controller', kind: 'ingress-controller' });
    assert.deepEqual(await request('netpol/reachability'), result, 'no params: the whole workspace');
  });

  test('with a namespace: only connections from or to its workloads', async () => {
    const result = await request<{ endpoints: { id: string }[]; connections: { src: string; dst: string; conn: string }[] }>('netpol/reachability', { namespace: 'kube-system' });
    assert.deepEqual(result.connections, [
      { src: '0.0.0.0-255.255.255.255[External]', dst: 'kube-system/coredns[Deployment]', conn: 'All Connections' },
      { src: 'kube-system/coredns[Deployment]', dst: '0.0.0.0-9.255.255.255[External]', conn: 'All Connections' },
      { src: 'kube-system/coredns[Deployment]', dst: '10.0.0.0-10.0.255.255[External]', conn: 'All Connections' },
      { src: 'kube-system/coredns[Deployment]', dst: '10.1.0.0-10.1.255.255[External]', conn: 'All Connections' },
      { src: 'kube-system/coredns[Deployment]', dst: '10.2.0.0-10.255.255.255[External]', conn: 'All Connections' },
      { src: 'kube-system/coredns[Deployment]', dst: '11.0.0.0-255.255.255.255[External]', conn: 'All Connections' },
      { src: 'kube-system/coredns[Deployment]', dst: 'monitoring/prometheus[Deployment]', conn: 'All Connections' },
      { src: 'monitoring/prometheus[Deployment]', dst: 'kube-system/coredns[Deployment]', conn: 'All Connections' },
      { src: 'shop/backend[Deployment]', dst: 'kube-system/coredns[Deployment]', conn: 'UDP 53' },
      { src: 'shop/frontend[Deployment]', dst: 'kube-system/coredns[Deployment]', conn: 'All Connections' },
    ]);
    assert.deepEqual(
      result.endpoints.map((e) => e.id),
      [
        '0.0.0.0-255.255.255.255[External]',
        '0.0.0.0-9.255.255.255[External]',
        '10.0.0.0-10.0.255.255[External]',
        '10.1.0.0-10.1.255.255[External]',
        '10.2.0.0-10.255.255.255[External]',
        '11.0.0.0-255.255.255.255[External]',
        'kube-system/coredns[Deployment]',
        'monitoring/prometheus[Deployment]',
        'shop/backend[Deployment]',
        'shop/frontend[Deployment]',
      ],
    );
    assert.deepEqual(await request('netpol/reachability', { namespace: 'nope' }), { endpoints: [], connections: [] });
  });
});

describe('netpol/explain', () => {
  test("`netpol explain --format json`'s answer, with URI + 0-based line locations", async () => {
    const answer = await request<Record<string, unknown>>('netpol/explain', { from: 'shop/frontend', to: 'shop/backend' });
    assert.deepEqual(answer, cliExplain('--from', 'shop/frontend', '--to', 'shop/backend'));
    assert.deepEqual(answer.ingress, {
      direction: 'Ingress',
      external: false,
      isolated: true,
      allowed: 'TCP 9090,9102',
      policies: [
        { name: 'shop/default-deny', location: { uri: uriOf(dir, 'shop/policies.yaml'), line: 0 }, rules: [] },
        {
          name: 'shop/backend-allow',
          location: { uri: uriOf(dir, 'shop/policies.yaml'), line: 24 },
          rules: [{ index: 0, location: { uri: uriOf(dir, 'shop/policies.yaml'), line: 33 }, allows: 'TCP 9090,9102' }],
        },
      ],
    });
  });

  test('with a port and protocol, with [Kind], and from an IP address', async () => {
    const denied = await request<Record<string, unknown>>('netpol/explain', { from: 'shop/backend', to: 'shop/db[StatefulSet]', port: 80, protocol: 'TCP' });
    assert.deepEqual(denied, cliExplain('--from', 'shop/backend', '--to', 'shop/db[StatefulSet]', '--port', '80', '--protocol', 'TCP'));
    assert.equal(denied.allowed, false);
    assert.equal(denied.connections, 'TCP 5432');
    const dns = await request<Record<string, unknown>>('netpol/explain', { from: 'shop/backend', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
    assert.equal(dns.allowed, true);
    const outside = await request<Record<string, unknown>>('netpol/explain', { from: '10.1.2.3', to: 'monitoring/prometheus' });
    assert.deepEqual(outside, cliExplain('--from', '10.1.2.3', '--to', 'monitoring/prometheus'));
    assert.equal(outside.from, '10.1.2.3[External]');
  });

  test('an unknown or ambiguous workload, or bad params: an InvalidParams error with a clear message', async () => {
    assert.deepEqual(await failure('netpol/explain', { from: 'shop/nope', to: 'shop/backend' }), {
      code: -32602,
      message: 'from shop/nope: no such workload (known: kube-system/coredns, monitoring/prometheus, shop/backend, shop/db, shop/frontend)',
    });
    assert.deepEqual(await failure('netpol/explain', { from: 'shop/backend', to: '10.0.0.1', port: 0 }), { code: -32602, message: 'port 0: must be an integer from 1 to 65535' });
    assert.deepEqual(await failure('netpol/explain', { from: '10.0.0.1', to: '10.0.0.2' }), { code: -32602, message: 'at least one side must be a workload' });
    assert.deepEqual(await failure('netpol/explain', { from: 'shop/backend', to: 'shop/db', port: 80, protocol: 'ICMP' }), { code: -32602, message: 'protocol ICMP: must be one of TCP, UDP, SCTP' });
    assert.equal((await failure('netpol/explain', {})).code, -32602);
  });
});

describe('netpol/workloads and netpol/namespaces', () => {
  test('every workload with its endpoint id and location; every namespace', async () => {
    assert.deepEqual(await request('netpol/workloads'), [
      { id: 'kube-system/coredns[Deployment]', kind: 'Deployment', namespace: 'kube-system', name: 'coredns', location: { uri: uriOf(dir, 'kube-system/coredns.yaml'), line: 0 } },
      { id: 'monitoring/prometheus[Deployment]', kind: 'Deployment', namespace: 'monitoring', name: 'prometheus', location: { uri: uriOf(dir, 'monitoring/prometheus.yaml'), line: 0 } },
      { id: 'shop/backend[Deployment]', kind: 'Deployment', namespace: 'shop', name: 'backend', location: { uri: uriOf(dir, 'shop/backend.yaml'), line: 0 } },
      { id: 'shop/db[StatefulSet]', kind: 'StatefulSet', namespace: 'shop', name: 'db', location: { uri: uriOf(dir, 'shop/backend.yaml'), line: 18 } },
      { id: 'shop/frontend[Deployment]', kind: 'Deployment', namespace: 'shop', name: 'frontend', location: { uri: uriOf(dir, 'shop/frontend.yaml'), line: 0 } },
    ]);
    assert.deepEqual(await request('netpol/namespaces'), ['kube-system', 'monitoring', 'shop']);
  });
});

describe('netpol/defaultDenyEdit', () => {
  const end = (text: string) => {
    const lines = text.split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  const only = (edit: WorkspaceEdit): [string, TextEdit[]] => {
    const entries = Object.entries(edit.changes ?? {});
    assert.equal(entries.length, 1, JSON.stringify(edit));
    return entries[0];
  };

  test("appends a default-deny ingress policy to the file of the namespace's Namespace object", async () => {
    const [uri, edits] = only(await request<WorkspaceEdit>('netpol/defaultDenyEdit', { namespace: 'monitoring' }));
    assert.equal(uri, uriOf(dir, 'namespaces.yaml'));
    const at = end(WORKSPACE['namespaces.yaml']);
    assert.deepEqual(edits, [
      {
        range: { start: at, end: at },
        newText: '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: monitoring\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n',
      },
    ]);
  });

  test('an undeclared namespace: the file of its first workload; with egress: an allow-dns policy too', async () => {
    const [uri, edits] = only(await request<WorkspaceEdit>('netpol/defaultDenyEdit', { namespace: 'kube-system', egress: true }));
    assert.equal(uri, uriOf(dir, 'kube-system/coredns.yaml'));
    assert.equal(edits.length, 1);
    assert.equal(
      edits[0].newText,
      '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: kube-system\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n' +
        '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-dns\n  namespace: kube-system\nspec:\n  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels: {kubernetes.io/metadata.name: kube-system}\n          podSelector:\n            matchLabels: {k8s-app: kube-dns}\n      ports:\n        - {port: 53, protocol: UDP}\n        - {port: 53, protocol: TCP}\n',
    );
  });

  test('a namespace that has its default deny, or that does not exist: an error', async () => {
    assert.deepEqual(await failure('netpol/defaultDenyEdit', { namespace: 'shop' }), { code: -32602, message: 'namespace shop already has a default-deny ingress NetworkPolicy' });
    const [uri, edits] = only(await request<WorkspaceEdit>('netpol/defaultDenyEdit', { namespace: 'shop', egress: true }));
    assert.equal(uri, uriOf(dir, 'namespaces.yaml'));
    assert.match(edits[0].newText, /^---\napiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\nmetadata:\n {2}name: default-deny-egress\n {2}namespace: shop\n/);
    assert.deepEqual(await failure('netpol/defaultDenyEdit', { namespace: 'nope' }), { code: -32602, message: 'no namespace nope in the workspace' });
  });
});

describe('netpol/analysisChanged', () => {
  test('notified after the analysis of an edit, and the requests answer for the edited workspace', async () => {
    const uri = pathToFileURL(join(dir, 'shop/extra.yaml')).toString();
    const changed = client.nextNotification('netpol/analysisChanged');
    client.open(uri, WORKSPACE['monitoring/prometheus.yaml'].replace(/prometheus/g, 'grafana').replace('monitoring', 'shop'), 1);
    assert.equal(await changed, null);
    assert.ok((await request<string[]>('netpol/namespaces')).includes('shop'));
    assert.ok((await request<{ id: string }[]>('netpol/workloads')).some((w) => w.id === 'shop/grafana[Deployment]'));
    const closed = client.nextNotification('netpol/analysisChanged');
    client.close(uri);
    await closed;
    assert.ok(!(await request<{ id: string }[]>('netpol/workloads')).some((w) => w.id === 'shop/grafana[Deployment]'));
  });
});
