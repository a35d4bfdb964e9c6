import { describeFlows, groupByAnchor, policyLabel } from './flows';
import { isClusterResponsible } from '../types';
import type { ChangeRule } from './types';

/**
 * A pending edit opens a flow from outside the destination's namespace: from another
 * namespace, from address ranges outside the cluster, or from the ingress controller.
 * Often intended, worth a look every time: this is how staging ends up admitted into
 * production.
 */
export const changeOpensExternalFlow: ChangeRule = {
  meta: {
    id: 'change-opens-external-flow',
    category: 'change',
    defaultSeverity: 'info',
    description: 'A pending edit opens a flow from another namespace or from IP ranges.',
  },
  checkChange(impact, report) {
    const external = impact.entries.filter((e) => e.external);
    for (const { at, entries } of groupByAnchor(external, (r) => r.role === 'allows' || r.role === 'no-longer-isolates')) {
      const cause = isClusterResponsible(at)
        ? at.role === 'no-longer-isolates'
          ? `the rule of ${policyLabel(at)} that denied ${entries.length === 1 ? 'it' : 'them'} was changed or removed`
          : `this rule of ${policyLabel(at)} admits ${entries.length === 1 ? 'it' : 'them'}`
        : at.role === 'no-longer-isolates'
          ? `NetworkPolicy ${at.policy.namespace}/${at.policy.name} no longer isolates the pod`
          : `this rule of ${at.policy.namespace}/${at.policy.name} admits ${entries.length === 1 ? 'it' : 'them'}`;
      report({
        at,
        message: `This edit opens ${describeFlows(entries, 'gained')} from outside the namespace: ${cause}. Make sure that is intended, or narrow the peers (${isClusterResponsible(at) ? 'a pods peer instead of namespaces, a narrower selector' : 'namespaceSelector and podSelector in one peer, a smaller ipBlock'}).`,
      });
    }
  },
};
