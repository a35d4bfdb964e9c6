import { isScalar, type Pair } from 'yaml';
import type { NodeReader } from '../../source/yaml-nodes';
import type { Report, Rule } from '../types';
import { decodedType, describeValue, keyText, LABEL_SELECTOR, MERGE_KEY, NETWORK_POLICY, spanOr, valueSpan, type DecodedType, type Shape } from './schema';

const REQUIREMENT = LABEL_SELECTOR.fields.matchExpressions.kind === 'list' ? LABEL_SELECTOR.fields.matchExpressions.of : undefined;

/**
 * Values the API server cannot decode into the NetworkPolicy types: objects where maps
 * are expected, lists where lists are, strings where strings are. kubectl turns YAML
 * into JSON without looking at the schema, so `version: 1` in matchLabels reaches the
 * server as a number and fails. null is fine everywhere: it decodes as empty.
 *
 * port, endPort, protocol, cidr, except entries, operator and policyTypes have their
 * own rules, which report wrong types with more specific messages.
 */
export const invalidValueType: Rule = {
  meta: {
    id: 'invalid-value-type',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'Values of the wrong type (a string where a list belongs, an unquoted number as a label value) fail to decode.',
  },
  checkPolicy(ast, report) {
    walk(ast.reader, ast.obj.map, undefined, NETWORK_POLICY, '', report);
  },
};

function walk(r: NodeReader, node: unknown, pair: Pair | undefined, shape: Shape, path: string, report: Report): void {
  const t = decodedType(r, node);
  if (t === 'null') return;
  if ('checkedBy' in shape && shape.checkedBy) return;
  const name = path.slice(path.lastIndexOf('.') + 1) || 'the object';
  const span = pair ? valueSpan(r, pair) : r.span(r.resolve(node));
  switch (shape.kind) {
    case 'struct': {
      if (t !== 'map') {
        const hint = t === 'list' ? ': remove the "-" in front of its fields' : shape === LABEL_SELECTOR ? selectorHint(r, node) : '';
        report({ message: `${name} must be a mapping (${shape.type}), not ${describeValue(r, node)}${hint}.`, span, path });
        return;
      }
      for (const item of r.map(node)?.items ?? []) {
        const p = item as Pair;
        const key = keyText(p);
        if (key === undefined || key === MERGE_KEY) continue;
        const field = shape.fields[key];
        // Unknown fields: unknown-field reports them.
        if (field) walk(r, p.value, p, field, path ? `${path}.${key}` : key, report);
      }
      return;
    }
    case 'list': {
      if (t !== 'list') {
        const scalar = r.scalar(node);
        const hint = t === 'map' ? ': start each entry with "-"' : scalar ? `: write ${name}: [${scalar.source ?? String(scalar.value)}]` : '';
        report({ message: `${name} must be a list, not ${describeValue(r, node)}${hint}.`, span, path });
        return;
      }
      r.seq(node)?.items.forEach((item, i) => {
        const itemPath = `${path}[${i}]`;
        if (decodedType(r, item) === 'null' && shape.of === REQUIREMENT) {
          // A null entry decodes as a requirement with no key and no operator.
          report({ message: `${name}[${i}] is empty: a requirement with no key and no operator is rejected by the API server; remove the entry.`, span: spanOr(r, r.resolve(item), pair?.key), path: itemPath });
          return;
        }
        walk(r, item, undefined, shape.of, itemPath, report);
      });
      return;
    }
    case 'stringMap': {
      if (t !== 'map') {
        report({ message: `${name} must be a mapping of strings to strings, not ${describeValue(r, node)}.`, span, path });
        return;
      }
      const what = name === 'annotations' ? 'Annotation' : 'Label';
      for (const item of r.map(node)?.items ?? []) {
        const p = item as Pair;
        const key = keyText(p);
        if (key === undefined || key === MERGE_KEY) continue;
        const vt = decodedType(r, p.value);
        if (vt === 'string' || vt === 'null') continue;
        report({ message: `${what} values must be strings: the value of ${key} is ${describeValue(r, p.value)}${quoteHint(r, p.value, vt)}.`, span: valueSpan(r, p), path: `${path}.${key}` });
      }
      return;
    }
    case 'string':
      if (t !== 'string') report({ message: `${name} must be a string, not ${describeValue(r, node)}${quoteHint(r, node, t)}.`, span, path });
      return;
    case 'integer':
      if (t !== 'integer') report({ message: `${name} must be an integer, not ${describeValue(r, node)}.`, span, path });
      return;
    case 'boolean':
      if (t !== 'boolean') report({ message: `${name} must be true or false, not ${describeValue(r, node)}.`, span, path });
      return;
    default:
      return;
  }
}

/** For a number or boolean where a string belongs: how to write it as a string. */
function quoteHint(r: NodeReader, node: unknown, t: DecodedType): string {
  const s = r.scalar(node);
  if (!isScalar(s) || (t !== 'integer' && t !== 'float' && t !== 'boolean')) return '';
  const src = String(s.source ?? s.value);
  return `: quote it, "${src}"`;
}

/** `podSelector: app=web` (kubectl's -l syntax) written as the selector mapping it means. */
function selectorHint(r: NodeReader, node: unknown): string {
  const text = r.string(node) ?? '';
  const terms = text.split(',').map((t) => /^\s*([A-Za-z0-9./_-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(t));
  if (text && terms.every((m) => m !== null)) {
    const labels = terms.map((m) => `${m?.[1]}: ${m?.[2] === '' ? '""' : m?.[2]}`).join(', ');
    return `: a selector is written as a mapping, e.g. {matchLabels: {${labels}}}`;
  }
  return ': a selector is written as a mapping, e.g. {matchLabels: {app: web}}';
}
