import { PROTOCOLS } from '../base/ports';
import type { Node } from 'yaml';
import type { Rule } from '../lint/rule';
import { propose } from '../lint/fix';
import { asScalar } from '../yaml/nodes';

/** The protocol's value, for the fix. */
interface Data {
  readonly node: Node | undefined;
}

export const invalidProtocol: Rule<Data> = {
  meta: {
    id: 'invalid-protocol',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'A port protocol must be exactly TCP, UDP or SCTP (case-sensitive).',
    fix: 'safe',
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
          data: { node: r.resolve(pair.value) },
        });
      }
    }
  },
  // `protocol: tcp` -> `protocol: TCP` (protocols are case-sensitive).
  fix({ node }, ctx) {
    const scalar = asScalar(node);
    if (!scalar || typeof scalar.value !== 'string') return [];
    const upper = scalar.value.toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(upper) || upper === scalar.value) return [];
    return propose(`Change protocol to ${upper}`, [ctx.editor.replaceScalar(scalar, upper)], { preferred: true });
  },
};
