import { isSeq, type Node } from 'yaml';
import { closest, decodedType, describeValue, spanOr, valueSpan } from '../k8s/schema';
import type { Rule } from '../lint/rule';
import { propose } from '../lint/fix';
import { renderFlow } from '../yaml/edit';
import { asScalar } from '../yaml/nodes';

const TYPES = ['Ingress', 'Egress'];

/**
 * ValidateNetworkPolicySpec: policyTypes has at most two entries, each exactly Ingress
 * or Egress. Duplicates pass (`[Ingress, Ingress]` is accepted), so they are not flagged.
 */
/** The value in question, and whether it is policyTypes itself (not a list) or one of its entries. */
interface Data {
  readonly node: Node | undefined;
  readonly whole: boolean;
}

export const invalidPolicyTypes: Rule<Data> = {
  meta: {
    id: 'invalid-policy-types',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'policyTypes is a list of at most two entries, each exactly Ingress or Egress.',
    fix: 'safe',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    const pair = r.pair(ast.spec, 'policyTypes');
    if (!pair) return;
    const value = r.resolve(pair.value);
    const path = 'spec.policyTypes';
    const type = decodedType(r, value);
    // null decodes as an empty list: the defaults apply.
    if (type === 'null') return;
    if (!isSeq(value)) {
      const text = r.string(value);
      const single = text !== undefined ? closest(text, TYPES) : undefined;
      const fix = single ? `write policyTypes: [${single}]` : 'e.g. policyTypes: [Ingress, Egress]';
      report({ message: `policyTypes must be a list, not ${describeValue(r, value)}: ${fix}.`, span: valueSpan(r, pair), path, data: { node: value, whole: true } });
      return;
    }
    if (value.items.length > 2) {
      report({
        message: `policyTypes has ${value.items.length} entries; the API server accepts at most two ("may not specify more than two policyTypes"): keep Ingress and/or Egress, once each.`,
        span: spanOr(r, r.resolve(value.items[2]), pair.key),
        path: `${path}[2]`,
        data: { node: r.resolve(value.items[2]), whole: false },
      });
    }
    value.items.forEach((item, i) => {
      const node = r.resolve(item);
      const itemPath = `${path}[${i}]`;
      const span = spanOr(r, node, pair.key);
      const text = decodedType(r, node) === 'string' ? r.string(node) : undefined;
      if (text !== undefined && TYPES.includes(text)) return;
      if (text === undefined) {
        const what = decodedType(r, node) === 'null' ? 'an empty entry' : describeValue(r, node);
        report({ message: `Unsupported policy type (${what}): each entry must be Ingress or Egress.`, span, path: itemPath, data: { node, whole: false } });
        return;
      }
      const near = closest(text, TYPES);
      const hint = near && near.toLowerCase() === text.toLowerCase() ? `; policy types are case-sensitive: write ${near}.` : near ? `; did you mean ${near}?` : '; use Ingress or Egress.';
      report({ message: `Unsupported policy type "${text}": the API server accepts only Ingress and Egress${hint}`, span, path: itemPath, data: { node, whole: false } });
    });
  },
  /**
   * `ingress` -> `Ingress` (sure: only the case differs); a near miss (`Ingres`) -> the
   * closest type (a guess); a single string (`policyTypes: Ingress`) -> a one-entry list.
   */
  fix({ node, whole }, ctx) {
    const scalar = asScalar(node);
    if (!scalar || typeof scalar.value !== 'string') return [];
    const near = closest(scalar.value, TYPES);
    if (!near) return [];
    const sameCase = near.toLowerCase() === scalar.value.toLowerCase();
    const e = ctx.editor;
    if (whole) return propose(`Write policyTypes as a list: [${near}]`, [e.edit(e.start(scalar), e.end(scalar), renderFlow([near], e.style))], { preferred: true, uncertain: !sameCase });
    if (near === scalar.value) return [];
    return propose(sameCase ? `Change to ${near} (policy types are case-sensitive)` : `Change to ${near}`, [e.replaceScalar(scalar, near)], { preferred: true, uncertain: !sameCase });
  },
};
