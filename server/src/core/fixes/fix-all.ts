import type { Analysis } from '../analysis/analyze';
import { applyEdits, composeEdits, conflict, isCreateFile, type TextEdit } from '../base/edits';
import type { Fix } from '../lint/fix';
import type { Finding } from '../lint/rule';
import type { RuleOptions } from '../rules/types';
import { raisedBy, type FixCheckBase, type Raised } from './check';
import { fixesFor, type FixInput } from './fixes';

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
  /**
   * How to re-check a fix against one round's analysis (check.ts): when given, a fix whose
   * result raises a new warning of ours is not applied.
   */
  readonly check?: (round: { readonly analysis: Analysis; readonly findings: readonly Finding[]; readonly text: (file: string) => string | undefined }) => FixCheckBase;
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
    const text0 = (f: string) => (f === file ? current : textOf(f));
    const check = input.check?.({ analysis, findings, text: text0 });
    const fixInput: FixInput = { analysis, options: input.options, text: text0, ...(check ? { check } : {}) };
    let chosen: Fix[] = [];
    let taken: TextEdit[] = [];
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
    // Fixes that are safe one by one may clash together: two misspelled keys of one mapping
    // each renamed to matchLabels make a duplicate key. The round is checked as a whole; if it
    // clashes, each fix is kept only while the set stays clean (at most MAX_ONE_BY_ONE checks:
    // the rest waits for the next round).
    if (check && chosen.length > 1 && clashes(raisedBy(check, taken))) {
      const kept: Fix[] = [];
      const keptEdits: TextEdit[] = [];
      for (const c of chosen.slice(0, MAX_ONE_BY_ONE)) {
        const trial = [...keptEdits, ...(c.edits as TextEdit[])];
        if (clashes(raisedBy(check, trial))) continue;
        kept.push(c);
        keptEdits.push(...(c.edits as TextEdit[]));
      }
      chosen = kept;
      taken = keptEdits;
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

/** Checks of single fixes in a round whose fixes clash together. */
const MAX_ONE_BY_ONE = 50;

/** What fixes applied together must never make: a YAML error or an error of ours (warnings an error hid may appear). */
function clashes(raised: Raised): boolean {
  return raised.yamlErrors.length > 0 || raised.findings.some((f) => f.severity === 'error');
}

function firstStart(f: Fix): number {
  return Math.min(...f.edits.map((e) => (isCreateFile(e) ? 0 : e.start)));
}
