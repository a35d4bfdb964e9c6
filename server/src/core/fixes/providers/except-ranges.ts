import { parseCidr, type Cidr } from '../../base/ip';
import { asMap, asScalar, asSeq, pairOf, parentPath, step, target } from '../support';
import type { FixContext } from '../types';
import type { TextEdit } from '../../base/edits';
import type { Finding } from '../../lint/rule';

/**
 * Adds except entries to the ipBlock whose cidr a finding points at (only the ranges
 * that the cidr strictly holds and that no except covers yet). Shared by the
 * allow-all-cidr and egress-to-cloud-metadata fixes.
 */
export function addExcepts(finding: Finding, ctx: FixContext, ranges: (family: 4 | 6) => readonly string[]): { edit: TextEdit; added: string[] } | undefined {
  const cidrNode = asScalar(target(ctx, finding)?.node);
  const block = asMap(step(ctx, parentPath(finding.path))?.node);
  const cidrPair = pairOf(block, 'cidr');
  if (!cidrNode || !block || !cidrPair || typeof cidrNode.value !== 'string') return undefined;
  const cidr = parseCidr(cidrNode.value);
  if ('error' in cidr) return undefined;
  const exceptPair = pairOf(block, 'except');
  const seq = asSeq(exceptPair?.value);
  if (exceptPair && !seq && asScalar(exceptPair.value)?.value !== null) return undefined;
  const existing = (seq?.items ?? []).map((n) => parseCidr(String(asScalar(n)?.value ?? ''))).filter((c): c is Cidr => !('error' in c));
  const inside = (a: Cidr, b: Cidr) => a.family === b.family && a.start >= b.start && a.end <= b.end;
  const added = ranges(cidr.family).filter((t) => {
    const c = parseCidr(t) as Cidr;
    return inside(c, cidr) && c.prefix > cidr.prefix && !existing.some((x) => inside(c, x));
  });
  if (added.length === 0) return undefined;
  const e = ctx.editor;
  let edit: TextEdit | undefined;
  if (seq && seq.items.length > 0) edit = e.appendItems(seq, added);
  else if (exceptPair) edit = e.replacePair(block, exceptPair, added);
  else edit = e.insertPairs(block, { except: added }, { after: cidrPair });
  return edit ? { edit, added } : undefined;
}
