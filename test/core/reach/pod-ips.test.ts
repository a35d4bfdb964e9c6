/**
 * Pod addresses and ipBlocks under the default CNI profile (the upstream Kubernetes
 * expectations). The cases follow the descriptions of the upstream e2e NetworkPolicy
 * tests (test/e2e/network/netpol/network_policy.go): three namespaces x, y, z with
 * pods a, b, c labelled pod=<name>, each a Pod of a ReplicaSet with its status.podIP,
 * as `kubectl get pods -A -o yaml` prints them. Written from the descriptions, not
 * from upstream's code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeYaml, connMap, docs, yaml } from '../../helpers/manifests';
import { dump, IP, pods } from '../../helpers/pod-dump';
import { explainConnection, findWorkloads } from '../../../server/src/core/reach/explain';
import { hoverAt } from '../../../server/src/core/ide/hover/hover';
import { LineIndex } from '../../../server/src/core/base/span';

function egressCidrPolicy(name: string, cidr: string, except: readonly string[] = []): string {
  const ex = except.length > 0 ? `\n                except: [${except.join(', ')}]` : '';
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: ${name}, namespace: x}
    spec:
      podSelector: {matchLabels: {pod: a}}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: ${cidr}${ex}
  `;
}

/** Whether src reaches dst on TCP 80 (the e2e probes' port), by the connectivity listing. */
function reaches(text: string, src: string, dst: string, options = {}): boolean {
  const conn = connMap(text, options, { includeSelf: true }).get(`${src.replace(/^(\w+)\/(\w+)$/, '$1/$2-rs')}[ReplicaSet] => ${dst.replace(/^(\w+)\/(\w+)$/, '$1/$2-rs')}[ReplicaSet]`);
  return conn !== undefined && (conn === 'All Connections' || /TCP [^;]*\b80\b/.test(conn));
}

/** Every ordered pair of distinct pods (self-traffic is not graded upstream either). */
function truthTable(text: string, names: readonly string[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const s of names) for (const d of names) if (s !== d) out.set(`${s} -> ${d}`, reaches(text, s, d));
  return out;
}

function expectAll(names: readonly string[], allowed: (s: string, d: string) => boolean): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const s of names) for (const d of names) if (s !== d) out.set(`${s} -> ${d}`, allowed(s, d));
  return out;
}

describe('pod addresses from a cluster dump', () => {
  test('a kind: List of Pods with ReplicaSet owners and status loads without notes: one workload per owner, with its addresses', () => {
    const a = analyzeYaml(dump([...pods('x/a', 'y/b'), { ns: 'y', name: 'b', ip: '10.244.3.22' }]));
    assert.deepEqual(a.model.notes, []);
    const yb = a.model.workloads.find((w) => w.namespace === 'y' && w.name === 'b-rs');
    assert.equal(yb?.kind, 'ReplicaSet');
    assert.deepEqual(yb?.pods.map((p) => p.ips), [['10.244.3.21'], ['10.244.3.22']]);
  });

  test('podIPs of a dual-stack pod are all its addresses; IPv6 text is read canonically', () => {
    const a = analyzeYaml(dump([{ ns: 'x', name: 'a', ips: ['10.244.1.10', 'fd00:10:244:1:0:0:0:a'] }]));
    assert.deepEqual(a.model.workloads[0].pods[0].ips, ['10.244.1.10', 'fd00:10:244:1::a']);
  });

  test('a hostNetwork pod has its node address (status.hostIP); a pod-network pod does not take hostIP', () => {
    const a = analyzeYaml(dump([{ ns: 'x', name: 'a', hostNetwork: true, hostIP: '192.168.0.5' }, { ns: 'x', name: 'b', ip: '10.244.1.11', hostIP: '192.168.0.6' }]));
    const byName = new Map(a.model.workloads.map((w) => [w.name, w.pods[0].ips]));
    assert.deepEqual(byName.get('a-rs'), ['192.168.0.5']);
    assert.deepEqual(byName.get('b-rs'), ['10.244.1.11']);
  });
});

describe('ipBlocks over pod addresses (default profile: the upstream e2e expectations)', () => {
  test('should allow egress access to server in CIDR block: x/a reaches only y/b, whose IP/32 its egress names', () => {
    const names = ['x/a', 'y/a', 'y/b'];
    const text = docs(dump(pods(...names)), egressCidrPolicy('allow-client-a-via-cidr-egress-rule', `${IP['y/b']}/32`));
    assert.deepEqual(truthTable(text, names), expectAll(names, (s, d) => s !== 'x/a' || d === 'y/b'));
  });

  test('should enforce except clause while egress access to server in CIDR block: the excepted pod is cut out, its neighbours stay', () => {
    const names = ['x/a', 'x/b', 'x/c'];
    const text = docs(dump(pods(...names)), egressCidrPolicy('allow-client-a-via-cidr-egress-rule', '10.240.0.0/12', [`${IP['x/b']}/32`]));
    assert.deepEqual(truthTable(text, names), expectAll(names, (s, d) => !(s === 'x/a' && d === 'x/b')));
  });

  test('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed: a second policy naming the excepted IP admits it', () => {
    const names = ['x/a', 'x/b', 'x/c'];
    const first = egressCidrPolicy('allow-client-a-via-cidr-egress-rule', '10.240.0.0/12', [`${IP['x/b']}/32`]);
    const second = egressCidrPolicy('allow-client-a-to-b', `${IP['x/b']}/32`);
    assert.deepEqual(truthTable(docs(dump(pods(...names)), first, second), names), expectAll(names, () => true));
    // Upstream then replaces the first policy by the second (same name): x/a reaches x/b only.
    const replaced = egressCidrPolicy('allow-client-a-via-cidr-egress-rule', `${IP['x/b']}/32`);
    assert.deepEqual(truthTable(docs(dump(pods(...names)), replaced), names), expectAll(names, (s, d) => s !== 'x/a' || d === 'x/b'));
  });

  test('an ingress ipBlock holding a source pod\'s address admits it (the API defines ipBlocks by address, both directions)', () => {
    const names = ['x/a', 'x/b', 'y/a'];
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-from-y-a-by-ip, namespace: x}
      spec:
        podSelector: {matchLabels: {pod: a}}
        ingress:
          - from: [{ipBlock: {cidr: ${IP['y/a']}/32}}]
            ports: [{port: 80}]
    `;
    assert.deepEqual(truthTable(docs(dump(pods(...names)), policy), names), expectAll(names, (s, d) => d !== 'x/a' || s === 'y/a'));
  });

  test('pods without a known address keep the selector-only behaviour: an ipBlock over the whole pod network admits none of them', () => {
    const text = docs(
      dump([{ ns: 'x', name: 'a', ip: IP['x/a'] }, { ns: 'y', name: 'a' }]),
      egressCidrPolicy('to-pod-network', '10.244.0.0/16'),
    );
    assert.equal(reaches(text, 'x/a', 'y/a'), false);
  });

  test('a hostNetwork pod is reached at its node address (--host-network node: its traffic is the node\'s)', () => {
    const text = docs(
      dump([{ ns: 'x', name: 'a', ip: IP['x/a'] }, { ns: 'y', name: 'a', hostNetwork: true, hostIP: '192.168.0.5', ip: '192.168.0.5' }, { ns: 'y', name: 'b', ip: IP['y/b'] }]),
      egressCidrPolicy('to-nodes', '192.168.0.0/24'),
    );
    assert.equal(reaches(text, 'x/a', 'y/a'), true);
    assert.equal(reaches(text, 'x/a', 'y/b'), false);
  });

  test('an ingress ipBlock over the node address admits a hostNetwork pod\'s traffic (and selectors do not match it)', () => {
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: from-nodes, namespace: x}
      spec:
        podSelector: {matchLabels: {pod: a}}
        ingress:
          - from: [{ipBlock: {cidr: 192.168.0.0/24}}]
    `;
    const text = docs(dump([{ ns: 'x', name: 'a', ip: IP['x/a'] }, { ns: 'y', name: 'a', hostNetwork: true, hostIP: '192.168.0.5' }, { ns: 'y', name: 'b', ip: IP['y/b'] }]), policy);
    assert.equal(reaches(text, 'y/a', 'x/a'), true);
    assert.equal(reaches(text, 'y/b', 'x/a'), false);
  });

  test('IPv6 ipBlocks match the IPv6 address of a dual-stack pod', () => {
    const text = docs(
      dump([{ ns: 'x', name: 'a', ips: ['10.244.1.10', 'fd00::a'] }, { ns: 'y', name: 'b', ips: ['10.244.3.21', 'fd00::b'] }, { ns: 'y', name: 'a', ips: ['10.244.2.20', 'fd00::c'] }]),
      egressCidrPolicy('to-b-v6', 'fd00::b/128'),
    );
    assert.equal(reaches(text, 'x/a', 'y/b'), true);
    assert.equal(reaches(text, 'x/a', 'y/a'), false);
  });

  test('explain names the ipBlock rule that admits a pod by its address', () => {
    const a = analyzeYaml(docs(dump(pods('x/a', 'y/a', 'y/b')), egressCidrPolicy('allow-client-a-via-cidr-egress-rule', `${IP['y/b']}/32`)));
    const wl = (ref: string) => ({ type: 'workload' as const, index: findWorkloads(a.model.workloads, ref, 'default')[0] });
    const yes = explainConnection(a.reach, wl('x/a-rs'), wl('y/b-rs'), { port: 80, protocol: 'TCP' });
    assert.equal(yes.verdict, true);
    assert.deepEqual(yes.egress.policies.map((p) => [p.policy.name, p.matchingRules.map((r) => r.rule.index)]), [['allow-client-a-via-cidr-egress-rule', [0]]]);
    const no = explainConnection(a.reach, wl('x/a-rs'), wl('y/a-rs'), { port: 80, protocol: 'TCP' });
    assert.equal(no.verdict, false);
    assert.deepEqual(no.egress.policies.map((p) => p.matchingRules.length), [0]);
  });

  test('the hover of an ipBlock lists the workloads whose pods it holds by address, as the verdicts use them', () => {
    const text = docs(dump(pods('x/a', 'y/a', 'y/b')), egressCidrPolicy('allow-client-a-via-cidr-egress-rule', `${IP['y/b']}/32`));
    const a = analyzeYaml(text);
    const at = text.indexOf('cidr: 10.244.3.21');
    const r = hoverAt({ analysis: a, file: 'manifests.yaml', text, offset: at, locate: (sp) => ({ uri: sp.file, line: new LineIndex(text).positionAt(sp.start).line }) });
    assert.match(r?.markdown ?? '', /Matches pods by their address \(status\.podIP; a hostNetwork pod's node address\), under the upstream Kubernetes expectations:\n\n- `y\/b-rs\[ReplicaSet\]`$/);
  });
});
