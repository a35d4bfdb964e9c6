import { isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Rule } from '../lint/rule';
import { propose, type FixProposal } from '../lint/fix';
import { asScalar, pairOf } from '../yaml/nodes';

/** The port entry, its endPort pair and the endPort's value, for the fix. */
interface Data {
  readonly entry: YAMLMap;
  readonly pair: Pair;
  readonly end: Node;
}

export const invalidEndPort: Rule<Data> = {
  meta: {
    id: 'invalid-end-port',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'endPort needs a numeric port, must be at least port, and at most 65535.',
    fix: 'unsafe',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      for (const port of rule.ports) {
        const pair = r.pair(port.node, 'endPort');
        if (!pair) continue;
        const endNode = r.resolve(pair.value);
        // `endPort:` with no value (null) decodes as "not set".
        if (endNode === undefined || (isScalar(endNode) && endNode.value === null)) continue;
        const span = r.span(endNode) ?? r.span(pair.key);
        const path = `${port.path}.endPort`;
        const data: Data = { entry: port.node, pair, end: endNode };
        if (!isScalar(endNode) || typeof endNode.value !== 'number' || !Number.isInteger(endNode.value)) {
          report({ message: 'endPort must be an integer port number.', span, path, data });
          continue;
        }
        const end = endNode.value;
        const portNode = r.scalar(r.get(port.node, 'port'));
        if (!portNode || portNode.value === null) {
          report({ message: 'endPort may not be specified when port is not specified: add a numeric port (the start of the range).', span, path, data });
        } else if (typeof portNode.value === 'string') {
          report({ message: `endPort may not be specified when port is non-numeric ("${portNode.value}"): use a numeric port, or remove endPort.`, span, path, data });
        } else if (typeof portNode.value === 'number' && end < portNode.value) {
          report({ message: `endPort ${end} must be greater than or equal to port ${portNode.value}.`, span, path, data });
        }
        if (end < 1 || end > 65535) report({ message: `Invalid endPort ${end}: must be between 1 and 65535, inclusive.`, span, path, data });
      }
    }
  },
  /**
   * endPort below port -> swap them (preferred) or remove endPort; endPort with a named
   * or missing port -> remove endPort (a range needs a numeric start).
   */
  fix({ entry, pair, end }, ctx) {
    const endScalar = asScalar(end);
    if (!endScalar || typeof endScalar.value !== 'number') return [];
    const e = ctx.editor;
    const remove = (preferred: boolean): FixProposal[] => propose('Remove endPort', [e.removePair(entry, pair)], { preferred });
    const port = asScalar(pairOf(entry, 'port')?.value);
    if (!port || port.value === null || typeof port.value === 'string') return remove(true);
    if (typeof port.value !== 'number' || endScalar.value >= port.value) return [];
    // Both numbers, the range written backwards.
    const lo = endScalar.value;
    const hi = port.value;
    if (lo < 1 || hi > 65535) return remove(false);
    return [...propose(`Swap port and endPort (${lo}-${hi})`, [e.replaceScalar(port, lo), e.replaceScalar(endScalar, hi)], { preferred: true }), ...remove(false)];
  },
};
