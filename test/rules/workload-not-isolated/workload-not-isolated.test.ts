import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { workloadNotIsolated } from '../../../server/src/core/rules/workload-not-isolated';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import { analyzeYaml, deployment, docs, yaml } from '../../helpers/manifests';
import { analyze } from '../../../server/src/core/analysis/analyze';

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

describe('definitions never deployed together are not merged', () => {
  // argo-cd's manifests/base: base/kustomization.yaml lists ./application-controller (the
  // real StatefulSet and its policy); application-controller-deployment/ is another root, an
  // alternative install whose copy of the StatefulSet has no labels (replicas 0, a patch in all but name).
  const statefulSet = yaml`
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: argocd-application-controller, labels: {app.kubernetes.io/name: argocd-application-controller}}
    spec:
      selector: {matchLabels: {app.kubernetes.io/name: argocd-application-controller}}
      template:
        metadata: {labels: {app.kubernetes.io/name: argocd-application-controller}}
        spec: {containers: [{name: argocd-application-controller, image: quay.io/argoproj/argocd}]}
  `;
  const policy = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: argocd-application-controller-network-policy}
    spec:
      podSelector: {matchLabels: {app.kubernetes.io/name: argocd-application-controller}}
      policyTypes: [Ingress]
      ingress: [{ports: [{port: 8082}]}]
  `;
  const partial = yaml`
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: argocd-application-controller}
    spec:
      replicas: 0
      template:
        spec: {containers: [{name: argocd-application-controller, image: quay.io/argoproj/argocd}]}
  `;
  const files = (partialListed: boolean) => [
    { path: 'base/kustomization.yaml', text: 'resources:\n- ./application-controller\n' },
    { path: 'base/application-controller/kustomization.yaml', text: 'resources:\n- statefulset.yaml\n- policy.yaml\n' },
    { path: 'base/application-controller/statefulset.yaml', text: statefulSet },
    { path: 'base/application-controller/policy.yaml', text: policy },
    { path: 'base/application-controller-deployment/kustomization.yaml', text: partialListed ? 'resources:\n- statefulset.yaml\n' : 'resources: []\n' },
    { path: 'base/application-controller-deployment/statefulset.yaml', text: partial },
  ];
  const runFiles = (input: { path: string; text: string }[]) => {
    const analysis = analyze(input);
    return { analysis, found: runRules(analysis, { rules: [workloadNotIsolated] }) };
  };

  test('variants of two roots: the first root by folder is analysed, no phantom without labels', () => {
    const { analysis, found } = runFiles(files(true));
    assert.deepEqual(found.map((f) => f.message), []);
    const sts = analysis.model.workloads.filter((w) => w.name === 'argocd-application-controller');
    assert.equal(sts.length, 1);
    assert.equal(sts[0].pods.length, 1);
    assert.equal(sts[0].sources[0].span.file, 'base/application-controller/statefulset.yaml');
  });

  test('a file its folder\'s kustomization does not list loses to the definition a kustomization deploys', () => {
    const { analysis, found } = runFiles(files(false));
    assert.deepEqual(found, []);
    const sts = analysis.model.workloads.filter((w) => w.name === 'argocd-application-controller');
    assert.deepEqual(sts.map((w) => w.sources.map((s) => s.span.file)), [['base/application-controller/statefulset.yaml']]);
  });

  test('without kustomizations both definitions are deployed together: merged as before (duplicate-object reports them)', () => {
    const { analysis, found } = runFiles(files(true).filter((f) => !f.path.endsWith('kustomization.yaml')));
    const sts = analysis.model.workloads.filter((w) => w.name === 'argocd-application-controller');
    assert.equal(sts.length, 1);
    assert.equal(sts[0].pods.length, 2);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /no labels/);
  });
});
