/**
 * Splits a multi-document YAML stream at its document markers without parsing it.
 *
 * Why: the `yaml` package parses about 1 MB/s; splitting first lets each document be
 * parsed (and cached) on its own, so an edit in one document of an 800-document file
 * re-parses one document. A `---` or `...` at column 0 followed by a blank or the end of
 * the line always ends a document in YAML 1.2 (block and quoted scalars cannot contain
 * one at column 0), so a line scan finds the same boundaries as the parser.
 */
export interface DocumentChunk {
  /** Offset of the chunk in the file. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  readonly text: string;
}

/**
 * Whether a `---` or `...` marker starts the line at i (c: its first character, `-` or
 * `.`): three of it, then a space, a tab, a line break or the end of the text. (Read
 * character by character: the line starts of a workspace's 30,000 documents made as
 * many slices and regular expression runs.)
 */
function isMarker(text: string, i: number, c: number): boolean {
  if (text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return false;
  const after = text.charCodeAt(i + 3);
  return after === 32 || after === 9 || after === 10 || after === 13 || after !== after;
}

export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let chunkStart = 0;
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? n : nl + 1;
    const c = text.charCodeAt(lineStart);
    if ((c === 45 || c === 46) && isMarker(text, lineStart, c)) {
      if (c === 45 && lineStart > chunkStart) {
        // `---` starts the next document: it belongs to the new chunk.
        pushChunk(chunks, text, chunkStart, lineStart);
        chunkStart = lineStart;
      } else if (c === 46) {
        // `...` ends the current document: it belongs to the old chunk.
        pushChunk(chunks, text, chunkStart, lineEnd);
        chunkStart = lineEnd;
      }
    }
    if (nl === -1) break;
    lineStart = lineEnd;
  }
  pushChunk(chunks, text, chunkStart, n);
  return chunks;
}

function pushChunk(chunks: DocumentChunk[], text: string, start: number, end: number): void {
  if (end > start || chunks.length === 0) chunks.push({ start, end, text: text.slice(start, end) });
}
