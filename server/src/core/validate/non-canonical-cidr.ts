import { formatIp, parseCidr } from '../base/ip';
import type { Rule } from '../lint/rule';

/**
 * Accepted by the API server today, but rejected when the StrictIPCIDRValidation
 * feature gate is on, and often a typo (10.0.0.5/24 meant 10.0.0.0/24 or 10.0.0.5/32).
 */
export const nonCanonicalCidr: Rule = {
  meta: {
    id: 'non-canonical-cidr',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A CIDR with host bits set or leading zeros: accepted now, rejected under strict IP validation.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      for (const peer of rule.peers) {
        const ipBlock = r.map(r.get(peer.node, 'ipBlock'));
        if (!ipBlock) continue;
        const entries: { node: unknown; path: string }[] = [{ node: r.get(ipBlock, 'cidr'), path: `${peer.path}.ipBlock.cidr` }];
        r.seq(r.get(ipBlock, 'except'))?.items.forEach((n, i) => entries.push({ node: n, path: `${peer.path}.ipBlock.except[${i}]` }));
        for (const e of entries) {
          const text = r.text(e.node);
          if (!text) continue;
          const c = parseCidr(text);
          if ('error' in c || (!c.hostBitsSet && !c.leadingZeros)) continue;
          const canonical = `${formatIp(c.family, c.network)}/${c.prefix}`;
          const what = c.hostBitsSet ? `has host bits set (the network is ${canonical})` : 'has leading zeros';
          report({ message: `${text} ${what}; write ${canonical}. Strict IP validation rejects it.`, span: r.span(r.resolve(e.node)), path: e.path });
        }
      }
    }
  },
};
