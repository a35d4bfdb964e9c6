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

/**
 * Maps offsets to line/column. Built once per file text; offsets stay the
 * currency everywhere else and are converted only at the edges (CLI, LSP).
 */
/** A line break ends at i: LF, or a CR not followed by LF. */
function isBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10);
}

export class LineIndex {
  /** Offsets of the line starts: a typed array (a 500 MB cluster dump has 18 million lines: 72 MB, not the 150 MB and the copies of a growing array). */
  private readonly starts: Uint32Array;

  constructor(readonly text: string) {
    // Counted, then written: two passes with indexOf (no CR, most files) beat one over every character.
    const noCr = text.indexOf('\r') < 0;
    let n = 1;
    if (noCr) for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    else for (let i = 0; i < text.length; i++) if (isBreak(text, i)) n++;
    const starts = new Uint32Array(n);
    let k = 1;
    if (noCr) for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    else for (let i = 0; i < text.length; i++) if (isBreak(text, i)) starts[k++] = i + 1;
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[Math.max(0, pos.line)];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(lineStart + pos.character, next);
  }
}
