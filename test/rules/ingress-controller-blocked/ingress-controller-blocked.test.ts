import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, docs, namespace, yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

const NGINX = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

const SHOP = docs(
  namespace('shop'),
  deployment('web', { namespace: 'shop', labels: { app: 'web' }, ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8443, name: 'https' }] }),
  yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec:
      selector: {app: web}
      ports:
        - {name: http, port: 80, targetPort: http}
        - {name: https, port: 443, targetPort: https}
  `,
  yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: shop, namespace: shop}
    spec:
      defaultBackend:
        service: {name: web}
  `,
  yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: default-deny, namespace: shop}
    spec:
      podSelector: {}
  `,
);

const admitNginx = (ports: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: web-from-nginx, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress:
      - from:
          - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
            podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
        ports: ${ports}
`;

describe('ingress-controller-blocked', () => {
  test('names the configured controller, the workloads, the ports and the peer to add', () => {
    const found = runRule('ingress-controller-blocked', SHOP, { analyze: { ingressController: NGINX } });
    assert.equal(found.length, 1);
    assert.equal(found[0].text, 'web');
    assert.equal(found[0].path, 'spec.defaultBackend.service.name');
    const m = found[0].message;
    assert.match(m, /^Ingress shop\/shop routes to Service web, but the ingress controller cannot reach shop\/web\[Deployment\] on TCP 8080,8443/);
    assert.match(m, /assumed in namespace ingress-nginx with labels app.kubernetes.io\/name=ingress-nginx; configurable\) on the Service's target port/);
    assert.match(m, /from: \[\{namespaceSelector: \{matchLabels: \{kubernetes.io\/metadata.name: ingress-nginx\}\}, podSelector: \{matchLabels: \{app.kubernetes.io\/name: ingress-nginx\}\}\}\] and ports: \[\{port: 8080\}, \{port: 8443\}\]/);
  });

  test('admitting the controller on one target port leaves the other one reported', () => {
    const found = runRule('ingress-controller-blocked', docs(SHOP, admitNginx('[{port: 8080}]')), { analyze: { ingressController: NGINX } });
    assert.equal(found.length, 1);
    assert.match(found[0].message, /on TCP 8443:/);
    assert.match(found[0].message, /ports: \[\{port: 8443\}\]\.$/);
  });

  test('the peer must match where the controller is: another controller location is still blocked', () => {
    const admitted = runRule('ingress-controller-blocked', docs(SHOP, admitNginx('[{port: http}, {port: 8443}]')), { analyze: { ingressController: NGINX } });
    assert.deepEqual(admitted, []);
    const traefik = { namespace: 'traefik', labels: { 'app.kubernetes.io/name': 'traefik' } };
    const found = runRule('ingress-controller-blocked', docs(SHOP, admitNginx('[{port: http}, {port: 8443}]')), { analyze: { ingressController: traefik } });
    assert.equal(found.length, 1);
    assert.match(found[0].message, /assumed in namespace traefik/);
  });

  test("the controller's own egress policies are named as the cause when the backend admits it", () => {
    const open = docs(
      SHOP.replace(/kind: NetworkPolicy\nmetadata: \{name: default-deny[^]*$/, 'kind: ConfigMap\nmetadata: {name: unrelated, namespace: shop}\n'),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-egress, namespace: ingress-nginx}
        spec:
          podSelector: {}
          policyTypes: [Egress]
      `,
    );
    const found = runRule('ingress-controller-blocked', open, { analyze: { ingressController: NGINX } });
    assert.equal(found.length, 1);
    assert.match(found[0].message, /egress policies of namespace ingress-nginx that select the controller/);
  });

  test('a v1beta1 backend (serviceName) in another file', () => {
    const legacy = yaml`
      apiVersion: extensions/v1beta1
      kind: Ingress
      metadata: {name: legacy, namespace: shop}
      spec:
        rules:
          - http:
              paths:
                - backend: {serviceName: web, servicePort: 80}
    `;
    const found = runRule('ingress-controller-blocked', [{ path: 'shop.yaml', text: SHOP }, { path: 'legacy.yaml', text: legacy }], { analyze: { ingressController: NGINX } });
    assert.deepEqual(found.map((f) => [f.at, f.text, f.path]), [
      ['shop.yaml:40:20-23', 'web', 'spec.defaultBackend.service.name'],
      ['legacy.yaml:8:35-38', 'web', 'spec.rules[0].http.paths[0].backend.serviceName'],
    ]);
    assert.match(found[1].message, /on TCP 8080:/);
  });

  test('the workspace deploys the controller: its own pods are judged, by all their labels (aks-baseline-regulated)', () => {
    const controller = deployment('ingress-nginx-controller', {
      namespace: 'ingress-nginx',
      labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    });
    const byComponent = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web-from-controller, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
                podSelector: {matchLabels: {app.kubernetes.io/component: controller}}
            ports: [{port: http}, {port: https}]
    `;
    // The stand-in carries only the assumed label: the policy's component label does not match it.
    assert.equal(runRule('ingress-controller-blocked', docs(SHOP, byComponent), { analyze: { ingressController: NGINX } }).length, 1);
    // The deployed controller carries it: admitted.
    assert.deepEqual(runRule('ingress-controller-blocked', docs(SHOP, byComponent, controller), { analyze: { ingressController: NGINX } }), []);
    // Still blocked without the policy, and the message names the deployed controller.
    const [f] = runRule('ingress-controller-blocked', docs(SHOP, controller), { analyze: { ingressController: NGINX } });
    assert.match(f.message, /no policy admits the controller \(ingress-nginx\/ingress-nginx-controller\[Deployment\], in namespace ingress-nginx\)/);
  });

  test('an Ingress of another class is served by another controller: not judged against the assumed ingress-nginx (k8s-security-demos)', () => {
    const traefikClass = SHOP.replace('metadata: {name: shop, namespace: shop}\nspec:\n', 'metadata: {name: shop, namespace: shop}\nspec:\n  ingressClassName: traefik\n');
    assert.notEqual(traefikClass, SHOP);
    assert.deepEqual(runRule('ingress-controller-blocked', traefikClass), []);
    const annotated = SHOP.replace('metadata: {name: shop, namespace: shop}\nspec:\n', 'metadata: {name: shop, namespace: shop, annotations: {kubernetes.io/ingress.class: traefik}}\nspec:\n');
    assert.notEqual(annotated, SHOP);
    assert.deepEqual(runRule('ingress-controller-blocked', annotated), []);
    // The nginx class, or a controller the options name, is judged.
    assert.equal(runRule('ingress-controller-blocked', traefikClass.replace('ingressClassName: traefik', 'ingressClassName: nginx')).length, 1);
    const traefik = { namespace: 'traefik', labels: { 'app.kubernetes.io/name': 'traefik' } };
    assert.equal(runRule('ingress-controller-blocked', traefikClass, { analyze: { ingressController: traefik } }).length, 1);
  });
});
