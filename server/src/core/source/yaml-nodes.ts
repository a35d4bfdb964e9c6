import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type ParsedNode, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { AnchoredSpan, type DocAnchor, type Span } from './span';

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

  /** Follows aliases (bounded, so a cycle cannot loop). */
  resolve(node: unknown): Node | undefined {
    let n = node;
    for (let i = 0; i < 8 && isAlias(n); i++) n = n.resolve(this.doc);
    return isAlias(n) || n === null || n === undefined ? undefined : (n as Node);
  }

  span(node: unknown): Span | undefined {
    const n = node as Node | undefined;
    if (!n?.range) return undefined;
    return new AnchoredSpan(this.anchor, n.range[0], n.range[1]);
  }

  /** From the start of `a` to the end of `b` (same document). */
  spanBetween(a: unknown, b: unknown): Span | undefined {
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
    const n = this.resolve(node);
    return isMap(n) ? n : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    const n = this.resolve(node);
    return isSeq(n) ? n : undefined;
  }

  scalar(node: unknown): Scalar | undefined {
    const n = this.resolve(node);
    return isScalar(n) ? n : undefined;
  }

  /** The pair for `key` in a mapping (keys compared as plain strings). */
  pair(map: YAMLMap | undefined, key: string): Pair | undefined {
    if (!map) return undefined;
    for (const item of map.items) {
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (k === key) return item as Pair;
    }
    return undefined;
  }

  get(map: YAMLMap | undefined, key: string): Node | undefined {
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
    const s = this.seq(node);
    if (!s) return [];
    const out: Node[] = [];
    for (const item of s.items) {
      const n = this.resolve(item);
      if (n) out.push(n);
    }
    return out;
  }

  /** A string→string mapping such as labels; non-scalar values are skipped. */
  stringMap(node: unknown): Record<string, string> {
    const m = this.map(node);
    const out: Record<string, string> = {};
    if (!m) return out;
    for (const item of m.items) {
      const k = this.text(item.key);
      if (k === undefined) continue;
      const v = item.value === null ? '' : this.text(item.value);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
}
