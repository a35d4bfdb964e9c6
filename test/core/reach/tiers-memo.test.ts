/**
 * The engine walks the cluster tiers once per class and set of matching rules (tiers.ts
 * TierMemo), not once per pair. Pinned here against tieredVerdict asked afresh for every
 * pair and direction, on every ANP/BANP case of the corpus (both host-network modes) and
 * on a workspace with named ports in cluster rules, pods no NetworkPolicy isolates (the
 * Baseline tier decides) and pods they do; and the connection listing's fast path
 * (forEachClassPair) against between() on every pair.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { tieredVerdict } from '../../../server/src/core/reach/tiers';
import type { Reachability } from '../../../server/src/core/reach/engine';
import type { ConnSet } from '../../../server/src/core/base/ports';
import { readManifestFiles } from '../../../server/src/node/read-files';
import { loadCorpus } from '../../corpus/corpus';
import { GENERIC_INGRESS_CONTROLLER } from '../../../server/src/core/k8s/cluster';
import type { SourceFile } from '../../../server/src/core/manifest/types';

/** What every verdict must be: tieredVerdict on the class's own lists, nothing remembered. */
function reference(reach: Reachability) {
  const t = reach.tiers;
  const classes = reach.table.classes;
  return {
    ingress: (dst: number, src: number) =>
      tieredVerdict(list(t.adminIngressOf[dst]), list(t.baselineIngressOf[dst]), 'Ingress', (r) => r.classes.has(src), classes[dst], () =>
        reach.isIngressIsolated(dst) ? reach.npIngressFromClass(dst, src) : undefined,
      ),
    egress: (src: number, dst: number) =>
      tieredVerdict(list(t.adminEgressOf[src]), list(t.baselineEgressOf[src]), 'Egress', (r) => r.classes.has(dst), classes[dst], () =>
        reach.isEgressIsolated(src) ? reach.npEgressToClass(src, dst) : undefined,
      ),
    egressRange: (src: number, i: number) => {
      const range = reach.destinationRanges[i];
      return tieredVerdict(
        list(t.adminEgressOf[src]),
        list(t.baselineEgressOf[src]),
        'Egress',
        (r) => {
          const set = r.ips.get(range.family);
          return set !== undefined && set.containsRange(range.start, range.end);
        },
        undefined,
        () => (reach.isEgressIsolated(src) ? reach.npEgressToRange(src, range) : undefined),
      );
    },
  };
}

/** Without cluster policies the lists are empty (no entry per class). */
const list = <T>(l: readonly T[] | undefined): readonly T[] => l ?? [];

const show = (c: ConnSet) => JSON.stringify([c.tcp, c.udp, c.sctp]);

/** Every pair, twice (the second time from the memo), against the reference; returns how many pairs a tier decided. */
function checkEveryPair(reach: Reachability): number {
  const ref = reference(reach);
  const n = reach.table.classes.length;
  let tiered = 0;
  for (let round = 0; round < 2; round++) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (reach.hasClusterIngress(a)) tiered++;
        assert.equal(show(reach.ingressFromClass(a, b)), show(ref.ingress(a, b)), `ingress of ${a} from ${b}`);
        assert.equal(show(reach.egressToClass(a, b)), show(ref.egress(a, b)), `egress of ${a} to ${b}`);
      }
      for (let i = 0; i < reach.destinationRanges.length; i++) assert.equal(show(reach.egressToRange(a, reach.destinationRanges[i])), show(ref.egressRange(a, i)), `egress of ${a} to range ${i}`);
    }
  }
  // The listing's own path (admitted sources of isolated pods) gives what between() gives.
  const listed = new Map<number, string>();
  reach.forEachClassPair((s, d, conn) => listed.set(s * n + d, show(conn)));
  for (let d = 0; d < n; d++) {
    if (reach.table.classes[d].virtual) continue;
    for (let s = 0; s < n; s++) {
      const conn = reach.between(s, d);
      assert.equal(listed.get(s * n + d), conn.isEmpty() ? undefined : show(conn), `listed ${s} -> ${d}`);
    }
  }
  return tiered;
}

const NAMED_PORTS: SourceFile = {
  path: 'named.yaml',
  text: `apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {env: dev}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {env: prod}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: a, labels: {app: api}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: b, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cache, namespace: b, labels: {app: cache}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-only-api, namespace: b}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: api}}}], ports: [{port: http}]}]
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: admin-named}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  ingress:
  - {action: Accept, from: [{pods: {namespaceSelector: {matchLabels: {env: dev}}, podSelector: {matchLabels: {app: web}}}}], protocols: [{destinationNamedPort: http}]}
  - {action: Pass, from: [{namespaces: {matchLabels: {env: dev}}}]}
  egress:
  - {action: Deny, to: [{namespaces: {matchLabels: {env: dev}}}], protocols: [{destinationNamedPort: http}]}
  - {action: Accept, to: [{networks: [10.1.0.0/16]}]}
  - {action: Pass, to: [{networks: [10.0.0.0/8]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: baseline}
spec:
  tier: Baseline
  priority: 2
  subject: {namespaces: {matchLabels: {env: prod}}}
  ingress:
  - {action: Deny, from: [{namespaces: {matchLabels: {env: dev}}}], protocols: [{destinationNamedPort: http}, {udp: {destinationPort: {number: 53}}}]}
  - {action: Accept, from: [{namespaces: {}}]}
  egress:
  - {action: Deny, to: [{networks: [10.2.0.0/16]}]}
  - {action: Pass, to: [{namespaces: {}}]}
`,
};

describe('the memoised tier walks give tieredVerdict for every pair', () => {
  const cases = loadCorpus().filter((c) => c.group === 'anp');
  test('the corpus has the ANP/BANP cases', () => assert.ok(cases.length >= 20, `${cases.length} cases`));
  for (const c of cases) {
    test(c.name, () => {
      const files = readManifestFiles([c.inputDir]).files;
      for (const options of [{ hostNetwork: 'pod', ingressController: GENERIC_INGRESS_CONTROLLER } as const, {}]) checkEveryPair(analyze(files, options).reach);
    });
  }
  test('named ports in cluster rules, isolated and open pods, address ranges', () => {
    const reach = analyze([NAMED_PORTS], {}).reach;
    assert.equal(reach.tiers.admin.length + reach.tiers.baseline.length, 2, 'both cluster policies are valid');
    assert.ok(checkEveryPair(reach) > 0);
  });
});
