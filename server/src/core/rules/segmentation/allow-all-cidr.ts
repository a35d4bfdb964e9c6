import { ipBlockRange, parseCidr, type Cidr } from '../../net/ip';
import type { Rule } from '../types';
import { effectiveRules, summarize } from './isolation-support';

export const allowAllCidr: Rule = {
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
        const block = r.map(r.get(peer.node, 'ipBlock'));
        const cidrPair = r.pair(block, 'cidr');
        const text = r.text(cidrPair?.value);
        if (!cidrPair || text === undefined) continue;
        const cidr = parseCidr(text);
        // An invalid cidr is invalid-cidr's finding; anything narrower than /0 is a choice.
        if ('error' in cidr || cidr.prefix !== 0) continue;
        const excepts = r
          .items(r.get(block, 'except'))
          .map((n) => parseCidr(r.text(n) ?? ''))
          .filter((c): c is Cidr => !('error' in c) && c.family === cidr.family);
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
        report({ message: `ipBlock ${text} ${scope}: ${effect}.`, span: r.span(r.resolve(cidrPair.value)), path: `${peer.path}.ipBlock.cidr` });
      }
    }
  },
};
