import type { Model } from '../../model/types';
import { summarize } from './isolation';

/**
 * Network policies of other engines that may apply to pods of `namespace`: the cluster-wide
 * ones, and that namespace's (Model.foreignPolicies), by label.
 */
export function foreignPoliciesFor(model: Model, namespace: string): string[] {
  if (model.foreignPolicies.length === 0) return [];
  return model.foreignPolicies.filter((p) => p.namespace === undefined || p.namespace === namespace).map((p) => p.label);
}

/**
 * The sentence a verdict that rests on the NetworkPolicies alone adds when other engines'
 * policies may apply (a Calico GlobalNetworkPolicy in a tier before the NetworkPolicies may
 * allow DNS, or deny everything): empty when none do. `may` says what they may do.
 */
export function foreignPoliciesNote(model: Model, namespace: string, may: string): string {
  const labels = foreignPoliciesFor(model, namespace);
  if (labels.length === 0) return '';
  return ` This rests on the NetworkPolicies alone: ${labels.length === 1 ? 'a policy' : 'policies'} of another engine in this workspace (${summarize(labels, 3)}) ${labels.length === 1 ? 'is' : 'are'} enforced beside them, and not modelled here, so ${labels.length === 1 ? 'it' : 'they'} may ${may}.`;
}
