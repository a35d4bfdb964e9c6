import type { Pair, YAMLMap } from 'yaml';
import { dns1123Label, dns1123Subdomain, labelValue, qualifiedName } from '../k8s/names';
import type { NodeReader } from '../yaml/nodes';
import { decodedType, keyText, spanOr, valueSpan } from '../k8s/schema';
import type { Report, Rule } from '../lint/rule';

/** apimachinery ValidateAnnotations: keys plus values, in bytes. */
const ANNOTATIONS_LIMIT = 256 * 1024;

/**
 * ValidateObjectMeta as the API server runs it on create for a NetworkPolicy: a name (or a
 * generateName) that is a DNS-1123 subdomain, a namespace that is a DNS-1123 label, label
 * keys and values, annotation keys and size, finalizer names. Values of the wrong type
 * (`name: 123`) fail to decode before that: invalid-value-type reports them.
 */
export const invalidName: Rule = {
  meta: {
    id: 'invalid-name',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'metadata: name required and a DNS-1123 subdomain, namespace a DNS-1123 label, valid label and annotation keys, label values, finalizers.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    const metaPair = r.pair(ast.obj.map, 'metadata');
    const meta = r.map(metaPair?.value);
    if (metaPair && !meta && decodedType(r, metaPair.value) !== 'null') return;
    checkName(r, ast.obj.map, metaPair, meta, report);
    checkNamespace(r, meta, report);
    checkLabels(r, meta, report);
    checkAnnotations(r, meta, report);
    checkFinalizers(r, meta, report);
  },
};

/** A string field's value: '' when null or absent, undefined when of another type. */
function stringField(r: NodeReader, pair: Pair | undefined): string | undefined {
  if (!pair) return '';
  const t = decodedType(r, pair.value);
  if (t === 'null') return '';
  return t === 'string' ? r.string(pair.value) : undefined;
}

function checkName(r: NodeReader, obj: YAMLMap, metaPair: Pair | undefined, meta: YAMLMap | undefined, report: Report): void {
  const namePair = r.pair(meta, 'name');
  const genPair = r.pair(meta, 'generateName');
  const name = stringField(r, namePair);
  const generateName = stringField(r, genPair);
  if (generateName) {
    // The name will be generateName plus random characters, so a trailing '-' is fine
    // (apimachinery masks it before validating, as here).
    const masked = generateName.length > 1 && generateName.endsWith('-') ? generateName.slice(0, -2) + 'a' : generateName;
    const errs = dns1123Subdomain(masked);
    if (errs.length > 0) report({ message: `Invalid metadata.generateName "${generateName}": ${errs.join('; ')}.${fix(generateName, 253, true, generateName.endsWith('-') ? '-' : '')}`, span: r.span(r.resolve(genPair?.value)), path: 'metadata.generateName' });
  }
  if (name === undefined) return;
  if (name === '') {
    if (generateName) return;
    const kind = r.pair(obj, 'kind');
    const span = r.span(namePair?.key) ?? r.span(metaPair?.key) ?? r.span(r.resolve(kind?.value)) ?? r.span(kind?.key);
    report({ message: 'metadata.name is required: the API server rejects a NetworkPolicy without a name. Add one, e.g. metadata: {name: allow-frontend}.', span, path: 'metadata.name' });
    return;
  }
  const errs = dns1123Subdomain(name);
  if (errs.length > 0) report({ message: `Invalid metadata.name "${name}": ${errs.join('; ')}.${fix(name, 253, true)}`, span: r.span(r.resolve(namePair?.value)), path: 'metadata.name' });
}

function checkNamespace(r: NodeReader, meta: YAMLMap | undefined, report: Report): void {
  const pair = r.pair(meta, 'namespace');
  const namespace = stringField(r, pair);
  // Empty: kubectl fills in the namespace of its context.
  if (!namespace) return;
  const errs = dns1123Label(namespace);
  if (errs.length > 0) report({ message: `Invalid metadata.namespace "${namespace}": ${errs.join('; ')}.${fix(namespace, 63, false)}`, span: r.span(r.resolve(pair?.value)), path: 'metadata.namespace' });
}

function checkLabels(r: NodeReader, meta: YAMLMap | undefined, report: Report): void {
  const labels = r.map(r.get(meta, 'labels'));
  for (const item of labels?.items ?? []) {
    const pair = item as Pair;
    const key = keyText(pair);
    if (key === undefined) continue;
    const path = `metadata.labels.${key}`;
    for (const m of qualifiedName(key)) report({ message: `Invalid label key "${key}": ${m}.`, span: r.span(pair.key), path });
    const value = stringField(r, pair);
    if (value === undefined) continue;
    for (const m of labelValue(value)) report({ message: `Invalid label value "${value}" for ${key}: ${m}.`, span: valueSpan(r, pair), path });
  }
}

function checkAnnotations(r: NodeReader, meta: YAMLMap | undefined, report: Report): void {
  const pair = r.pair(meta, 'annotations');
  const annotations = r.map(pair?.value);
  if (!pair || !annotations) return;
  let size = 0;
  for (const item of annotations.items) {
    const p = item as Pair;
    const key = keyText(p);
    if (key === undefined) continue;
    // Annotation keys are qualified names in any case (the API server lowercases them first).
    for (const m of qualifiedName(key.toLowerCase())) report({ message: `Invalid annotation key "${key}": ${m}.`, span: r.span(p.key), path: `metadata.annotations.${key}` });
    size += utf8Length(key) + utf8Length(r.text(p.value) ?? '');
  }
  if (size > ANNOTATIONS_LIMIT) {
    report({ message: `The annotations total ${size} bytes; the API server accepts at most ${ANNOTATIONS_LIMIT} (256 KiB) for keys and values together: move the large values elsewhere (a ConfigMap).`, span: r.span(pair.key), path: 'metadata.annotations' });
  }
}

function checkFinalizers(r: NodeReader, meta: YAMLMap | undefined, report: Report): void {
  const pair = r.pair(meta, 'finalizers');
  const finalizers = r.seq(pair?.value);
  if (!pair || !finalizers) return;
  const names: string[] = [];
  finalizers.items.forEach((item, i) => {
    const node = r.resolve(item);
    const t = decodedType(r, node);
    if (t !== 'string' && t !== 'null') return;
    const name = r.string(node) ?? '';
    names.push(name);
    for (const m of qualifiedName(name)) report({ message: `Invalid finalizer "${name}": ${m}.`, span: spanOr(r, node, pair.key), path: `metadata.finalizers[${i}]` });
  });
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    report({ message: 'Finalizers orphan and foregroundDeletion cannot both be set: keep one.', span: r.span(pair.key), path: 'metadata.finalizers' });
  }
}

/** A nearby valid name, offered when simple rewriting (lowercase, `_` → `-`) gets one. */
function fix(value: string, max: number, dots: boolean, suffix = ''): string {
  let s = value.toLowerCase().replace(dots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-');
  s = s.slice(0, max - suffix.length).replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
  const ok = dots ? dns1123Subdomain(s) : dns1123Label(s);
  return s && s + suffix !== value && ok.length === 0 ? ` Use e.g. "${s + suffix}".` : '';
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
