import { cniProfile } from '../k8s/cni';
import { effectiveRules } from './support/isolation';
import type { WorkspaceRule } from './types';

/**
 * An SCTP port under a CNI profile without SCTP in NetworkPolicies: the port allows
 * nothing, while the policy still isolates its pods (the e2e suite: "should properly
 * isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't
 * support SCTP").
 */
export const sctpUnsupported: WorkspaceRule = {
  meta: {
    id: 'sctp-unsupported',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'An SCTP port under a network plugin (CNI profile) without SCTP in NetworkPolicies: it allows nothing.',
  },
  policyScope: 'options',
  checkPolicyInWorld(ast, ctx, report) {
    const profile = cniProfile(ctx.analysis.reach.options.cni);
    if (profile.sctp || !ctx.policy || ctx.policy.rejected.length > 0) return;
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      for (const entry of rule.ports) {
        const pair = r.pair(entry.node, 'protocol');
        if (!pair || r.string(pair.value) !== 'SCTP') continue;
        const port = r.text(r.get(entry.node, 'port'));
        report({
          message:
            `${profile.title} (the ${profile.name} profile) does not support SCTP in NetworkPolicies: this ${rule.direction.toLowerCase()} rule allows nothing on SCTP${port ? ` ${port}` : ''}, while the policy still isolates the pods it selects. ` +
            'Enable SCTP support in the plugin if it has one, or expect SCTP traffic to these pods to be dropped.',
          span: r.span(pair.value) ?? r.span(pair.key),
          path: `${entry.path}.protocol`,
        });
      }
    }
  },
};
