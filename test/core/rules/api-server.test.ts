import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import { applyEdits, type TextEdit } from '../../../server/src/core/base/edits';
import { yaml } from '../../helpers/manifests';

// A webhook server as kubeflow ships them (common/kubeflow-namespace/base/kubeflow-system/
// *-webhook.yaml): the Deployment, its Service, the webhook configuration that points the
// API server at it, and a policy admitting the webhook port from every source.
const webhook = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: trainer-controller-manager, namespace: kubeflow-system}
  spec:
    selector: {matchLabels: {app.kubernetes.io/name: trainer}}
    template:
      metadata: {labels: {app.kubernetes.io/name: trainer}}
      spec:
        containers:
        - name: manager
          image: ghcr.io/kubeflow/trainer/trainer-controller-manager
          ports:
          - {name: webhook-server, containerPort: 9443}
          - {name: metrics, containerPort: 8080}
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: kubeflow-trainer-controller-manager, namespace: kubeflow-system}
  spec:
    selector: {app.kubernetes.io/name: trainer}
    ports:
    - {name: webhook, port: 443, targetPort: webhook-server}
  ---
  apiVersion: admissionregistration.k8s.io/v1
  kind: ValidatingWebhookConfiguration
  metadata: {name: validator.trainer.kubeflow.org}
  webhooks:
  - name: validator.trainjob.trainer.kubeflow.org
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: kubeflow-trainer-controller-manager, namespace: kubeflow-system, path: /validate-trainer-kubeflow-org-v1alpha1-trainjob}
`;

const openPolicy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: trainer-webhook, namespace: kubeflow-system}
  spec:
    podSelector: {matchLabels: {app.kubernetes.io/name: trainer}}
    policyTypes: [Ingress]
    ingress:
    - ports: [{port: 9443, protocol: TCP}]
`;

describe('ports the API server calls (webhooks, APIServices)', () => {
  test('the model knows the Service ports the webhook configuration points at (port 443 by default)', () => {
    const { model } = analyze([{ path: 'trainer.yaml', text: webhook }]);
    assert.deepEqual(model.apiServerTargets, [{ namespace: 'kubeflow-system', name: 'kubeflow-trainer-controller-manager', port: 443, by: 'ValidatingWebhookConfiguration validator.trainer.kubeflow.org' }]);
  });

  test('allow-all-peers offers no "allow only from pods of namespace X" on a webhook port', () => {
    const text = `${webhook}---\n${openPolicy}`;
    const analysis = analyze([{ path: 'trainer.yaml', text }]);
    const finding = runRules(analysis).find((f) => f.rule === 'allow-all-peers');
    assert.ok(finding);
    assert.deepEqual(fixesFor(finding, { analysis, text: () => text }), []);
    // The same policy on the metrics port is offered restrictions, as before.
    const metrics = text.replace('ports: [{port: 9443, protocol: TCP}]', 'ports: [{port: 8080, protocol: TCP}]');
    const a2 = analyze([{ path: 'trainer.yaml', text: metrics }]);
    const f2 = runRules(a2).find((f) => f.rule === 'allow-all-peers');
    assert.ok(f2 && fixesFor(f2, { analysis: a2, text: () => metrics }).some((f) => /Allow only from pods of namespace kubeflow-system/.test(f.title)));
  });

  test('workload-not-isolated says the API server calls the port, and its fix keeps it open to every source', () => {
    const analysis = analyze([{ path: 'trainer.yaml', text: webhook }]);
    const finding = runRules(analysis).find((f) => f.rule === 'workload-not-isolated');
    assert.ok(finding);
    assert.match(finding.message, /The API server calls TCP 9443 \(ValidatingWebhookConfiguration validator\.trainer\.kubeflow\.org\): it is no pod/);
    const [fix] = fixesFor(finding, { analysis, text: () => webhook });
    assert.match(fix.title, /its ports from namespace kubeflow-system only, the API server's port webhook-server from anywhere/);
    const fixed = applyEdits(webhook, fix.edits as TextEdit[]);
    assert.match(fixed, /ingress:\n\s+- from:\n\s+- podSelector: \{\}\n\s+ports:\n\s+- \{port: metrics, protocol: TCP\}\n\s+- ports:\n\s+- \{port: webhook-server, protocol: TCP\}\n/);
  });
});
