import { isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { NodeReader } from './nodes';

/**
 * How a YAML file is written, for what the editor inserts to look like its surroundings:
 * indent unit, sequence indentation, flow or block leaves (per key where the file says),
 * quotes, line breaks; detected from a document and, where it says nothing, its file.
 */

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
  readonly byKey: KeyedChoices;
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

/**
 * The choices under a key, looked up when a fix writes under it: worked out per key
 * asked for, not for every key of the file (a style is made for each finding, and a file
 * of thousands of distinct keys made fix-all quadratic: 1,000 documents of 10 keys, 110 s).
 */
export interface KeyedChoices {
  get(key: string): FlowChoices | undefined;
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

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function isLeafMap(n: unknown): n is YAMLMap {
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

/**
 * The documents' stats together, kept per list of readers (the fixes of one file pass
 * the same list: summing a 3,000-document file's stats for each of its findings made
 * fix-all quadratic). The primary document may be among them: a property falls back to
 * the file's only when the primary says nothing of it, and then it adds nothing.
 */
const fileStats = new WeakMap<readonly NodeReader[], { readonly text: string; readonly stats: StyleStats }>();

function fileStatsOf(text: string, readers: readonly NodeReader[]): StyleStats {
  const hit = fileStats.get(readers);
  if (hit && hit.text === text) return hit.stats;
  const stats = newStats();
  const seen = new Set<unknown>();
  for (const r of readers) {
    if (seen.has(r.doc)) continue;
    seen.add(r.doc);
    addStats(stats, statsOf(text, r));
  }
  fileStats.set(readers, { text, stats });
  return stats;
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
  const file = fileStatsOf(text, others);
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

function keyedChoices(own: Map<string, FlowCounts>, file: Map<string, FlowCounts>): KeyedChoices {
  return {
    get(key) {
      const a = own.get(key);
      const b = file.get(key);
      if (!a && !b) return undefined;
      const choose = (what: keyof FlowCounts) => (a && prefers(a[what])) ?? (b && prefers(b[what]));
      return { flowLeafMaps: choose('leafMaps'), flowLeafItems: choose('leafItems'), flowScalarSeqs: choose('scalarSeqs') };
    },
  };
}

/** Whether to write a value under `key` in flow style. */
export function flowFor(style: YamlStyle, what: keyof FlowChoices, key: string | undefined): boolean {
  const keyed = key === undefined ? undefined : style.byKey.get(key)?.[what];
  if (keyed !== undefined) return keyed;
  if (key !== undefined && STRUCTURAL.has(key)) return false;
  return style[what];
}
