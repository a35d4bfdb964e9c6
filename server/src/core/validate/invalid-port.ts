import { isScalar } from 'yaml';
import { portName, portNumber } from '../k8s/names';
import type { Rule } from '../lint/rule';

export const invalidPort: Rule = {
  meta: {
    id: 'invalid-port',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'A rule port must be a number from 1 to 65535 or a valid port name (IANA service name).',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      for (const port of rule.ports) {
        const pair = r.pair(port.node, 'port');
        if (!pair) continue;
        const node = r.resolve(pair.value);
        // `port:` with no value (null) decodes as "not set": every port.
        if (node === undefined || (isScalar(node) && node.value === null)) continue;
        const span = r.span(node) ?? r.span(pair.key);
        const path = `${port.path}.port`;
        if (!isScalar(node) || (typeof node.value !== 'number' && typeof node.value !== 'string')) {
          report({ message: 'port must be a number (1-65535) or a port name.', span, path });
          continue;
        }
        if (typeof node.value === 'number') {
          const errs = portNumber(node.value);
          if (errs.length > 0) report({ message: `Invalid port ${node.source ?? node.value}: ${errs[0]}.`, span, path });
          continue;
        }
        const name = node.value;
        const errs = portName(name);
        if (errs.length === 0) continue;
        // A quoted number is a string to the API server, so it is validated as a name.
        const quotedNumber = /^\d+$/.test(name) ? ` A quoted number is a port name: write ${name} without quotes for port ${name}.` : '';
        report({ message: `Invalid port name "${name}": ${errs.join(', ')}.${quotedNumber}`, span, path });
      }
    }
  },
};
