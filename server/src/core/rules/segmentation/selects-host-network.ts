import { selectorMatches } from '../../reach/selectors';
import type { Rule } from '../types';
import { acceptedPolicies, keySpan, workloadList } from './traffic-support';

export const selectsHostNetwork: Rule = {
  meta: {
    id: 'selects-host-network',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A policy whose podSelector selects hostNetwork pods, which most network plugins do not isolate.',
  },
  check(ctx) {
    const reach = ctx.analysis.reach;
    // With --host-network pod the user states that the plugin treats them as pods.
    if (reach.options.hostNetwork === 'pod') return;
    const hostByNamespace = new Map<string, number[]>();
    for (const c of reach.classes) {
      if (!c.hostNetwork || c.virtual) continue;
      hostByNamespace.set(c.namespace, [...(hostByNamespace.get(c.namespace) ?? []), c.id]);
    }
    if (hostByNamespace.size === 0) return;
    for (const entry of acceptedPolicies(ctx.analysis)) {
      const { policy, ast } = entry;
      const candidates = hostByNamespace.get(policy.namespace);
      if (!candidates) continue;
      const selected = candidates.filter((c) => selectorMatches(policy.podSelector, reach.classes[c].labels));
      if (selected.length === 0) continue;
      const r = ast.reader;
      // An omitted podSelector selects every pod: then point at spec.
      const span = keySpan(r, ast.spec, 'podSelector') ?? keySpan(r, ast.obj.map, 'spec');
      ctx.report({
        message: `spec.podSelector selects hostNetwork pods (${workloadList(reach, selected)}): they share their node's network, NetworkPolicy behaviour for them is undefined, and most network plugins neither isolate them nor tell their traffic from the node's, so this policy does not protect them. Exclude them from the selector and protect them with host firewall rules (or your plugin's host endpoint policies).`,
        span,
        path: 'spec.podSelector',
      });
    }
  },
};
