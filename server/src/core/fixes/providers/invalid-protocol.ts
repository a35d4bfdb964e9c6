import { PROTOCOLS } from '../../base/ports';
import { asScalar, fix, target } from '../support';
import type { FixProvider } from '../types';

/** `protocol: tcp` -> `protocol: TCP` (protocols are case-sensitive). */
export const invalidProtocolFix: FixProvider = {
  rule: 'invalid-protocol',
  fixesFor(finding, ctx) {
    const node = asScalar(target(ctx, finding)?.node);
    if (!node || typeof node.value !== 'string') return [];
    const upper = node.value.toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(upper) || upper === node.value) return [];
    return fix(`Change protocol to ${upper}`, [ctx.editor.replaceScalar(node, upper)], { preferred: true, safe: true });
  },
};
