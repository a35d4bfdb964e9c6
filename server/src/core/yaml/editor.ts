import { isMap, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { splitDocuments } from './split';
import type { NodeReader } from './nodes';
import type { TextEdit } from '../base/edits';
import { DEFAULT_STYLE, isLeafMap, lineStartOf, type FlowChoices, type YamlStyle } from './style';
import { quoteString, renderDocuments, renderFlow, renderItemLines, renderMapLines, renderPairLines, renderScalar, type YValue } from './render';

/**
 * Minimal text edits on YAML, computed from the node offsets of the parsed document:
 * a fix never re-serialises a document. What it inserts follows the style of the
 * surroundings (yaml/style.ts), rendered by yaml/render.ts.
 */

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
      const items: FlowChoices = { flowLeafItems: leaves.filter((l) => l.flow).length * 2 > leaves.length };
      const { byKey } = style;
      style = { ...style, byKey: { get: (k) => (k === '\u0000items' ? items : byKey.get(k)) } };
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
