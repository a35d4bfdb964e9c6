import { formatIp, parseCidr } from '../base/ip';
import type { Node } from 'yaml';
import type { Rule } from '../lint/rule';
import { propose } from '../lint/fix';
import { asScalar } from '../yaml/nodes';

/**
 * Accepted by the API server today, but rejected when the StrictIPCIDRValidation
 * feature gate is on, and often a typo (10.0.0.5/24 meant 10.0.0.0/24 or 10.0.0.5/32).
 */
/** The cidr or except entry, for the fix. */
interface Data {
  readonly node: Node | undefined;
}

export const nonCanonicalCidr: Rule<Data> = {
  meta: {
    id: 'non-canonical-cidr',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A CIDR with host bits set or leading zeros: accepted now, rejected under strict IP validation.',
    fix: 'safe',
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
          report({ message: `${text} ${what}; write ${canonical}. Strict IP validation rejects it.`, span: r.span(r.resolve(e.node)), path: e.path, data: { node: r.resolve(e.node) } });
        }
      }
    }
  },
  // `10.0.0.5/24` -> `10.0.0.0/24`: the network the API server reads it as.
  fix({ node }, ctx) {
    const scalar = asScalar(node);
    if (!scalar || typeof scalar.value !== 'string') return [];
    const c = parseCidr(scalar.value);
    if ('error' in c) return [];
    const canonical = `${formatIp(c.family, c.network)}/${c.prefix}`;
    if (canonical === scalar.value) return [];
    return propose(`Change to ${canonical}`, [ctx.editor.replaceScalar(scalar, canonical)], { preferred: true });
  },
};
