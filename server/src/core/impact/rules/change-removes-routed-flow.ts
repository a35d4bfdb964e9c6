import { describeFlows, groupByAnchor, policyLabel } from './flows';
import { isClusterResponsible } from '../types';
import type { ChangeRule } from './types';

/**
 * A pending edit closes a flow that a Service or Ingress of the workspace routes to:
 * the clients of that Service lose the ports it forwards to (or the ingress controller
 * loses its backend). Reported where the responsible policy is: the rule that allowed
 * the flow, or the policy that now isolates the pod.
 */
export const changeRemovesRoutedFlow: ChangeRule = {
  meta: {
    id: 'change-removes-routed-flow',
    category: 'change',
    defaultSeverity: 'warning',
    description: 'A pending edit closes a flow that a Service or Ingress routes to.',
  },
  checkChange(impact, report) {
    const breaking = impact.entries.filter((e) => e.breaking);
    for (const { at, entries } of groupByAnchor(breaking, (r) => r.role === 'no-longer-allows' || r.role === 'isolates')) {
      const cause = isClusterResponsible(at)
        ? at.role === 'isolates'
          ? `this rule of ${policyLabel(at)} now ${at.rule.action === 'Pass' ? 'passes' : 'denies'} ${entries.length === 1 ? 'it' : 'them'}${at.rule.action === 'Pass' ? ' to the tiers below, which deny' : ''}`
          : `the rule of ${policyLabel(at)} that allowed ${entries.length === 1 ? 'it' : 'them'} was changed or removed`
        : at.role === 'isolates'
          ? `NetworkPolicy ${at.policy.namespace}/${at.policy.name} now isolates the pod and none of its rules admits the source`
          : `the rule of ${at.policy.namespace}/${at.policy.name} that allowed ${entries.length === 1 ? 'it' : 'them'} was changed or removed`;
      report({
        at,
        message: `This edit closes ${describeFlows(entries, 'lost')} that a Service or Ingress routes to: ${cause}. Allow ${entries.length === 1 ? 'it' : 'them'} again (or drop the Service port / Ingress backend if no longer needed).`,
      });
    }
  },
};
