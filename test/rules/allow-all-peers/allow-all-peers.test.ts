import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { allowAllPeers } from '../../../server/src/core/rules/allow-all-peers';
import { analyzeYaml, deployment, docs, yaml } from '../../helpers/manifests';

function run(text: string, severities: Record<string, 'error' | 'warning' | 'info' | 'hint' | 'off'> = {}) {
  return runRules(analyzeYaml(text), { rules: [allowAllPeers], severities }).map((f) => ({ severity: f.severity, path: f.path, message: f.message }));
}

const frontend = deployment('frontend', { namespace: 'shop', labels: { app: 'frontend' }, ports: [{ containerPort: 8080, name: 'http' }] });
const metrics = deployment('api', { namespace: 'shop', labels: { app: 'api' }, ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] });

function service(name: string, type: string, selector: Record<string, string>, port: number, targetPort: number | string): string {
  return yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: ${name}, namespace: shop}
    spec:
      type: ${type}
      selector: ${JSON.stringify(selector)}
      ports:
        - {name: http, port: ${port}, targetPort: ${JSON.stringify(targetPort)}}
  `;
}

function policy(app: string, rules: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${app}, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: ${app}}
  policyTypes: [Ingress, Egress]
${rules}`;
}

describe('allow-all-peers: deliberate allow-alls are info', () => {
  test('ingress: [{}] and egress: [{}] (Online Boutique, kube-prometheus) are info, and say they read as deliberate', () => {
    const found = run(docs(frontend, policy('frontend', '  ingress:\n    - {}\n  egress:\n    - {}\n')));
    assert.deepEqual(found.map((f) => [f.path, f.severity]), [['spec.ingress[0]', 'info'], ['spec.egress[0]', 'info']]);
    assert.match(found[0].message, /explicit allow-all/);
    assert.match(found[1].message, /keeping DNS/);
  });

  test('a ports-only rule on the port a LoadBalancer Service exposes is info and names it; on a ClusterIP port it is info as a written choice', () => {
    const lb = run(docs(frontend, service('frontend-external', 'LoadBalancer', { app: 'frontend' }, 80, 8080), policy('frontend', '  ingress:\n    - ports:\n        - port: 8080\n')));
    assert.deepEqual(lb.map((f) => f.severity), ['info']);
    assert.match(lb[0].message, /Service shop\/frontend-external \(type LoadBalancer\) exposes these ports/);
    const clusterIp = run(docs(frontend, service('frontend', 'ClusterIP', { app: 'frontend' }, 80, 8080), policy('frontend', '  ingress:\n    - ports:\n        - port: 8080\n')));
    assert.deepEqual(clusterIp.map((f) => f.severity), ['info']);
    assert.match(clusterIp[0].message, /lists ports but no "from", so it admits every source on those ports/);
  });

  test('a NodePort Service by named targetPort, and a rule naming the port, count', () => {
    const named = run(docs(frontend, service('front-end', 'NodePort', { app: 'frontend' }, 80, 'http'), policy('frontend', '  ingress:\n    - ports:\n        - port: http\n')));
    assert.deepEqual(named.map((f) => f.severity), ['info']);
    const numeric = run(docs(frontend, service('front-end', 'NodePort', { app: 'frontend' }, 80, 'http'), policy('frontend', '  ingress:\n    - ports:\n        - port: 8080\n')));
    assert.deepEqual(numeric.map((f) => f.severity), ['info']);
  });

  test('an Ingress routing to a ClusterIP Service exposes its target port', () => {
    const ingress = yaml`
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: web, namespace: shop}
      spec:
        rules:
          - http:
              paths:
                - path: /
                  pathType: Prefix
                  backend: {service: {name: frontend, port: {number: 80}}}
    `;
    const found = run(docs(frontend, service('frontend', 'ClusterIP', { app: 'frontend' }, 80, 8080), ingress, policy('frontend', '  ingress:\n    - ports:\n        - port: 8080\n')));
    assert.deepEqual(found.map((f) => f.severity), ['info']);
    assert.match(found[0].message, /Ingress shop\/web exposes/);
  });

  test('a rule that also opens a port nothing exposes (metrics beside the web port) does not say the exposer is the design', () => {
    const found = run(docs(metrics, service('api', 'LoadBalancer', { app: 'api' }, 80, 8080), policy('api', '  ingress:\n    - ports:\n        - port: 8080\n        - port: 9090\n')));
    assert.deepEqual(found.map((f) => f.severity), ['info']);
    assert.doesNotMatch(found[0].message, /exposes these ports/);
  });

  test('an emptied list (from: [], to: []) or a rule open on every port stays a warning', () => {
    const found = run(docs(frontend, policy('frontend', '  ingress:\n    - from: []\n      ports:\n        - port: 8080\n    - from: []\n  egress:\n    - to: []\n')));
    assert.deepEqual(found.map((f) => [f.path, f.severity]), [['spec.ingress[0]', 'warning'], ['spec.ingress[1]', 'warning'], ['spec.egress[0]', 'warning']]);
  });

  test('an emptied "from" on pods a NodePort Service exposes is info: admitting everyone is the design, and it names the exposed port to keep (container.training webui)', () => {
    const rules = '  ingress:\n    - from: []\n';
    const [f] = run(docs(frontend, service('front-end', 'NodePort', { app: 'frontend' }, 80, 'http'), policy('frontend', rules)));
    assert.deepEqual([f.path, f.severity], ['spec.ingress[0]', 'info']);
    assert.match(f.message, /Service shop\/front-end \(type NodePort\) exposes port 8080\/TCP of these pods outside the cluster, so admitting every source reads as the design, but every other port is open to every source too\. To keep the opening to what is exposed, add ports: \[\{port: 8080, protocol: TCP\}\]\./);
    // Behind a ClusterIP Service nothing is exposed: the warning stays.
    assert.deepEqual(run(docs(frontend, service('front-end', 'ClusterIP', { app: 'frontend' }, 80, 'http'), policy('frontend', rules))).map((x) => x.severity), ['warning']);
  });

  test('an egress rule with ports but no "to" is info, and a severity the user set applies to every finding', () => {
    const text = docs(frontend, policy('frontend', '  ingress:\n    - {}\n  egress:\n    - ports:\n        - port: 443\n'));
    assert.deepEqual(run(text).map((f) => f.severity), ['info', 'info']);
    assert.deepEqual(run(text, { 'allow-all-peers': 'error' }).map((f) => f.severity), ['error', 'error']);
  });
});
