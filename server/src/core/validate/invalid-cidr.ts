import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import { isStrictSubset, parseCidr, type Cidr } from '../base/ip';
import type { Report, Rule } from '../lint/rule';
import type { Span } from '../base/span';
import { propose } from '../lint/fix';
import { asScalar, pairOf } from '../yaml/nodes';
import { isPlaceholder } from '../k8s/names';

/** An except entry: its ipBlock, the except list, the entry's index and value. */
interface Data {
  readonly block: YAMLMap;
  readonly list: YAMLSeq;
  readonly index: number;
  readonly node: Node | undefined;
}

export const invalidCidr: Rule<Data> = {
  meta: {
    id: 'invalid-cidr',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'ipBlock.cidr must be a valid CIDR, and each except a CIDR strictly inside it, of the same IP family (info for a placeholder a script or template fills in).',
    fix: 'safe',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      for (const peer of rule.peers) {
        const ipBlock = r.map(r.get(peer.node, 'ipBlock'));
        if (!ipBlock) continue;
        const base = `${peer.path}.ipBlock`;
        const cidrPair = r.pair(ipBlock, 'cidr');
        const cidrText = cidrPair ? r.text(cidrPair.value) : undefined;
        let cidr: Cidr | undefined;
        if (cidrPair && r.resolve(cidrPair.value) !== undefined && r.scalar(cidrPair.value) === undefined) {
          report({ message: 'ipBlock.cidr must be a string such as 10.0.0.0/8, not a list or a map.', span: r.span(r.resolve(cidrPair.value)), path: `${base}.cidr` });
        } else if (!cidrPair || !cidrText) {
          report({ message: 'ipBlock.cidr is required: add the address range, e.g. cidr: 10.0.0.0/8.', span: r.span(cidrPair?.value) ?? r.span(cidrPair?.key) ?? r.span(r.pair(peer.node, 'ipBlock')?.key), path: `${base}.cidr` });
        } else {
          const parsed = parseCidr(cidrText);
          if (!('error' in parsed)) cidr = parsed;
          else if (isPlaceholder(cidrText)) report(placeholder(cidrText, r.span(cidrPair.value), `${base}.cidr`));
          else report({ message: `Invalid cidr: ${parsed.error}.`, span: r.span(cidrPair.value), path: `${base}.cidr` });
        }
        const exceptSeq = r.seq(r.get(ipBlock, 'except'));
        exceptSeq?.items.forEach((item, i) => {
          const text = r.text(item) ?? '';
          const span = r.span(r.resolve(item));
          const path = `${base}.except[${i}]`;
          const data: Data = { block: ipBlock, list: exceptSeq, index: i, node: r.resolve(item) };
          const ex = parseCidr(text);
          if ('error' in ex) {
            report(isPlaceholder(text) ? placeholder(text, span, path) : { message: `Invalid except entry: ${ex.error}.`, span, path, data });
          } else if (cidr && ex.family !== cidr.family) {
            report({ message: `except ${text} is IPv${ex.family} but cidr ${cidr.text} is IPv${cidr.family}: an except must be a strict subset of cidr; remove it.`, span, path, data });
          } else if (cidr && !isStrictSubset(ex, cidr)) {
            const why = ex.prefix <= cidr.prefix && ex.start <= cidr.start && ex.end >= cidr.end ? 'it covers the whole cidr' : 'it is not inside the cidr';
            report({ message: `except ${text} must be a strict subset of cidr ${cidr.text} (${why}); remove it or fix the range.`, span, path, data });
          }
        });
      }
    }
  },
  /** An except entry that is not strictly inside its cidr (or of the other IP family) -> remove it. */
  fix({ block, list, index, node }, ctx) {
    const exceptPair = pairOf(block, 'except');
    const entry = asScalar(node);
    const cidrText = asScalar(pairOf(block, 'cidr')?.value)?.value;
    if (!exceptPair || !entry || typeof cidrText !== 'string') return [];
    const cidr = parseCidr(cidrText);
    const ex = parseCidr(String(entry.value ?? ''));
    if ('error' in cidr || 'error' in ex) return [];
    if (ex.family === cidr.family && isStrictSubset(ex, cidr)) return [];
    const e = ctx.editor;
    // The last entry takes the except key with it.
    const edit = list.items.length > 1 ? e.removeItem(list, index) : e.removePair(block, exceptPair);
    return propose(`Remove except ${ex.text} (not inside ${cidr.text})`, [edit], { preferred: true });
  },
};

/**
 * A placeholder where a CIDR goes (`APISERVER` that a script's sed replaces, `${POD_CIDR}`
 * for envsubst, a template expression): filled in before the policy is applied, as the
 * author meant. Info: true of the file as written, which the API server rejects, and a
 * reminder, not a mistake (the analysis leaves the policy out as rejected).
 */
function placeholder(text: string, span: Span | undefined, path: string): Parameters<Report<Data>>[0] {
  return {
    message: `${JSON.stringify(text)} is no CIDR but reads as a placeholder that a script or a template fills in before the manifest is applied. As written, the API server rejects this policy (the analysis leaves it out); if it is not a placeholder, write the address range, e.g. 10.0.0.0/8.`,
    span,
    path,
    severity: 'info',
  };
}
