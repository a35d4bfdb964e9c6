/**
 * One test per fact of each CNI profile (k8s/cni.ts; docs/semantics.md, "CNI profiles"):
 * ipBlocks over pod addresses per direction, over node addresses (hostNetwork pods),
 * endPort, SCTP. Profiles without a sourced fact must say what the default says.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeYaml, connMap, docs, yaml } from '../../helpers/manifests';
import { hoverAt } from '../../../server/src/core/ide/hover/hover';
import { LineIndex } from '../../../server/src/core/base/span';
import { dump, IP, pods, type PodSpec } from '../../helpers/pod-dump';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../../helpers/paths';
import { allCniProfiles, CNI_NAMES, cniProfile, DEFAULT_CNI, type CniName } from '../../../server/src/core/k8s/cni';

function conn(text: string, cni: CniName, src: string, dst: string): string | undefined {
  const name = (ref: string) => `${ref}-rs[ReplicaSet]`;
  return connMap(text, { cni }, { includeSelf: true }).get(`${name(src)} => ${name(dst)}`);
}

function policy(direction: 'ingress' | 'egress', peers: string, ports = ''): string {
  const key = direction === 'ingress' ? 'from' : 'to';
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a-${direction}, namespace: x}
    spec:
      podSelector: {matchLabels: {pod: a}}
      policyTypes: [${direction === 'ingress' ? 'Ingress' : 'Egress'}]
      ${direction}:
        - ${key}: ${peers}${ports ? `\n          ports: ${ports}` : ''}
  `;
}

const EGRESS_TO_YB = docs(dump(pods('x/a', 'y/b')), policy('egress', `[{ipBlock: {cidr: ${IP['y/b']}/32}}]`));
const INGRESS_FROM_YB = docs(dump(pods('x/a', 'y/b')), policy('ingress', `[{ipBlock: {cidr: ${IP['y/b']}/32}}]`));
const NODE: PodSpec = { ns: 'y', name: 'b', hostNetwork: true, hostIP: '192.168.0.5', ip: '192.168.0.5' };
const EGRESS_TO_NODE = docs(dump([{ ns: 'x', name: 'a', ip: IP['x/a'] }, NODE]), policy('egress', '[{ipBlock: {cidr: 192.168.0.0/24}}]'));
const INGRESS_FROM_NODE = docs(dump([{ ns: 'x', name: 'a', ip: IP['x/a'] }, NODE]), policy('ingress', '[{ipBlock: {cidr: 192.168.0.0/24}}]'));
const RANGE = docs(
  dump([{ ns: 'x', name: 'a', ip: IP['x/a'] }, { ns: 'y', name: 'b', ip: IP['y/b'], ports: [{ containerPort: 8000 }, { containerPort: 8100 }] }]),
  policy('egress', '[{namespaceSelector: {}}]', '[{port: 8000, endPort: 8100}]'),
);
const SCTP = docs(
  dump([{ ns: 'x', name: 'a', ip: IP['x/a'], ports: [{ containerPort: 9000, protocol: 'SCTP' }] }, { ns: 'y', name: 'b', ip: IP['y/b'] }]),
  policy('ingress', '[{namespaceSelector: {}}]', '[{port: 9000, protocol: SCTP}]'),
);

describe('CNI profiles: each fact as the verdicts use it', () => {
  test('default: ipBlocks match pod addresses in both directions and node addresses; endPort ranges; SCTP', () => {
    assert.equal(conn(EGRESS_TO_YB, 'default', 'x/a', 'y/b'), 'All Connections');
    assert.equal(conn(INGRESS_FROM_YB, 'default', 'y/b', 'x/a'), 'All Connections');
    assert.equal(conn(EGRESS_TO_NODE, 'default', 'x/a', 'y/b'), 'All Connections');
    assert.equal(conn(INGRESS_FROM_NODE, 'default', 'y/b', 'x/a'), 'All Connections');
    assert.equal(conn(RANGE, 'default', 'x/a', 'y/b'), 'TCP 8000-8100');
    assert.equal(conn(SCTP, 'default', 'y/b', 'x/a'), 'SCTP 9000');
  });

  test('cilium: an ipBlock matches neither pod addresses (egress, ingress) nor node addresses', () => {
    assert.equal(conn(EGRESS_TO_YB, 'cilium', 'x/a', 'y/b'), undefined);
    assert.equal(conn(INGRESS_FROM_YB, 'cilium', 'y/b', 'x/a'), undefined);
    assert.equal(conn(EGRESS_TO_NODE, 'cilium', 'x/a', 'y/b'), undefined);
    assert.equal(conn(INGRESS_FROM_NODE, 'cilium', 'y/b', 'x/a'), undefined);
  });

  test('cilium: endPort ranges (1.16+); SCTP ports allow nothing, and the pod stays isolated', () => {
    assert.equal(conn(RANGE, 'cilium', 'x/a', 'y/b'), 'TCP 8000-8100');
    assert.equal(conn(SCTP, 'cilium', 'y/b', 'x/a'), undefined);
    assert.equal(conn(SCTP, 'cilium', 'x/a', 'y/b'), 'All Connections', 'the egress side is not isolated');
  });

  test('cilium-1.15: endPort is ignored, the rule covers its port alone', () => {
    assert.equal(conn(RANGE, 'cilium-1.15', 'x/a', 'y/b'), 'TCP 8000');
    assert.equal(conn(EGRESS_TO_YB, 'cilium-1.15', 'x/a', 'y/b'), undefined);
  });

  test('kube-router: SCTP ports allow nothing; ipBlocks and endPort as the default', () => {
    assert.equal(conn(SCTP, 'kube-router', 'y/b', 'x/a'), undefined);
    assert.equal(conn(RANGE, 'kube-router', 'x/a', 'y/b'), 'TCP 8000-8100');
    assert.equal(conn(EGRESS_TO_YB, 'kube-router', 'x/a', 'y/b'), 'All Connections');
  });

  test('profiles without a sourced difference hold the default facts (calico, gke-dataplane-v2, ovn-kubernetes, antrea, aws-vpc-cni)', () => {
    const facts = (name: CniName) => {
      const { ipBlockOnPods, ipBlockOnNodes, endPort, sctp } = cniProfile(name);
      return { ipBlockOnPods, ipBlockOnNodes, endPort, sctp };
    };
    for (const name of ['calico', 'gke-dataplane-v2', 'ovn-kubernetes', 'antrea', 'aws-vpc-cni'] as const) assert.deepEqual(facts(name), facts('default'), name);
    for (const name of ['calico', 'ovn-kubernetes', 'antrea', 'aws-vpc-cni', 'gke-dataplane-v2'] as const) assert.equal(conn(EGRESS_TO_YB, name, 'x/a', 'y/b'), 'All Connections', name);
  });

  test('every profile name resolves to its own profile; an unknown name is the default', () => {
    assert.deepEqual(allCniProfiles().map((p) => p.name), [...CNI_NAMES]);
    for (const name of CNI_NAMES) assert.equal(cniProfile(name).name, name);
    assert.equal(cniProfile(undefined), DEFAULT_CNI);
  });

  test('docs/semantics.md has one row per profile in its CNI table', () => {
    const doc = readFileSync(resolve(ROOT, 'docs/semantics.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z0-9.-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(rows, [...CNI_NAMES]);
  });

  test('the hover says what the profile does: an ipBlock over pods Cilium does not match, an endPort it ignores, SCTP it lacks', () => {
    const hover = (text: string, cni: CniName, needle: string) => {
      const a = analyzeYaml(text, { cni });
      return hoverAt({ analysis: a, file: 'manifests.yaml', text, offset: text.indexOf(needle), locate: (sp) => ({ uri: sp.file, line: new LineIndex(text).positionAt(sp.start).line }) })?.markdown ?? '';
    };
    assert.match(hover(EGRESS_TO_YB, 'cilium', 'cidr: 10.244.3.21'), /Holds the address of pods that Cilium does not match by ipBlock in egress rules:\n\n- `y\/b-rs\[ReplicaSet\]`$/);
    assert.match(hover(EGRESS_TO_YB, 'default', 'cidr: 10.244.3.21'), /Matches pods by their address/);
    const range = hover(RANGE, 'cilium-1.15', 'port: 8000');
    assert.match(range, /Cilium 1\.15 and earlier \(the cilium-1\.15 profile\) ignores endPort: this entry covers TCP 8000 only\./);
    assert.match(range, /- `y\/b-rs\[ReplicaSet\]`: TCP 8000/);
    assert.doesNotMatch(range, /8000-8100: /);
    assert.match(hover(SCTP, 'kube-router', 'port: 9000'), /kube-router \(the kube-router profile\) does not support SCTP in NetworkPolicies: this entry allows nothing\./);
  });
});
