/**
 * A fast, single-pass parser for ONE YAML document restricted to the subset that real
 * Kubernetes manifests use. It builds lightweight nodes that read exactly like the
 * `yaml` package's nodes (`isMap`/`isSeq`/`isScalar`/`isPair`/`isNode` from 'yaml'
 * accept them; same `items`, `key`/`value`, scalar `value`/`source`/`type`, `range`,
 * `flow`), and gives up (returns undefined) on anything outside the subset, so that the
 * caller falls back to the real parser, which then also reports the errors of invalid
 * YAML.
 *
 * Why: `yaml` parses about 2 MB/s and keeps ~22 bytes of heap per byte of YAML; a
 * workspace of 30k manifests took ~13 s and ~1 GB to load. This parser: ~50 MB/s
 * (~25 MB/s when every node is kept, as the parse cache does) and ~7 bytes per byte.
 *
 * Correctness over coverage: every construct below is either reproduced exactly as
 * `yaml` 2.x composes it (`parseAllDocuments(text, { uniqueKeys: true, strict: true })`,
 * YAML 1.2 core schema), ranges included, or the parser bails out. Ranges follow the
 * `yaml` CST, which attaches comments, blank lines and even the next line's indentation
 * to nodes by specific rules (see parseFlowValue, afterEmptyValue, popTrivia, parseFlow);
 * the differential unit test checks every node of every corpus document, and generated
 * documents, against `yaml`.
 *
 * The subset:
 * - block mappings and block sequences (compact `- key: v` and `- - x` forms, sequences
 *   at the indentation of their parent key), keys that are single-line plain or quoted
 *   scalars, empty values, values on the line after their key;
 * - plain, single-quoted and double-quoted scalars, also over several lines, resolved
 *   with the YAML 1.2 core schema;
 * - block scalars `|`, `|-`, `|+`, `>`, `>-`, `>+` without an indentation indicator;
 * - flow collections of scalars and flow collections, also over several lines
 *   (pretty-printed JSON), without comments inside;
 * - comments (full-line and trailing) and blank lines, CRLF line breaks, a leading
 *   `---` line.
 * It bails out on anchors, aliases, tags, explicit keys, directives, `...`, tabs, control
 * characters, a byte-order mark, duplicate keys, `<<` keys, top-level scalars, empty
 * block scalars, and anything it does not recognize.
 *
 * Not reproduced (no consumer reads them): `comment`, `commentBefore`, `spaceBefore`,
 * and the `format`/`minFractionDigits` stringify hints of hex/octal/exponent/float
 * scalars.
 */

const NODE_TYPE = Symbol.for('yaml.node.type');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');

export type ScalarType = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';
export type ScalarValue = string | number | boolean | null;
export type LightScalarNode = PlainScalar | LightScalar;
export type LightNode = LightScalarNode | LightMap | LightSeq;

// Memory matters as much as speed here (every parsed document stays in the parse
// cache): nodes keep their range as numbers rather than an array (`range` builds the
// `[start, valueEnd, nodeEnd]` array on demand), identity symbols and constant fields
// live on prototypes, item arrays are allocated at their exact size, short strings are
// shared (see intern), and plain keys live in their pair until asked for (LightPair).

/**
 * A plain scalar whose value is a string (most of a manifest): its source is its value,
 * and its value ends at r0 + value.length. 48 bytes instead of 72.
 */
export class PlainScalar {
  constructor(
    public value: string,
    public r0: number,
    public r2: number,
  ) {}

  get r1(): number {
    return this.r0 + this.value.length;
  }

  get source(): string {
    return this.value;
  }

  get type(): ScalarType {
    return 'PLAIN';
  }

  get range(): [number, number, number] {
    return [this.r0, this.r1, this.r2];
  }

  toJSON(): ScalarValue {
    return this.value;
  }

  toString(): string {
    return this.value;
  }
}

/** Any other scalar: quoted, block, multi-line plain, or plain resolved to null/boolean/number. */
export class LightScalar {
  constructor(
    public value: ScalarValue,
    /** The string before tag resolution (plain: the text; quoted/block: the decoded string), as `yaml` sets it. */
    public source: string,
    public type: ScalarType,
    public r0: number,
    public r1: number,
    public r2: number,
  ) {}

  get range(): [number, number, number] {
    return [this.r0, this.r1, this.r2];
  }

  toJSON(): ScalarValue {
    return this.value;
  }

  toString(): string {
    return String(this.value);
  }
}

/**
 * A mapping entry. Most keys are plain scalars whose value is their text: such a key is
 * kept as that text and its position, and its node is made on first use of `key` (then
 * kept, so it keeps its identity). Saves an object per entry: keys are a third of all
 * nodes, and most are never looked at as nodes (lookups compare `keyValue`).
 */
export class LightPair {
  constructor(
    /** The key's text (a plain scalar resolving to that string), or the key's node. */
    public rawKey: string | LightScalarNode,
    /** Where a key kept as text starts (unused for a node). */
    public keyStart: number,
    public value: LightNode,
  ) {}

  get key(): LightScalarNode {
    const k = this.rawKey;
    if (typeof k !== 'string') return k;
    const node = new PlainScalar(k, this.keyStart, this.keyStart + k.length);
    this.rawKey = node;
    return node;
  }

  set key(node: LightScalarNode) {
    this.rawKey = node;
  }

  /** The key's value (as `key.value`), without making its node. */
  get keyValue(): ScalarValue {
    const k = this.rawKey;
    return typeof k === 'string' ? k : k.value;
  }
}

export class LightMap {
  /** True for `{…}`; undefined (falsy) for block mappings, as in `yaml`. */
  declare flow: boolean | undefined;

  constructor(
    public items: LightPair[],
    public r0: number,
    public r1: number,
    public r2: number,
  ) {}

  get range(): [number, number, number] {
    return [this.r0, this.r1, this.r2];
  }

  toJSON(): Record<string, unknown> {
    return mapToJS(this);
  }
}

export class LightSeq {
  declare flow: boolean | undefined;

  constructor(
    public items: LightNode[],
    public r0: number,
    public r1: number,
    public r2: number,
  ) {}

  get range(): [number, number, number] {
    return [this.r0, this.r1, this.r2];
  }

  toJSON(): unknown[] {
    return this.items.map(toJS);
  }
}

const NO_PROBLEMS: readonly never[] = Object.freeze([]);

export class LightDocument {
  constructor(
    readonly contents: LightNode,
    public r0: number,
    public r1: number,
    public r2: number,
  ) {}

  get range(): [number, number, number] {
    return [this.r0, this.r1, this.r2];
  }

  /** Always empty: anything `yaml` would complain about makes the fast parser bail out. */
  get errors(): readonly never[] {
    return NO_PROBLEMS;
  }

  get warnings(): readonly never[] {
    return NO_PROBLEMS;
  }

  /** Plain JS equal to `yaml`'s `doc.toJS()` (mappings become plain objects); options are accepted and ignored (no aliases here). */
  toJS(_options?: unknown): unknown {
    return toJS(this.contents);
  }

  toJSON(): unknown {
    return this.toJS();
  }
}

// The identity symbols live on the prototypes: no per-instance cost, and the `yaml`
// type guards (`n[NODE_TYPE] === MAP` etc.) accept the light nodes unchanged.
for (const [cls, type] of [
  [PlainScalar, SCALAR],
  [LightScalar, SCALAR],
  [LightPair, PAIR],
  [LightMap, MAP],
  [LightSeq, SEQ],
  [LightDocument, DOC],
] as const) {
  Object.defineProperty(cls.prototype, NODE_TYPE, { value: type });
}
LightMap.prototype.flow = undefined;
LightSeq.prototype.flow = undefined;

function toJS(node: LightNode): unknown {
  if (node instanceof LightMap) return mapToJS(node);
  if (node instanceof LightSeq) return node.items.map(toJS);
  return node.value;
}

/** As `yaml`'s addPairToJSMap: null keys become '', others String(value); inherited names are defined, not assigned. */
function mapToJS(map: LightMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of map.items) {
    const kv = pair.keyValue;
    const value = pair.value;
    const k = kv === null ? '' : String(kv);
    const v = toJS(value);
    if (k in out) Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

export interface FastParseResult {
  /** Undefined when the text holds no document at all (only comments and blank lines), as with `yaml`. */
  readonly doc: LightDocument | undefined;
}

/**
 * Parses one document chunk (as split by split.ts). Returns undefined when the text is
 * outside the supported subset: the caller must then use the `yaml` package.
 */
export function fastParseDocument(text: string): FastParseResult | undefined {
  const flat = flatCopy(text);
  // Characters the subset never needs: tabs, control characters, BOM, Unicode line
  // separators, a CR that is not part of CRLF. One regular expression pass.
  if (UNSUPPORTED_CHARS.test(flat) || (flat.includes('\r') && LONE_CR.test(flat))) return undefined;
  try {
    return new Parser(text, flat).parseDocument();
  } catch (e) {
    if (e === BAIL || e instanceof RangeError) return undefined; // RangeError: stack overflow on absurd nesting
    throw e;
  }
}

/**
 * The text the parser reads: a flat copy of a document of ASCII text up to FLAT_COPY_MAX
 * characters, else the text itself. Why: a document's text is most often a slice of its
 * file's (split.ts, manifest/list-items.ts), and V8 reaches each character of a sliced
 * string through its parent; the parser reads every character, and reads a flat copy
 * about 20 % faster (a 100,000-Pod cluster dump: 1 s of 5), the copy included (it costs
 * a twentieth of that). The copy is only read: every string the nodes keep is sliced from
 * the text itself (Parser.src), so they share the file's characters as before (slices of
 * the copy would keep each document's copy alive). Through UTF-8, which for ASCII is
 * exact; any other character, and a larger text, is read where it is.
 */
function flatCopy(text: string): string {
  const n = text.length;
  if (n < FLAT_COPY_MIN || n > FLAT_COPY_MAX) return text;
  if (flatBytes.length < n) flatBytes = new Uint8Array(Math.min(FLAT_COPY_MAX, Math.max(n, 2 * flatBytes.length)));
  const { read, written } = UTF8_ENCODER.encodeInto(text, flatBytes);
  return read === n && written === n ? UTF8_DECODER.decode(flatBytes.subarray(0, n)) : text;
}

/** Shorter texts are read as they are (a short slice is a copy already: SlicedString::kMinLength is 13). */
const FLAT_COPY_MIN = 64;
/** Larger documents are read where they are (the copy's buffer stays allocated: 1 MB at most). */
const FLAT_COPY_MAX = 1 << 20;
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();
let flatBytes = new Uint8Array(0);

// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARS = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;
const LONE_CR = /\r(?!\n)/;

/** Thrown (not an Error: no stack trace to capture) to give up on a text. */
const BAIL = { bail: true };

function bail(): never {
  throw BAIL;
}

/** Cache of short strings (see Parser.str); bounded, shared by all parses. */
const INTERN_MASK = 4095;
/** Longer strings are sliced (a slice of 13 or more characters shares its parent's characters). */
const INTERN_MAX_LENGTH = 12;
const INTERN: (string | undefined)[] = new Array<string | undefined>(INTERN_MASK + 1).fill(undefined);
/** Per slot of INTERN: its string's hash (as Parser.str computes it), length (0: none) and characters. */
const INTERN_HASH = new Int32Array(INTERN_MASK + 1);
const INTERN_LENGTH = new Uint8Array(INTERN_MASK + 1);
const INTERN_CHARS = new Uint16Array((INTERN_MASK + 1) * INTERN_MAX_LENGTH);

// Character codes.
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const AMP = 38;
const SQUOTE = 39;
const STAR = 42;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/**
 * The parser works line by line. `ls`/`ind` describe the current content line (the
 * first line that is neither blank nor a comment); the blank and comment lines skipped
 * to reach it ("trivia") are kept in the t* arrays, because `yaml` attaches them to
 * nodes in ways that change ranges.
 */
class Parser {
  /** The text as read (a flat copy of it: see flatCopy); never kept by a node. */
  private readonly s: string;
  /** The text itself: what every string a node keeps is sliced from. */
  private readonly src: string;
  private readonly n: number;
  /** Start of the current content line; n at the end of the text. */
  private ls = 0;
  /** Indentation of the current content line; -1 at the end of the text. */
  private ind = -1;
  /** Trivia lines before the current content line: end (after the line break), comment column (-1: blank), line-break start (n: none). */
  private tc = 0;
  private tE: number[] = [];
  private tCol: number[] = [];
  private tNl: number[] = [];
  /**
   * First trivia line (index) not yet attached to a node: a "comment-only item" in
   * `yaml`'s CST that moves outwards as collections close (see popTrivia).
   */
  private pend = 0;
  /** Position of the `:` of the last key parsed. */
  private colon = 0;
  /** A line start and its first non-space position (skipSpaces), as parsePlainBlock last found them. */
  private indentFrom = -1;
  private indentTo = -1;
  /** The last findKeyColon question (a position), its answer, and the hash (see str) of the text from there to that colon. */
  private colonFrom = -1;
  private colonAt = -1;
  private colonHash = 0;
  /** The hash scanKeyColon computed along the way (plain keys). */
  private scanHash = 0;
  /** Items of the collections being parsed (copied out at exact size when each closes), up to sp. */
  private readonly stack: unknown[] = [];
  private sp = 0;

  constructor(text: string, flat: string) {
    this.s = flat;
    this.src = text;
    this.n = text.length;
  }

  parseDocument(): FastParseResult {
    const s = this.s;
    let from = 0;
    let docStart = -1;
    if (s.startsWith('---') && (this.n === 3 || isBlankOrBreak(s.charCodeAt(3)))) {
      // `---` may only be followed by spaces and a comment on its line.
      docStart = 0;
      const p = this.skipSpaces(3);
      const eol = this.lineEnd(p);
      if (p < eol && (s.charCodeAt(p) !== HASH || p === 3)) bail();
      from = this.nextLine(eol);
    } else if (s.charCodeAt(0) === PERCENT) {
      bail();
    }
    this.nextContent(from);
    if (this.ind < 0) {
      if (docStart < 0) return { doc: undefined };
      // `---` and nothing else: a null scalar right after the marker (and its spaces).
      const p = this.skipSpaces(3);
      let end = p;
      let comment = s.charCodeAt(p) === HASH;
      for (let j = 0; j < this.tc; j++) if (this.tCol[j] >= 0) comment = true;
      if (comment) end = this.n;
      const contents = new LightScalar(null, '', 'PLAIN', p, p, end);
      return { doc: new LightDocument(contents, 0, end, end) };
    }
    const start = docStart === 0 ? 0 : this.ls;
    const p = this.ls + this.ind;
    const c = s.charCodeAt(p);
    let contents: LightNode;
    if (c === DASH && isBlankOrBreak(s.charCodeAt(p + 1))) {
      contents = this.parseSeq(this.ind, p);
    } else if (c === LBRACE || c === LBRACKET) {
      // A flow collection (JSON): the rest of its last line is its end, then only
      // comments and blank lines may follow (in the document's CST tokens).
      const coll = this.parseFlow(p, 0, 0);
      coll.r2 = this.afterValueOnLine(coll.r1);
      this.nextContent(coll.r2);
      this.pend = 0;
      contents = coll;
    } else {
      const keyEnd = this.findKeyColon(p);
      if (keyEnd < 0) bail(); // a top-level scalar
      contents = this.parseMap(this.ind, p);
    }
    if (this.ind >= 0) bail(); // content left over (e.g. less indented than the first line)
    const end = this.pend < this.tc ? this.tE[this.tc - 1] : contents.r2;
    return { doc: new LightDocument(contents, start, contents.r2, end) };
  }

  // ---------------------------------------------------------------------------
  // Lines

  private skipSpaces(p: number): number {
    const s = this.s;
    while (s.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** Position of the line break (CR of CRLF, or LF) ending the line containing p, or n. */
  private lineEnd(p: number): number {
    const s = this.s;
    let nl = s.indexOf('\n', p);
    if (nl < 0) return this.n;
    if (nl > p && s.charCodeAt(nl - 1) === CR) nl--;
    return nl;
  }

  /** Start of the line after the line break at eol (eol as returned by lineEnd). */
  private nextLine(eol: number): number {
    if (eol >= this.n) return this.n;
    return this.s.charCodeAt(eol) === CR ? eol + 2 : eol + 1;
  }

  /** Moves to the next content line from line start p, collecting trivia lines. */
  private nextContent(p: number): void {
    const s = this.s;
    const n = this.n;
    this.tc = 0;
    this.pend = 0;
    while (p < n) {
      const q = p === this.indentFrom ? this.indentTo : this.skipSpaces(p);
      const c = s.charCodeAt(q);
      if (q >= n || c === LF || c === CR) {
        this.pushTrivia(-1, q);
        p = this.nextLine(q);
        continue;
      }
      if (c === HASH) {
        const eol = this.lineEnd(q);
        this.pushTrivia(q - p, eol);
        p = this.nextLine(eol);
        continue;
      }
      if (q === p && (c === DASH || c === DOT) && s.charCodeAt(p + 1) === c && s.charCodeAt(p + 2) === c && isBlankOrBreak(s.charCodeAt(p + 3))) {
        bail(); // a document marker inside the chunk
      }
      this.ls = p;
      this.ind = q - p;
      return;
    }
    this.ls = n;
    this.ind = -1;
  }

  private pushTrivia(col: number, nl: number): void {
    const i = this.tc++;
    this.tCol[i] = col;
    this.tNl[i] = nl;
    this.tE[i] = this.nextLine(nl);
  }

  /**
   * The end of the trivia before the current content line: `yaml` lexes the content
   * line's indentation as a separate token that joins them.
   */
  private triviaEnd(): number {
    return this.ind >= 0 ? this.ls + this.ind : this.tE[this.tc - 1];
  }

  /**
   * After a value that ends at `end` on its line: spaces, then the end of the line or a
   * comment (which needs a space before it). Returns the end of the line including its
   * break (what `yaml` counts into the node's range).
   */
  private afterValueOnLine(end: number): number {
    const s = this.s;
    const p = this.skipSpaces(end);
    const c = s.charCodeAt(p);
    let eol = p;
    if (c === HASH) {
      if (p === end) bail();
      eol = this.lineEnd(p);
    } else if (p < this.n && c !== LF && c !== CR) {
      bail();
    }
    return this.nextLine(eol);
  }

  // ---------------------------------------------------------------------------
  // Block collections

  /**
   * A block mapping whose first key starts at p (on the current content line; p may be
   * past the line's indentation for the compact `- key: v` form). Returns when the
   * current content line no longer belongs to it.
   */
  private parseMap(indent: number, p: number): LightMap {
    const s = this.s;
    const base = this.sp;
    let keys: Set<ScalarValue> | undefined;
    let keyPos = p;
    for (;;) {
      const key = this.parseKey(keyPos);
      keys = this.checkDuplicate(base, typeof key === 'string' ? key : key.value, keys);
      const v = this.skipSpaces(this.colon + 1);
      const c = s.charCodeAt(v);
      let value: LightNode;
      if (v >= this.n || c === LF || c === CR || c === HASH) {
        value = this.afterEmptyValue(indent, v, true, false);
      } else if (c === PIPE || c === GT) {
        value = this.parseBlockScalar(v, indent);
      } else {
        value = this.parseFlowValue(v, indent);
      }
      this.stack[this.sp++] = new LightPair(key, keyPos, value);
      // Where are we: at the next key of this map, or past its end?
      if (this.ind === indent) {
        const q = this.ls + indent;
        if (s.charCodeAt(q) === DASH && isBlankOrBreak(s.charCodeAt(q + 1))) bail();
        keyPos = q;
        continue;
      }
      if (this.ind > indent) bail();
      const map = new LightMap(this.items(base) as LightPair[], p, value.r2, value.r2);
      this.popTrivia(map, indent);
      return map;
    }
  }

  /** A block sequence whose first `-` is at p (column `indent`). */
  private parseSeq(indent: number, p: number): LightSeq {
    const s = this.s;
    const base = this.sp;
    let dash = p;
    // Comments left unattached before a `-` (not the first) join that item's CST tokens.
    let leading = false;
    for (;;) {
      const v = this.skipSpaces(dash + 1);
      const c = s.charCodeAt(v);
      let item: LightNode;
      if (v >= this.n || c === LF || c === CR || c === HASH) {
        item = this.afterEmptyValue(indent, v, false, leading);
      } else if (c === PIPE || c === GT) {
        item = this.parseBlockScalar(v, indent);
      } else if (c === DASH && isBlankOrBreak(s.charCodeAt(v + 1))) {
        item = this.parseSeq(v - this.ls, v); // `- - x`
      } else if (this.findKeyColon(v) >= 0) {
        item = this.parseMap(v - this.ls, v); // `- key: value`
      } else {
        item = this.parseFlowValue(v, indent);
      }
      this.stack[this.sp++] = item;
      if (this.ind === indent) {
        const q = this.ls + indent;
        if (s.charCodeAt(q) === DASH && isBlankOrBreak(s.charCodeAt(q + 1))) {
          dash = q;
          leading = false;
          for (let j = this.pend; j < this.tc; j++) if (this.tCol[j] >= 0) leading = true;
          continue;
        }
        // Not a `-` line: the end of a sequence at the indentation of its parent key.
      } else if (this.ind > indent) {
        bail();
      }
      const seq = new LightSeq(this.items(base) as LightNode[], p, item.r2, item.r2);
      this.popTrivia(seq, indent);
      return seq;
    }
  }

  /**
   * A collection closes (the current content line is less indented, or the end): in
   * `yaml`'s CST the trailing comment-only item moves to the parent unless it holds a
   * comment indented at least as much as the collection (not at column 0), in which
   * case it stays and extends the collection's range (up to the next content).
   */
  private popTrivia(coll: LightMap | LightSeq, indent: number): void {
    if (this.pend >= this.tc || indent === 0) return;
    for (let j = this.pend; j < this.tc; j++) {
      if (this.tCol[j] >= indent) {
        coll.r2 = this.triviaEnd();
        this.pend = this.tc;
        return;
      }
    }
  }

  /**
   * Nothing after `key:` or `-` on its line (position v: spaces skipped; maybe a
   * comment). The value is on the following lines (a nested block collection, a
   * sequence at the key's own indentation, a scalar or flow collection), or an empty
   * (null) scalar.
   */
  private afterEmptyValue(indent: number, v: number, inMap: boolean, leadingComment: boolean): LightNode {
    const s = this.s;
    const n = this.n;
    const lineEndPos = this.lineEnd(v);
    this.nextContent(this.nextLine(lineEndPos));
    if (this.ind >= 0) {
      const q = this.ls + this.ind;
      const isDash = s.charCodeAt(q) === DASH && isBlankOrBreak(s.charCodeAt(q + 1));
      if (this.ind > indent) {
        if (isDash) return this.parseSeq(this.ind, q);
        if (this.findKeyColon(q) >= 0) return this.parseMap(this.ind, q);
        const c = s.charCodeAt(q);
        if (c === PIPE || c === GT) bail(); // a block scalar header on its own line
        return this.parseFlowValue(q, indent); // a scalar or flow collection on the next line
      }
      if (inMap && isDash && this.ind === indent) return this.parseSeq(this.ind, q);
    }
    // An empty scalar, placed right after the indicator and its spaces. The comments
    // and blank lines after it are its CST tokens (its range ends after them if one of
    // them is a comment) except that in a mapping, when the next key follows at the same
    // indentation, `yaml` hands the tokens from the second line break on (counted since
    // the last comment indented more than the mapping) to that key.
    let comment = leadingComment || s.charCodeAt(v) === HASH;
    let last = this.tc - 1; // last trivia line kept
    let end = this.ind >= 0 || this.tc > 0 ? this.triviaEnd() : this.nextLine(lineEndPos);
    if (inMap && this.ind === indent) {
      // Line breaks are counted after the last comment indented more than the map.
      let from = 0;
      let breaks = lineEndPos < n ? 1 : 0;
      for (let j = this.tc - 1; j >= 0; j--) {
        if (this.tCol[j] > indent) {
          from = j;
          breaks = 0;
          break;
        }
      }
      for (let j = from; j < this.tc; j++) {
        if (this.tNl[j] < n && ++breaks === 2) {
          last = j;
          end = this.tNl[j];
          break;
        }
      }
    }
    for (let j = 0; j <= last && !comment; j++) if (this.tCol[j] >= 0) comment = true;
    this.pend = this.tc; // all trivia is attached
    return new LightScalar(null, '', 'PLAIN', v, v, comment ? end : v);
  }

  /**
   * A scalar or flow collection that starts at v (after `key:` or `-`, or on the next
   * line) in the collection at `indent`; it may go on over more lines. `yaml` counts
   * into its range the rest of its last line, then the comment lines that follow while
   * they are indented more than the collection (with the blank lines between them).
   */
  private parseFlowValue(v: number, indent: number): LightNode {
    const s = this.s;
    const c = s.charCodeAt(v);
    let node: LightNode;
    if (c === LBRACE || c === LBRACKET) {
      node = this.parseFlow(v, 0, indent + 1);
    } else if (c === DQUOTE || c === SQUOTE) {
      node = this.parseQuotedValue(v, indent);
    } else {
      node = this.parsePlainBlock(v, indent);
    }
    node.r2 = this.afterValueOnLine(node.r1);
    this.nextContent(node.r2);
    let last = -1;
    for (let j = 0; j < this.tc; j++) {
      const col = this.tCol[j];
      if (col < 0) continue;
      if (col > indent) last = j;
      else break;
    }
    if (last >= 0) node.r2 = this.tE[last];
    this.pend = last + 1;
    return node;
  }

  // ---------------------------------------------------------------------------
  // Keys

  /**
   * If a block mapping key starts at p (a single-line plain or quoted scalar followed by
   * `:` and a space or the end of the line), the position of that colon; else -1.
   */
  private findKeyColon(p: number): number {
    // A map's first key is looked for twice: to tell that a map starts, then to parse it.
    if (p === this.colonFrom) return this.colonAt;
    const at = this.scanKeyColon(p);
    this.colonFrom = p;
    this.colonAt = at;
    this.colonHash = this.scanHash;
    return at;
  }

  private scanKeyColon(p: number): number {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quotedEnd(p);
      if (close < 0) return -1;
      const q = this.skipSpaces(close);
      return s.charCodeAt(q) === COLON && isBlankOrBreak(s.charCodeAt(q + 1)) ? q : -1;
    }
    if (!plainStartOk(s, p)) return -1;
    // The key's text is hashed on the way (as str hashes it): parseKey need not read it again.
    let h = c;
    for (let i = p + 1; i < this.n; i++) {
      const ch = s.charCodeAt(i);
      if (ch === COLON) {
        if (isBlankOrBreak(s.charCodeAt(i + 1))) {
          this.scanHash = h;
          return i;
        }
      } else if (ch === LF || ch === CR) {
        return -1;
      } else if (ch === HASH && s.charCodeAt(i - 1) === SPACE) {
        return -1;
      }
      h = (Math.imul(h, 31) + ch) | 0;
    }
    return -1;
  }

  /**
   * A block mapping key at p; sets `colon` to the position of its `:`. A plain key whose
   * value is its text (the usual case) comes back as that text (see LightPair).
   */
  private parseKey(p: number): string | LightScalarNode {
    const s = this.s;
    const colon = this.findKeyColon(p);
    if (colon < 0) bail();
    this.colon = colon;
    const c = s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) return this.parseQuoted(p);
    let e = colon;
    while (s.charCodeAt(e - 1) === SPACE) e--;
    if (e - p > 1000) bail(); // `yaml` (strict) rejects implicit keys over 1024 characters
    if (e - p === 2 && s.charCodeAt(p) === 60 && s.charCodeAt(p + 1) === 60) bail(); // `<<` merge keys: left to `yaml`
    // No spaces before the colon (the usual case): the text findKeyColon hashed.
    const text = e === colon && e - p <= INTERN_MAX_LENGTH ? this.intern(p, e - p, this.colonHash) : this.str(p, e);
    return this.keyOf(text, p, e);
  }

  /** A plain key's text when it resolves to itself (a string), else its node. */
  private plainKey(p: number, end: number): string | LightScalarNode {
    return this.keyOf(this.str(p, end), p, end);
  }

  private keyOf(text: string, p: number, end: number): string | LightScalarNode {
    const value = resolvePlain(text);
    if (value === text) return text;
    return new LightScalar(value, text, 'PLAIN', p, end, end);
  }

  /**
   * `yaml` (uniqueKeys) rejects equal key values. Small mappings: a scan; large ones: a
   * Set, returned for the next key (it takes two NaN keys as equal: a harmless bail).
   */
  private checkDuplicate(base: number, k: ScalarValue, seen: Set<ScalarValue> | undefined): Set<ScalarValue> | undefined {
    const stack = this.stack;
    if (seen === undefined) {
      for (let i = base; i < this.sp; i++) if ((stack[i] as LightPair).keyValue === k) bail();
      if (this.sp - base < 32) return undefined;
      seen = new Set();
      for (let i = base; i < this.sp; i++) seen.add((stack[i] as LightPair).keyValue);
    } else if (seen.has(k)) {
      bail();
    }
    seen.add(k);
    return seen;
  }

  /** The items pushed since `base`, as an array of exactly their number. */
  private items(base: number): unknown[] {
    const stack = this.stack;
    const count = this.sp - base;
    this.sp = base;
    // Most collections of a manifest are this small: an array literal is allocated inline,
    // where slice is a call into the runtime's builtin.
    switch (count) {
      case 1:
        return [stack[base]];
      case 2:
        return [stack[base], stack[base + 1]];
      case 3:
        return [stack[base], stack[base + 1], stack[base + 2]];
      case 4:
        return [stack[base], stack[base + 1], stack[base + 2], stack[base + 3]];
    }
    return stack.slice(base, base + count);
  }

  /**
   * A plain scalar's node from its text [p, end): strings (the usual case) get the
   * compact node, other values (null, booleans, numbers) the general one.
   */
  private plain(p: number, end: number): LightScalarNode {
    const text = this.str(p, end);
    const value = resolvePlain(text);
    if (value === text) return new PlainScalar(text, p, end);
    return new LightScalar(value, text, 'PLAIN', p, end, end);
  }

  /** s.slice(start, end), but short strings (most keys and many values repeat) come from a small cache. */
  private str(start: number, end: number): string {
    const s = this.s;
    const len = end - start;
    // Up to 12 characters V8 copies a slice anyway (longer slices share the parent
    // string): caching those keeps no document text alive.
    if (len > INTERN_MAX_LENGTH || len === 0) return this.src.slice(start, end);
    let h = 0;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return this.intern(start, len, h);
  }

  /** The text of `len` (1 to INTERN_MAX_LENGTH) characters at start, whose hash (as str computes it) is h. */
  private intern(start: number, len: number, h: number): string {
    const s = this.s;
    const slot = (h ^ (h >>> 13) ^ len) & INTERN_MASK;
    const at = slot * INTERN_MAX_LENGTH;
    // The cached text is compared in the typed arrays, not in its string: those are small
    // and contiguous, where the strings lie all over the heap (each look at one was a
    // cache miss: 15 % of the parse). (By hand: startsWith with a position is a builtin
    // call, slower on strings this short.)
    if (INTERN_HASH[slot] === h && INTERN_LENGTH[slot] === len) {
      let k = 0;
      while (k < len && INTERN_CHARS[at + k] === s.charCodeAt(start + k)) k++;
      if (k === len) return INTERN[slot] as string;
    }
    const str = this.src.slice(start, start + len);
    INTERN[slot] = str;
    INTERN_HASH[slot] = h;
    INTERN_LENGTH[slot] = len;
    for (let k = 0; k < len; k++) INTERN_CHARS[at + k] = s.charCodeAt(start + k);
    return str;
  }

  // ---------------------------------------------------------------------------
  // Scalars

  /**
   * A plain scalar in block context starting at p. It goes on over the following lines
   * that are blank or indented more than the collection holding it (`indent`), up to a
   * comment; its lines are then folded as yaml folds them.
   */
  private parsePlainBlock(p: number, indent: number): LightScalarNode {
    const s = this.s;
    const n = this.n;
    if (!plainStartOk(s, p)) bail();
    let end = this.plainLineEnd(p + 1, p + 1);
    let multiline = false;
    // Continuation lines: only if the line ended without a comment.
    for (let eol = end; ; ) {
      while (s.charCodeAt(eol) === SPACE) eol++;
      const c = s.charCodeAt(eol);
      if (c !== LF && c !== CR) break; // a comment or the end of the text
      let line = this.nextLine(eol);
      // Skip blank lines; stop at a less indented line or a comment.
      let q = line;
      for (;;) {
        while (s.charCodeAt(q) === SPACE) q++;
        const cq = s.charCodeAt(q);
        if (q < n && (cq === LF || cq === CR)) {
          line = this.nextLine(q);
          q = line;
          continue;
        }
        break;
      }
      // nextContent will look at this line next: it need not scan its indentation again.
      this.indentFrom = line;
      this.indentTo = q;
      if (q >= n || q - line <= indent || s.charCodeAt(q) === HASH) break;
      multiline = true;
      end = this.plainLineEnd(q, q + 1);
      eol = end;
    }
    if (!multiline) return this.plain(p, end);
    const value = unfoldLines(this.src.slice(p, end));
    return new LightScalar(resolvePlain(value), value, 'PLAIN', p, end, end);
  }

  /**
   * Scans the rest of a line of a plain scalar from i; returns the end of its last
   * non-space character (`end` if none). Bails on `: ` (a mapping, e.g. `a: b: c`).
   */
  private plainLineEnd(i: number, end: number): number {
    const s = this.s;
    for (; i < this.n; i++) {
      const ch = s.charCodeAt(i);
      if (ch === LF || ch === CR) break;
      if (ch === SPACE) {
        if (s.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (ch === COLON && isBlankOrBreak(s.charCodeAt(i + 1))) bail();
      end = i + 1;
    }
    return end;
  }

  /** End (after the closing quote) of a quoted scalar starting at p on the same line, or -1. */
  private quotedEnd(p: number): number {
    const s = this.s;
    const q = s.charCodeAt(p);
    let i = p + 1;
    for (;;) {
      if (i >= this.n) return -1;
      const ch = s.charCodeAt(i);
      if (ch === LF || ch === CR) return -1;
      if (ch === q) {
        if (q === SQUOTE && s.charCodeAt(i + 1) === SQUOTE) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (ch === BACKSLASH && q === DQUOTE) i++;
      i++;
    }
  }

  private parseQuoted(p: number): LightScalar {
    const s = this.s;
    const end = this.quotedEnd(p);
    if (end < 0) bail(); // multi-line or unterminated
    let value = this.str(p + 1, end - 1);
    if (s.charCodeAt(p) === SQUOTE) {
      if (value.includes("'")) value = value.replace(/''/g, "'");
      return new LightScalar(value, value, 'QUOTE_SINGLE', p, end, end);
    }
    if (value.includes('\\')) value = unescapeDouble(value);
    return new LightScalar(value, value, 'QUOTE_DOUBLE', p, end, end);
  }

  /**
   * A quoted scalar as a block value: it may go on over several lines, each blank or
   * indented more than the collection holding it (else `yaml` reports an error).
   */
  private parseQuotedValue(p: number, indent: number): LightScalar {
    const s = this.s;
    const single = s.charCodeAt(p) === SQUOTE;
    // The closing quote, found as yaml's lexer finds it.
    let close: number;
    if (single) {
      close = s.indexOf("'", p + 1);
      while (close !== -1 && s.charCodeAt(close + 1) === SQUOTE) close = s.indexOf("'", close + 2);
    } else {
      close = s.indexOf('"', p + 1);
      while (close !== -1) {
        let k = 0;
        while (s.charCodeAt(close - 1 - k) === BACKSLASH) k++;
        if (k % 2 === 0) break;
        close = s.indexOf('"', close + 1);
      }
    }
    if (close < 0) bail();
    let nl = s.indexOf('\n', p);
    if (nl < 0 || nl > close) return this.parseQuoted(p);
    for (; nl !== -1 && nl < close; nl = s.indexOf('\n', nl + 1)) {
      const off = nl + 1;
      let k = 0;
      let ch = s.charCodeAt(off);
      while (ch === SPACE) ch = s.charCodeAt(off + ++k);
      if (!(ch === LF || (ch === CR && s.charCodeAt(off + k + 1) === LF) || k > indent)) bail();
    }
    const end = close + 1;
    const source = this.src.slice(p, end);
    const value = single ? unfoldLines(source.slice(1, -1)).replace(/''/g, "'") : doubleQuotedValue(source);
    return new LightScalar(value, value, single ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE', p, end, end);
  }

  /**
   * A block scalar whose header is at h; `parentIndent` is the indentation of the
   * collection holding it. Reproduces `yaml`'s lexer (which lines belong to it) and
   * composer (its value).
   */
  private parseBlockScalar(h: number, parentIndent: number): LightScalar {
    const s = this.s;
    const n = this.n;
    const folded = s.charCodeAt(h) === GT;
    let i = h + 1;
    let chomp = 0; // 0 clip, 1 strip (-), 2 keep (+)
    const c1 = s.charCodeAt(i);
    if (c1 === DASH) {
      chomp = 1;
      i++;
    } else if (c1 === 43 /* + */) {
      chomp = 2;
      i++;
    }
    // The header ends at a space or the line end; anything else (an indentation
    // indicator, a `#` without a space) is left to `yaml`.
    if (!isBlankOrBreak(s.charCodeAt(i))) bail();
    const q = this.skipSpaces(i);
    const cq = s.charCodeAt(q);
    if (cq !== HASH && !isBlankOrBreak(cq)) bail();
    const headerEol = this.lineEnd(q);
    if (headerEol >= n) bail(); // empty block scalar at the end of the text
    const pos = this.nextLine(headerEol);

    // Lexer: skip leading blank lines to the first content line.
    let nl = pos - 1;
    let indent = 0;
    let j = pos;
    for (; j < n; j++) {
      const ch = s.charCodeAt(j);
      if (ch === SPACE) indent++;
      else if (ch === LF) {
        nl = j;
        indent = 0;
      } else if (ch === CR) {
        // CRLF (a lone CR was rejected up front)
      } else break;
    }
    if (j >= n || indent < parentIndent + 1) bail(); // empty block scalar
    const ci = indent;
    // Lines continue the scalar while blank or indented at least ci.
    for (;;) {
      const off = nl + 1;
      let k = 0;
      let ch = s.charCodeAt(off);
      while (ch === SPACE) ch = s.charCodeAt(off + ++k);
      const cont = ch === LF || (ch === CR && s.charCodeAt(off + k + 1) === LF) || k >= ci;
      if (!cont) break;
      const next = s.indexOf('\n', off + k);
      if (next < 0) {
        nl = n;
        break;
      }
      nl = next;
    }
    if (chomp !== 2) {
      // Trailing lines of spaces no longer than ci are not part of the scalar.
      for (;;) {
        let k = nl - 1;
        let ch = s.charCodeAt(k);
        if (ch === CR) ch = s.charCodeAt(--k);
        const lastChar = k;
        while (ch === SPACE) ch = s.charCodeAt(--k);
        if (ch === LF && k >= pos && k + 1 + ci > lastChar) nl = k;
        else break;
      }
    }
    const end = Math.min(nl + 1, n);
    const value = blockScalarValue(this.src.slice(pos, end), folded, chomp, parentIndent);
    const node = new LightScalar(value, value, folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL', h, end, end);
    this.nextContent(end);
    // Comment lines after it are not attached to it (no CST `end` on block scalars).
    this.pend = 0;
    return node;
  }

  // ---------------------------------------------------------------------------
  // Flow collections

  /**
   * A flow collection starting at p ('[' or '{'); r1 is after the closing bracket, r2 =
   * r1 (the caller extends it). It may span lines (pretty-printed JSON) if each line is
   * indented at least `minIndent` (yaml's lexer: the indentation its parent requires;
   * the outermost closing bracket may be one less), without comments. Ranges as `yaml`
   * composes them: a sequence item's range runs to the next `,` or `]` (line breaks
   * included), a mapping value's to the end of its line if nothing follows it there.
   */
  private parseFlow(p: number, depth: number, minIndent: number): LightMap | LightSeq {
    const s = this.s;
    if (depth > 64) bail();
    const isMap = s.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const base = this.sp;
    let keys: Set<ScalarValue> | undefined;
    let i = this.flowSpace(p + 1, depth, minIndent);
    if (s.charCodeAt(i) === close) return this.flowCollection(isMap, base, p, i + 1);
    for (;;) {
      if (isMap) {
        const key = this.parseFlowKey(i);
        const keyEnd = typeof key === 'string' ? i + key.length : key.r1;
        let j = this.skipSpaces(keyEnd);
        if (s.charCodeAt(j) !== COLON) bail(); // `{a}`, a key and its `:` on different lines, …
        j = this.skipSpaces(j + 1);
        const c = s.charCodeAt(j);
        if (c === COMMA || c === close || c === LF || c === CR || c !== c) bail(); // empty value, or on the next line
        const value = this.parseFlowNode(j, depth, minIndent);
        keys = this.checkDuplicate(base, typeof key === 'string' ? key : key.value, keys);
        this.stack[this.sp++] = new LightPair(key, i, value);
        // The value's CST token takes the spaces after it, and the line break if one follows.
        const k = this.skipSpaces(value.r1);
        const ck = s.charCodeAt(k);
        if (ck === LF || ck === CR) {
          value.r2 = this.nextLine(k);
          i = this.flowSpace(k, depth, minIndent);
        } else {
          value.r2 = k;
          i = k;
        }
      } else {
        const item = this.parseFlowNode(i, depth, minIndent);
        // A sequence item's range takes all the white space up to the next indicator.
        i = this.flowSpace(item.r1, depth, minIndent);
        item.r2 = i;
        if (s.charCodeAt(i) === COLON) bail(); // `[a: b]`: a pair in a sequence
        this.stack[this.sp++] = item;
      }
      const c = s.charCodeAt(i);
      if (c === close) return this.flowCollection(isMap, base, p, i + 1);
      if (c !== COMMA) bail();
      i = this.flowSpace(i + 1, depth, minIndent);
      // A trailing comma is fine (an empty last item); nothing else may be empty.
      if (s.charCodeAt(i) === close) return this.flowCollection(isMap, base, p, i + 1);
    }
  }

  /**
   * Skips spaces and line breaks inside a flow collection (depth: its nesting level, 0
   * for the outermost); bails on comments and on lines indented less than yaml's lexer
   * accepts.
   */
  private flowSpace(i: number, depth: number, minIndent: number): number {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === SPACE) {
        i++;
      } else if (c === LF || c === CR) {
        const line = this.nextLine(i);
        const q = this.skipSpaces(line);
        const cq = s.charCodeAt(q);
        if (q >= this.n) bail(); // unterminated
        if (cq !== LF && cq !== CR) {
          const indent = q - line;
          const closesOutermost = depth === 0 && indent === minIndent - 1 && (cq === RBRACKET || cq === RBRACE);
          if (indent < minIndent && !closesOutermost) bail();
          if (indent === 0 && (cq === DASH || cq === DOT) && s.charCodeAt(q + 1) === cq && s.charCodeAt(q + 2) === cq) bail();
        }
        i = q;
      } else {
        if (c === HASH || c !== c) bail(); // a comment; the end of the text
        return i;
      }
    }
  }

  private flowCollection(isMap: boolean, base: number, p: number, end: number): LightMap | LightSeq {
    const items = this.items(base);
    const coll = isMap ? new LightMap(items as LightPair[], p, end, end) : new LightSeq(items as LightNode[], p, end, end);
    coll.flow = true;
    return coll;
  }

  /** A scalar or collection inside a flow collection; r2 = r1 (the caller extends it). */
  private parseFlowNode(i: number, depth: number, minIndent: number): LightNode {
    const c = this.s.charCodeAt(i);
    return c === LBRACE || c === LBRACKET ? this.parseFlow(i, depth + 1, minIndent) : this.parseFlowScalar(i);
  }

  /** A scalar value in a flow collection. */
  private parseFlowScalar(p: number): LightScalarNode {
    const c = this.s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      const node = this.parseQuoted(p);
      if (this.s.charCodeAt(node.r1) === COLON) bail(); // `"a":b` as a value: a pair
      return node;
    }
    return this.plain(p, this.flowPlainEnd(p, false));
  }

  /** A key in a flow mapping: as parseKey, its text when it is a plain string. */
  private parseFlowKey(p: number): string | LightScalarNode {
    const c = this.s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) return this.parseQuoted(p);
    return this.plainKey(p, this.flowPlainEnd(p, true));
  }

  /** The end of a plain scalar in a flow collection starting at p. */
  private flowPlainEnd(p: number, isKey: boolean): number {
    const s = this.s;
    if (!plainStartOk(s, p)) bail();
    let last = p;
    for (let i = p + 1; i < this.n; i++) {
      const ch = s.charCodeAt(i);
      // A line break ends the scalar unless the next line goes on with it (a
      // multi-line plain scalar): then what follows is no `,` or bracket, and the
      // caller bails.
      if (ch === LF || ch === CR) break;
      if (ch === SPACE) {
        if (s.charCodeAt(i + 1) === HASH) bail();
        continue;
      }
      if (isFlowIndicator(ch)) break;
      if (ch === COLON) {
        const next = s.charCodeAt(i + 1);
        if (isBlankOrBreak(next) || isFlowIndicator(next)) break;
      }
      last = i;
    }
    const end = last + 1;
    if (isKey && end - p === 2 && s.charCodeAt(p) === 60 && s.charCodeAt(p + 1) === 60) bail(); // `<<`
    return end;
  }
}

/** A space, a line break or the end of the text (NaN from charCodeAt). */
function isBlankOrBreak(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c !== c;
}

/** Whether a plain scalar may start at p (indicator characters may not start one). */
function plainStartOk(s: string, p: number): boolean {
  const c = s.charCodeAt(p);
  switch (c) {
    case DASH: {
      const next = s.charCodeAt(p + 1);
      return !isBlankOrBreak(next) && !isFlowIndicator(next) && next !== HASH;
    }
    case QUESTION:
    case COLON:
    case COMMA:
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case HASH:
    case AMP:
    case STAR:
    case BANG:
    case PIPE:
    case GT:
    case SQUOTE:
    case DQUOTE:
    case PERCENT:
    case AT:
    case BACKTICK:
    case SPACE:
    case LF:
    case CR:
      return false;
  }
  return c === c; // not NaN (end of text)
}

// ---------------------------------------------------------------------------
// YAML 1.2 core schema, as `yaml` resolves plain scalars (schema/core: the tags are
// tried in this order: null, bool, int (octal, decimal, hex), float (nan/inf, exp, plain)).

const CORE_OCT = /^0o[0-7]+$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const CORE_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

export function resolvePlain(str: string): ScalarValue {
  const c = str.charCodeAt(0);
  // Fast exit: most plain scalars start with a letter that no core tag accepts.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return coreWord(str, c);
  return resolveOther(str, c);
}

/**
 * A plain scalar that starts with a letter: null/true/false in their three spellings
 * each, else itself. Their length and second letter are looked at first: most keys and
 * words (`name`, `namespace`, `targetPort`, `from`) are told apart without comparing
 * them with the nine spellings.
 */
function coreWord(str: string, c: number): ScalarValue {
  const len = str.length;
  if (len !== 4 && len !== 5) return str;
  const lower = c | 32;
  const second = str.charCodeAt(1) | 32;
  if (len === 4) {
    if (lower === 110 /* n */ && second === 117 /* u */) return str === 'null' || str === 'Null' || str === 'NULL' ? null : str;
    if (lower === 116 /* t */ && second === 114 /* r */) return str === 'true' || str === 'True' || str === 'TRUE' ? true : str;
    return str;
  }
  if (lower === 102 /* f */ && second === 97 /* a */) return str === 'false' || str === 'False' || str === 'FALSE' ? false : str;
  return str;
}

/** resolvePlain for a scalar that does not start with a letter. */
function resolveOther(str: string, c: number): ScalarValue {
  if (str === '' || str === '~') return null;
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    // Decimal digits only (ports, counts: most numbers of a manifest): an int, and no
    // other form has only digits (octal needs `0o`, hex `0x`, a float a `.` or an `e`).
    if (allDigits(str)) return parseInt(str, 10);
    // Addresses, quantities, UIDs, dates: no form below can match (a cluster dump has
    // many), so none of the six expressions is tried.
    if (!mayBeNumber(str)) return str;
    if (CORE_OCT.test(str)) return parseInt(str.substring(2), 8);
    if (CORE_INT.test(str)) return parseInt(str, 10);
    if (CORE_HEX.test(str)) return parseInt(str.substring(2), 16);
    if (CORE_NAN_INF.test(str)) {
      return str.slice(-3).toLowerCase() === 'nan' ? NaN : str[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (CORE_EXP.test(str) || CORE_FLOAT.test(str)) return parseFloat(str);
  }
  return str;
}

function allDigits(str: string): boolean {
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * False when none of the core schema's number forms can match: each is written with
 * digits, `+ - .`, hex letters, `o x` and the letters of inf/nan (`i n I N`), holds at
 * most one `.`, and has a sign only first or right after its exponent's `e`.
 */
function mayBeNumber(str: string): boolean {
  let dots = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46) {
      if (++dots > 1) return false;
      continue;
    }
    if (c === 43 || c === 45) {
      const before = i === 0 ? 0 : str.charCodeAt(i - 1);
      if (i > 0 && before !== 101 && before !== 69) return false;
      continue;
    }
    const lower = c | 32;
    // a-f (hex, and the `a`/`f` of nan/inf), o, x, i, n.
    if ((lower >= 97 && lower <= 102) || lower === 111 || lower === 120 || lower === 105 || lower === 110) continue;
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Double-quoted escapes (as yaml's resolve-flow-scalar, single line)

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The inside of a single-line double-quoted scalar; bails on invalid escapes (yaml reports them). */
function unescapeDouble(src: string): string {
  let out = '';
  let from = 0;
  for (let i = src.indexOf('\\'); i >= 0; i = src.indexOf('\\', from)) {
    out += src.slice(from, i);
    const next = src[i + 1];
    if (next === undefined) bail();
    const simple = ESCAPES[next];
    if (simple !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, next)) {
      out += simple;
      from = i + 2;
      continue;
    }
    const length = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (length === 0) bail();
    const hex = src.substr(i + 2, length);
    if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) bail();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) bail();
    out += String.fromCodePoint(code);
    from = i + 2 + length;
  }
  return out + src.slice(from);
}

/** Multi-line double-quoted scalar (quotes included), as yaml's doubleQuotedValue; bails where it reports errors. */
function doubleQuotedValue(source: string): string {
  let res = '';
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i];
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      const { fold, offset } = foldNewline(source, i);
      res += fold;
      i = offset;
    } else if (ch === '\\') {
      let next = source[++i];
      const cc = Object.prototype.hasOwnProperty.call(ESCAPES, next) ? ESCAPES[next] : undefined;
      if (cc) res += cc;
      else if (next === '\n') {
        // an escaped line break: skipped, and the next line's leading white space too
        next = source[i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === '\r' && source[i + 1] === '\n') {
        next = source[++i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.substr(i + 1, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) bail();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) bail();
        res += String.fromCodePoint(code);
        i += length;
      } else {
        bail(); // invalid escape
      }
    } else if (ch === ' ' || ch === '\t') {
      // white space before a line break is dropped
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n')) res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
    } else {
      res += ch;
    }
  }
  return res;
}

/** One line break folds into a space, n > 1 into n - 1 line breaks. */
function foldNewline(source: string, offset: number): { fold: string; offset: number } {
  let fold = '';
  let ch = source[offset + 1];
  while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
    if (ch === '\r' && source[offset + 2] !== '\n') break;
    if (ch === '\n') fold += '\n';
    offset += 1;
    ch = source[offset + 1];
  }
  return { fold: fold || ' ', offset };
}

/** Line folding of multi-line plain and single-quoted scalars, as yaml's unfoldLines. */
function unfoldLines(source: string): string {
  const line = /(.*?)\r?\n/sy;
  let match = line.exec(source);
  if (!match) return source;
  const trimEnd = /(?<![ \t])[ \t]+$/;
  const trimBoth = /^[ \t]+|(?<![ \t])[ \t]+$/g;
  let res = match[1].replace(trimEnd, '');
  let sep = ' ';
  let pos = line.lastIndex;
  while ((match = line.exec(source))) {
    const lm = match[1].replace(trimBoth, '');
    if (lm === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + lm;
      sep = ' ';
    }
    pos = line.lastIndex;
  }
  const last = /[ \t]*(.*)/sy;
  last.lastIndex = pos;
  match = last.exec(source);
  return res + sep + (match?.[1] ?? '');
}

// ---------------------------------------------------------------------------
// Block scalar value (as yaml's resolve-block-scalar, without an indentation indicator)

function blockScalarValue(source: string, folded: boolean, chomp: number, scalarIndent: number): string {
  const lines = splitLines(source);
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i][1];
    if (content === '' || content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) bail(); // empty (the lexer step rules this out; be safe)
  let trimIndent = scalarIndent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i];
    if (content === '' || content === '\r') {
      if (indent.length > trimIndent) trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) bail(); // more-indented leading empty lines: an error in yaml
      trimIndent = indent.length;
      contentStart = i;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i][0].length > trimIndent) chompStart = i + 1;
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += lines[i][0].slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    const indent = lines[i][0];
    let content = lines[i][1];
    if (content.charCodeAt(content.length - 1) === CR) content = content.slice(0, -1);
    if (content && indent.length < trimIndent) bail();
    if (!folded) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === 2) {
    for (let i = chompStart; i < lines.length; ++i) value += '\n' + lines[i][0].slice(trimIndent);
    if (value[value.length - 1] !== '\n') value += '\n';
  } else if (chomp === 0) {
    value += '\n';
  }
  return value;
}

/** Lines as [indent, content] pairs, split as yaml does. */
function splitLines(source: string): [string, string][] {
  const split = source.split(/\n( *)/);
  const first = split[0];
  const m = /^( *)/.exec(first);
  const lines: [string, string][] = [m?.[1] ? [m[1], first.slice(m[1].length)] : ['', first]];
  for (let i = 1; i < split.length; i += 2) lines.push([split[i], split[i + 1]]);
  return lines;
}
