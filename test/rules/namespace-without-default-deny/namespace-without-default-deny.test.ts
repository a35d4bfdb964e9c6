import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { namespaceWithoutDefaultDeny } from '../../../server/src/core/rules/namespace-without-default-deny';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import type { AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { analyzeYaml, deployment, docs, namespace, yaml } from '../../helpers/manifests';
import type { SourceFile } from '../../../server/src/core/manifest/types';

function run(input: string | SourceFile[], options: Partial<RuleOptions> = {}, analyzeOptions: AnalyzeOptions = {}) {
  const files = typeof input === 'string' ? [{ path: 'manifests.yaml', text: input }] : input;
  const findings = runRules(analyzeYaml(files, analyzeOptions), { rules: [namespaceWithoutDefaultDeny], options });
  return findings.map((f) => ({ ...f, text: files.find((x) => x.path === f.span.file)!.text.slice(f.span.start, f.span.end) }));
}

const denyIngress = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny-ingress, namespace: shop}
  spec:
    podSelector: {}
`;
const denyEgress = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny-egress, namespace: shop}
  spec:
    podSelector: {}
    policyTypes: [Egress]
`;
const web = deployment('web', { namespace: 'shop', labels: { app: 'web' } });

describe('namespace-without-default-deny', () => {
  test('a namespace without any NetworkPolicy is info (not adopted there); one whose policies leave a workload open is info too, naming it', () => {
    const [none, ...r1] = run(docs(web));
    assert.equal(r1.length, 0);
    assert.equal(none.severity, 'info');
    assert.match(none.message, /no NetworkPolicy at all/);
    const onlyWeb = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
    `;
    const api = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const [gap, ...r2] = run(docs(web, api, onlyWeb));
    assert.equal(r2.length, 0);
    // A posture, as workload-not-isolated's open pods are (the trial's repositories leave such workloads open by design).
    assert.equal(gap.severity, 'info');
    assert.match(gap.message, /has workloads but no default-deny ingress NetworkPolicy: pods that no NetworkPolicy selects for Ingress accept connections from anywhere/);
    assert.match(gap.message, /No NetworkPolicy selects shop\/api for Ingress\./);
    assert.doesNotMatch(gap.message, /shop\/web/);
    // A policy of another namespace does not count as this namespace's adoption.
    const elsewhere = onlyWeb.replace('namespace: shop', 'namespace: other');
    assert.match(run(docs(web, elsewhere))[0]?.message ?? '', /no NetworkPolicy at all/);
  });

  test('policies for the other direction only have not started this one: info, saying so (eks-workshop: ui has egress policies only)', () => {
    const [f, ...rest] = run(docs(web, denyEgress));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /^Namespace shop has workloads and NetworkPolicies, but they select pods for Egress only: no NetworkPolicy selects a pod of it for Ingress, so every pod in it accepts connections from anywhere, as the cluster's default allows\./);
    const [g] = run(docs(web, denyIngress), { requireEgress: true });
    assert.equal(g.severity, 'info');
    assert.match(g.message, /select pods for Ingress only: no NetworkPolicy selects a pod of it for Egress, so every pod in it may connect anywhere/);
  });

  test('a default deny that sets no namespace, outside a bundle installed with -n: info, naming it (whether it lands here rests on where it is applied)', () => {
    const looseDeny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
    const onlyWeb = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n';
    const api = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const files = (deny: string) => [
      { path: 'app/shop.yaml', text: docs(web, api) },
      { path: 'lab/web.yaml', text: onlyWeb },
      { path: 'lab/default-deny.yaml', text: deny },
    ];
    const [f, ...rest] = run(files(looseDeny));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /^Namespace shop has no default-deny ingress NetworkPolicy of its own, but default-deny \(lab\/default-deny\.yaml\) is a default deny for Ingress that sets no namespace: applied with kubectl apply -n shop, it closes the namespace; whether shop gets it rests on where it is applied/);
    // An egress deny says nothing about ingress: the gap is reported as such.
    assert.match(run(files(looseDeny.replace('[Ingress]', '[Egress]')))[0].message, /has workloads but no default-deny ingress NetworkPolicy: pods that no NetworkPolicy selects for Ingress accept connections from anywhere/);
    // A folder where nothing sets a namespace is a bundle installed with -n as a whole: it lands with its own objects.
    const bundle = [
      { path: 'app/shop.yaml', text: docs(web, api) },
      { path: 'app/web.yaml', text: onlyWeb },
      { path: 'bundle/default-deny.yaml', text: looseDeny },
      { path: 'bundle/db.yaml', text: deployment('db', { labels: { app: 'db' } }) },
    ];
    assert.match(run(bundle).find((x) => /shop/.test(x.message))?.message ?? '', /has workloads but no default-deny ingress NetworkPolicy: pods that no NetworkPolicy selects for Ingress accept connections from anywhere/);
  });

  test('with a baseline deny for the pods of the cluster, the open side is the outside of the cluster (policy-assistant walkthrough)', () => {
    const banp = yaml`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: BaselineAdminNetworkPolicy
      metadata: {name: default}
      spec:
        subject: {namespaces: {}}
        ingress:
        - {name: baseline-deny, action: Deny, from: [{namespaces: {}}]}
    `;
    const onlyWeb = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
    `;
    const api = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const [f] = run(docs(web, api, onlyWeb, banp));
    // The cluster's default deny is the Baseline tier's: the story is there, the outside is what is left (info).
    assert.equal(f.severity, 'info');
    assert.match(f.message, /a cluster-level default deny \(BaselineAdminNetworkPolicy default\) closes pods that no NetworkPolicy selects to the cluster's pods, but they accept connections from every address outside the cluster/);

    // A baseline rule that denies some pods or some ports is not a default deny.
    const partial = banp.replace('from: [{namespaces: {}}]', 'from: [{namespaces: {matchLabels: {env: dev}}}]');
    const [g] = run(docs(web, api, onlyWeb, partial));
    assert.doesNotMatch(g.message, /a cluster-level default deny/);
    assert.match(g.message, /accept connections from every address outside the cluster \(cluster-level policies decide what pods of the cluster may\)/);
    const somePorts = banp.replace('from: [{namespaces: {}}]}', 'from: [{namespaces: {}}], ports: [{portNumber: {port: 80, protocol: TCP}}]}');
    assert.notEqual(somePorts, banp);
    assert.doesNotMatch(run(docs(web, api, onlyWeb, somePorts))[0].message, /a cluster-level default deny/);
  });

  test('a default-deny ingress is enough without requireEgress', () => {
    assert.deepEqual(run(docs(web, denyIngress)), []);
  });

  test('requireEgress also asks for a default-deny egress, and says only what is missing', () => {
    // (web's own egress policy: the namespace has started isolating egress.)
    const webEgress = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        policyTypes: [Egress]
        egress: [{ports: [{port: 53, protocol: UDP}]}]
    `;
    const api = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const [f, ...rest] = run(docs(web, api, denyIngress, webEgress), { requireEgress: true });
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /no default-deny egress NetworkPolicy/);
    assert.match(f.message, /No NetworkPolicy selects shop\/api for Egress\./);
    assert.match(f.message, /policyTypes: \[Egress\]/);
    assert.doesNotMatch(f.message, /policyTypes: \[Ingress/);
    assert.match(f.message, /allow DNS/);
    assert.equal(f.text, 'shop');
    assert.equal(f.path, 'metadata.namespace');
  });

  test('requireEgress with nothing: both directions in one finding', () => {
    const [f, ...rest] = run(web, { requireEgress: true });
    assert.equal(rest.length, 0);
    assert.match(f.message, /no NetworkPolicy at all: every pod in it accepts connections from anywhere and may connect anywhere/);
    assert.match(f.message, /policyTypes: \[Ingress, Egress\]/);
  });

  test('requireEgress: separate deny policies or one with both types both satisfy it', () => {
    assert.deepEqual(run(docs(web, denyIngress, denyEgress), { requireEgress: true }), []);
    const both = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-all, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
    `;
    assert.deepEqual(run(docs(web, both), { requireEgress: true }), []);
  });

  test('an egress section with rules is no default-deny egress', () => {
    const allowSome = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-all, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
        egress:
          - to: [{podSelector: {}}]
    `;
    const findings = run(docs(web, allowSome), { requireEgress: true });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /default-deny egress/);
  });

  test('the Namespace object in another file carries the finding', () => {
    const findings = run([
      { path: 'ns.yaml', text: namespace('shop') },
      { path: 'apps.yaml', text: web },
    ]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].span.file, 'ns.yaml');
    assert.equal(findings[0].text, 'shop');
    assert.equal(findings[0].path, 'metadata.name');
  });

  test('a deny policy in another namespace does not count', () => {
    const other = denyIngress.replace('namespace: shop', 'namespace: billing');
    assert.equal(run(docs(web, other)).length, 1);
  });

  test('hostNetwork-only namespaces count only when hostNetwork pods are treated as pods', () => {
    const agent = deployment('agent', { namespace: 'infra', labels: { app: 'agent' }, hostNetwork: true });
    assert.deepEqual(run(agent), []);
    const findings = run(agent, {}, { hostNetwork: 'pod' });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /Namespace infra/);
  });

  test('a namespace-wide policy with rules isolates every pod, and the message says so instead of "open"', () => {
    const sameNamespace = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: same-namespace, namespace: shop}
      spec:
        podSelector: {}
        ingress:
          - from: [{podSelector: {}}]
    `;
    const [f, ...rest] = run(docs(web, sameNamespace));
    assert.equal(rest.length, 0);
    assert.match(f.message, /shop\/same-namespace selects every pod for Ingress, but its ingress rules are a baseline allowance/);
    assert.doesNotMatch(f.message, /start open/);
    assert.match(f.message, /narrowing the namespace-wide rules/);
    // Every pod is selected already (kubeflow's default-allow-same-namespace): nothing is named as open.
    assert.doesNotMatch(f.message, /No NetworkPolicy selects/);
  });

  test('every workload already isolated by its own policy: info, saying nothing is open today (Online Boutique without its deny-all)', () => {
    const api = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const own = (app: string) => yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: ${app}, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: ${app}}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: web}}}]
    `;
    const [f, ...rest] = run(docs(web, api, own('web'), own('api')));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /every workload in it is already selected by one for Ingress: nothing is open today/);
    // One workload left open: said, naming it.
    const [g] = run(docs(web, api, own('web')));
    assert.match(g.message, /has workloads but no default-deny ingress NetworkPolicy: pods that no NetworkPolicy selects for Ingress accept connections from anywhere/);
    assert.match(g.message, /No NetworkPolicy selects shop\/api for Ingress\./);
    // requireEgress: isolated for ingress only is not enough.
    const [h] = run(docs(web, api, own('web'), own('api')), { requireEgress: true });
    assert.match(h.message, /pods that no NetworkPolicy selects for Egress may connect anywhere/);
    assert.match(h.message, /No NetworkPolicy selects shop\/web and shop\/api for Egress\./);
    assert.doesNotMatch(h.message, /for Ingress\./);
  });

  test('a workload an allow-all selects is not closed; policies that are all allow-alls change nothing here, so they counter policies made elsewhere (kserve on OpenShift Service Mesh; argo-cd server)', () => {
    const allowAll = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-open, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - {}
    `;
    const [f, ...rest] = run(docs(web, allowAll));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.doesNotMatch(f.message, /nothing is open today/);
    assert.match(f.message, /^Namespace shop has no default-deny ingress NetworkPolicy, and its only NetworkPolicies for Ingress \(shop\/web-open\) admit every source on every port: on these manifests they change nothing, so they are likely written to open pods that a policy made elsewhere isolates/);
    // Beside a policy that only lists what it admits (each workload its own, as argo-cd):
    // every workload is isolated, but the allow-all's pods are open.
    const api = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const apiOnly = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: api, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: api}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: web}}}]
    `;
    const [g] = run(docs(web, api, allowAll, apiOnly));
    assert.equal(g.severity, 'info');
    assert.match(g.message, /every workload in it is already selected by one for Ingress: shop\/web-open admits every source on every port \(an explicit allow-all\), the others only what they list, while a workload added later would start open\./);
    // An allow-all that also selects a restricted workload opens it all the same.
    const webOnly = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from: [{podSelector: {matchLabels: {app: api}}}]
    `;
    const [h] = run(docs(web, allowAll, webOnly));
    assert.match(h.message, /shop\/web-open admits every source on every port \(an explicit allow-all\)/);
    // Beside a cluster-level policy, an allow-all may open what a baseline tier denies: it is
    // not said to change nothing.
    const banp = yaml`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: BaselineAdminNetworkPolicy
      metadata: {name: default}
      spec:
        subject: {namespaces: {}}
        ingress:
        - {name: baseline-deny, action: Deny, from: [{namespaces: {}}]}
    `;
    const [b] = run(docs(web, allowAll, banp));
    assert.match(b.message, /shop\/web-open admits every source on every port \(an explicit allow-all\)/);
    // A rule with peers or ports is no allow-all.
    const [k] = run(docs(web, allowAll.replace('- {}', '- ports: [{port: 80}]')));
    assert.match(k.message, /nothing is open today/);
  });
});
