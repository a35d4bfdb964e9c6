/** A source range: offsets into the text of one file, end exclusive. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Where a document chunk sits in its file. Mutable on purpose: when an edit moves a
 * document that did not change (text before it grew or shrank), the loader updates
 * its anchor, and every span of that document (in the model, in cached findings)
 * follows without being recomputed.
 */
export interface DocAnchor {
  readonly file: string;
  base: number;
}

/** A span relative to a document anchor; reads as an ordinary absolute Span. */
export class AnchoredSpan implements Span {
  constructor(
    private readonly anchor: DocAnchor,
    private readonly relStart: number,
    private readonly relEnd: number,
  ) {}

  get file(): string {
    return this.anchor.file;
  }

  get start(): number {
    return this.anchor.base + this.relStart;
  }

  get end(): number {
    return this.anchor.base + this.relEnd;
  }

  toJSON(): Span {
    return { file: this.file, start: this.start, end: this.end };
  }
}

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based column in UTF-16 code units (what LSP and VS Code count). */
  readonly character: number;
}

/** Every LINE_STRIDE-th line start is kept (a power of two: a shift finds a line's block). */
const STRIDE_SHIFT = 4;
const LINE_STRIDE = 1 << STRIDE_SHIFT;

/**
 * Maps offsets to line/column. Built once per file text; offsets stay the
 * currency everywhere else and are converted only at the edges (CLI, LSP).
 *
 * Sparse: it keeps the start of every 16th line, found in one pass, and walks at most 15
 * lines from there per question. A 500 MB cluster dump has 18 million lines: a start per
 * line was 72 MB and two passes (count, then write) of 18 million indexOf calls, about
 * 1.8 s of `netpol check` on it; this is one pass and 4.5 MB.
 */
export class LineIndex {
  /** blocks[b]: the offset where line b·16 starts. */
  private readonly blocks: number[];
  private readonly lines: number;
  /** No CR anywhere (most files): a line ends at each LF, found with indexOf. */
  private readonly lfOnly: boolean;

  constructor(readonly text: string) {
    this.lfOnly = text.indexOf('\r') < 0;
    const blocks = [0];
    let line = 0;
    for (let s = this.nextLineStart(0); s >= 0; s = this.nextLineStart(s)) {
      line++;
      if ((line & (LINE_STRIDE - 1)) === 0) blocks.push(s);
    }
    this.blocks = blocks;
    this.lines = line + 1;
  }

  /** Where the line after the one that `from` is on starts (after LF, CRLF or a lone CR); -1 on the last line. */
  private nextLineStart(from: number): number {
    const text = this.text;
    if (this.lfOnly) {
      const i = text.indexOf('\n', from);
      return i < 0 ? -1 : i + 1;
    }
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) return i + 1;
      if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    }
    return -1;
  }

  get lineCount(): number {
    return this.lines;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    let line = lo << STRIDE_SHIFT;
    let start = blocks[lo];
    for (let next = this.nextLineStart(start); next >= 0 && next <= o; next = this.nextLineStart(next)) {
      line++;
      start = next;
    }
    return { line, character: o - start };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.lines) return this.text.length;
    const line = Math.max(0, pos.line);
    let start = this.blocks[line >> STRIDE_SHIFT];
    for (let l = line & ~(LINE_STRIDE - 1); l < line; l++) start = this.nextLineStart(start);
    const next = this.nextLineStart(start);
    return Math.min(start + pos.character, next < 0 ? this.text.length : next);
  }
}
