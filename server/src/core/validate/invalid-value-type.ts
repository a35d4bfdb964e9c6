import { isScalar, type Pair } from 'yaml';
import type { NodeReader } from '../yaml/nodes';
import type { Span } from '../base/span';
import { decodedType, describeValue, keyText, LABEL_SELECTOR, MERGE_KEY, NETWORK_POLICY, spanOr, valueSpan, type DecodedType, type LeafShape, type Shape } from '../k8s/schema';
import { own } from '../base/own';
import type { Report, Rule } from '../lint/rule';

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

/**
 * `path` is the node's own path. Nothing of a message (the node's name, its span, its
 * children's paths) is built unless it is reported or walked into: most policies have
 * nothing to report.
 */
function walk(r: NodeReader, node: unknown, pair: Pair | undefined, shape: Shape, path: string, report: Report): void {
  const t = decodedType(r, node);
  if (t === 'null') return;
  if ('checkedBy' in shape && shape.checkedBy) return;
  switch (shape.kind) {
    case 'struct': {
      if (t !== 'map') {
        const hint = t === 'list' ? ': remove the "-" in front of its fields' : shape === LABEL_SELECTOR ? selectorHint(r, node) : '';
        report({ message: `${nameOf(path)} must be a mapping (${shape.type}), not ${describeValue(r, node)}${hint}.`, span: spanOf(r, node, pair), path });
        return;
      }
      for (const item of r.map(node)?.items ?? []) {
        const p = item as Pair;
        const key = keyText(p);
        if (key === undefined || key === MERGE_KEY) continue;
        const field = own(shape.fields, key);
        // Unknown fields: unknown-field reports them.
        if (!field) continue;
        if (isLeaf(field)) leaf(r, p.value, p, field, path, key, report);
        else walk(r, p.value, p, field, path ? `${path}.${key}` : key, report);
      }
      return;
    }
    case 'list': {
      if (t !== 'list') {
        const scalar = r.scalar(node);
        const name = nameOf(path);
        const hint = t === 'map' ? ': start each entry with "-"' : scalar ? `: write ${name}: [${scalar.source ?? String(scalar.value)}]` : '';
        report({ message: `${name} must be a list, not ${describeValue(r, node)}${hint}.`, span: spanOf(r, node, pair), path });
        return;
      }
      r.seq(node)?.items.forEach((item, i) => {
        if (shape.of === REQUIREMENT && decodedType(r, item) === 'null') {
          // A null entry decodes as a requirement with no key and no operator.
          report({ message: `${nameOf(path)}[${i}] is empty: a requirement with no key and no operator is rejected by the API server; remove the entry.`, span: spanOr(r, r.resolve(item), pair?.key), path: `${path}[${i}]` });
          return;
        }
        if (isLeaf(shape.of)) leafItem(r, item, shape.of, path, i, report);
        else walk(r, item, undefined, shape.of, `${path}[${i}]`, report);
      });
      return;
    }
    case 'stringMap': {
      if (t !== 'map') {
        report({ message: `${nameOf(path)} must be a mapping of strings to strings, not ${describeValue(r, node)}.`, span: spanOf(r, node, pair), path });
        return;
      }
      for (const item of r.map(node)?.items ?? []) {
        const p = item as Pair;
        const key = keyText(p);
        if (key === undefined || key === MERGE_KEY) continue;
        const vt = decodedType(r, p.value);
        if (vt === 'string' || vt === 'null') continue;
        const what = nameOf(path) === 'annotations' ? 'Annotation' : 'Label';
        report({ message: `${what} values must be strings: the value of ${key} is ${describeValue(r, p.value)}${quoteHint(r, p.value, vt)}.`, span: valueSpan(r, p), path: `${path}.${key}` });
      }
      return;
    }
    default:
      leafCheck(r, node, pair, shape, t, () => path, report);
      return;
  }
}

type LeafKind = LeafShape['kind'];
const LEAF_KINDS: ReadonlySet<LeafKind> = new Set<LeafKind>(['string', 'integer', 'boolean', 'intOrString', 'any']);

/** A shape with nothing inside to walk: checked in place, its path built only for a report. */
function isLeaf(shape: Shape): shape is LeafShape {
  return LEAF_KINDS.has(shape.kind as LeafKind);
}

/** A struct field `key` of the node at `parent` (walk's checks for a leaf, without building its path). */
function leaf(r: NodeReader, node: unknown, pair: Pair, shape: LeafShape, parent: string, key: string, report: Report): void {
  const t = decodedType(r, node);
  if (t === 'null' || shape.checkedBy) return;
  leafCheck(r, node, pair, shape, t, () => (parent ? `${parent}.${key}` : key), report);
}

/** Item `i` of the list at `parent`. */
function leafItem(r: NodeReader, node: unknown, shape: LeafShape, parent: string, i: number, report: Report): void {
  const t = decodedType(r, node);
  if (t === 'null' || shape.checkedBy) return;
  leafCheck(r, node, undefined, shape, t, () => `${parent}[${i}]`, report);
}

function leafCheck(r: NodeReader, node: unknown, pair: Pair | undefined, shape: Shape, t: DecodedType, pathOf: () => string, report: Report): void {
  switch (shape.kind) {
    case 'string':
      if (t !== 'string') {
        const path = pathOf();
        report({ message: `${nameOf(path)} must be a string, not ${describeValue(r, node)}${quoteHint(r, node, t)}.`, span: spanOf(r, node, pair), path });
      }
      return;
    case 'integer':
      if (t !== 'integer') {
        const path = pathOf();
        report({ message: `${nameOf(path)} must be an integer, not ${describeValue(r, node)}.`, span: spanOf(r, node, pair), path });
      }
      return;
    case 'boolean':
      if (t !== 'boolean') {
        const path = pathOf();
        report({ message: `${nameOf(path)} must be true or false, not ${describeValue(r, node)}.`, span: spanOf(r, node, pair), path });
      }
      return;
    default:
      return;
  }
}

/** The last segment of a path, as messages name a node. */
function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1) || 'the object';
}

function spanOf(r: NodeReader, node: unknown, pair: Pair | undefined): Span | undefined {
  return pair ? valueSpan(r, pair) : r.span(r.resolve(node));
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
