import { isScalar } from 'yaml';
import type { Rule } from '../lint/rule';

export const invalidEndPort: Rule = {
  meta: {
    id: 'invalid-end-port',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'endPort needs a numeric port, must be at least port, and at most 65535.',
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
        if (!isScalar(endNode) || typeof endNode.value !== 'number' || !Number.isInteger(endNode.value)) {
          report({ message: 'endPort must be an integer port number.', span, path });
          continue;
        }
        const end = endNode.value;
        const portNode = r.scalar(r.get(port.node, 'port'));
        if (!portNode || portNode.value === null) {
          report({ message: 'endPort may not be specified when port is not specified: add a numeric port (the start of the range).', span, path });
        } else if (typeof portNode.value === 'string') {
          report({ message: `endPort may not be specified when port is non-numeric ("${portNode.value}"): use a numeric port, or remove endPort.`, span, path });
        } else if (typeof portNode.value === 'number' && end < portNode.value) {
          report({ message: `endPort ${end} must be greater than or equal to port ${portNode.value}.`, span, path });
        }
        if (end < 1 || end > 65535) report({ message: `Invalid endPort ${end}: must be between 1 and 65535, inclusive.`, span, path });
      }
    }
  },
};
