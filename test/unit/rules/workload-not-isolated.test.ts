import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { workloadNotIsolated } from '../../../server/src/core/rules/workload-not-isolated';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import { analyzeYaml, deployment, docs, yaml } from '../helpers/manifests';

function run(text: string, options: Partial<RuleOptions> = {}, analyzeOptions: AnalyzeOptions = {}) {
  return runRules(analyzeYaml(text, analyzeOptions), { rules: [workloadNotIsolated], options }).map((f) => ({ ...f, text: text.slice(f.span.start, f.span.end) }));
}

const web = deployment('web', { namespace: 'shop', labels: { app: 'web' } });
const ingressOnly = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: web, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress:
      - from: [{podSelector: {matchLabels: {app: front}}}]
`;

describe('workload-not-isolated', () => {
  test('ingress isolation is enough by default', () => {
    assert.deepEqual(run(docs(web, ingressOnly)), []);
  });

  test('requireEgress: a workload selected only for Ingress is reported for Egress', () => {
    const [f, ...rest] = run(docs(web, ingressOnly), { requireEgress: true });
    assert.equal(rest.length, 0);
    assert.equal(f.text, 'web');
    assert.match(f.message, /for Egress/);
    assert.doesNotMatch(f.message, /for Ingress/);
    assert.match(f.message, /connect to any destination/);
  });

  test('requireEgress: an unselected workload is reported once, for both directions', () => {
    const findings = run(web, { requireEgress: true });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /for Ingress or Egress/);
  });

  test('hostNetwork pods are reported when the analysis treats them as pods', () => {
    const agent = deployment('agent', { namespace: 'infra', labels: { app: 'agent' }, hostNetwork: true });
    assert.deepEqual(run(agent), []);
    assert.equal(run(agent, {}, { hostNetwork: 'pod' }).length, 1);
  });

  test('pods of one owner that differ: only the open ones are named', () => {
    const pods = yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-1
        namespace: shop
        labels: {app: web, track: stable}
        ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-rs, uid: u1, controller: true}]
      spec: {containers: [{name: c, image: x}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-2
        namespace: shop
        labels: {app: web, track: canary}
        ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-rs, uid: u1, controller: true}]
      spec: {containers: [{name: c, image: x}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: stable, namespace: shop}
      spec:
        podSelector: {matchLabels: {track: stable}}
    `;
    const [f, ...rest] = run(pods);
    assert.equal(rest.length, 0);
    assert.equal(f.text, 'web-rs');
    assert.match(f.message, /^Some pods of ReplicaSet shop\/web-rs \(labels app=web, track=canary\) are not isolated/);
  });
});
