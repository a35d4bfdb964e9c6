/**
 * A tolerant outline of one YAML document for completion, built line by line from
 * indentation, so that half-typed text (which often does not parse) still says where
 * the cursor is: `matchLabels:\n      ap|`, `- key: |`, `port:|`, a blank line under
 * `podSelector:`. It understands what Kubernetes manifests use: block mappings and
 * sequences (compact `- key:` items too), plain and quoted scalars, comments, block
 * scalars (skipped), and flow collections (`{app: web}`, `[Ingress]`), which are parsed
 * with the `yaml` package, auto-closed when half-typed: inside a flow collection the
 * cursor is located on the parsed AST.
 *
 * Every offset here is relative to the document text handed in.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { fastParseDocument } from './fast-yaml';

export type ONode = OMap | OSeq | OScalar;

/** Where a node hangs: under a key of a mapping, or at an index of a sequence. */
export type OParent = { readonly node: OMap; readonly key: string } | { readonly node: OSeq; readonly index: number };

export interface OMap {
  readonly kind: 'map';
  /** Column of the keys (-1 inside a flow collection). */
  readonly col: number;
  readonly entries: OEntry[];
  readonly parent?: OParent;
}

export interface OEntry {
  readonly key: string;
  value?: ONode;
  /** The entry on the cursor's line (being typed): not a key "already present". */
  atCursor?: boolean;
}

export interface OSeq {
  readonly kind: 'seq';
  /** Column of the `-` markers (-1 inside a flow collection). */
  readonly col: number;
  readonly items: OItem[];
  readonly parent?: OParent;
}

export interface OItem {
  value?: ONode;
  atCursor?: boolean;
}

export interface OScalar {
  readonly kind: 'scalar';
  /** The value as text (quotes removed); '' for null. */
  readonly text: string;
  readonly isNull: boolean;
  readonly parent?: OParent;
}

/** What the cursor is on. Offsets are in the document text; `start..end` is what an item replaces. */
export type CursorSite =
  | {
      /** Typing a key of `map` (a blank line, a word without colon, or the key of `key: …`). */
      readonly kind: 'key';
      readonly map: OMap;
      readonly start: number;
      readonly end: number;
      /** The column where the key sits (for multi-line insertions). */
      readonly col: number;
      /** A `:` follows the key already: insert the name only. */
      readonly keyOnly: boolean;
      /** In a flow mapping (`{…}`): single-line insertions only. */
      readonly flow: boolean;
    }
  | {
      /** At the start of a sequence item (`- |`, `- wo|`, `[a, |]`): a scalar item, or the first key of a mapping item. */
      readonly kind: 'item';
      readonly seq: OSeq;
      readonly item: OItem;
      readonly start: number;
      readonly end: number;
      readonly col: number;
      /** `-|`: the space after the dash is still to be inserted. */
      readonly leadingSpace: boolean;
      readonly flow: boolean;
    }
  | {
      /** Typing the value of `key` in `map`. */
      readonly kind: 'value';
      readonly map: OMap;
      readonly key: string;
      readonly start: number;
      readonly end: number;
      /** `key:|`: the space after the colon is still to be inserted. */
      readonly leadingSpace: boolean;
      readonly flow: boolean;
    };

export interface Outline {
  readonly root: OMap | OSeq | undefined;
  readonly cursor: CursorSite | undefined;
  /** The indentation step the document uses (2 when it cannot tell). */
  readonly indentUnit: number;
}

interface Line {
  readonly start: number;
  /** Without the line break (and a trailing `\r`). */
  readonly text: string;
}

type Owner = { readonly kind: 'entry'; readonly map: OMap; readonly entry: OEntry } | { readonly kind: 'item'; readonly it: OItem; readonly seq: OSeq; readonly dash: number; readonly index: number };

interface Pending {
  readonly col: number;
  readonly open: (node: OMap | OSeq) => void;
  readonly entryOfMap: boolean;
}

const MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/;

/** Builds the outline of `text`; `cursor` (an offset in `text`, or -1) is located on the way. */
export function buildOutline(text: string, cursor = -1): Outline {
  return new Builder(text, cursor).build();
}

class Builder {
  private readonly lines: Line[] = [];
  private root: OMap | OSeq | undefined;
  private readonly stack: (OMap | OSeq)[] = [];
  private pending: Pending | undefined;
  private site: CursorSite | undefined;
  private readonly cursorLine: number;
  private minIndent = Infinity;

  constructor(
    private readonly text: string,
    private readonly cursor: number,
  ) {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl === -1 ? text.length : nl;
      let t = text.slice(start, end);
      if (t.endsWith('\r')) t = t.slice(0, -1);
      this.lines.push({ start, text: t });
      if (nl === -1) break;
      start = nl + 1;
    }
    this.cursorLine = cursor < 0 ? -1 : this.lines.findIndex((l, i) => cursor >= l.start && (i === this.lines.length - 1 || cursor < this.lines[i + 1].start));
  }

  build(): Outline {
    let i = 0;
    while (i < this.lines.length) i = this.line(i);
    const unit = Number.isFinite(this.minIndent) ? Math.min(8, Math.max(1, this.minIndent)) : 2;
    return { root: this.root, cursor: this.site, indentUnit: unit };
  }

  /** Handles line `i`; returns the index of the next line to handle. */
  private line(i: number): number {
    const { text, start } = this.lines[i];
    const cursorCol = i === this.cursorLine ? this.cursor - start : -1;
    this.afterValue = i + 1;
    if (MARKER.test(text) || text.startsWith('%')) return i + 1;
    const indent = /^ */.exec(text)![0].length;
    const rest = text.slice(indent);
    if (rest === '' || rest.startsWith('#')) {
      // A blank cursor line is a key being typed at the cursor's column.
      if (cursorCol >= 0 && (rest === '' || cursorCol <= indent)) this.blankCursor(cursorCol, start);
      return i + 1;
    }
    if (indent > 0 && indent < this.minIndent) this.minIndent = indent;
    // The cursor in the indentation before content: nothing sensible to offer there.
    this.tokens(i, indent, cursorCol >= indent ? cursorCol : -1);
    return this.afterValue;
  }

  /** Index of the line after the last one a value consumed (flow collections, block scalars). */
  private afterValue = 0;

  /**
   * The cursor on a blank line: a key at the cursor's column. Deeper than a pending
   * `key:`, it opens that key's mapping (as the text typed there will); otherwise the
   * mapping is looked up without disturbing the structure, so the lines below keep
   * their place (a blank line at column 0 between `metadata:` and `  name:`).
   */
  private blankCursor(col: number, lineStart: number): void {
    const at = lineStart + col;
    let map: OMap | undefined;
    if (this.pending && col > this.pending.col) {
      map = this.placeKey(col);
    } else {
      for (let k = this.stack.length - 1; k >= 0; k--) {
        const n = this.stack[k];
        if (n.col > col || (n.kind === 'seq' && n.col >= col)) continue;
        if (n.kind === 'map') map = n;
        break;
      }
      if (!map && this.stack.length === 0 && !this.root) map = this.placeKey(col);
    }
    if (!map) return;
    map.entries.push({ key: '', atCursor: true });
    this.site = { kind: 'key', map, start: at, end: at, col, keyOnly: false, flow: false };
  }

  /** Reads the tokens of line `i` from column `col`; `cursorCol` is -1 off the cursor line. */
  private tokens(i: number, col: number, cursorCol: number): void {
    const { text, start } = this.lines[i];
    let c = col;
    // Sequence markers: `- `, or `-` at the end of the line; several for nested items.
    // (Each item keeps its index: looking it up in a list of 100,000 items per item is quadratic.)
    let item: { seq: OSeq; it: OItem; dash: number; index: number } | undefined;
    while (text[c] === '-' && (c + 1 === text.length || text[c + 1] === ' ' || text[c + 1] === '\t')) {
      if (item) this.pending = this.pendingItem(item.it, item.seq, item.dash, item.index);
      const seq = this.placeDash(c);
      const it: OItem = {};
      const index = seq.items.push(it) - 1;
      item = { seq, it, dash: c, index };
      c++;
      while (text[c] === ' ' || text[c] === '\t') c++;
    }
    if (c >= text.length || text[c] === '#') {
      if (!item) return;
      // `- ` and nothing yet: a mapping item may follow on the next lines.
      this.pending = this.pendingItem(item.it, item.seq, item.dash, item.index);
      if (cursorCol > item.dash && (cursorCol <= c || c >= text.length)) {
        item.it.atCursor = true;
        const leadingSpace = cursorCol === item.dash + 1 && cursorCol === text.length;
        const at = start + cursorCol;
        this.site = { kind: 'item', seq: item.seq, item: item.it, start: at, end: at, col: leadingSpace ? cursorCol + 1 : cursorCol, leadingSpace, flow: false };
      }
      return;
    }
    if (item && (text[c] === '{' || text[c] === '[' || text[c] === '|' || text[c] === '>' || !this.findColon(text, c))) {
      // A scalar or flow item (or a word being typed: the caller decides which).
      this.pending = undefined;
      item.it.value = this.value(i, c, cursorCol, { kind: 'item', it: item.it, seq: item.seq, dash: item.dash, index: item.index });
      return;
    }
    // A mapping item's first key (its keys sit at column c), or a plain mapping line.
    if (item) this.pending = this.pendingItem(item.it, item.seq, item.dash, item.index);
    this.keyOrWord(i, c, cursorCol);
  }

  private pendingItem(it: OItem, seq: OSeq, dash: number, index: number): Pending {
    return {
      col: dash,
      entryOfMap: false,
      open: (node) => {
        it.value = node;
        (node as { parent?: OParent }).parent = { node: seq, index };
      },
    };
  }

  /** `key: value`, `key:`, or a word without colon (a key being typed) at column `c`. */
  private keyOrWord(i: number, c: number, cursorCol: number): void {
    const { text, start } = this.lines[i];
    const colon = this.findColon(text, c);
    const map = this.placeKey(c);
    if (colon === undefined) {
      // A word without colon: a key being typed (or a multi-line scalar: rare in manifests).
      const word = stripComment(text.slice(c)).trimEnd();
      const entry: OEntry = { key: unquote(word) };
      map.entries.push(entry);
      if (cursorCol >= c && cursorCol <= c + word.length) {
        entry.atCursor = true;
        this.site = { kind: 'key', map, start: start + c, end: start + this.wordEnd(text, cursorCol), col: c, keyOnly: false, flow: false };
      }
      return;
    }
    const entry: OEntry = { key: unquote(text.slice(c, colon.keyEnd).trim()) };
    map.entries.push(entry);
    if (cursorCol >= c && cursorCol <= colon.keyEnd) {
      entry.atCursor = true;
      this.site = { kind: 'key', map, start: start + c, end: start + colon.keyEnd, col: c, keyOnly: true, flow: false };
    }
    let v = colon.colon + 1;
    while (text[v] === ' ' || text[v] === '\t') v++;
    const cursorInValue = cursorCol > colon.colon;
    if (cursorInValue) entry.atCursor = true;
    if (v >= text.length || text[v] === '#') {
      // `key:` with nothing (yet): a block value may follow on the next lines.
      if (cursorInValue && cursorCol <= v) {
        const at = start + cursorCol;
        this.site = { kind: 'value', map, key: entry.key, start: at, end: at, leadingSpace: cursorCol === colon.colon + 1 && v >= text.length, flow: false };
      }
      this.pending = {
        col: c,
        entryOfMap: true,
        open: (node) => {
          entry.value = node;
          (node as { parent?: OParent }).parent = { node: map, key: entry.key };
        },
      };
      return;
    }
    entry.value = this.value(i, v, cursorInValue ? cursorCol : -1, { kind: 'entry', map, entry });
  }

  /**
   * A value starting at column `v` of line `i`: flow collection, block scalar, or plain /
   * quoted scalar. Sets the cursor site when the cursor is in it.
   */
  private value(i: number, v: number, cursorCol: number, owner: Owner): ONode | undefined {
    const { text, start } = this.lines[i];
    const parent: OParent = owner.kind === 'entry' ? { node: owner.map, key: owner.entry.key } : { node: owner.seq, index: owner.index };
    const ch = text[v];
    if (ch === '{' || ch === '[') return this.flow(i, v, parent, owner);
    if (ch === '|' || ch === '>') {
      // Block scalar: its lines are more indented than the key (or dash).
      const base = owner.kind === 'entry' ? owner.map.col : owner.dash;
      let j = i + 1;
      while (j < this.lines.length) {
        const t = this.lines[j].text;
        if (t.trim() !== '' && /^ */.exec(t)![0].length <= base) break;
        j++;
      }
      this.afterValue = j;
      return { kind: 'scalar', text: '', isNull: false, parent };
    }
    let raw = stripComment(text.slice(v)).trimEnd();
    // Anchors and tags before a value are not part of it.
    const prefix = /^(?:[&!]\S*\s+)+/.exec(raw);
    const valueStart = v + (prefix ? prefix[0].length : 0);
    if (prefix) raw = raw.slice(prefix[0].length);
    if (cursorCol >= valueStart && cursorCol <= valueStart + raw.length) {
      const from = start + valueStart;
      const to = start + Math.max(cursorCol, this.wordEnd(text, cursorCol));
      if (owner.kind === 'entry') {
        this.site = { kind: 'value', map: owner.map, key: owner.entry.key, start: from, end: to, leadingSpace: false, flow: false };
      } else {
        owner.it.atCursor = true;
        this.site = { kind: 'item', seq: owner.seq, item: owner.it, start: from, end: to, col: valueStart, leadingSpace: false, flow: false };
      }
    }
    const isNull = raw === '' || raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL';
    return { kind: 'scalar', text: isNull ? '' : unquote(raw), isNull, parent };
  }

  /** A flow collection starting at column `v` of line `i`, possibly over several lines. */
  private flow(i: number, v: number, parent: OParent, owner: Owner): ONode | undefined {
    const lineStart = this.lines[i].start;
    const from = lineStart + v;
    // Scan to the balancing bracket, over lines if needed.
    const scan = scanFlow(this.text, from);
    let fragment: string;
    let cursorIn: boolean;
    if (scan.closed) {
      fragment = this.text.slice(from, scan.end);
      this.afterValue = Math.max(i + 1, this.lineOf(scan.end - 1) + 1);
      cursorIn = this.cursor > from && this.cursor < scan.end;
    } else {
      // Half-typed: up to the end of this line, closed for the parser.
      const lineEnd = lineStart + this.lines[i].text.length;
      const partial = this.text.slice(from, lineEnd);
      fragment = partial + closers(partial);
      cursorIn = this.cursor > from && this.cursor <= lineEnd;
    }
    // A large collection the cursor is not in is left unread: completion looks near the
    // cursor, and reading a 1 MB flow line on each request cost 100 ms and more.
    if (!cursorIn && fragment.length > MAX_FLOW_AWAY) return undefined;
    const contents = parseFlow(fragment);
    if (contents === undefined) return undefined;
    const node = fromAst(contents, parent, cursorIn ? pathTo(contents, this.cursor - from) : undefined);
    if (cursorIn) {
      if (owner.kind === 'entry') owner.entry.atCursor = true;
      else owner.it.atCursor = true;
      this.flowSite(contents, node, fragment, from);
    }
    return node;
  }

  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Locates the cursor inside a parsed flow collection (AST ranges), in step with its outline node. */
  private flowSite(ast: YamlNode | null, node: ONode | undefined, src: string, base: number): void {
    const o = this.cursor - base;
    let a: unknown = ast;
    let n: ONode | undefined = node;
    for (let depth = 0; depth < 32; depth++) {
      if (isMap(a) && n?.kind === 'map') {
        let next: { a: unknown; n: ONode | undefined } | undefined;
        for (let k = 0; k < a.items.length; k++) {
          const pair = a.items[k];
          const key = pair.key as YamlNode | null;
          const kr = key?.range;
          const value = pair.value as YamlNode | null;
          const vr = value?.range;
          if (kr && kr[0] <= o && o <= kr[1] && kr[1] > kr[0]) {
            n.entries[k].atCursor = true;
            this.site = { kind: 'key', map: n, start: base + kr[0], end: base + kr[1], col: -1, keyOnly: src.slice(kr[1]).trimStart().startsWith(':'), flow: true };
            return;
          }
          if ((isMap(value) || isSeq(value)) && vr && vr[0] < o && o < vr[1]) {
            n.entries[k].atCursor = true;
            next = { a: value, n: n.entries[k].value };
            break;
          }
          if (kr && o > kr[1]) {
            const colon = src.indexOf(':', kr[1]);
            if (colon < 0 || !/^\s*$/.test(src.slice(kr[1], colon))) continue;
            const between = colon >= 0 ? src.slice(colon + 1, o) : '';
            if (colon >= 0 && colon < o && !/[,{}[\]]/.test(between) && (!vr || o <= Math.max(vr[1], colon + 1) || vr[1] <= vr[0])) {
              n.entries[k].atCursor = true;
              let s = colon + 1;
              while (s < o && (src[s] === ' ' || src[s] === '\t')) s++;
              const hasValue = isScalar(value) && vr && vr[1] > vr[0] && vr[0] <= o;
              const e = hasValue ? Math.max(vr[1], o) : o;
              this.site = { kind: 'value', map: n, key: n.entries[k].key, start: base + (hasValue ? vr[0] : s), end: base + e, leadingSpace: o === colon + 1 && src[o] !== ' ', flow: true };
              return;
            }
          }
        }
        if (next) {
          a = next.a;
          n = next.n;
          continue;
        }
        const entry: OEntry = { key: '', atCursor: true };
        n.entries.push(entry);
        this.site = { kind: 'key', map: n, start: this.cursor, end: this.cursor, col: -1, keyOnly: false, flow: true };
        return;
      }
      if (isSeq(a) && n?.kind === 'seq') {
        let next: { a: unknown; n: ONode | undefined } | undefined;
        for (let k = 0; k < a.items.length; k++) {
          const item = a.items[k] as YamlNode | null;
          const r = item?.range;
          if (!r) continue;
          if ((isMap(item) || isSeq(item)) && r[0] < o && o < r[1]) {
            n.items[k].atCursor = true;
            next = { a: item, n: n.items[k].value };
            break;
          }
          if (isScalar(item) && r[0] <= o && o <= r[1] && r[1] > r[0]) {
            n.items[k].atCursor = true;
            this.site = { kind: 'item', seq: n, item: n.items[k], start: base + r[0], end: base + r[1], col: -1, leadingSpace: false, flow: true };
            return;
          }
        }
        if (next) {
          a = next.a;
          n = next.n;
          continue;
        }
        const it: OItem = { atCursor: true };
        n.items.push(it);
        this.site = { kind: 'item', seq: n, item: it, start: this.cursor, end: this.cursor, col: -1, leadingSpace: false, flow: true };
        return;
      }
      return;
    }
  }

  /** End (column) of the word under the cursor: up to a blank, a comment, a colon or a flow indicator. */
  private wordEnd(text: string, col: number): number {
    let e = col;
    while (e < text.length && !/[\s#,{}[\]]/.test(text[e]) && !(text[e] === ':' && (e + 1 === text.length || text[e + 1] === ' '))) e++;
    return e;
  }

  /** The `: ` that ends a key starting at column `c` (quoted keys too), if any. */
  private findColon(text: string, c: number): { keyEnd: number; colon: number } | undefined {
    let k = c;
    if (text[c] === '"' || text[c] === "'") {
      const q = text[c];
      k = c + 1;
      while (k < text.length && text[k] !== q) k += text[k] === '\\' && q === '"' ? 2 : 1;
      k++;
      let s = k;
      while (text[s] === ' ') s++;
      if (text[s] === ':' && (s + 1 >= text.length || text[s + 1] === ' ' || text[s + 1] === '\t')) return { keyEnd: k, colon: s };
      return undefined;
    }
    if (text[c] === '{' || text[c] === '[' || text[c] === '|' || text[c] === '>') return undefined;
    for (; k < text.length; k++) {
      if (text[k] === '#' && (k === c || text[k - 1] === ' ')) return undefined;
      if (text[k] === ':' && (k + 1 >= text.length || text[k + 1] === ' ' || text[k + 1] === '\t')) {
        let e = k;
        while (e > c && text[e - 1] === ' ') e--;
        return { keyEnd: e, colon: k };
      }
    }
    return undefined;
  }

  /** The container a `-` at column `c` belongs to (opening a sequence under a pending key). */
  private placeDash(c: number): OSeq {
    const p = this.pending;
    this.pending = undefined;
    if (p && (c > p.col || (p.entryOfMap && c === p.col))) {
      const seq: OSeq = { kind: 'seq', col: c, items: [] };
      p.open(seq);
      this.push(seq);
      return seq;
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1];
      if (top.col > c || (top.kind === 'map' && top.col >= c)) this.stack.pop();
      else break;
    }
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'seq' && top.col === c) return top;
    const seq: OSeq = { kind: 'seq', col: c, items: [] };
    if (!this.root) this.root = seq;
    this.push(seq);
    return seq;
  }

  /** The mapping a key at column `c` belongs to (opening one under a pending key or item). */
  private placeKey(c: number): OMap {
    const p = this.pending;
    this.pending = undefined;
    if (p && c > p.col) {
      const map: OMap = { kind: 'map', col: c, entries: [] };
      p.open(map);
      this.push(map);
      return map;
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1];
      if (top.col > c || (top.kind === 'seq' && top.col >= c)) this.stack.pop();
      else break;
    }
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'map') return top; // same column, or (malformed) deeper: a sibling
    const map: OMap = { kind: 'map', col: c, entries: [] };
    if (!this.root) this.root = map;
    this.push(map);
    return map;
  }

  private push(node: OMap | OSeq): void {
    this.stack.push(node);
  }
}

/** Past this, a flow collection away from the cursor is not read at all. */
const MAX_FLOW_AWAY = 64 * 1024;
/** Past this, a flow collection that the fast reader rejects is not parsed (`yaml` reads about 1 MB/s, less on errors). */
const MAX_SLOW_FLOW = 64 * 1024;

/**
 * A flow collection's tree: the fast reader first (about 30 times faster: a 1 MB flow
 * line took a second per completion with `yaml`), `yaml` for what it rejects (a
 * half-typed collection, closed for it), up to MAX_SLOW_FLOW; undefined past that.
 */
function parseFlow(fragment: string): YamlNode | null | undefined {
  try {
    const fast = fastParseDocument(fragment);
    if (fast) return (fast.doc?.contents ?? null) as unknown as YamlNode | null;
  } catch {
    // A bug of the fast reader: `yaml` decides.
  }
  if (fragment.length > MAX_SLOW_FLOW) return undefined;
  // Errors without excerpts (prettyErrors: a regular expression over the text per error)
  // nor stack traces: a 33 KB half-typed line made thousands of them, 2 s of work.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(fragment, { uniqueKeys: false, prettyErrors: false }).contents as YamlNode | null;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Nodes of a flow collection converted beyond those around the cursor (a larger one is read in part). */
const FLOW_NODE_BUDGET = 5_000;

/**
 * The collections of a flow tree that hold offset `o` (relative to it), outermost first:
 * always converted, whatever the budget.
 */
function pathTo(ast: YamlNode | null, o: number): Set<unknown> {
  const path = new Set<unknown>();
  let a: unknown = ast;
  for (let depth = 0; depth < 64 && (isMap(a) || isSeq(a)); depth++) {
    path.add(a);
    let next: unknown;
    for (const item of (a as { items: unknown[] }).items) {
      const v = isMap(a) ? (item as { value: unknown }).value : item;
      const r = (v as YamlNode | null)?.range;
      if ((isMap(v) || isSeq(v)) && r && r[0] < o && o < r[1]) {
        next = v;
        break;
      }
    }
    a = next;
  }
  return path;
}

/**
 * Converts a parsed flow node to an outline node. Past `budget` nodes, what is off the
 * cursor's path is left out (its keys and items stay, their values are undefined): a
 * 1 MB flow line is 100,000 nodes, and completion needs those near the cursor.
 */
function fromAst(n: YamlNode | null | undefined, parent: OParent | undefined, keep: ReadonlySet<unknown> = new Set(), budget = { left: FLOW_NODE_BUDGET }): ONode | undefined {
  if (budget.left <= 0 && !keep.has(n)) return undefined;
  budget.left--;
  if (isMap(n)) {
    const map: OMap = { kind: 'map', col: -1, entries: [], parent };
    for (const pair of n.items) {
      const k = pair.key as YamlNode | null;
      const key = isScalar(k) ? (k.value === null || k.value === undefined ? '' : String(k.value)) : '';
      const entry: OEntry = { key };
      map.entries.push(entry);
      entry.value = fromAst(pair.value as YamlNode | null, { node: map, key }, keep, budget);
    }
    return map;
  }
  if (isSeq(n)) {
    const seq: OSeq = { kind: 'seq', col: -1, items: [], parent };
    n.items.forEach((x, index) => {
      const it: OItem = {};
      seq.items.push(it);
      it.value = fromAst(x as YamlNode | null, { node: seq, index }, keep, budget);
    });
    return seq;
  }
  if (isScalar(n)) {
    const isNull = n.value === null || n.value === undefined;
    const text = isNull ? '' : typeof n.value === 'string' ? n.value : String(n.source ?? n.value);
    return { kind: 'scalar', text, isNull, parent };
  }
  return undefined;
}

/** Scans a flow collection from its opening bracket; `end` is just past the balancing one. */
function scanFlow(text: string, from: number): { closed: boolean; end: number } {
  // Character codes, not one-character strings: this runs over whole flow lines.
  let depth = 0;
  let quote = 0;
  for (let k = from; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (quote !== 0) {
      if (ch === 92 /* backslash */ && quote === 34) k++;
      else if (ch === quote) quote = 0;
      continue;
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) quote = ch;
    else if (ch === 35 /* # */ && (k === from || isBlankCode(text.charCodeAt(k - 1)))) {
      const nl = text.indexOf('\n', k);
      if (nl === -1) break;
      k = nl;
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) depth++;
    else if (ch === 125 /* } */ || ch === 93 /* ] */) {
      depth--;
      if (depth === 0) return { closed: true, end: k + 1 };
    } else if (ch === 10 && /^(?:---|\.\.\.)(?:\s|$)/.test(text.slice(k + 1, k + 5))) break;
  }
  return { closed: false, end: text.length };
}

function isBlankCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** The brackets (and quote) that close a half-typed flow collection. */
function closers(partial: string): string {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let k = 0; k < partial.length; k++) {
    const ch = partial[k];
    if (quote) {
      if (ch === '\\' && quote === '"') k++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if ((ch === '}' || ch === ']') && stack.length > 0) stack.pop();
  }
  return (quote ?? '') + stack.reverse().join('');
}

/** Removes a trailing ` # comment` (outside quotes). */
function stripComment(s: string): string {
  let quote: string | undefined;
  for (let k = 0; k < s.length; k++) {
    const ch = s[k];
    if (quote) {
      if (ch === '\\' && quote === '"') k++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if ((ch === '"' || ch === "'") && (k === 0 || /\s/.test(s[k - 1]))) quote = ch;
    else if (ch === '#' && (k === 0 || /\s/.test(s[k - 1]))) return s.slice(0, k);
  }
  return s;
}

/** The text of a (possibly) quoted scalar. */
export function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------
// Reading the outline

/** The value of the first entry `key` of a mapping (entries being typed included unless `skipCursor`). */
export function child(node: ONode | undefined, key: string, skipCursor = false): ONode | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((e) => e.key === key && !(skipCursor && e.atCursor))?.value;
}

export function scalarText(node: ONode | undefined): string | undefined {
  return node?.kind === 'scalar' && !node.isNull ? node.text : undefined;
}

/** The path of keys ('[]' for a sequence item) from the root to `node`, and the nodes along it (root first, `node` last). */
export function pathOf(node: OMap | OSeq): { path: string[]; nodes: (OMap | OSeq)[] } {
  const path: string[] = [];
  const nodes: (OMap | OSeq)[] = [node];
  let n: OMap | OSeq = node;
  for (let guard = 0; n.parent && guard < 256; guard++) {
    const p: OParent = n.parent;
    path.unshift('index' in p ? '[]' : p.key);
    n = p.node;
    nodes.unshift(n);
  }
  return { path, nodes };
}
