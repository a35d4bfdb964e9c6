import { formatIp, parseCidr } from '../../base/ip';
import { asScalar, fix, target } from '../support';
import type { FixProvider } from '../types';

/** `10.0.0.5/24` -> `10.0.0.0/24`: the network the API server reads it as. */
export const nonCanonicalCidrFix: FixProvider = {
  rule: 'non-canonical-cidr',
  fixesFor(finding, ctx) {
    const node = asScalar(target(ctx, finding)?.node);
    if (!node || typeof node.value !== 'string') return [];
    const c = parseCidr(node.value);
    if ('error' in c) return [];
    const canonical = `${formatIp(c.family, c.network)}/${c.prefix}`;
    if (canonical === node.value) return [];
    return fix(`Change to ${canonical}`, [ctx.editor.replaceScalar(node, canonical)], { preferred: true, safe: true });
  },
};
