import type { Analysis } from '../analyze';
import { DEFAULT_RULE_OPTIONS, type Finding, type RuleOptions } from '../rules/types';
import { objectAt, resolvePath } from './locate';
import { providersFor } from './registry';
import { isCreateFile, type Fix, type FixContext, type FixInput, type TextEdit } from './types';
import { detectStyle, YamlEditor } from './yaml-edit';

export type { Fix, FixInput, FileEdit, TextEdit, CreateFile } from './types';
export { isCreateFile } from './types';
export { fixableRules } from './registry';

/** Where a finding is, for its fix providers; undefined when its file or object is not in the analysis. */
export function fixContext(finding: Finding, input: FixInput): FixContext | undefined {
  const file = finding.span.file;
  const text = input.text(file);
  if (text === undefined) return undefined;
  const object = objectAt(input.analysis, finding.span);
  // A text that no longer holds the object (the analysis is older than the text) gets no fix.
  if (!object || object.span.end > text.length) return undefined;
  const loaded = input.analysis.files.find((f) => f.path === file);
  const style = detectStyle(text, object.reader, (loaded?.objects ?? []).map((o) => o.reader));
  return {
    analysis: input.analysis,
    options: { ...DEFAULT_RULE_OPTIONS, ...input.options },
    finding,
    text,
    textOf: input.text,
    files: input.analysis.files.map((f) => f.path),
    object,
    steps: resolvePath(object.reader, object.map, finding.path),
    editor: new YamlEditor(file, text, object.reader, style),
  };
}

/** The fixes for one finding (none for rules without a provider, or when nothing fits). */
export function fixesFor(finding: Finding, input: FixInput): Fix[] {
  const providers = providersFor(finding.rule);
  if (providers.length === 0) return [];
  const ctx = fixContext(finding, input);
  if (!ctx) return [];
  const out: Fix[] = [];
  for (const p of providers) {
    try {
      for (const f of p.fixesFor(finding, ctx)) if (wellFormed(f, input)) out.push(f);
    } catch {
      // A provider that trips over unexpected YAML offers nothing; the diagnostic stays.
    }
  }
  return out;
}

/** Edits inside their file's text, not overlapping each other. */
function wellFormed(fix: Fix, input: FixInput): boolean {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    if (isCreateFile(e)) continue;
    const text = input.text(e.file);
    if (text === undefined || e.start < 0 || e.end < e.start || e.end > text.length) return false;
    byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  }
  for (const edits of byFile.values()) if (overlapping(edits)) return false;
  return true;
}

function conflict(a: TextEdit, b: TextEdit): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  // Two insertions at one point: their order would be a guess.
  return a.start === a.end && b.start === b.end && a.start === b.start;
}

function overlapping(edits: readonly TextEdit[]): boolean {
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (conflict(edits[i], edits[j])) return true;
  return false;
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

/** What fix-all needs to see the workspace after each round. */
export interface FixAllInput {
  readonly file: string;
  /** The file's current text. */
  readonly text: string;
  /**
   * The analysis and findings of the workspace with `text` as the file's content (other
   * files unchanged), and the texts it read.
   */
  readonly evaluate: (text: string) => { readonly analysis: Analysis; readonly findings: readonly Finding[]; readonly text: (file: string) => string | undefined };
  readonly options?: Partial<RuleOptions>;
  /** Analyse-and-fix rounds at most (fixing one problem may reveal or enable another). */
  readonly maxRounds?: number;
}

export interface FixAllResult {
  /** Edits of the original text (empty when there is nothing safe to fix). */
  readonly edits: TextEdit[];
  /** The text after the edits. */
  readonly text: string;
  /** The fixes applied, in order. */
  readonly applied: Fix[];
  readonly rounds: number;
}

/**
 * Applies every safe fix of one file's findings that does not overlap another, then
 * re-analyses and repeats until nothing changes (or `maxRounds`). Only fixes that edit
 * this file alone take part.
 */
export function fixAllInFile(input: FixAllInput): FixAllResult {
  const { file } = input;
  const maxRounds = input.maxRounds ?? 4;
  let text = input.text;
  let edits: TextEdit[] = [];
  const applied: Fix[] = [];
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const { analysis, findings, text: textOf } = input.evaluate(text);
    const current = text;
    const fixInput: FixInput = { analysis, options: input.options, text: (f) => (f === file ? current : textOf(f)) };
    const chosen: Fix[] = [];
    const taken: TextEdit[] = [];
    const candidates = findings
      .filter((f) => f.span.file === file)
      .map((f) => fixesFor(f, fixInput).find((x) => x.safe && x.edits.every((e) => !isCreateFile(e) && e.file === file)))
      .filter((x): x is Fix => x !== undefined)
      .sort((a, b) => firstStart(a) - firstStart(b));
    for (const c of candidates) {
      const own = c.edits as TextEdit[];
      if (own.some((e) => taken.some((t) => conflict(e, t)))) continue;
      chosen.push(c);
      taken.push(...own);
    }
    if (chosen.length === 0) break;
    const next = applyEdits(text, taken);
    if (next === text) break;
    edits = composeEdits(input.text, edits, taken);
    applied.push(...chosen);
    text = next;
  }
  return { edits, text, applied, rounds };
}

function firstStart(f: Fix): number {
  return Math.min(...f.edits.map((e) => (isCreateFile(e) ? 0 : e.start)));
}
