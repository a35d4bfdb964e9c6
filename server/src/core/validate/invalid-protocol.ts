import { PROTOCOLS } from '../base/ports';
import type { Rule } from '../lint/rule';

export const invalidProtocol: Rule = {
  meta: {
    id: 'invalid-protocol',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'A port protocol must be exactly TCP, UDP or SCTP (case-sensitive).',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      for (const port of rule.ports) {
        const pair = r.pair(port.node, 'protocol');
        if (!pair) continue;
        const value = r.scalar(pair.value);
        // `protocol:` with no value (null) decodes as "not set", i.e. TCP.
        if (r.resolve(pair.value) === undefined || (value && value.value === null)) continue;
        const text = value ? String(value.value ?? '') : '';
        if ((PROTOCOLS as readonly string[]).includes(text) && typeof value?.value === 'string') continue;
        const upper = text.toUpperCase();
        const hint = (PROTOCOLS as readonly string[]).includes(upper) ? `; write "${upper}" (protocols are case-sensitive)` : '; use TCP, UDP or SCTP';
        report({
          message: `Unsupported protocol "${text}": the API server accepts only TCP, UDP and SCTP${hint}.`,
          span: r.span(pair.value) ?? r.span(pair.key),
          path: `${port.path}.protocol`,
        });
      }
    }
  },
};
