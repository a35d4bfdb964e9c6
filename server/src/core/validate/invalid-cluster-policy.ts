import type { Rule } from '../lint/rule';
import { clusterPolicyProblems } from './cluster-schema-check';

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
    description: 'AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects as their CRDs validate them (required fields, enums, bounds, exactly-one fields, unknown fields, CEL rules).',
  },
  checkFile(file, report) {
    for (const obj of file.objects) for (const p of clusterPolicyProblems(obj)) report(p);
  },
};
