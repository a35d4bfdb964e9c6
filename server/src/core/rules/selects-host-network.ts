import { selectorMatches } from '../reach/selectors';
import { acceptedPolicy, keySpan, workloadList } from './support/traffic';
import { perWorld } from './support/world-cache';
import type { WorkspaceRule } from './types';

export const selectsHostNetwork: WorkspaceRule = {
  meta: {
    id: 'selects-host-network',
    category: 'segmentation',
    // Info, as workload-not-isolated is: the pods are as open as if no policy selected them
    // (Kubernetes leaves the behaviour undefined), and the policy neither opens nor blocks
    // anything for them. A wrong belief to correct, not a flow that breaks.
    defaultSeverity: 'info',
    description: 'A policy whose podSelector selects hostNetwork pods, which most network plugins do not isolate (info: they stay as open as pods no policy selects).',
  },
  checkPolicyInWorld(ast, ctx, report) {
    const reach = ctx.analysis.reach;
    // With --host-network pod the user states that the plugin treats them as pods.
    if (reach.options.hostNetwork === 'pod') return;
    const hostByNamespace = perWorld(reach, 'selects-host-network', () => {
      const out = new Map<string, number[]>();
      for (const c of reach.classes) {
        if (!c.hostNetwork || c.virtual) continue;
        const list = out.get(c.namespace);
        if (list) list.push(c.id);
        else out.set(c.namespace, [c.id]);
      }
      return out;
    });
    if (hostByNamespace.size === 0) return;
    const entry = acceptedPolicy(ast, ctx);
    if (!entry) return;
    const { policy } = entry;
    const candidates = hostByNamespace.get(policy.namespace);
    if (!candidates) return;
    const selected = candidates.filter((c) => selectorMatches(policy.podSelector, reach.classes[c].labels));
    if (selected.length === 0) return;
    const r = ast.reader;
    // An omitted podSelector selects every pod: then point at spec.
    const span = keySpan(r, ast.spec, 'podSelector') ?? keySpan(r, ast.obj.map, 'spec');
    report({
      message: `spec.podSelector selects hostNetwork pods (${workloadList(reach, selected)}): they share their node's network, NetworkPolicy behaviour for them is undefined, and most network plugins neither isolate them nor tell their traffic from the node's, so this policy does not protect them. Exclude them from the selector and protect them with host firewall rules (or your plugin's host endpoint policies).`,
      span,
      path: 'spec.podSelector',
    });
  },
};
