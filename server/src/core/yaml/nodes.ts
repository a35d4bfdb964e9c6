import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type ParsedNode, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { LightMap, LightPair, LightScalar, LightSeq, PlainScalar } from './fast-yaml';
import { aliasTable } from './aliases';
import { AnchoredSpan, type DocAnchor, type Span } from '../base/span';
import { dict } from '../base/own';

// Fast paths: most documents come from the fast parser, whose node classes are checked
// with `instanceof` (monomorphic, cheap) before the `yaml` type guards (a symbol lookup
// that every kind of node goes through, so megamorphic). Same answers either way.

/** A light mapping's pair for `key` (its keys are scalars: compared by value, without making their nodes). */
function lightPair(map: LightMap, key: string): LightPair | undefined {
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const p = items[i];
    const k = p.rawKey;
    if ((typeof k === 'string' ? k : k.value) === key) return p;
  }
  return undefined;
}

/** A light node: never an alias, and its range is in fields (no array to build). */
function isLight(n: unknown): n is PlainScalar | LightScalar | LightMap | LightSeq {
  return n instanceof PlainScalar || n instanceof LightMap || n instanceof LightScalar || n instanceof LightSeq;
}

/**
 * Read-only helpers over the yaml AST that keep source offsets. A `NodeReader` knows
 * its document's anchor (file and offset in the file), so every span it hands out
 * reads as absolute, and follows the document when an edit moves it.
 */
export class NodeReader {
  constructor(
    readonly anchor: DocAnchor,
    readonly doc: Document.Parsed<ParsedNode>,
  ) {}

  get file(): string {
    return this.anchor.file;
  }

  /** Offset of the document chunk in the file. */
  get base(): number {
    return this.anchor.base;
  }

  /**
   * Follows an alias to its anchored node, through the document's alias table (built
   * once: `yaml`'s own Alias.resolve walks the whole document on each call).
   */
  resolve(node: unknown): Node | undefined {
    // A key that is not there (the usual miss of a lookup): no type guard of `yaml` to ask.
    if (node === undefined || node === null) return undefined;
    if (isLight(node)) return node as unknown as Node;
    let n: unknown = node;
    if (isAlias(n)) n = aliasTable(this.doc).targets.get(n);
    return isAlias(n) || n === null || n === undefined ? undefined : (n as Node);
  }

  span(node: unknown): Span | undefined {
    if (node instanceof PlainScalar) return new AnchoredSpan(this.anchor, node.r0, node.r0 + node.value.length);
    if (isLight(node)) return new AnchoredSpan(this.anchor, node.r0, node.r1);
    const n = node as Node | undefined;
    if (!n?.range) return undefined;
    return new AnchoredSpan(this.anchor, n.range[0], n.range[1]);
  }

  /** From the start of `a` to the end of `b` (same document). */
  spanBetween(a: unknown, b: unknown): Span | undefined {
    if (isLight(a) && isLight(b)) return new AnchoredSpan(this.anchor, a.r0, Math.max(a.r1, b.r1));
    const x = (a as Node | undefined)?.range;
    const y = (b as Node | undefined)?.range;
    if (!x || !y) return undefined;
    return new AnchoredSpan(this.anchor, x[0], Math.max(x[1], y[1]));
  }

  /** The span of a key/value pair: from the key to the end of the value. */
  pairSpan(pair: Pair): Span | undefined {
    return this.spanBetween(pair.key, pair.value) ?? this.span(pair.key) ?? this.span(pair.value);
  }

  map(node: unknown): YAMLMap | undefined {
    if (node instanceof LightMap) return node as unknown as YAMLMap;
    const n = this.resolve(node);
    return isMap(n) ? n : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    if (node instanceof LightSeq) return node as unknown as YAMLSeq;
    const n = this.resolve(node);
    return isSeq(n) ? n : undefined;
  }

  scalar(node: unknown): Scalar | undefined {
    if (node instanceof PlainScalar || node instanceof LightScalar) return node as unknown as Scalar;
    const n = this.resolve(node);
    return isScalar(n) ? n : undefined;
  }

  /** The pair for `key` in a mapping (keys compared as plain strings). */
  pair(map: YAMLMap | undefined, key: string): Pair | undefined {
    if (!map) return undefined;
    if (map instanceof LightMap) return lightPair(map, key) as unknown as Pair | undefined;
    for (const item of map.items) {
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (k === key) return item as Pair;
    }
    return undefined;
  }

  get(map: YAMLMap | undefined, key: string): Node | undefined {
    // A light pair's value is a light node: nothing to resolve.
    if (map instanceof LightMap) return lightPair(map, key)?.value as unknown as Node | undefined;
    const p = this.pair(map, key);
    return p ? this.resolve(p.value) : undefined;
  }

  has(map: YAMLMap | undefined, key: string): boolean {
    return this.pair(map, key) !== undefined;
  }

  string(node: unknown): string | undefined {
    const s = this.scalar(node);
    return s && typeof s.value === 'string' ? s.value : undefined;
  }

  /** A string or number scalar as a string (label values may be typed as numbers). */
  text(node: unknown): string | undefined {
    const s = this.scalar(node);
    if (!s) return undefined;
    if (typeof s.value === 'string') return s.value;
    if (typeof s.value === 'number' || typeof s.value === 'boolean') return String(s.source ?? s.value);
    return undefined;
  }

  number(node: unknown): number | undefined {
    const s = this.scalar(node);
    return s && typeof s.value === 'number' ? s.value : undefined;
  }

  boolean(node: unknown): boolean | undefined {
    const s = this.scalar(node);
    return s && typeof s.value === 'boolean' ? s.value : undefined;
  }

  items(node: unknown): Node[] {
    // A light sequence's items are light nodes: none to resolve or drop.
    if (node instanceof LightSeq) return node.items.slice() as unknown as Node[];
    const s = this.seq(node);
    if (!s) return [];
    const out: Node[] = [];
    for (const item of s.items) {
      const n = this.resolve(item);
      if (n) out.push(n);
    }
    return out;
  }

  /** `text(pair.key)`: a string or number key as a string. */
  keyString(pair: Pair | LightPair): string | undefined {
    if (pair instanceof LightPair) {
      const k = pair.rawKey;
      if (typeof k === 'string') return k;
    }
    return this.text(pair.key);
  }

  /** A string→string mapping such as labels; non-scalar values are skipped. */
  stringMap(node: unknown): Record<string, string> {
    const m = this.map(node);
    // Keys are the manifest's: no prototype, so `__proto__` or `constructor` is a key like any other.
    const out = dict<string>();
    if (!m) return out;
    for (const item of m.items) {
      const k = this.keyString(item);
      if (k === undefined) continue;
      const v = item.value === null ? '' : this.text(item.value);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
}

// Type guards for code that walks nodes it was handed (a fix's data): the node, or
// undefined when it is of another kind.
export const asMap = (n: unknown): YAMLMap | undefined => (isMap(n) ? n : undefined);
export const asSeq = (n: unknown): YAMLSeq | undefined => (isSeq(n) ? n : undefined);
export const asScalar = (n: unknown): Scalar | undefined => (isScalar(n) ? n : undefined);

/** The pair for `key` of a mapping (keys compared as scalars' values). */
export function pairOf(map: YAMLMap | undefined, key: string): Pair | undefined {
  return map?.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** A scalar's value as a string (undefined for null and non-scalars). */
export function scalarText(n: unknown): string | undefined {
  if (!isScalar(n)) return undefined;
  return n.value === null || n.value === undefined ? undefined : String(n.value);
}
