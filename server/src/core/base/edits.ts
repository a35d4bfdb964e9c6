/**
 * Edits of file text, as offsets into the text they apply to: what a fix is made of and
 * what every surface (the LSP's WorkspaceEdit, the tests' goldens) turns into its own form.
 */

/** A replacement of [start, end) in a file's text (offsets into that text, end exclusive). */
export interface TextEdit {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** A file that does not exist yet, created with this text. */
export interface CreateFile {
  readonly file: string;
  readonly create: true;
  readonly text: string;
}

export type FileEdit = TextEdit | CreateFile;

export function isCreateFile(e: FileEdit): e is CreateFile {
  return 'create' in e && e.create === true;
}

/** The two edits cannot both apply. */
export function conflict(a: TextEdit, b: TextEdit): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  // Two insertions at one point: their order would be a guess.
  return a.start === a.end && b.start === b.end && a.start === b.start;
}

/** Applies non-overlapping edits of one file to its text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * Expresses `second` (edits of the text that `first` produced) as edits of the original
 * text, together with `first`: edits of `second` that touch text `first` inserted are
 * merged with those edits, the others stay as they are.
 */
export function composeEdits(original: string, first: readonly TextEdit[], second: readonly TextEdit[]): TextEdit[] {
  if (second.length === 0) return [...first];
  const file = second[0].file;
  const sorted = [...first].sort((a, b) => a.start - b.start);
  const middle = applyEdits(original, sorted);
  // Segments of the intermediate text: copies of the original and texts `first` inserted.
  interface Segment {
    readonly copy: boolean;
    readonly o0: number;
    readonly o1: number;
    readonly i0: number;
    readonly i1: number;
    readonly edit?: TextEdit;
  }
  const segments: Segment[] = [];
  let o = 0;
  let i = 0;
  for (const e of sorted) {
    segments.push({ copy: true, o0: o, o1: e.start, i0: i, i1: i + e.start - o });
    i += e.start - o;
    segments.push({ copy: false, o0: e.start, o1: e.end, i0: i, i1: i + e.newText.length, edit: e });
    i += e.newText.length;
    o = e.end;
  }
  segments.push({ copy: true, o0: o, o1: original.length, i0: i, i1: i + original.length - o });
  const inserted = segments.filter((s) => !s.copy);
  /** Widens an intermediate range over every inserted text it touches. */
  const widen = (s: number, e: number): [number, number] => {
    let [a, b] = [s, e];
    for (const seg of inserted) {
      if (seg.i0 <= b && a <= seg.i1) {
        a = Math.min(a, seg.i0);
        b = Math.max(b, seg.i1);
      }
    }
    return [a, b];
  };
  // A point between two inserted texts maps to several original offsets: a region
  // starts at the first and ends at the last (it absorbs what lies between).
  const copies = segments.filter((s) => s.copy);
  const toOriginal = (x: number, last: boolean): number => {
    const hits = copies.filter((s) => s.i0 <= x && x <= s.i1);
    const seg = last ? hits[hits.length - 1] : hits[0];
    return seg ? seg.o0 + (x - seg.i0) : x;
  };
  // Group the second edits by widened region (regions that touch merge).
  const regions = [...second]
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ range: widen(e.start, e.end), edits: [e] }));
  const groups: { range: [number, number]; edits: TextEdit[] }[] = [];
  for (const r of regions) {
    const last = groups[groups.length - 1];
    if (last && r.range[0] <= last.range[1]) {
      last.range = widen(last.range[0], Math.max(last.range[1], r.range[1]));
      last.edits.push(...r.edits);
    } else groups.push({ range: r.range, edits: r.edits });
  }
  const absorbed = new Set<TextEdit>();
  const out: TextEdit[] = [];
  for (const g of groups) {
    const [a, b] = g.range;
    for (const seg of inserted) if (seg.i0 >= a && seg.i1 <= b && seg.edit) absorbed.add(seg.edit);
    const local = g.edits.map((e) => ({ ...e, start: e.start - a, end: e.end - a }));
    out.push({ file, start: toOriginal(a, false), end: toOriginal(b, true), newText: applyEdits(middle.slice(a, b), local) });
  }
  for (const e of sorted) if (!absorbed.has(e)) out.push(e);
  return out.sort((x, y) => x.start - y.start || x.end - y.end);
}
