/**
 * Network policies of other engines (Calico, Cilium, Antrea) are enforced beside the
 * NetworkPolicies and not modelled: a verdict that rests on the NetworkPolicies alone
 * (DNS blocked, a workload or a namespace open) says so and names them, and "DNS lookups
 * will fail" becomes info (tigera-eks-workshop: a Calico GlobalNetworkPolicy in the platform
 * tier allows DNS for every pod, a Calico default-deny isolates dev).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { egressBlocksDns } from '../../../server/src/core/rules/egress-blocks-dns';
import { workloadNotIsolated } from '../../../server/src/core/rules/workload-not-isolated';
import { namespaceWithoutDefaultDeny } from '../../../server/src/core/rules/namespace-without-default-deny';
import { analyzeYaml, deployment, docs, yaml } from '../../helpers/manifests';

const app = deployment('centos', { namespace: 'dev', labels: { app: 'centos' } });
const egressDeny = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: centos-egress, namespace: dev}
  spec:
    podSelector: {matchLabels: {app: centos}}
    policyTypes: [Egress]
    egress: [{to: [{podSelector: {matchLabels: {app: nginx}}}]}]
`;
const calicoDns = yaml`
  apiVersion: projectcalico.org/v3
  kind: GlobalNetworkPolicy
  metadata: {name: platform.allow-kube-dns}
  spec:
    tier: platform
    selector: all()
    types: [Egress]
    egress: [{action: Allow, protocol: UDP, destination: {selector: "k8s-app == 'kube-dns'", ports: ['53']}}]
`;
const run = (text: string) =>
  runRules(analyzeYaml([{ path: 'm.yaml', text }]), { rules: [egressBlocksDns, workloadNotIsolated, namespaceWithoutDefaultDeny] }).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));

test('another engine\'s policies: the NetworkPolicy verdicts say they rest on NetworkPolicies alone, and DNS blocked is info', () => {
  const without = run(docs(app, egressDeny));
  const dns = without.find((f) => f.rule === 'egress-blocks-dns')!;
  assert.equal(dns.severity, 'warning');
  assert.match(dns.message, /DNS lookups will fail\./);
  assert.ok(without.every((f) => !f.message.includes('another engine')));
  const withCalico = run(docs(app, egressDeny, calicoDns));
  const hedged = withCalico.find((f) => f.rule === 'egress-blocks-dns')!;
  assert.equal(hedged.severity, 'info');
  assert.match(hedged.message, /DNS lookups fail as far as the NetworkPolicies go\. This rests on the NetworkPolicies alone: a policy of another engine in this workspace \(Calico GlobalNetworkPolicy platform\.allow-kube-dns\) is enforced beside them, and not modelled here, so it may allow DNS/);
  for (const rule of ['workload-not-isolated', 'namespace-without-default-deny']) {
    const f = withCalico.find((x) => x.rule === rule)!;
    assert.match(f.message, /This rests on the NetworkPolicies alone: a policy of another engine in this workspace \(Calico GlobalNetworkPolicy platform\.allow-kube-dns\)/, rule);
  }
});

test('only the other engines\' policies that may apply count: a namespaced one elsewhere, a staged one, a Tier do not', () => {
  const elsewhere = yaml`
    apiVersion: projectcalico.org/v3
    kind: NetworkPolicy
    metadata: {name: default.allow-dns, namespace: prod}
    spec: {selector: all(), types: [Egress]}
  `;
  const staged = calicoDns.replace('kind: GlobalNetworkPolicy', 'kind: StagedGlobalNetworkPolicy');
  const tier = yaml`
    apiVersion: projectcalico.org/v3
    kind: Tier
    metadata: {name: platform}
    spec: {order: 100}
  `;
  for (const other of [elsewhere, staged, tier]) {
    const dns = run(docs(app, egressDeny, other)).find((f) => f.rule === 'egress-blocks-dns')!;
    assert.equal(dns.severity, 'warning', other);
  }
  // In the pods' namespace, a Cilium policy counts.
  const cilium = yaml`
    apiVersion: cilium.io/v2
    kind: CiliumNetworkPolicy
    metadata: {name: allow-dns, namespace: dev}
    spec: {endpointSelector: {}}
  `;
  assert.equal(run(docs(app, egressDeny, cilium)).find((f) => f.rule === 'egress-blocks-dns')!.severity, 'info');
});
