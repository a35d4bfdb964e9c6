import { ipBlockRange } from '../base/ip';
import { allCniProfiles, cniProfile, type CniProfile } from '../k8s/cni';
import { classesAtAddresses } from '../reach/compile';
import { effectiveRules, parsedIpBlock } from './support/isolation';
import { listText, workloadList } from './support/traffic';
import { perWorld } from './support/world-cache';
import type { WorkspaceRule } from './types';

/**
 * An ipBlock that holds addresses of pods (status.podIP) or nodes (hostNetwork pods'
 * status.hostIP) known in the workspace: whether it admits their traffic is the network
 * plugin's choice (docs/semantics.md, CNI profiles), and pod addresses change when pods
 * are recreated. Only a workspace with Pods that carry their status (a cluster dump) has
 * known addresses: manifests never do.
 */
export const ipblockCoversPods: WorkspaceRule = {
  meta: {
    id: 'ipblock-covers-pods',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'An ipBlock holds addresses of pods or nodes of the workspace: whether it admits their traffic depends on the network plugin (CNI profile).',
  },
  checkPolicyInWorld(ast, ctx, report) {
    const reach = ctx.analysis.reach;
    if (!ctx.policy || ctx.policy.rejected.length > 0) return;
    if (!perWorld(reach, 'ipblock-covers-pods', () => reach.classes.some((c) => c.ips !== undefined))) return;
    const r = ast.reader;
    const current = cniProfile(reach.options.cni);
    for (const rule of effectiveRules(ast)) {
      for (const peer of rule.peers) {
        const block = parsedIpBlock(r, peer.node);
        if (!block) continue;
        const ids = classesAtAddresses(reach.table, ipBlockRange(block.cidr, block.excepts));
        const pods = ids.filter((c) => !reach.classes[c].hostNetwork);
        const nodes = ids.filter((c) => reach.classes[c].hostNetwork);
        if (pods.length === 0 && nodes.length === 0) continue;
        const egress = rule.direction === 'Egress';
        const what = [
          pods.length > 0 ? `the addresses of pods of ${workloadList(reach, pods)}` : '',
          nodes.length > 0 ? `the node addresses of hostNetwork pods of ${workloadList(reach, nodes)}` : '',
        ].filter(Boolean).join(' and ');
        const divergence = [
          pods.length > 0 ? split('their pod addresses', 'only selectors match them', (p) => (egress ? p.ipBlockOnPods.egress : p.ipBlockOnPods.ingress)) : '',
          nodes.length > 0 ? split('node addresses', 'nothing but a rule without peers admits them', (p) => p.ipBlockOnNodes) : '',
        ].filter(Boolean).join(' ');
        const advice =
          pods.length > 0
            ? 'Pod addresses also change when pods are recreated: to admit these pods, select them with podSelector/namespaceSelector; to mean addresses outside the cluster, except the pod and node ranges.'
            : 'Set the profile of your plugin to see what this rule admits there.';
        report({
          message:
            `ipBlock ${block.text} holds ${what}: whether this ${rule.direction.toLowerCase()} rule admits traffic ${egress ? 'to' : 'from'} them by address depends on the network plugin. ${divergence} ` +
            `This analysis uses the ${current.name} profile (${current.title}; --cni or netpol.cni). ${advice}`,
          span: r.span(block.node),
          path: `${peer.path}.ipBlock.cidr`,
        });
      }
    }
  },
};

/** "Profiles that match …: default, calico; that do not (…): cilium, cilium-1.15." */
function split(what: string, otherwise: string, matches: (p: CniProfile) => boolean): string {
  const yes = allCniProfiles().filter(matches).map((p) => p.name);
  const no = allCniProfiles().filter((p) => !matches(p)).map((p) => p.name);
  if (no.length === 0) return `Every profile matches ${what}.`;
  if (yes.length === 0) return `No profile matches ${what}.`;
  return `Profiles that match ${what}: ${listText(yes, yes.length)}; that do not (${otherwise}): ${listText(no, no.length)}.`;
}
