import { ipBlockRange } from '../base/ip';
import { effectiveRules, parsedIpBlock, summarize } from './support/isolation';
import type { WorkspaceRule } from './types';

export const allowAllCidr: WorkspaceRule = {
  meta: {
    id: 'allow-all-cidr',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'An ipBlock with a /0 cidr (0.0.0.0/0, ::/0) matches every address, the whole internet included.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      for (const peer of rule.peers) {
        const block = parsedIpBlock(r, peer.node);
        // An invalid cidr is invalid-cidr's finding; anything narrower than /0 is a choice.
        if (!block || block.cidr.prefix !== 0) continue;
        const { text, cidr } = block;
        const excepts = block.excepts.filter((c) => c.family === cidr.family);
        // Excepts that remove everything leave a block that matches nothing: not this rule's concern.
        if (ipBlockRange(cidr, excepts).isEmpty()) continue;
        const family = cidr.family === 4 ? 'IPv4' : 'IPv6';
        const scope =
          excepts.length === 0
            ? `matches every ${family} address`
            : `minus its except list (${summarize(excepts.map((e) => e.text), 4)}) still matches every other ${family} address`;
        const ports = r.items(r.get(rule.node, 'ports')).length > 0 ? 'on the listed ports' : 'on every port';
        const effect =
          rule.direction === 'Ingress'
            ? `this rule admits connections from any address, the whole internet included, ${ports}. Narrow cidr to the networks that must reach these pods (a load balancer, an office range)`
            : `the selected pods may connect to any address, the whole internet included, ${ports}. Narrow cidr to the destinations they need`;
        report({ message: `ipBlock ${text} ${scope}: ${effect}.`, span: r.span(block.node), path: `${peer.path}.ipBlock.cidr` });
      }
    }
  },
};
