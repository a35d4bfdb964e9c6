import { isStrictSubset, parseCidr, type Cidr } from '../base/ip';
import type { Rule } from '../lint/rule';

export const invalidCidr: Rule = {
  meta: {
    id: 'invalid-cidr',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'ipBlock.cidr must be a valid CIDR, and each except a CIDR strictly inside it, of the same IP family.',
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
          if ('error' in parsed) report({ message: `Invalid cidr: ${parsed.error}.`, span: r.span(cidrPair.value), path: `${base}.cidr` });
          else cidr = parsed;
        }
        const exceptSeq = r.seq(r.get(ipBlock, 'except'));
        exceptSeq?.items.forEach((item, i) => {
          const text = r.text(item) ?? '';
          const span = r.span(r.resolve(item));
          const path = `${base}.except[${i}]`;
          const ex = parseCidr(text);
          if ('error' in ex) {
            report({ message: `Invalid except entry: ${ex.error}.`, span, path });
          } else if (cidr && ex.family !== cidr.family) {
            report({ message: `except ${text} is IPv${ex.family} but cidr ${cidr.text} is IPv${cidr.family}: an except must be a strict subset of cidr; remove it.`, span, path });
          } else if (cidr && !isStrictSubset(ex, cidr)) {
            const why = ex.prefix <= cidr.prefix && ex.start <= cidr.start && ex.end >= cidr.end ? 'it covers the whole cidr' : 'it is not inside the cidr';
            report({ message: `except ${text} must be a strict subset of cidr ${cidr.text} (${why}); remove it or fix the range.`, span, path });
          }
        });
      }
    }
  },
};
