/**
 * Where the snippets may be offered. Each snippet is a whole YAML document starting at
 * `apiVersion:`, so it fits only where a new document can start:
 *  - an empty file;
 *  - column 0 of a line after `---` (or `...`), the rest of that document empty;
 *  - the top level of an empty document: only comments (and blank lines) since the last
 *    `---`, and after the cursor up to the next `---`/`...` or the end of the file.
 * "Column 0" also allows the word being typed: a completion request comes with the
 * cursor after `netpol-de`, and the item then replaces that word.
 */

/** A `---` or `...` at column 0 followed by a blank or the end of the line, as the loader splits documents (source/split.ts). */
const MARKER = /^(?:---|\.\.\.)(?=[ \t]|$)/;
/** A marker line that opens an empty document: nothing after it but a comment. */
const EMPTY_MARKER = /^(?:---|\.\.\.)(?:[ \t]+(?:#.*)?)?$/;
/** A blank or comment-only line. */
const NOTHING = /^[ \t]*(?:#.*)?$/;
/** What the user may have typed at column 0 when completion is asked for: a word, or nothing. */
const TYPED_WORD = /^(?:[A-Za-z][A-Za-z0-9_.-]*)?$/;

/** Whether a whole new document (a snippet) may be inserted at the offset (UTF-16 units, as LSP/TextDocument offsets). */
export function snippetContext(text: string, offset: number): boolean {
  return snippetInsertStart(text, offset) !== undefined;
}

/**
 * Where the inserted snippet starts when `snippetContext` holds: the offset of column 0
 * on the cursor's line (the typed word, from there to the cursor, is replaced); else
 * undefined.
 */
export function snippetInsertStart(text: string, offset: number): number | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) return undefined;
  const lineStart = startOfLine(text, offset);
  const nl = text.indexOf('\n', offset);
  const lineEnd = nl === -1 ? text.length : nl;
  // A byte-order mark is not part of the first line's content.
  const start = lineStart === 0 && offset > 0 && text.charCodeAt(0) === 0xfeff ? 1 : lineStart;
  if (!TYPED_WORD.test(text.slice(start, offset))) return undefined;
  // Nothing after the cursor on its line (the snippet's last line ends there).
  if (!/^[ \t]*$/.test(stripCr(text.slice(offset, lineEnd)))) return undefined;

  // Upwards to the document start: blank and comment lines only.
  for (let end = lineStart - 1; end >= 0; ) {
    const s = startOfLine(text, end);
    const line = lineContent(text, s, end);
    if (MARKER.test(line)) {
      if (!EMPTY_MARKER.test(line)) return undefined;
      break;
    }
    if (!NOTHING.test(line)) return undefined;
    end = s - 1;
  }
  // Downwards to the next document marker: blank and comment lines only.
  for (let s = lineEnd + 1; s <= text.length && lineEnd < text.length; ) {
    const e = text.indexOf('\n', s);
    const end = e === -1 ? text.length : e;
    const line = lineContent(text, s, end);
    if (MARKER.test(line)) break;
    if (!NOTHING.test(line)) return undefined;
    if (e === -1) break;
    s = e + 1;
  }
  return start;
}

/** The offset where the line holding `offset` starts (`offset` may be the line's `\n`). */
function startOfLine(text: string, offset: number): number {
  return offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

function lineContent(text: string, start: number, end: number): string {
  const line = stripCr(text.slice(start, end));
  return start === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
