/**
 * Property: the cluster tiers change nothing they do not decide. On every corpus case
 * without cluster policies, adding cluster policies that decide nothing (an Admin Pass
 * of everything, a Baseline Allow of everything, a Baseline Pass, a policy whose subject
 * selects no pod) leaves every verdict as the NetworkPolicies alone give it, under both
 * host-network modes. The tiered path runs for every pod there, so this pins it to the
 * NetworkPolicy-only path.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { allConnections } from '../../../server/src/core/reach/connections';
import { formatConnlist } from '../../../server/src/core/ide/formats/connlist';
import { readManifestFiles } from '../../../server/src/node/read-files';
import { loadCorpus } from '../../corpus/corpus';
import { GENERIC_INGRESS_CONTROLLER } from '../../../server/src/core/k8s/cluster';
import type { SourceFile } from '../../../server/src/core/manifest/types';

const NEUTRAL = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: pass-everything}
spec:
  priority: 0
  subject: {namespaces: {}}
  ingress:
  - {action: Pass, from: [{namespaces: {}}]}
  egress:
  - {action: Pass, to: [{namespaces: {}}]}
  - {action: Pass, to: [{networks: [0.0.0.0/0]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: selects-nothing}
spec:
  priority: 1
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {no-such-label: x}}}}
  ingress:
  - {action: Deny, from: [{namespaces: {}}]}
  egress:
  - {action: Deny, to: [{networks: [0.0.0.0/0]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: baseline-pass}
spec:
  tier: Baseline
  priority: 0
  subject: {namespaces: {}}
  ingress:
  - {action: Pass, from: [{pods: {podSelector: {}}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {action: Allow, from: [{namespaces: {}}]}
  egress:
  - {action: Allow, to: [{namespaces: {}}]}
  - {action: Allow, to: [{networks: [0.0.0.0/0]}]}
`;

/** As the corpus runs (run-corpus.ts; importing it would run it). */
const NETPOL_ANALYZER_OPTIONS = { hostNetwork: 'pod', ingressController: GENERIC_INGRESS_CONTROLLER } as const;

const lines = (files: readonly SourceFile[], options: Parameters<typeof analyze>[1]) => formatConnlist(allConnections(analyze(files, options).reach, { includeSelf: true }), 'text');

describe('cluster policies that decide nothing leave every verdict unchanged', () => {
  const cases = loadCorpus().filter((c) => c.group !== 'anp');
  test('the corpus has cases without cluster policies', () => assert.ok(cases.length >= 39, `${cases.length} cases`));
  for (const c of cases) {
    test(c.name, () => {
      const files = readManifestFiles([c.inputDir]).files;
      const withNeutral = [...files, { path: 'neutral-cluster-policies.yaml', text: NEUTRAL }];
      for (const options of [NETPOL_ANALYZER_OPTIONS, {}]) {
        const before = analyze(files, options);
        assert.equal(before.model.clusterPolicies.length, 0);
        const after = analyze(withNeutral, options);
        assert.equal(after.model.clusterPolicies.filter((p) => p.rejected.length === 0).length, 4, 'the neutral policies are valid');
        assert.equal(lines(withNeutral, options), lines(files, options));
      }
    });
  }
});
