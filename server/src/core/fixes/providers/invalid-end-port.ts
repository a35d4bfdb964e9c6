import { asMap, asScalar, fix, pairOf, target } from '../support';
import type { Fix, FixProvider } from '../types';

/**
 * endPort below port -> swap them (preferred) or remove endPort; endPort with a named
 * or missing port -> remove endPort (a range needs a numeric start).
 */
export const invalidEndPortFix: FixProvider = {
  rule: 'invalid-end-port',
  fixesFor(finding, ctx) {
    const at = target(ctx, finding);
    const map = asMap(at?.parent);
    const end = asScalar(at?.node);
    if (!at?.pair || !map || !end || typeof end.value !== 'number') return [];
    const e = ctx.editor;
    const remove = (preferred: boolean): Fix[] => fix('Remove endPort', [e.removePair(map, at.pair!)], { preferred });
    const portPair = pairOf(map, 'port');
    const port = asScalar(portPair?.value);
    if (!port || port.value === null || typeof port.value === 'string') return remove(true);
    if (typeof port.value !== 'number' || end.value >= port.value) return [];
    // Both numbers, the range written backwards.
    const lo = end.value;
    const hi = port.value;
    if (lo < 1 || hi > 65535) return remove(false);
    return [
      ...fix(`Swap port and endPort (${lo}-${hi})`, [e.replaceScalar(port, lo), e.replaceScalar(end, hi)], { preferred: true }),
      ...remove(false),
    ];
  },
};
