import type { Rule } from '../lint/rule';
import { clusterPolicyProblems, isRejection } from './cluster-schema-check';

/**
 * What the API server rejects in an AdminNetworkPolicy, BaselineAdminNetworkPolicy
 * (policy.networking.k8s.io/v1alpha1) or ClusterNetworkPolicy (v1alpha2): the CRD's
 * schema and CEL rules (k8s/cluster-schema.ts). A rejected cluster policy does not
 * exist in the cluster, and the analysis leaves it out.
 */
export const invalidClusterPolicy: Rule = {
  meta: {
    id: 'invalid-cluster-policy',
    category: 'validation',
    defaultSeverity: 'error',
    description:
      'AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects as their CRDs validate them (required fields, enums, bounds, exactly-one fields, unknown fields, CEL rules); info for a peer written for the v0.1.0–v0.1.2 CRDs (which release the cluster runs is not in the manifests).',
  },
  checkFile(file, report) {
    // A peer written for an earlier release of the CRDs holds if the cluster runs that
    // release, which the manifests do not say (network-policy-api's walkthrough installs
    // v0.1.1 on purpose); a cluster that runs a later one refuses it loudly at apply time
    // (strict decoding), never silently. Said (info), not warned.
    for (const obj of file.objects) for (const p of clusterPolicyProblems(obj)) report(isRejection(p) ? p : { message: p.message, span: p.span, path: p.path, severity: 'info' });
  },
};
