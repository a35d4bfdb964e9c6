import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterConnlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';
import { GENERIC_INGRESS_CONTROLLER } from '../../../../server/src/core/k8s/cluster';

const NGINX = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

const STORE = docs(
  namespace('web'),
  deployment('storefront', {
    namespace: 'web',
    labels: { app: 'storefront' },
    ports: [
      { containerPort: 8080, name: 'http' },
      { containerPort: 8443, name: 'https' },
      { containerPort: 9090, name: 'metrics' },
    ],
  }),
  deployment('worker', { namespace: 'web', labels: { app: 'worker' } }),
  yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: storefront, namespace: web}
    spec:
      selector: {app: storefront}
      ports:
        - {name: http, port: 80, targetPort: http}
        - {name: https, port: 443, targetPort: 8443}
        - {name: admin, port: 9000, targetPort: 9999}
  `,
);

function ingress(backend: string, ns = 'web'): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: ${ns}}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
${backend.split('\n').map((l) => `                ${l}`).join('\n')}
`;
}

const controllerLines = (text: string, options = {}) => clusterConnlist(text, options).filter((l) => l.startsWith('{ingress-controller}'));

describe('ingress controller connections', () => {
  test('Ingress -> Service port by number -> named targetPort on the pod', () => {
    assert.deepEqual(controllerLines(docs(STORE, ingress('name: storefront\nport: {number: 80}'))), ['{ingress-controller} => web/storefront[Deployment] : TCP 8080']);
  });

  test('Ingress -> Service port by name -> numeric targetPort', () => {
    assert.deepEqual(controllerLines(docs(STORE, ingress('name: storefront\nport: {name: https}'))), ['{ingress-controller} => web/storefront[Deployment] : TCP 8443']);
  });

  test('only ports the pod declares: a targetPort the pod does not declare gives nothing', () => {
    assert.deepEqual(controllerLines(docs(STORE, ingress('name: storefront\nport: {name: admin}'))), []);
  });

  test('an OpenShift Route without a port reaches every declared target port; with targetPort, that one', () => {
    const route = (port: string) => yaml`
      apiVersion: route.openshift.io/v1
      kind: Route
      metadata: {name: shop, namespace: web}
      spec:
        host: shop.apps.example.com
        to: {kind: Service, name: storefront}
        ${port}
    `;
    assert.deepEqual(controllerLines(docs(STORE, route(''))), ['{ingress-controller} => web/storefront[Deployment] : TCP 8080,8443']);
    assert.deepEqual(controllerLines(docs(STORE, route('port: {targetPort: 8443}'))), ['{ingress-controller} => web/storefront[Deployment] : TCP 8443']);
    assert.deepEqual(controllerLines(docs(STORE, route('port: {targetPort: http}'))), ['{ingress-controller} => web/storefront[Deployment] : TCP 8080']);
  });

  test('a Service without selector is ignored, as is a backend Service in another namespace', () => {
    const noSelector = yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: legacy, namespace: web}
      spec:
        ports: [{port: 80, targetPort: 8080}]
    `;
    assert.deepEqual(controllerLines(docs(STORE, noSelector, ingress('name: legacy\nport: {number: 80}'))), []);
    assert.deepEqual(controllerLines(docs(STORE, ingress('name: storefront\nport: {number: 80}', 'other'))), []);
  });

  test('Ingress traffic is TCP: a port the pod declares only for UDP is not reachable', () => {
    const text = docs(
      deployment('resolver', { namespace: 'web', labels: { app: 'resolver' }, ports: [{ containerPort: 5353, name: 'mdns', protocol: 'UDP' }] }),
      yaml`
        apiVersion: v1
        kind: Service
        metadata: {name: resolver, namespace: web}
        spec:
          selector: {app: resolver}
          ports: [{name: web, port: 80, targetPort: 5353}]
      `,
      ingress('name: resolver\nport: {number: 80}'),
    );
    assert.deepEqual(controllerLines(text), []);
  });

  test('NetworkPolicies must admit the ingress controller pod; the result is the intersection', () => {
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: storefront-from-ingress, namespace: web}
      spec:
        podSelector: {matchLabels: {app: storefront}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
                podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
            ports: [{port: 8080}, {port: 9090}]
    `;
    const both = docs(
      STORE,
      policy,
      ingress('name: storefront\nport: {number: 80}'),
      ingress('name: storefront\nport: {number: 443}').replace('name: shop,', 'name: shop-tls,'),
    );
    // Routed: 8080 and 8443; admitted: 8080 and 9090.
    assert.deepEqual(controllerLines(both, { ingressController: NGINX }), ['{ingress-controller} => web/storefront[Deployment] : TCP 8080']);
    // The default is ingress-nginx's chart: admitted the same way.
    assert.deepEqual(controllerLines(both), ['{ingress-controller} => web/storefront[Deployment] : TCP 8080']);
    // netpol-analyzer's generic controller (unlabeled, in a namespace of its own) is not admitted.
    assert.deepEqual(controllerLines(both, { ingressController: GENERIC_INGRESS_CONTROLLER }), []);
    // The same controller with other labels is not admitted either.
    assert.deepEqual(controllerLines(both, { ingressController: { namespace: 'ingress-nginx', labels: { app: 'traefik' } } }), []);
  });

  test("egress isolation of the controller's namespace applies to the controller too", () => {
    const text = docs(
      STORE,
      ingress('name: storefront\nport: {number: 80}'),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-egress, namespace: ingress-nginx}
        spec:
          podSelector: {}
          policyTypes: [Egress]
      `,
    );
    assert.deepEqual(controllerLines(text, { ingressController: NGINX }), []);
    // The default controller also runs in ingress-nginx: blocked the same way.
    assert.deepEqual(controllerLines(text), []);
    assert.deepEqual(controllerLines(text, { ingressController: GENERIC_INGRESS_CONTROLLER }), ['{ingress-controller} => web/storefront[Deployment] : TCP 8080']);
  });
});
