import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { LightMap, LightPair, LightScalar, LightSeq, PlainScalar } from '../yaml/fast-yaml';
import type { Span } from '../base/span';
import type { NodeReader } from '../yaml/nodes';

/**
 * The shape of a networking.k8s.io/v1 NetworkPolicy as the API server decodes it
 * (k8s.io/api/networking/v1 and meta/v1 types), shared by the unknown-field and
 * invalid-value-type rules.
 */
export type Shape = StructShape | ListShape | LeafShape;

export interface StructShape {
  readonly kind: 'struct';
  /** The Go type, for messages. */
  readonly type: string;
  /** Where such a map sits, in words ("a peer (an item of from or to)"). */
  readonly where: string;
  readonly fields: Readonly<Record<string, Shape>>;
}

export interface ListShape {
  readonly kind: 'list';
  readonly of: Shape;
  /** Another rule reports wrong types here, with a more specific message. */
  readonly checkedBy?: string;
}

export interface LeafShape {
  /** stringMap: map[string]string (labels, annotations, matchLabels); any: not checked. */
  readonly kind: 'string' | 'integer' | 'boolean' | 'intOrString' | 'stringMap' | 'any';
  readonly checkedBy?: string;
}

const str: LeafShape = { kind: 'string' };
const int: LeafShape = { kind: 'integer' };
const bool: LeafShape = { kind: 'boolean' };
const any: LeafShape = { kind: 'any' };
const stringMap: LeafShape = { kind: 'stringMap' };
const list = (of: Shape, checkedBy?: string): ListShape => (checkedBy ? { kind: 'list', of, checkedBy } : { kind: 'list', of });
const struct = (type: string, where: string, fields: Record<string, Shape>): StructShape => ({ kind: 'struct', type, where, fields });

export const LABEL_SELECTOR = struct('LabelSelector', 'a label selector (podSelector, namespaceSelector)', {
  matchLabels: stringMap,
  matchExpressions: list(
    struct('LabelSelectorRequirement', 'a matchExpressions entry', {
      key: str,
      operator: { kind: 'string', checkedBy: 'invalid-label-selector' },
      values: list(str),
    }),
  ),
});

const IP_BLOCK = struct('IPBlock', 'ipBlock', {
  cidr: { kind: 'string', checkedBy: 'invalid-cidr' },
  except: list({ kind: 'string', checkedBy: 'invalid-cidr' }),
});

export const PEER = struct('NetworkPolicyPeer', 'a peer (an item of from or to)', {
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: IP_BLOCK,
});

const PORT = struct('NetworkPolicyPort', 'a ports entry', {
  protocol: { kind: 'string', checkedBy: 'invalid-protocol' },
  port: { kind: 'intOrString', checkedBy: 'invalid-port' },
  endPort: { kind: 'integer', checkedBy: 'invalid-end-port' },
});

export const INGRESS_RULE = struct('NetworkPolicyIngressRule', 'an ingress rule', { from: list(PEER), ports: list(PORT) });
export const EGRESS_RULE = struct('NetworkPolicyEgressRule', 'an egress rule', { to: list(PEER), ports: list(PORT) });

export const SPEC = struct('NetworkPolicySpec', 'spec', {
  podSelector: LABEL_SELECTOR,
  policyTypes: list(str, 'invalid-policy-types'),
  ingress: list(INGRESS_RULE),
  egress: list(EGRESS_RULE),
});

export const OBJECT_META = struct('ObjectMeta', 'metadata', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  // metav1.Time: an RFC 3339 string or null. Output-only; not worth checking.
  creationTimestamp: any,
  deletionTimestamp: any,
  deletionGracePeriodSeconds: int,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: list(
    struct('OwnerReference', 'an ownerReferences entry', { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool }),
  ),
  finalizers: list(str),
  managedFields: list(
    struct('ManagedFieldsEntry', 'a managedFields entry', { manager: str, operation: str, apiVersion: str, time: any, fieldsType: str, fieldsV1: any, subresource: str }),
  ),
});

/**
 * `status` is not decoded: NetworkPolicyStatus existed (alpha) in 1.24-1.27 and tools still
 * emit `status: {}`; it is accepted here so that such output is not called rejected.
 */
export const NETWORK_POLICY = struct('NetworkPolicy', 'the top level of the object', { apiVersion: str, kind: str, metadata: OBJECT_META, spec: SPEC, status: any });

/** Every struct shape, for "this field belongs elsewhere" hints. */
export const STRUCTS: readonly StructShape[] = (() => {
  const out: StructShape[] = [];
  const visit = (s: Shape): void => {
    if (s.kind === 'list') return visit(s.of);
    if (s.kind !== 'struct' || out.includes(s)) return;
    out.push(s);
    for (const f of Object.values(s.fields)) visit(f);
  };
  visit(NETWORK_POLICY);
  visit(INGRESS_RULE);
  visit(EGRESS_RULE);
  return out;
})();

/** The YAML merge key, which kubectl's YAML decoder (go-yaml v2) expands. */
export const MERGE_KEY = '<<';

/** The key of a pair as a string (scalar keys only). */
export function keyText(pair: Pair): string | undefined {
  if (pair instanceof LightPair) {
    // Always a scalar key (without making its node).
    const v = pair.keyValue;
    return v === null ? '' : String(v);
  }
  const k = pair.key;
  if (!isScalar(k)) return undefined;
  return k.value === null || k.value === undefined ? '' : String(k.value);
}

/**
 * The fields a map really has once decoded: its own keys, plus those brought in by
 * `<<: *anchor` merges (own keys win). Used for presence checks, so a peer that gets
 * its selector from a merge is not called empty.
 */
export function effectiveKeys(r: NodeReader, map: YAMLMap, depth = 0): Map<string, Node | undefined> {
  const out = new Map<string, Node | undefined>();
  const merged: Node[] = [];
  for (const pair of map.items) {
    const key = keyText(pair as Pair);
    if (key === undefined) continue;
    if (key === MERGE_KEY) {
      const v = r.resolve(pair.value);
      if (isSeq(v)) merged.push(...v.items.map((i) => r.resolve(i)).filter((n): n is Node => n !== undefined));
      else if (v) merged.push(v);
      continue;
    }
    out.set(key, r.resolve(pair.value));
  }
  if (depth < 4) {
    for (const m of merged) {
      if (!isMap(m)) continue;
      for (const [k, v] of effectiveKeys(r, m, depth + 1)) if (!out.has(k)) out.set(k, v);
    }
  }
  return out;
}

/** True when a field is there and not null (a null pointer field decodes as absent). */
export function isSet(r: NodeReader, node: Node | undefined): boolean {
  const n = r.resolve(node);
  return n !== undefined && !(isScalar(n) && n.value === null);
}

/**
 * What a node becomes in the JSON the API server decodes. YAML 1.2 and YAML 1.1 (which
 * kubectl's go-yaml v2 reader speaks) agree on numbers, `true`/`false` and null. They
 * disagree on unquoted `yes`/`no`/`on`/`off`/`y`/`n` (booleans to kubectl, strings to
 * kustomize's YAML 1.2 reader), so those count as strings: no error where one common
 * pipeline succeeds.
 */
export type DecodedType = 'null' | 'string' | 'integer' | 'float' | 'boolean' | 'map' | 'list';

export function decodedType(r: NodeReader, node: unknown): DecodedType {
  // The fast parser's nodes first (no alias to resolve; a PlainScalar holds a string).
  if (node instanceof PlainScalar) return 'string';
  if (node instanceof LightMap) return 'map';
  if (node instanceof LightSeq) return 'list';
  if (node instanceof LightScalar) return scalarType(node.value);
  const n = r.resolve(node);
  if (n === undefined) return 'null';
  if (isMap(n)) return 'map';
  if (isSeq(n)) return 'list';
  if (!isScalar(n)) return 'null';
  return scalarType(n.value);
}

function scalarType(value: unknown): DecodedType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'float';
    case 'bigint':
      return 'integer';
    case 'boolean':
      return 'boolean';
    default:
      return value === null || value === undefined ? 'null' : 'string';
  }
}

/** The span of a node, or of `fallback` when the node has no extent (`key:` with no value, a bare `-`). */
export function spanOr(r: NodeReader, node: unknown, fallback: unknown): Span | undefined {
  const s = r.span(node);
  return s && s.end > s.start ? s : r.span(fallback);
}

/**
 * Where to point at a value: the value itself when it is a scalar or a flow
 * collection (one line), else its key (a block collection spans many lines).
 */
export function valueSpan(r: NodeReader, pair: Pair): Span | undefined {
  const v = r.resolve(pair.value);
  if ((isMap(v) || isSeq(v)) && !v.flow) return r.span(pair.key);
  return spanOr(r, v, pair.key);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate `word` most likely stands for: same letters ignoring case first, then
 * the closest by edit distance within a budget that grows with the length.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const same = candidates.find((c) => c.toLowerCase() === lower);
  if (same) return same;
  const budget = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d <= budget && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** A short description of a node's type for messages ("a list", "the number 1"). */
export function describeValue(r: NodeReader, node: unknown): string {
  const n = r.resolve(node);
  const t = decodedType(r, n);
  const src = isScalar(n) ? String(n.source ?? n.value) : '';
  switch (t) {
    case 'map':
      return 'a mapping';
    case 'list':
      return 'a list';
    case 'boolean':
      return `the boolean ${src}`;
    case 'integer':
    case 'float':
      return `the number ${src}`;
    case 'null':
      return 'null';
    default:
      return `the string "${src}"`;
  }
}
