/**
 * The cluster-level tiers, one semantic point per test, on real manifests: Admin
 * (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) → NetworkPolicies → Baseline
 * (BaselineAdminNetworkPolicy, ClusterNetworkPolicy tier Baseline) → allow.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connMap, deployment, docs, namespace, pod, yaml } from '../../helpers/manifests';

const WORLD = docs(
  namespace('a', { env: 'prod' }),
  namespace('b', { env: 'prod' }),
  namespace('c', { env: 'dev' }),
  deployment('web', { namespace: 'a', labels: { app: 'web' }, ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 53, name: 'dns', protocol: 'UDP' }] }),
  deployment('api', { namespace: 'b', labels: { app: 'api' } }),
  deployment('dev', { namespace: 'c', labels: { app: 'dev' } }),
);

const flows = (...documents: string[]) => connMap(docs(WORLD, ...documents), {}, { external: false });
const allFlows = (...documents: string[]) => connMap(docs(WORLD, ...documents));

function anp(name: string, priority: number, spec: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n${spec}`;
}

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  tier: ${tier}\n  priority: ${priority}\n${spec}`;
}

function banp(spec: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n${spec}`;
}

const SUBJECT_A = '  subject:\n    namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}\n';

const ALLOW_B_TO_WEB = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: from-b, namespace: a}
  spec:
    podSelector: {}
    ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}}]
`;

describe('cluster tiers', () => {
  test('an Admin Deny decides before the NetworkPolicies: a NetworkPolicy allow does not reopen it', () => {
    const m = flows(ALLOW_B_TO_WEB, anp('deny-b', 10, `${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}]\n`));
    assert.equal(m.get('b/api[Deployment] => a/web[Deployment]'), undefined);
    // c is denied by the NetworkPolicy (a is isolated), not by the ANP.
    assert.equal(m.get('c/dev[Deployment] => a/web[Deployment]'), undefined);
  });

  test('an Admin Allow decides before the NetworkPolicies, for its direction only', () => {
    const m = flows(ALLOW_B_TO_WEB, anp('allow-c', 10, `${SUBJECT_A}  ingress:\n  - action: Allow\n    from: [{namespaces: {matchLabels: {env: dev}}}]\n`));
    assert.equal(m.get('c/dev[Deployment] => a/web[Deployment]'), 'All Connections');
    // An ingress Allow at a does not open c's egress where c is isolated for egress.
    const denyEgress = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: no-egress, namespace: c}
      spec:
        podSelector: {}
        policyTypes: [Egress]
    `;
    const m2 = flows(ALLOW_B_TO_WEB, denyEgress, anp('allow-c', 10, `${SUBJECT_A}  ingress:\n  - action: Allow\n    from: [{namespaces: {matchLabels: {env: dev}}}]\n`));
    assert.equal(m2.get('c/dev[Deployment] => a/web[Deployment]'), undefined);
  });

  test('Pass goes on to the NetworkPolicies of an isolated pod, and to the Baseline tier otherwise', () => {
    const pass = anp('pass-all', 10, `${SUBJECT_A}  ingress:\n  - action: Pass\n    from: [{namespaces: {}}]\n`);
    const baselineDeny = banp(`${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`);
    // Isolated by the NetworkPolicy: it decides (b allowed, c denied); the baseline is never consulted.
    const isolated = flows(ALLOW_B_TO_WEB, pass, baselineDeny);
    assert.equal(isolated.get('b/api[Deployment] => a/web[Deployment]'), 'All Connections');
    assert.equal(isolated.get('c/dev[Deployment] => a/web[Deployment]'), undefined);
    // Not isolated: the baseline denies everyone.
    const open = flows(pass, baselineDeny);
    assert.equal(open.get('b/api[Deployment] => a/web[Deployment]'), undefined);
    assert.equal(open.get('c/dev[Deployment] => a/web[Deployment]'), undefined);
    // And without the Pass, the same: the Admin tier decides nothing, the baseline does.
    assert.equal(flows(baselineDeny).get('b/api[Deployment] => a/web[Deployment]'), undefined);
  });

  test('policies in priority order, the lower number first; equal priorities in name order', () => {
    const deny = (name: string, p: number) => anp(name, p, `${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`);
    const allow = (name: string, p: number) => anp(name, p, `${SUBJECT_A}  ingress:\n  - action: Allow\n    from: [{namespaces: {}}]\n`);
    assert.equal(flows(deny('x', 5), allow('y', 4)).get('b/api[Deployment] => a/web[Deployment]'), 'All Connections');
    assert.equal(flows(deny('x', 3), allow('y', 4)).get('b/api[Deployment] => a/web[Deployment]'), undefined);
    // A tie: the API leaves it to the implementation; we take the name order.
    assert.equal(flows(allow('z-allow', 4), deny('a-deny', 4)).get('b/api[Deployment] => a/web[Deployment]'), undefined);
    assert.equal(flows(allow('a-allow', 4), deny('z-deny', 4)).get('b/api[Deployment] => a/web[Deployment]'), 'All Connections');
  });

  test('within a policy, the first rule that matches a port decides it (per port, not per peer)', () => {
    const rules = `${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {protocol: TCP, port: 8080}}]\n  - action: Allow\n    from: [{namespaces: {}}]\n`;
    const m = flows(ALLOW_B_TO_WEB, anp('ports', 1, rules));
    assert.equal(m.get('c/dev[Deployment] => a/web[Deployment]'), 'SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535');
  });

  test('ClusterNetworkPolicy: Accept, named ports whose protocol is the container port\'s, and Pass in the Baseline tier goes to the default', () => {
    const accept = cnp(
      'dns',
      'Admin',
      1,
      `${SUBJECT_A}  ingress:\n  - action: Accept\n    from: [{namespaces: {}}]\n    protocols: [{destinationNamedPort: dns}]\n  - action: Deny\n    from: [{namespaces: {}}]\n`,
    );
    assert.equal(flows(accept).get('b/api[Deployment] => a/web[Deployment]'), 'UDP 53');
    const baselinePass = cnp('pass', 'Baseline', 1, `${SUBJECT_A}  ingress:\n  - action: Pass\n    from: [{namespaces: {matchLabels: {env: prod}}}]\n`);
    const baselineDeny = cnp('deny', 'Baseline', 2, `${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`);
    const m = flows(baselinePass, baselineDeny);
    assert.equal(m.get('b/api[Deployment] => a/web[Deployment]'), 'All Connections');
    assert.equal(m.get('c/dev[Deployment] => a/web[Deployment]'), undefined);
    // The Baseline tier comes after every Admin policy, whatever the priorities.
    const adminAllow = cnp('allow', 'Admin', 900, `${SUBJECT_A}  ingress:\n  - action: Accept\n    from: [{namespaces: {}}]\n`);
    assert.equal(flows(baselineDeny, adminAllow).get('c/dev[Deployment] => a/web[Deployment]'), 'All Connections');
  });

  test('ingress from outside the cluster is never decided by the cluster tiers', () => {
    const m = allFlows(anp('deny-all', 1, `${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`));
    assert.equal(m.get('0.0.0.0-255.255.255.255[External] => a/web[Deployment]'), 'All Connections');
    assert.equal(m.get('b/api[Deployment] => a/web[Deployment]'), undefined);
  });

  test('networks peers cut the egress address ranges and match pods by their status IPs', () => {
    const deny = cnp('deny-net', 'Admin', 1, `  subject:\n    namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}\n  egress:\n  - action: Deny\n    to: [{networks: [10.1.0.0/16]}]\n`);
    const withPods = docs(
      pod('known', { namespace: 'c', labels: { app: 'known' } }).replace(/\n$/, '\nstatus:\n  podIP: 10.1.2.3\n  podIPs: [{ip: 10.1.2.3}]\n'),
      pod('elsewhere', { namespace: 'c', labels: { app: 'known' } }).replace(/\n$/, '\nstatus:\n  podIP: 10.2.0.1\n'),
      deny,
    );
    const m = allFlows(withPods);
    assert.equal(m.get('b/api[Deployment] => 10.1.0.0-10.1.255.255[External]'), undefined);
    assert.equal(m.get('b/api[Deployment] => 0.0.0.0-10.0.255.255[External]'), 'All Connections');
    // Same labels, different IPs: only the pod inside the CIDR is denied.
    assert.equal(m.get('b/api[Deployment] => c/known[Pod]'), undefined);
    assert.equal(m.get('b/api[Deployment] => c/elsewhere[Pod]'), 'All Connections');
    // A workload of unknown IPs is not matched.
    assert.equal(m.get('b/api[Deployment] => c/dev[Deployment]'), 'All Connections');
  });

  test('no implicit isolation: a policy without rules of a direction does not touch it', () => {
    const m = flows(anp('egress-only', 1, `${SUBJECT_A}  egress:\n  - action: Deny\n    to: [{namespaces: {matchLabels: {env: dev}}}]\n`));
    assert.equal(m.get('b/api[Deployment] => a/web[Deployment]'), 'All Connections');
    assert.equal(m.get('a/web[Deployment] => c/dev[Deployment]'), undefined);
    assert.equal(m.get('a/web[Deployment] => b/api[Deployment]'), 'All Connections');
  });

  test('host-networked pods are no subjects and no peers (--host-network node), ordinary pods with pod', () => {
    const text = docs(
      deployment('agent', { namespace: 'c', labels: { app: 'agent' }, hostNetwork: true }),
      anp('deny-c', 1, `  subject:\n    namespaces: {}\n  ingress:\n  - action: Deny\n    from: [{namespaces: {matchLabels: {env: dev}}}]\n`),
    );
    assert.equal(flows(text).get('c/agent[Deployment] => a/web[Deployment]'), 'All Connections');
    assert.equal(flows(text).get('c/dev[Deployment] => a/web[Deployment]'), undefined);
    assert.equal(connMap(docs(WORLD, text), { hostNetwork: 'pod' }, { external: false }).get('c/agent[Deployment] => a/web[Deployment]'), undefined);
  });

  test('a cluster policy the API server rejects takes no part', () => {
    const invalid = anp('bad', 1001, `${SUBJECT_A}  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`);
    assert.equal(flows(invalid).get('b/api[Deployment] => a/web[Deployment]'), 'All Connections');
  });
});
