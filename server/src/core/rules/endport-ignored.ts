import { cniProfile } from '../k8s/cni';
import { effectiveRules } from './support/isolation';
import type { WorkspaceRule } from './types';

/**
 * `endPort` under a CNI profile that ignores it: the Kubernetes API's note on endPort
 * ("In case your provider does not support endPort … the Network Policy will be created
 * covering only the port field") makes the range one port, silently.
 */
export const endportIgnored: WorkspaceRule = {
  meta: {
    id: 'endport-ignored',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A port range (endPort) under a network plugin (CNI profile) that ignores endPort: the rule covers its first port only.',
  },
  policyScope: 'options',
  checkPolicyInWorld(ast, ctx, report) {
    const profile = cniProfile(ctx.analysis.reach.options.cni);
    if (profile.endPort || !ctx.policy || ctx.policy.rejected.length > 0) return;
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      for (const entry of rule.ports) {
        const pair = r.pair(entry.node, 'endPort');
        const port = r.number(r.get(entry.node, 'port'));
        const end = r.number(pair?.value);
        if (!pair || port === undefined || end === undefined || end <= port) continue;
        const protocol = r.string(r.get(entry.node, 'protocol')) ?? 'TCP';
        report({
          message:
            `endPort ${end} is ignored by ${profile.title} (the ${profile.name} profile): this rule allows ${protocol} ${port} only, not ${port}-${end}, ` +
            `because a plugin without endPort support covers "only the port field". List each port the pods need as its own entry, or run a version of the plugin that supports port ranges.`,
          span: r.span(pair.key) ?? r.span(entry.node),
          path: `${entry.path}.endPort`,
        });
      }
    }
  },
};
