import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { splitDocuments } from './split';
import type { NodeReader } from './nodes';
import type { TextEdit } from '../base/edits';

/**
 * Minimal text edits on YAML, computed from the node offsets of the parsed document:
 * a fix never re-serialises a document. What it inserts follows the style of the
 * surroundings (indent unit, sequence indentation, flow or block leaves, quotes, line
 * breaks), detected from the document itself and, where it says nothing, its file.
 */

/** A plain value to write as YAML. Object keys keep their insertion order. */
export type YValue = string | number | boolean | null | readonly YValue[] | { readonly [key: string]: YValue };

export interface YamlStyle {
  /** Spaces per nesting level of block mappings. */
  readonly indent: number;
  /** Column of a block sequence's `-` relative to its key: 0 (`- ` under the key) or indented. */
  readonly seqIndent: number;
  /** Maps of scalars as values (`matchLabels: {app: web}`) written in flow style. */
  readonly flowLeafMaps: boolean;
  /** Maps of scalars as list items (`- {port: 53, protocol: UDP}`) written in flow style. */
  readonly flowLeafItems: boolean;
  /** Lists of scalars (`policyTypes: [Ingress]`) written in flow style. */
  readonly flowScalarSeqs: boolean;
  /** The same three, as written under a given key (`matchLabels`, `ports`, `policyTypes`), where the file says. */
  readonly byKey: ReadonlyMap<string, FlowChoices>;
  /** The quote for strings that need one. */
  readonly quote: '"' | "'";
  readonly eol: '\n' | '\r\n';
  /** The document is JSON (a flow mapping at the root): every string is double-quoted, and no document can be added. */
  readonly json?: boolean;
}

export interface FlowChoices {
  readonly flowLeafMaps?: boolean;
  readonly flowLeafItems?: boolean;
  readonly flowScalarSeqs?: boolean;
}

export const DEFAULT_STYLE: YamlStyle = { indent: 2, seqIndent: 2, flowLeafMaps: false, flowLeafItems: false, flowScalarSeqs: false, byKey: new Map(), quote: '"', eol: '\n' };

/** Keys whose mappings are the skeleton of an object: block style unless the file writes them otherwise. */
const STRUCTURAL = new Set(['metadata', 'spec', 'template', 'jobTemplate', 'status']);

/** [flow, block] counts. */
type Counts = [number, number];

interface FlowCounts {
  leafMaps: Counts;
  leafItems: Counts;
  scalarSeqs: Counts;
}

interface StyleStats extends FlowCounts {
  /** Indent step -> how often. */
  indent: Map<number, number>;
  /** Dash column relative to the key -> how often. */
  seq: Map<number, number>;
  quotes: Counts;
  byKey: Map<string, FlowCounts>;
}

const newCounts = (): FlowCounts => ({ leafMaps: [0, 0], leafItems: [0, 0], scalarSeqs: [0, 0] });
const newStats = (): StyleStats => ({ indent: new Map(), seq: new Map(), quotes: [0, 0], byKey: new Map(), ...newCounts() });
const bump = (m: Map<number, number>, v: number, by = 1) => m.set(v, (m.get(v) ?? 0) + by);
const addCounts = (a: Counts, b: Counts) => {
  a[0] += b[0];
  a[1] += b[1];
};

function addFlowCounts(into: FlowCounts, from: FlowCounts): void {
  addCounts(into.leafMaps, from.leafMaps);
  addCounts(into.leafItems, from.leafItems);
  addCounts(into.scalarSeqs, from.scalarSeqs);
}

function addStats(into: StyleStats, from: StyleStats): void {
  for (const [v, c] of from.indent) bump(into.indent, v, c);
  for (const [v, c] of from.seq) bump(into.seq, v, c);
  addCounts(into.quotes, from.quotes);
  addFlowCounts(into, from);
  for (const [k, c] of from.byKey) {
    let mine = into.byKey.get(k);
    if (!mine) into.byKey.set(k, (mine = newCounts()));
    addFlowCounts(mine, c);
  }
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function isLeafMap(n: unknown): n is YAMLMap {
  return isMap(n) && n.items.length > 0 && n.items.every((p) => isScalar(p.value));
}

function isScalarSeq(n: unknown): n is YAMLSeq {
  return isSeq(n) && n.items.length > 0 && n.items.every((i) => isScalar(i));
}

/**
 * Per parsed document (the parse cache shares one document among equal texts): a
 * document starts at a line start, so its columns do not depend on where it sits.
 */
const documentStats = new WeakMap<object, StyleStats>();

function statsOf(text: string, r: NodeReader): StyleStats {
  let stats = documentStats.get(r.doc);
  if (!stats) {
    stats = newStats();
    collectStats(text, r.base, r.doc.contents, stats);
    documentStats.set(r.doc, stats);
  }
  return stats;
}

function collectStats(text: string, base: number, root: unknown, stats: StyleStats): void {
  const col = (rel: number) => base + rel - lineStartOf(text, base + rel);
  const count = (key: string | undefined, what: keyof FlowCounts, flow: boolean | undefined) => {
    stats[what][flow ? 0 : 1]++;
    if (key === undefined) return;
    let c = stats.byKey.get(key);
    if (!c) stats.byKey.set(key, (c = newCounts()));
    c[what][flow ? 0 : 1]++;
  };
  const visit = (n: unknown, depth: number, key?: string): void => {
    if (depth > 64 || isAlias(n)) return;
    if (isScalar(n)) {
      if (n.type === 'QUOTE_DOUBLE') stats.quotes[0]++;
      else if (n.type === 'QUOTE_SINGLE') stats.quotes[1]++;
      return;
    }
    if (isMap(n)) {
      for (const pair of n.items) {
        visit(pair.key, depth + 1);
        const v = pair.value;
        const keyRange = (pair.key as Node | null)?.range;
        if (!n.flow && keyRange && (isMap(v) || isSeq(v)) && v.range) {
          const keyCol = col(keyRange[0]);
          if (isMap(v) && !v.flow && v.items.length > 0) {
            const childRange = (v.items[0].key as Node | null)?.range;
            if (childRange && col(childRange[0]) > keyCol) bump(stats.indent, col(childRange[0]) - keyCol);
          }
          if (isSeq(v) && !v.flow && v.items.length > 0 && col(v.range[0]) >= keyCol) bump(stats.seq, col(v.range[0]) - keyCol);
        }
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (isLeafMap(v) && (depth > 0 || v.flow)) count(k, 'leafMaps', v.flow);
        if (isScalarSeq(v)) count(k, 'scalarSeqs', v.flow);
        visit(v, depth + 1, k);
      }
      return;
    }
    if (isSeq(n)) {
      for (const item of n.items) {
        if (isLeafMap(item)) count(key, 'leafItems', item.flow);
        visit(item, depth + 1);
      }
    }
  };
  visit(root, 0);
}

/** The most frequent value (the smallest on a tie), or undefined. */
function mode(counts: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && best !== undefined && v < best)) [best, bestCount] = [v, c];
  return best;
}

const prefers = ([flow, block]: Counts): boolean | undefined => (flow + block === 0 ? undefined : flow > block);

/**
 * The style of a document (`primary`), each property falling back to the other
 * documents of the file (`others`), then to DEFAULT_STYLE.
 */
export function detectStyle(text: string, primary: NodeReader | undefined, others: readonly NodeReader[] = []): YamlStyle {
  const own = primary ? statsOf(text, primary) : newStats();
  const file = newStats();
  const seen = new Set<unknown>(primary ? [primary.doc] : []);
  for (const r of others) {
    if (seen.has(r.doc)) continue;
    seen.add(r.doc);
    addStats(file, statsOf(text, r));
  }
  // The line break of the document's first line (or the file's).
  const from = primary ? primary.base : 0;
  const nl = text.indexOf('\n', from);
  const eol = nl > 0 && text[nl - 1] === '\r' ? '\r\n' : nl < 0 && text.includes('\r\n') ? '\r\n' : '\n';
  const pick = <T>(a: T | undefined, b: T | undefined, d: T): T => a ?? b ?? d;
  const indent = pick(mode(own.indent), mode(file.indent), DEFAULT_STYLE.indent);
  const quotes = own.quotes[0] + own.quotes[1] > 0 ? own.quotes : file.quotes;
  return {
    indent,
    seqIndent: pick(mode(own.seq), mode(file.seq), indent),
    flowLeafMaps: pick(prefers(own.leafMaps), prefers(file.leafMaps), DEFAULT_STYLE.flowLeafMaps),
    flowLeafItems: pick(prefers(own.leafItems), prefers(file.leafItems), DEFAULT_STYLE.flowLeafItems),
    flowScalarSeqs: pick(prefers(own.scalarSeqs), prefers(file.scalarSeqs), DEFAULT_STYLE.flowScalarSeqs),
    byKey: keyedChoices(own.byKey, file.byKey),
    quote: quotes[1] > quotes[0] ? "'" : '"',
    eol,
    json: isMap(primary?.doc.contents) && primary.doc.contents.flow === true,
  };
}

function keyedChoices(own: Map<string, FlowCounts>, file: Map<string, FlowCounts>): Map<string, FlowChoices> {
  const out = new Map<string, FlowChoices>();
  for (const key of new Set([...own.keys(), ...file.keys()])) {
    const a = own.get(key);
    const b = file.get(key);
    const choose = (what: keyof FlowCounts) => (a && prefers(a[what])) ?? (b && prefers(b[what]));
    out.set(key, { flowLeafMaps: choose('leafMaps'), flowLeafItems: choose('leafItems'), flowScalarSeqs: choose('scalarSeqs') });
  }
  return out;
}

/** Whether to write a value under `key` in flow style. */
function flowFor(style: YamlStyle, what: keyof FlowChoices, key: string | undefined): boolean {
  const keyed = key === undefined ? undefined : style.byKey.get(key)?.[what];
  if (keyed !== undefined) return keyed;
  if (key !== undefined && STRUCTURAL.has(key)) return false;
  return style[what];
}

// ---------------------------------------------------------------------------
// Rendering new YAML in a given style.

const PLAIN = /^[A-Za-z0-9_./-]+$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
const NUMERIC = /^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^0[xo]/i;

export function quoteString(s: string, quote: '"' | "'"): string {
  return quote === "'" ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s);
}

export function renderScalar(v: string | number | boolean | null, style: Pick<YamlStyle, 'quote' | 'json'>): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  if (style.json) return JSON.stringify(v);
  return PLAIN.test(v) && !YAML_WORDS.test(v) && !NUMERIC.test(v) && !v.startsWith('-') ? v : quoteString(v, style.quote);
}

const isScalarValue = (v: YValue): v is string | number | boolean | null => v === null || typeof v !== 'object';
const entriesOf = (v: { readonly [key: string]: YValue }) => Object.entries(v);

/** One-line flow YAML: `{a: b, c: [d]}`. */
export function renderFlow(v: YValue, style: Pick<YamlStyle, 'quote' | 'json'>): string {
  if (isScalarValue(v)) return renderScalar(v, style);
  if (Array.isArray(v)) return `[${v.map((x) => renderFlow(x, style)).join(', ')}]`;
  return `{${entriesOf(v as { [key: string]: YValue }).map(([k, x]) => `${renderScalar(k, style)}: ${renderFlow(x, style)}`).join(', ')}}`;
}

const isLeafValue = (v: YValue): boolean => !isScalarValue(v) && !Array.isArray(v) && entriesOf(v as { [key: string]: YValue }).every(([, x]) => isScalarValue(x));

/** `key: value` at column `col`, as full lines (indentation included). */
export function renderPairLines(key: string, v: YValue, col: number, style: YamlStyle): string[] {
  const head = `${' '.repeat(col)}${renderScalar(key, style)}:`;
  if (isScalarValue(v)) return [`${head} ${renderScalar(v, style)}`];
  if (Array.isArray(v)) {
    const items = v as readonly YValue[];
    if (items.length === 0 || (items.every(isScalarValue) && flowFor(style, 'flowScalarSeqs', key))) return [`${head} ${renderFlow(items, style)}`];
    return [head, ...items.flatMap((item) => renderItemLines(item, col + style.seqIndent, style, key))];
  }
  const entries = entriesOf(v as { [key: string]: YValue });
  if (entries.length === 0 || (col > 0 && isLeafValue(v) && flowFor(style, 'flowLeafMaps', key))) return [`${head} ${renderFlow(v, style)}`];
  return [head, ...renderMapLines(v as { [key: string]: YValue }, col + style.indent, style)];
}

/** The pairs of a mapping at column `col`. */
export function renderMapLines(v: { readonly [key: string]: YValue }, col: number, style: YamlStyle): string[] {
  return entriesOf(v).flatMap(([k, x]) => renderPairLines(k, x, col, style));
}

/** A block sequence item with its `-` at column `dashCol`; `key`: the list's key. */
export function renderItemLines(v: YValue, dashCol: number, style: YamlStyle, key?: string): string[] {
  const dash = `${' '.repeat(dashCol)}- `;
  if (isScalarValue(v) || Array.isArray(v)) return [`${dash}${renderFlow(v, style)}`];
  const entries = entriesOf(v as { [key: string]: YValue });
  if (entries.length === 0 || (isLeafValue(v) && flowFor(style, 'flowLeafItems', key))) return [`${dash}${renderFlow(v, style)}`];
  const lines = renderMapLines(v as { [key: string]: YValue }, dashCol + 2, style);
  lines[0] = dash + lines[0].slice(dashCol + 2);
  return lines;
}

/** A whole document (a mapping at column 0), ending with a line break. */
export function renderDocument(v: { readonly [key: string]: YValue }, style: YamlStyle): string {
  return renderMapLines(v, 0, style).join(style.eol) + style.eol;
}

/** Documents as a YAML stream: `---` between them. */
export function renderDocuments(docs: readonly { readonly [key: string]: YValue }[], style: YamlStyle): string {
  return docs.map((d) => renderDocument(d, style)).join(`---${style.eol}`);
}

// ---------------------------------------------------------------------------
// Edits.

/** Text edits for one YAML document of a file (offsets of the document's nodes made absolute). */
export class YamlEditor {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly reader: NodeReader,
    readonly style: YamlStyle,
  ) {}

  get eol(): string {
    return this.style.eol;
  }

  edit(start: number, end: number, newText: string): TextEdit {
    return { file: this.file, start, end, newText };
  }

  /** Absolute start of a node. */
  start(node: unknown): number {
    return this.reader.base + ((node as Node).range?.[0] ?? 0);
  }

  /** Absolute end of a node's value (before trailing comments and line breaks). */
  end(node: unknown): number {
    return this.reader.base + ((node as Node).range?.[1] ?? 0);
  }

  /**
   * Where a node's own text ends: a block collection's range runs on to the next
   * line, so this is the end of its last value.
   */
  contentEnd(node: unknown): number {
    const n = node as Node;
    if ((isMap(n) || isSeq(n)) && !n.flow && n.items.length > 0) {
      const last = n.items[n.items.length - 1];
      if (isMap(n)) return this.pairEnd(last as Pair);
      return this.contentEnd(last);
    }
    return this.end(n);
  }

  /** Where a pair's text ends. */
  pairEnd(pair: Pair): number {
    const v = pair.value as Node | null;
    return v && v.range ? Math.max(this.contentEnd(v), this.end(pair.key)) : this.end(pair.key);
  }

  lineStart(offset: number): number {
    return lineStartOf(this.text, offset);
  }

  /** The start of the line after the one holding `offset` (or `offset` when it starts a line). */
  lineEndAfter(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  col(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** True when only spaces precede `offset` on its line. */
  startsLine(offset: number): boolean {
    return /^ *$/.test(this.text.slice(this.lineStart(offset), offset));
  }

  /** The column of a block mapping's keys. */
  keyCol(map: YAMLMap): number {
    return this.col(this.start(map.items[0].key));
  }

  /** The offset of the `-` that introduces a block sequence item, if it is on the item's line. */
  dashOf(item: unknown): number | undefined {
    let i = this.start(item) - 1;
    while (i >= 0 && this.text[i] === ' ') i--;
    return this.text[i] === '-' ? i : undefined;
  }

  /** Lines to insert at a line start: joined, with the final line break (or a leading one at the end of a file without one). */
  private lineBlock(at: number, lines: readonly string[]): string {
    const body = lines.join(this.eol);
    if (at === this.text.length && this.text.length > 0 && !this.text.endsWith('\n')) return this.eol + body;
    return body + this.eol;
  }

  /** Replaces a scalar's text, keeping its quoting style. */
  replaceScalar(node: Scalar, value: string | number): TextEdit {
    let text: string;
    if (typeof value === 'number') text = String(value);
    else if (node.type === 'QUOTE_DOUBLE') text = JSON.stringify(value);
    else if (node.type === 'QUOTE_SINGLE') text = quoteString(value, "'");
    else text = renderScalar(value, this.style);
    return this.edit(this.start(node), this.end(node), text);
  }

  /** Renames a key, keeping its quoting style. */
  renameKey(pair: Pair, key: string): TextEdit {
    return this.replaceScalar(pair.key as Scalar, key);
  }

  /**
   * Adds pairs to a mapping: at its end, at its start, or after/before one of its pairs.
   * Block mappings get lines at their key column; flow mappings, `k: v` items.
   */
  insertPairs(map: YAMLMap, entries: { readonly [key: string]: YValue }, where: 'end' | 'start' | { after: Pair } | { before: Pair } = 'end'): TextEdit {
    const items = map.items as Pair[];
    if (map.flow || items.length === 0) {
      const flow = Object.entries(entries).map(([k, v]) => `${renderScalar(k, this.style)}: ${renderFlow(v, this.style)}`).join(', ');
      if (items.length === 0) return this.edit(this.start(map), this.end(map), `{${flow}}`);
      const before = where === 'start' ? items[0] : typeof where === 'object' && 'before' in where ? where.before : undefined;
      if (before) return this.edit(this.start(before.key), this.start(before.key), `${flow}, `);
      const after = typeof where === 'object' && 'after' in where ? where.after : items[items.length - 1];
      const at = this.pairEnd(after);
      return this.edit(at, at, `, ${flow}`);
    }
    const col = this.keyCol(map);
    const lines = renderMapLines(entries, col, this.style);
    const before = where === 'start' ? items[0] : typeof where === 'object' && 'before' in where ? where.before : undefined;
    if (before) {
      const keyStart = this.start(before.key);
      if (this.startsLine(keyStart)) {
        const at = this.lineStart(keyStart);
        return this.edit(at, at, lines.join(this.eol) + this.eol);
      }
      // The first key of a compact list item (`- ports:`): the new pairs take its place after the dash.
      return this.edit(keyStart, keyStart, [lines[0].slice(col), ...lines.slice(1)].join(this.eol) + this.eol + ' '.repeat(col));
    }
    const after = typeof where === 'object' && 'after' in where ? where.after : items[items.length - 1];
    const at = this.lineEndAfter(this.pairEnd(after));
    return this.edit(at, at, this.lineBlock(at, lines));
  }

  /** Rewrites `key: value` in place with a new value (the key's column is kept). */
  replacePair(map: YAMLMap, pair: Pair, value: YValue): TextEdit {
    const s = this.start(pair.key);
    const e = this.pairEnd(pair);
    const key = this.text.slice(s, this.end(pair.key));
    if (map.flow) return this.edit(s, e, `${key}: ${renderFlow(value, this.style)}`);
    const col = this.col(s);
    const lines = renderPairLines('k', value, col, this.style);
    lines[0] = `${key}:${lines[0].slice(col + 2)}`;
    return this.edit(s, e, lines.join(this.eol));
  }

  /** Removes a pair from a mapping (its whole lines in block style). */
  removePair(map: YAMLMap, pair: Pair): TextEdit {
    const items = map.items as Pair[];
    const i = items.indexOf(pair);
    const s = this.start(pair.key);
    const e = this.pairEnd(pair);
    if (items.length === 1) return this.edit(s, e, map.flow ? '' : '{}');
    if (map.flow) return i < items.length - 1 ? this.edit(s, this.start(items[i + 1].key), '') : this.edit(this.pairEnd(items[i - 1]), e, '');
    if (this.startsLine(s)) return this.edit(this.lineStart(s), this.lineEndAfter(e), '');
    // First pair of a compact list item: the next pair moves up behind the dash.
    return this.edit(s, this.start(items[i + 1].key), '');
  }

  /** Removes an item of a list that keeps at least one other; undefined when it cannot be done cleanly. */
  removeItem(seq: YAMLSeq, index: number): TextEdit | undefined {
    const items = seq.items;
    const item = items[index] as Node | null;
    if (!item?.range || items.length < 2) return undefined;
    if (seq.flow) {
      return index < items.length - 1
        ? this.edit(this.start(item), this.start(items[index + 1]), '')
        : this.edit(this.contentEnd(items[index - 1]), this.contentEnd(item), '');
    }
    const dash = this.dashOf(item);
    if (dash === undefined || !this.startsLine(dash)) return undefined;
    return this.edit(this.lineStart(dash), this.lineEndAfter(this.contentEnd(item)), '');
  }

  /** Appends items to a list, in its style (flow, or block at its dash column, items written like the existing ones). */
  appendItems(seq: YAMLSeq, values: readonly YValue[], key?: string): TextEdit | undefined {
    const items = seq.items;
    if (seq.flow || items.length === 0) {
      const flow = values.map((v) => renderFlow(v, this.style)).join(', ');
      if (items.length === 0) return this.edit(this.start(seq), this.end(seq), `[${flow}]`);
      const at = this.contentEnd(items[items.length - 1]);
      return this.edit(at, at, `, ${flow}`);
    }
    const last = items[items.length - 1];
    const dash = this.dashOf(last);
    if (dash === undefined) return undefined;
    const dashCol = this.col(dash);
    const at = this.lineEndAfter(this.contentEnd(last));
    // Leaf items like the existing ones: `- {port: 53}` after `- {port: 80}`.
    const leaves = items.filter(isLeafMap);
    let style = this.style;
    let itemKey = key;
    if (leaves.length > 0) {
      itemKey = '\u0000items';
      style = { ...style, byKey: new Map([...style.byKey, [itemKey, { flowLeafItems: leaves.filter((l) => l.flow).length * 2 > leaves.length }]]) };
    }
    return this.edit(at, at, this.lineBlock(at, values.flatMap((v) => renderItemLines(v, dashCol, style, itemKey))));
  }

  /** Inserts whole documents after the one holding `offset` (`---` separated); not in JSON. */
  insertDocumentsAfter(offset: number, docs: readonly { readonly [key: string]: YValue }[]): TextEdit | undefined {
    if (this.style.json) return undefined;
    const chunk = splitDocuments(this.text).find((c) => c.start <= offset && offset < c.end);
    if (!chunk || chunk.end >= this.text.length) return this.appendDocuments(docs);
    return this.edit(chunk.end, chunk.end, `---${this.eol}${renderDocuments(docs, this.style)}`);
  }

  /** Appends whole documents at the end of the file; not in JSON. */
  appendDocuments(docs: readonly { readonly [key: string]: YValue }[]): TextEdit | undefined {
    return this.style.json ? undefined : appendDocumentEdit(this.file, this.text, docs, this.style);
  }

  /** The style for a new YAML file written from this one's (a JSON file's says little about YAML). */
  get newFileStyle(): YamlStyle {
    return this.style.json ? { ...DEFAULT_STYLE, eol: this.style.eol } : this.style;
  }
}

/** Appends `---` separated documents to a file's text. */
export function appendDocumentEdit(file: string, text: string, docs: readonly { readonly [key: string]: YValue }[], style: YamlStyle): TextEdit {
  const n = text.length;
  const lead = n === 0 || text.endsWith('\n') ? '' : style.eol;
  const marker = /(^|\n)---[ \t]*\r?\n?$/.test(text) || /^\s*$/.test(text) ? '' : `---${style.eol}`;
  return { file, start: n, end: n, newText: `${lead}${marker}${renderDocuments(docs, style)}` };
}
