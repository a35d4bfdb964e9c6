import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRule } from '../../helpers/traffic';
import { ROOT } from '../../helpers/paths';
import { deployment, docs, yaml } from '../../helpers/manifests';

const BAD = readFileSync(resolve(ROOT, 'test/rules/ipblock-covers-pods/bad.yaml'), 'utf8');

test('names the workloads, the profiles on each side and the profile in use', () => {
  const [pods, nodes] = runRule('ipblock-covers-pods', BAD, { analyze: { cni: 'cilium' } });
  assert.match(pods.message, /^ipBlock 10\.244\.2\.9\/32 holds the addresses of pods of shop\/api-5c4b\[ReplicaSet\]: whether this egress rule admits traffic to them by address depends on the network plugin\./);
  assert.match(pods.message, /Profiles that match their pod addresses: default, calico, gke-dataplane-v2, ovn-kubernetes, antrea, kube-router, aws-vpc-cni; that do not \(only selectors match them\): cilium, cilium-1\.15\./);
  assert.match(pods.message, /This analysis uses the cilium profile \(Cilium; --cni or netpol\.cni\)\./);
  assert.match(nodes.message, /holds the node addresses of hostNetwork pods of monitoring\/node-exporter\[DaemonSet\]: whether this ingress rule admits traffic from them/);
});

test('manifests without status have no known addresses: silent', () => {
  const text = docs(
    deployment('api', { namespace: 'shop', labels: { app: 'api' } }),
    yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: to-pods, namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Egress]
        egress:
          - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
    `,
  );
  assert.deepEqual(runRule('ipblock-covers-pods', text), []);
});
