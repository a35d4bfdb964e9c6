import { IpSet, ipBlockRange, parseCidr } from '../base/ip';
import { allCniProfiles, cniProfile } from '../k8s/cni';
import { classesAtAddresses } from '../reach/compile';
import { effectiveRules, parsedIpBlock } from './support/isolation';
import { listText, workloadList } from './support/traffic';
import { perWorld } from './support/world-cache';
import type { WorkspaceRule } from './types';

/**
 * An `except` of an ipBlock that holds addresses of pods known in the workspace (a cluster
 * dump): it carves those pods out of the block only where ipBlocks match pods at all
 * (the upstream e2e "should enforce except clause while egress access to server in CIDR
 * block"); under a plugin whose ipBlocks never match pods, it changes nothing for them.
 */
export const exceptCarvesPods: WorkspaceRule = {
  meta: {
    id: 'except-carves-pods',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'An ipBlock except holds addresses of pods of the workspace: it cuts them out of the rule only under the network plugins whose ipBlocks match pods.',
  },
  checkPolicyInWorld(ast, ctx, report) {
    const reach = ctx.analysis.reach;
    if (!ctx.policy || ctx.policy.rejected.length > 0) return;
    if (!perWorld(reach, 'except-carves-pods', () => reach.classes.some((c) => c.ips !== undefined))) return;
    const r = ast.reader;
    const current = cniProfile(reach.options.cni);
    for (const rule of effectiveRules(ast)) {
      const egress = rule.direction === 'Egress';
      for (const peer of rule.peers) {
        const block = parsedIpBlock(r, peer.node);
        if (!block) continue;
        const whole = IpSet.fromCidr(block.cidr);
        // Only an except that singles out pods among pods the block still admits by address:
        // excepting the whole pod range (a block meant for the outside) admits no pod anywhere.
        const kept = classesAtAddresses(reach.table, ipBlockRange(block.cidr, block.excepts)).filter((c) => !reach.classes[c].hostNetwork);
        if (kept.length === 0) continue;
        r.items(r.get(block.block, 'except')).forEach((node, i) => {
          const except = parseCidr(r.text(node) ?? '');
          // An except outside its cidr or of the other family is invalid-cidr's finding.
          if ('error' in except || except.family !== block.cidr.family) return;
          const carved = ipBlockRange(except, []).intersect(whole);
          const pods = classesAtAddresses(reach.table, carved).filter((c) => !reach.classes[c].hostNetwork);
          if (pods.length === 0) return;
          const matches = (p: typeof current) => (egress ? p.ipBlockOnPods.egress : p.ipBlockOnPods.ingress);
          const yes = allCniProfiles().filter(matches).map((p) => p.name);
          const no = allCniProfiles().filter((p) => !matches(p)).map((p) => p.name);
          report({
            message:
              `except ${r.text(node)} singles out the pods of ${workloadList(reach, pods)} among the pods ipBlock ${block.text} holds (${workloadList(reach, kept)}): ` +
              `under the profiles whose ipBlocks match pod addresses (${listText(yes, yes.length)}) this ${rule.direction.toLowerCase()} rule admits ${egress ? 'traffic to' : 'traffic from'} the others and not them; ` +
              `under ${listText(no, no.length)} it admits none of these pods, and the except changes nothing. This analysis uses the ${current.name} profile. ` +
              'Select the pods this rule should admit with podSelector/namespaceSelector rather than carving addresses, which change when pods are recreated.',
            span: r.span(node),
            path: `${peer.path}.ipBlock.except[${i}]`,
          });
        });
      }
    }
  },
};
