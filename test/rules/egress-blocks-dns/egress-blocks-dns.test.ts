import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { egressBlocksDns } from '../../../server/src/core/rules/egress-blocks-dns';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import { analyzeYaml, deployment, docs, namespace, yaml } from '../../helpers/manifests';
import type { SourceFile } from '../../../server/src/core/manifest/types';
import type { AnalyzeOptions } from '../../../server/src/core/analysis/analyze';

function run(input: string | SourceFile[], options: Partial<RuleOptions> = {}, analyzeOptions: AnalyzeOptions = {}) {
  const files = typeof input === 'string' ? [{ path: 'manifests.yaml', text: input }] : input;
  return runRules(analyzeYaml(files, analyzeOptions), { rules: [egressBlocksDns], options }).map((f) => ({
    ...f,
    text: files.find((x) => x.path === f.span.file)!.text.slice(f.span.start, f.span.end),
  }));
}

const web = deployment('web', { namespace: 'shop', labels: { app: 'web' } });

/** An egress policy for app=web with the given rules (YAML flow text). */
function egress(rules: string, name = 'web-egress'): string {
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: ${name}, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: web}}
      policyTypes: [Egress]
      egress: ${rules}
  `;
}

/** CoreDNS as deployed in the cluster, with its own labels and named ports. */
const coredns = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: coredns, namespace: kube-system}
  spec:
    selector: {matchLabels: {k8s-app: kube-dns}}
    template:
      metadata: {labels: {k8s-app: kube-dns, version: v1}}
      spec:
        containers:
          - name: coredns
            image: registry.k8s.io/coredns/coredns:v1.11.1
            ports:
              - {name: dns, containerPort: 53, protocol: UDP}
              - {name: dns-tcp, containerPort: 53, protocol: TCP}
              - {name: metrics, containerPort: 9153, protocol: TCP}
`;

describe('egress-blocks-dns', () => {
  test('DNS pods in another file: the reachability decides', () => {
    const files = (policy: string) => [
      { path: 'kube-system/coredns.yaml', text: coredns },
      { path: 'shop/app.yaml', text: docs(web, policy) },
    ];
    // The whole kube-system namespace on port 53: reaches the CoreDNS pods.
    assert.deepEqual(run(files(egress('[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]'))), []);
    // Named ports resolve on the real pods.
    assert.deepEqual(run(files(egress('[{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: dns, protocol: UDP}, {port: dns-tcp, protocol: TCP}]}]'))), []);
    // A podSelector alone looks in shop, not in kube-system.
    const miss = run(files(egress('[{to: [{podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]')));
    assert.equal(miss.length, 1);
    assert.equal(miss[0].span.file, 'shop/app.yaml');
    assert.equal(miss[0].text, 'Egress');
    assert.match(miss[0].message, /DNS lookups will fail/);
  });

  test('DNS pods in the workspace with labels other than the rule expects', () => {
    // The rule targets version=v2, which the real CoreDNS pods do not carry.
    const policy = egress('[{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns, version: v2}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]');
    assert.equal(run(docs(coredns, web, policy)).length, 1);
    // Without the CoreDNS manifest, the DNS pods' other labels are not known: a rule for port 53 may
    // reach them (AKS labels CoreDNS kubernetes.io/cluster-service=true), unless a label the options
    // give them says otherwise.
    assert.deepEqual(run(docs(web, policy)), []);
    assert.equal(run(docs(web, policy.replace('k8s-app: kube-dns, version: v2', 'k8s-app: kubedns, version: v2'))).length, 1);
    // A rule that does not name port 53 is not taken for a DNS rule: unknown labels count as missing.
    assert.equal(run(docs(web, policy.replace(', ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]', ''))).length, 1);
  });

  test('AKS: a DNS rule by labels the manifests do not show, over UDP only: the TCP gap, with the assumption said (aks-baseline-regulated)', () => {
    const policy = egress('[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/cluster-service: "true"}}, podSelector: {matchLabels: {k8s-app: kube-dns, kubernetes.io/cluster-service: "true"}}}], ports: [{port: 53, protocol: UDP}]}]');
    const [f, ...rest] = run(docs(web, policy));
    assert.deepEqual(rest, []);
    assert.match(f.message, /allow UDP but not TCP port 53/);
    assert.match(f.message, /takes the DNS namespace and pods to carry labels these manifests do not show, as the port-53 rules require: namespace kube-system: kubernetes\.io\/cluster-service=true and its DNS pods: kubernetes\.io\/cluster-service=true/);
    // With TCP too, nothing to say.
    assert.deepEqual(run(docs(web, policy.replace('ports: [{port: 53, protocol: UDP}]', 'ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]'))), []);
  });

  test('the DNS location comes from the options', () => {
    const toCoreDns = egress('[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dns}}, podSelector: {matchLabels: {app: coredns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]');
    const dns = { namespace: 'dns', labels: { app: 'coredns' } };
    assert.deepEqual(run(docs(web, toCoreDns), { dns }), []);
    const [f] = run(docs(web, toCoreDns));
    assert.match(f.message, /k8s-app=kube-dns in namespace kube-system/);
    const [g] = run(docs(web, egress('[]')), { dns });
    assert.match(g.message, /pods app=coredns in namespace dns/);
    assert.match(g.message, /kubernetes\.io\/metadata\.name: dns\}\}, podSelector: \{matchLabels: \{app: coredns\}\}/);
  });

  test('labels of a declared DNS namespace count for namespace selectors', () => {
    const policy = egress('[{to: [{namespaceSelector: {matchLabels: {tier: platform}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]');
    // kube-system not declared: its labels beyond the name are not known, and a rule for port 53 may match them.
    assert.deepEqual(run(docs(web, policy)), []);
    assert.deepEqual(run(docs(namespace('kube-system', { tier: 'platform' }), web, policy)), []);
    // Declared without the label: known not to match.
    assert.equal(run(docs(namespace('kube-system', { tier: 'apps' }), web, policy)).length, 1);
  });

  test('one finding per isolating policy, listing the workloads (long lists summarised)', () => {
    const apps = Array.from({ length: 7 }, (_, i) => deployment(`app${i}`, { namespace: 'shop', labels: { app: `app${i}`, tier: 'back' } }));
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: back-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {tier: back}}
        egress:
          - to: [{podSelector: {matchLabels: {app: db}}}]
    `;
    const findings = run(docs(...apps, policy));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].text, 'egress');
    assert.equal(findings[0].path, 'spec.egress');
    assert.match(findings[0].message, /isolates Deployment shop\/app0, Deployment shop\/app1, .*Deployment shop\/app4 and 2 more for egress/);
  });

  test('every policy that isolates a failing workload is reported', () => {
    const second = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: all-egress, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
    `;
    const findings = run(docs(web, egress('[{to: [{podSelector: {matchLabels: {app: db}}}]}]'), second));
    assert.deepEqual(findings.map((f) => f.path), ['spec.policyTypes[0]', 'spec.policyTypes[1]']);
  });

  test('DNS half admitted: reported on the policies whose rules admit the half, not on a deny beside them (eks-network-policy-examples)', () => {
    const deny = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-deny-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        policyTypes: [Egress]
    `;
    const udpOnly = egress('[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}]}]');
    const findings = run(docs(web, deny, udpOnly));
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /allow UDP but not TCP port 53/);
    const text = docs(web, deny, udpOnly);
    assert.ok(findings[0].span.start > text.indexOf('name: web-egress'), 'on the UDP-only policy, not on the deny');
    // Without any DNS admitted, every isolating policy is reported (the gap may be filled in either).
    assert.equal(run(docs(web, deny, egress('[{to: [{podSelector: {matchLabels: {app: db}}}]}]'))).length, 2);
  });

  test('a server whose policies admit ingress and no egress at all: info, a server cut off on purpose (kubernetes-goof); without the ingress allow, a warning', () => {
    const denyAll = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: deny-all, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
    `;
    const allowWeb = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-web, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress: [{ports: [{port: 8080}]}]
    `;
    const [f, ...rest] = run(docs(web, denyAll, allowWeb));
    assert.deepEqual(rest, []);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /no policy selecting it admits any egress: it serves what its ingress rules admit but may send nothing, DNS \(pods k8s-app=kube-dns in namespace kube-system\) included\. If that is the intent \(a server cut off from everything else\), nothing is wrong/);
    // Sealed both ways (nothing in, nothing out), or left open for ingress: the warning stays.
    assert.deepEqual(run(docs(web, denyAll)).map((x) => x.severity), ['warning']);
    assert.deepEqual(run(docs(web, denyAll.replace('[Ingress, Egress]', '[Egress]'))).map((x) => x.severity), ['warning']);
    // Some egress admitted, DNS not: a warning (what it admits by name fails).
    assert.deepEqual(run(docs(web, denyAll, allowWeb, egress('[{to: [{podSelector: {matchLabels: {app: db}}}]}]'))).map((x) => x.severity), ['warning', 'warning']);
  });

  test('TCP missing and UDP missing read differently', () => {
    const udpOnly = run(docs(web, egress('[{ports: [{port: 53, protocol: UDP}]}]')));
    assert.match(udpOnly[0].message, /allow UDP but not TCP port 53/);
    const tcpOnly = run(docs(web, egress('[{ports: [{port: 53, protocol: TCP}]}]')));
    assert.match(tcpOnly[0].message, /allow TCP but not UDP port 53/);
  });

  test('ipBlocks: private, node-local-cache or IPv6 addresses may be the DNS (CNI-dependent), public ones are not', () => {
    const rule = (cidr: string) => egress(`[{to: [{ipBlock: {cidr: "${cidr}"}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]`);
    assert.deepEqual(run(docs(web, rule('10.96.0.0/12'))), []);
    assert.deepEqual(run(docs(web, rule('fd00::/8'))), []);
    // NodeLocal DNSCache listens on 169.254.20.10 on every node.
    assert.deepEqual(run(docs(web, rule('169.254.20.10/32'))), []);
    assert.equal(run(docs(web, rule('1.1.1.1/32'))).length, 1);
    // "The internet only": DNS pods are out; a node-local cache would be in, and the message says so.
    const internetOnly = egress('[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}}]}]');
    const [f, ...rest] = run(docs(web, internetOnly));
    assert.equal(rest.length, 0);
    assert.match(f.message, /DNS lookups will fail \(unless the pods resolve through NodeLocal DNSCache at 169\.254\.20\.10, which an ipBlock allows\)/);
    assert.doesNotMatch(run(docs(web, rule('1.1.1.1/32')))[0].message, /NodeLocal/);
  });

  test('a rejected policy isolates nothing', () => {
    assert.deepEqual(run(docs(web, egress('[{to: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 0}]}]'))), []);
  });

  test('pods that do not use the cluster DNS (dnsPolicy Default or None) are not reported', () => {
    const own = (policy: string) => web.replace('    spec:\n', `    spec:\n      dnsPolicy: ${policy}\n`);
    assert.ok(own('Default').includes('dnsPolicy: Default'));
    assert.deepEqual(run(docs(own('Default'), egress('[]'))), []);
    assert.deepEqual(run(docs(own('None'), egress('[]'))), []);
    assert.equal(run(docs(own('ClusterFirst'), egress('[]'))).length, 1);
  });
});

describe('policies whose pods no manifest here declares (a workspace of policies only)', () => {
  // The recipe collection's "deny all egress from the namespace" (ahmetb recipe 12) and
  // "deny egress from app=foo" (recipe 11), applied with kubectl apply -f and no workloads.
  const denyNamespace = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: default-deny-all-egress, namespace: default}
    spec:
      policyTypes:
      - Egress
      podSelector: {}
      egress: []
  `;

  test('a policy that isolates egress and admits no DNS blocks DNS for every pod it selects', () => {
    const [f] = run(denyNamespace);
    assert.equal(f.text, 'Egress');
    assert.match(f.message, /isolates the pods it selects \(every pod in namespace default; no workload of this workspace/);
    const [g] = run(egress('[]'));
    assert.match(g.message, /\(app=web in namespace shop; no workload/);
  });

  test('unless it, or a policy selecting all of its pods, admits DNS', () => {
    const dns = egress('[{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]', 'allow-dns');
    assert.deepEqual(run(docs(egress('[]'), dns)), []);
    const allowDnsForAll = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-dns, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Egress]
        egress: [{ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]
    `;
    assert.deepEqual(run(docs(egress('[]'), allowDnsForAll)), []);
    // A policy for other pods of the namespace does not cover these.
    assert.deepEqual(run(docs(egress('[]'), allowDnsForAll.replace('podSelector: {}', 'podSelector: {matchLabels: {app: api}}'))).map((f) => f.text), ['Egress']);
  });

  test('UDP only is still a finding, with what is missing', () => {
    const [f] = run(egress('[{ports: [{port: 53, protocol: UDP}]}]'));
    assert.match(f.message, /allow UDP but not TCP port 53/);
  });

  // openshift/console-operator's openshift-console-user-settings: a namespace that runs no pods
  // (it holds per-user ConfigMaps), closed both ways in case something is deployed into it.
  const sealing = () => yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: default-deny, namespace: user-settings}
    spec:
      podSelector: {}
      policyTypes: [Ingress, Egress]
  `;

  test('a deny-all for both directions in a namespace no policy opens, with no workload here: sealed, info', () => {
    const [f, ...rest] = run(sealing());
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.equal(f.text, 'Egress');
    assert.match(f.message, /^This policy isolates every pod in namespace user-settings for ingress and egress, and no NetworkPolicy of user-settings admits anything: the namespace is sealed/);
    assert.match(f.message, /No workload of this workspace runs in user-settings: if it is meant to stay empty .*nothing is wrong\. If pods are to run there, allow what they need, DNS included/);
    // Its own namespace only: a policy elsewhere that admits traffic changes nothing.
    assert.equal(run(docs(sealing(), egress('[{to: [{podSelector: {}}]}]'))).find((f) => f.message.includes('user-settings'))?.severity, 'info');
  });

  test('not sealed: a policy of the namespace admits something, an egress-only deny, no namespace written, a workload there', () => {
    const opener = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-web, namespace: user-settings}
      spec:
        podSelector: {matchLabels: {app: web}}
        policyTypes: [Ingress]
        ingress: [{from: [{podSelector: {}}]}]
    `;
    const severities = (input: string) => run(input).map((f) => f.severity);
    assert.deepEqual(severities(docs(sealing(), opener)), ['warning']);
    // A policy that sets no namespace is in the sealed namespace by assumption only: it does not open it
    // (aks-baseline-regulated: a namespace-less allow beside default's deny-all).
    const sealedDefault = run(docs(sealing().replace(/user-settings/g, 'default'), opener.replace(', namespace: user-settings', '')));
    assert.deepEqual(sealedDefault.map((f) => f.severity), ['info']);
    assert.match(sealedDefault[0].message, /the namespace is sealed/);
    assert.deepEqual(severities(sealing().replace('[Ingress, Egress]', '[Egress]')), ['warning']);
    assert.deepEqual(severities(sealing().replace(', namespace: user-settings', '')), ['warning']);
    // A workload of the workspace in the namespace is cut off: the workload's warning.
    const found = run(docs(sealing(), deployment('app', { namespace: 'user-settings', labels: { app: 'x' } })));
    assert.deepEqual(found.map((f) => f.severity), ['warning']);
    assert.match(found[0].message, /^This policy isolates Deployment user-settings\/app for egress/);
  });

  test('a sealed namespace whose only workload runs on the host network: info, naming it (not "no workload")', () => {
    // openshift/cluster-network-operator: default-deny beside the hostNetwork network-operator.
    const operator = deployment('network-operator', { namespace: 'user-settings', labels: { name: 'network-operator' }, hostNetwork: true });
    const [f, ...rest] = run(docs(sealing(), operator));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /the namespace is sealed for pods on the pod network/);
    assert.match(f.message, /The workloads of this workspace in user-settings run on the host network: Deployment user-settings\/network-operator uses hostNetwork, which NetworkPolicy does not isolate .*so it keeps DNS\./);
    assert.doesNotMatch(f.message, /No workload of this workspace/);
    // With --host-network pod the operator is an ordinary pod, cut off from DNS: its warning.
    const asPod = run(docs(sealing(), operator), {}, { hostNetwork: 'pod' });
    assert.deepEqual(asPod.map((x) => x.severity), ['warning']);
    assert.match(asPod[0].message, /^This policy isolates Deployment user-settings\/network-operator for egress/);
  });

  test('an egress policy that selects only hostNetwork workloads here: info, naming them (not "wherever they are deployed")', () => {
    const hostWeb = deployment('web', { namespace: 'shop', labels: { app: 'web' }, hostNetwork: true });
    const [f, ...rest] = run(docs(hostWeb, egress('[{ports: [{port: 443}]}]')));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /^This policy isolates the pods it selects \(app=web in namespace shop\) for egress, and none of the egress rules/);
    assert.match(f.message, /Deployment shop\/web uses hostNetwork.*so it keeps DNS; DNS fails only for pods on the pod network it would select, none of them in this workspace/);
    assert.doesNotMatch(f.message, /wherever they are deployed/);
    // A hostNetwork workload of another namespace, or one the selector does not match, changes nothing: the warning stays.
    assert.deepEqual(run(docs(hostWeb.replace('namespace: shop', 'namespace: other'), egress('[{ports: [{port: 443}]}]'))).map((x) => x.severity), ['warning']);
    assert.deepEqual(run(docs(hostWeb.replace(/app":"web"/g, 'app":"api"'), egress('[{ports: [{port: 443}]}]'))).map((x) => x.severity), ['warning']);
  });

  test('a policy selecting workloads here is judged by them, not twice', () => {
    assert.equal(run(docs(web, egress('[]'))).length, 1);
    assert.match(run(docs(web, egress('[]')))[0].message, /isolates Deployment shop\/web for egress/);
  });
});

describe('a policy without a namespace, beside manifests of several namespaces (applied with -n)', () => {
  // eks-workshop's apply-network-policies/: default-deny.yaml sets no namespace (the lab
  // applies it with kubectl apply -n ui), allow-ui-egress.yaml admits egress to kube-system.
  const lab = 'manifests/modules/networking/network-policies/apply-network-policies';
  const defaultDeny = 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata:\n  name: default-deny\nspec:\n  podSelector:\n    matchLabels: {}\n  policyTypes:\n    - Egress\n';
  const allowUiEgress = (to: string) => yaml`
    kind: NetworkPolicy
    apiVersion: networking.k8s.io/v1
    metadata:
      namespace: ui
      name: allow-ui-egress
    spec:
      podSelector:
        matchLabels:
          app.kubernetes.io/name: ui
      policyTypes:
        - Egress
      egress:
        - to: ${to}
  `;
  const kubeSystem = '[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]';
  const files = (to: string, extra: SourceFile[] = []): SourceFile[] => [
    { path: `${lab}/default-deny.yaml`, text: defaultDeny },
    { path: `${lab}/allow-ui-egress.yaml`, text: allowUiEgress(to) },
    { path: 'manifests/base-application/ui/deployment.yaml', text: deployment('ui', { namespace: 'ui', labels: { 'app.kubernetes.io/name': 'ui' } }) },
    ...extra,
  ];

  test('where a namespace of the workspace admits DNS for the pods it would select: info, naming that policy', () => {
    const found = run(files(kubeSystem));
    assert.equal(found.length, 1);
    assert.equal(found[0].span.file, `${lab}/default-deny.yaml`);
    assert.equal(found[0].severity, 'info');
    assert.match(found[0].message, /^This policy sets no namespace, so which pods it isolates for egress, and whether they keep DNS, depend on the namespace it is applied into\. Analysed in namespace default \(an assumption\)/);
    assert.match(found[0].message, /Applied into ui \(where ui\/allow-ui-egress admits DNS for them\), the pods it selects there keep DNS\./);
  });

  test('a pod it would select there without DNS keeps the warning', () => {
    const found = run(files(kubeSystem, [{ path: 'manifests/base-application/ui/worker.yaml', text: deployment('worker', { namespace: 'ui', labels: { app: 'worker' } }) }]));
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
  });

  test('where nothing could admit DNS, the policy-only verdict stays a warning', () => {
    const found = run(files('[{podSelector: {matchLabels: {app.kubernetes.io/component: service}}}]'));
    const deny = found.filter((f) => f.span.file === `${lab}/default-deny.yaml`);
    assert.equal(deny.length, 1);
    assert.equal(deny[0].severity, 'warning');
    assert.match(deny[0].message, /^This policy isolates the pods it selects \(every pod in namespace default, namespace not set;/);
  });

  test('in a bundle installed with -n as a whole, the bundle decides: a warning', () => {
    // bundle/: no object sets a namespace (kubectl apply -n NS bundle/): the worker goes with the policy.
    const found = run(files(kubeSystem, [{ path: 'bundle/worker.yaml', text: deployment('worker', { labels: { app: 'worker' } }) }]).map((f) => (f.path.endsWith('default-deny.yaml') ? { ...f, path: 'bundle/default-deny.yaml' } : f)));
    assert.equal(found.length, 1);
    assert.equal(found[0].span.file, 'bundle/default-deny.yaml');
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /^This policy isolates Deployment default\/worker \(namespace not set; analysed as default\) for egress/);
  });

  test('a written namespace is no assumption: a warning', () => {
    const found = run(files(kubeSystem).map((f) => (f.path.endsWith('default-deny.yaml') ? { ...f, text: f.text.replace('name: default-deny', 'name: default-deny\n  namespace: default') } : f)));
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
  });
});
