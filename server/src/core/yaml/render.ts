import type { YamlStyle } from './style';
import { flowFor } from './style';

/** New YAML written in a given style (yaml/style.ts): scalars, flow values, block lines, documents. */

/** A plain value to write as YAML. Object keys keep their insertion order. */
export type YValue = string | number | boolean | null | readonly YValue[] | { readonly [key: string]: YValue };

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
