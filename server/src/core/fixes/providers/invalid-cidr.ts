import { isStrictSubset, parseCidr } from '../../base/ip';
import { asMap, asScalar, asSeq, fix, pairOf, step, target } from '../support';
import type { FixProvider } from '../types';

/** An except entry that is not strictly inside its cidr (or of the other IP family) -> remove it. */
export const invalidCidrFix: FixProvider = {
  rule: 'invalid-cidr',
  fixesFor(finding, ctx) {
    const m = /^(.*\.ipBlock)\.except\[(\d+)\]$/.exec(finding.path);
    if (!m) return [];
    const block = asMap(step(ctx, m[1])?.node);
    const exceptPair = pairOf(block, 'except');
    const seq = asSeq(step(ctx, `${m[1]}.except`)?.node);
    const node = asScalar(target(ctx, finding)?.node);
    const cidrText = asScalar(pairOf(block, 'cidr')?.value)?.value;
    if (!block || !exceptPair || !seq || !node || typeof cidrText !== 'string') return [];
    const cidr = parseCidr(cidrText);
    const ex = parseCidr(String(node.value ?? ''));
    if ('error' in cidr || 'error' in ex) return [];
    if (ex.family === cidr.family && isStrictSubset(ex, cidr)) return [];
    const e = ctx.editor;
    // The last entry takes the except key with it.
    const edit = seq.items.length > 1 ? e.removeItem(seq, Number(m[2])) : e.removePair(block, exceptPair);
    return fix(`Remove except ${ex.text} (not inside ${cidr.text})`, [edit], { preferred: true, safe: true });
  },
};
