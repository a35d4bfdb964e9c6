/**
 * The bounds on one file and one YAML document (docs/limits-and-safety.md lists them,
 * with what happens past each). Past a bound the document is skipped with one
 * diagnostic; the rest of the file and of the workspace is analysed as usual.
 */
export const DOCUMENT_LIMITS = {
  /**
   * Nesting of mappings, sequences and flow collections in one document. Kubernetes
   * objects nest about 15 deep (a Pod list), CRD schemas rarely over 50; the YAML
   * parser's recursion overflows the stack between 500 and 1,000.
   */
  maxDepth: 100,
  /**
   * A document the fast reader cannot take (anchors, tags, tabs, a syntax error…) goes
   * to the full YAML parser, which reads about 1 MB/s: larger ones are skipped. The CLI
   * value; the language server passes its own (EDITOR_MAX_FULL_PARSE_LENGTH).
   */
  maxFullParseLength: 8 * 1024 * 1024,
  /** Documents read per file; the rest are skipped (one diagnostic at the first one skipped). */
  maxDocumentsPerFile: 50_000,
};

/** The language server's bound for the full parser: it reparses an edited document on every keystroke. */
export const EDITOR_MAX_FULL_PARSE_LENGTH = 512 * 1024;

export interface DepthExcess {
  /** Where the nesting first went past the bound (offset in the text). */
  readonly offset: number;
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const DASH = 45;
const COLON = 58;
const QUESTION = 63;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const PIPE = 124;
const GT = 62;
const BACKSLASH = 92;

/**
 * Finds where a document nests deeper than `max`, in one pass over its text and before
 * any parser runs (a parser would recurse that deep first). The depth of a line is
 * counted as its indentation level (one per distinct deeper indentation), plus each
 * `- ` that opens an item on it, plus the flow brackets `[` `{` open there; quoted
 * scalars, comments and block scalars are skipped. It may count a level more than a
 * parser would (a key line under a `- ` at the same indentation), never fewer than half.
 */
export function findDepthExcess(text: string, max: number): DepthExcess | undefined {
  // Most documents cannot get near the bound, and a count proves it: far cheaper than the walk.
  return depthBound(text) <= max ? undefined : walkDepthExcess(text, max);
}

/** findDepthExcess's walk (the count below it in findDepthExcess only spares it). */
export function walkDepthExcess(text: string, max: number): DepthExcess | undefined {
  const n = text.length;
  /** Indentations of the open block levels, increasing. */
  const indents: number[] = [];
  let flow = 0;
  /** The next line feed, colon, `#` and carriage return at or after where last asked (n: none). */
  let nextLf = -1;
  let nextColon = -1;
  let nextHash = -1;
  let nextCr = -1;
  let i = 0;
  /** A block scalar is open: lines indented deeper than this are its content. */
  let blockScalarIndent = -1;
  while (i < n) {
    // Start of a line (in flow context, indentation does not matter).
    const lineStart = i;
    let indent = 0;
    while (i < n && text.charCodeAt(i) === SPACE) {
      indent++;
      i++;
    }
    if (i >= n) break;
    let c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      i++;
      continue;
    }
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent || c === TAB) {
        i = lineEnd(text, i);
        continue;
      }
      blockScalarIndent = -1;
    }
    if (c === HASH && flow === 0) {
      i = lineEnd(text, i);
      continue;
    }
    let base: number;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1] < indent) indents.push(indent);
      base = indents.length;
      if (base > max) return { offset: i };
    } else {
      base = indents.length;
    }
    // The line's content: `- ` markers, then scalars, keys and flow collections.
    let dashes = 0;
    /** True where a scalar may start (a quote opens a quoted scalar, a bracket a flow collection). */
    let valueStart = true;
    /** Column of the node the line's content belongs to (a block scalar's content is indented deeper). */
    let nodeCol = indent;
    let sawContent = false;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c === LF || c === CR) break;
      if (c === SPACE || c === TAB) {
        i++;
        continue;
      }
      if (c === HASH && (i === 0 || isBlank(text.charCodeAt(i - 1)))) {
        i = lineEnd(text, i);
        break;
      }
      if ((c === DASH || c === QUESTION) && flow === 0 && valueStart && isBlankOrEnd(text, i + 1)) {
        dashes++;
        nodeCol = i - lineStart;
        if (base + dashes > max) return { offset: i };
        i++;
        continue;
      }
      if (!sawContent && c !== PIPE && c !== GT) {
        // The first token after the dashes: a key (or a scalar) at this column.
        sawContent = true;
        nodeCol = i - lineStart;
      }
      if ((c === DQUOTE || c === SQUOTE) && valueStart) {
        i = skipQuoted(text, i);
        valueStart = false;
        continue;
      }
      if (c === LBRACKET || c === LBRACE) {
        if (flow > 0 || valueStart) {
          flow++;
          if (base + dashes + flow > max) return { offset: i };
          valueStart = true;
          i++;
          continue;
        }
      } else if ((c === RBRACKET || c === RBRACE) && flow > 0) {
        flow--;
        valueStart = false;
        i++;
        continue;
      } else if (c === COMMA && flow > 0) {
        valueStart = true;
        i++;
        continue;
      } else if (c === COLON && isBlankOrEnd(text, i + 1)) {
        valueStart = true;
        i++;
        continue;
      } else if ((c === PIPE || c === GT) && valueStart && flow === 0) {
        // A block scalar: its content lines are those indented deeper than this line.
        blockScalarIndent = nodeCol;
        i = lineEnd(text, i);
        break;
      }
      valueStart = false;
      i++;
      if (flow === 0 && sawContent) {
        // In the middle of a block line's key or scalar, only a line break, a comment or
        // `: ` changes anything above (no dash, quote or bracket counts until a `: `): jump
        // to the next of them. Most of a manifest's text is passed over here, by indexOf
        // (each search starts past the last one's answer: linear in the text).
        if (nextLf < i) nextLf = indexOrEnd(text, '\n', i);
        if (nextColon < i) nextColon = indexOrEnd(text, ':', i);
        if (nextHash < i) nextHash = indexOrEnd(text, '#', i);
        if (nextCr < i) nextCr = indexOrEnd(text, '\r', i);
        i = Math.min(nextLf, nextColon, nextHash, nextCr);
      }
    }
  }
  return undefined;
}

/**
 * A bound on every count findDepthExcess makes on `text`, from counts alone: its
 * indentation levels are distinct indentations (spaces after the start, a LF or a CR),
 * so at most the number of distinct ones in the text; the `- ` and `? ` markers it counts
 * on a line are at most those of the whole text; the flow collections open at a time at
 * most its `[` and `{`. The sum of the three bounds the sum it compares with its maximum.
 * (Searches for fixed strings only: they run at memory speed.)
 */
export function depthBound(text: string): number {
  const hasCr = text.includes('\r');
  // A `-` or `?` before a blank or at the end; `[` and `{`.
  let marks = occurrences(text, '- ') + occurrences(text, '-\n') + occurrences(text, '? ') + occurrences(text, '?\n') + occurrences(text, '[') + occurrences(text, '{');
  if (text.includes('\t')) marks += occurrences(text, '-\t') + occurrences(text, '?\t');
  if (hasCr) marks += occurrences(text, '-\r') + occurrences(text, '?\r');
  const last = text.charCodeAt(text.length - 1);
  if (last === DASH || last === QUESTION) marks++;
  // No line indented SHALLOW_LEVELS spaces or more: at most that many distinct indentations.
  const deep = text.startsWith(DEEP_INDENT) || text.includes(`\n${DEEP_INDENT}`) || (hasCr && text.includes(`\r${DEEP_INDENT}`));
  return (deep ? distinctIndentations(text) : SHALLOW_LEVELS) + marks;
}

const SHALLOW_LEVELS = 32;
const DEEP_INDENT = ' '.repeat(SHALLOW_LEVELS);

/** How often `what` occurs in `text` (no two occurrences of the strings above can overlap). */
function occurrences(text: string, what: string): number {
  let n = 0;
  for (let at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length)) n++;
  return n;
}

/** How many distinct indentations (spaces after the start, a LF or a CR) the lines have; Infinity for one of 128 or more. */
function distinctIndentations(text: string): number {
  // Distinct indentations below 128 (a bit each); one more deeper than that: no bound.
  const seen = new Int32Array(4);
  let levels = 0;
  const indentAt = (from: number): boolean => {
    let k = from;
    while (text.charCodeAt(k) === SPACE) k++;
    const indent = k - from;
    if (indent >= 128) return false;
    const bit = 1 << (indent & 31);
    if ((seen[indent >> 5] & bit) === 0) {
      seen[indent >> 5] |= bit;
      levels++;
    }
    return true;
  };
  if (!indentAt(0)) return Infinity;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) if (!indentAt(nl + 1)) return Infinity;
  if (text.includes('\r')) for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) if (!indentAt(cr + 1)) return Infinity;
  return levels;
}

function indexOrEnd(text: string, what: string, from: number): number {
  const at = text.indexOf(what, from);
  return at < 0 ? text.length : at;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function isBlankOrEnd(text: string, i: number): boolean {
  return i >= text.length || isBlank(text.charCodeAt(i));
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl === -1 ? text.length : nl + 1;
}

/** The offset after a quoted scalar starting at `i` (it may span lines). */
function skipQuoted(text: string, i: number): number {
  const q = text.charCodeAt(i);
  let k = i + 1;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (q === DQUOTE && c === BACKSLASH) {
      k += 2;
      continue;
    }
    if (c === q) {
      if (q === SQUOTE && text.charCodeAt(k + 1) === SQUOTE) {
        k += 2;
        continue;
      }
      return k + 1;
    }
    k++;
  }
  return k;
}
