import type { DocumentChunk } from '../yaml/split';

/**
 * A `kind: List` document as `kubectl get -A -o yaml` prints it, cut into its items without
 * parsing it: the envelope (the document with `items: []` for its items) and one chunk per
 * item, each the item's own text at its own offset (`- apiVersion: v1` and its lines, a
 * one-item sequence to the parser: the same offsets, no copy of the text).
 *
 * Why: a cluster dump is one document of hundreds of megabytes (100,000 Pods: 500 MB). Parsed
 * whole, its tree alone is several gigabytes, and anything that later asks for one object's
 * tree parses the whole document again. Item by item, a batch load holds one item's tree at a
 * time and a later question re-parses one item.
 *
 * Only kubectl's layout is cut: `items:` at column 0 with its entries `- ` at column 0, every
 * other line of the block indented, blank or a comment. Anything else (an indented item list,
 * tabs, a flow list) and any document that may use anchors or aliases (an alias in one item may
 * name an anchor of another) is left whole.
 */
export interface ListSplit {
  /** The document without its items (`items: []`): its kind and apiVersion are read from it. */
  readonly envelope: string;
  readonly items: readonly DocumentChunk[];
}

/** Smaller List documents are parsed whole, as any document (a cut is worth it on dumps only). */
export const LIST_SPLIT_MIN_LENGTH = 1 << 20;

export function splitListItems(chunk: DocumentChunk, minLength = LIST_SPLIT_MIN_LENGTH): ListSplit | undefined {
  const text = chunk.text;
  if (text.length < minLength || mayUseAnchors(text)) return undefined;
  const at = itemsKeyLine(text);
  if (at < 0) return undefined;
  const eol = text.indexOf('\n', at);
  if (eol < 0) return undefined;
  const items: DocumentChunk[] = [];
  const push = (s: number, e: number) => items.push({ start: chunk.start + s, end: chunk.start + e, text: text.slice(s, e) });
  let itemStart = -1;
  let blockEnd = text.length;
  for (let pos = eol + 1; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const next = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    const c1 = text.charCodeAt(pos + 1);
    if (c === 45 /* - */ && (c1 === 32 || c1 === 10 || c1 === 13 || pos + 1 === text.length)) {
      if (itemStart >= 0) push(itemStart, pos);
      itemStart = pos;
    } else if (c === 32 || c === 10 || c === 13 || c === 35 /* # */) {
      // Indented content before the first entry: not kubectl's layout.
      if (c === 32 && itemStart < 0) return undefined;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      // The next key of the document: the items block ends here.
      blockEnd = pos;
      break;
    } else {
      return undefined;
    }
    pos = next;
  }
  if (itemStart < 0) return undefined;
  push(itemStart, blockEnd);
  return { envelope: `${text.slice(0, at)}items: []\n${text.slice(blockEnd)}`, items };
}

/** Offset of the `items:` line (column 0, nothing after the colon), or -1. */
function itemsKeyLine(text: string): number {
  const lineWith = (from: number) => {
    const i = text.indexOf('\nitems:', from);
    return i === -1 ? -1 : i + 1;
  };
  for (let at = text.startsWith('items:') ? 0 : lineWith(0); at !== -1; at = lineWith(at)) {
    let k = at + 'items:'.length;
    while (text.charCodeAt(k) === 32) k++;
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return at;
  }
  return -1;
}

/**
 * Whether an anchor (`&a`) or an alias (`*a`) may start somewhere: `&` or `*` after a blank,
 * at a line start or after a flow indicator. Inside a quoted string it may be a false alarm:
 * the document is then parsed whole, as before.
 */
function mayUseAnchors(text: string): boolean {
  for (const ch of ['&', '*']) {
    for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) {
      const before = i === 0 ? 10 : text.charCodeAt(i - 1);
      const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
      const opens = before === 32 || before === 10 || before === 13 || before === 9 || before === 44 || before === 91 || before === 123;
      if (opens && after !== 32 && after !== 10 && after !== 13 && after !== 9) return true;
    }
  }
  return false;
}
