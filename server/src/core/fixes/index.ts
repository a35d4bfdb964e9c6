import type { Analysis } from '../analysis/analyze';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../rules/types';
import { resolvePath } from './locate';
import { fixableRules as providerRules, providersFor } from './registry';
import type { Fix, FixContext, FixInput } from './types';
import { applyEdits, composeEdits, conflict, isCreateFile, type TextEdit } from '../base/edits';
import { detectStyle, YamlEditor } from '../yaml/edit';
import type { Finding } from '../lint/rule';
import { objectAt } from '../analysis/object-at';
import { ruleById, WORKSPACE_RULES } from '../rules/catalog';
import type { WorkspaceRule, WorldFixContext } from '../rules/types';
import type { FixProposal } from '../lint/fix';
import { policyOfObject, workloadOfObject } from '../reach/lookups';

export type { Fix, FixInput } from './types';
export type { FileEdit, TextEdit, CreateFile } from '../base/edits';
export { applyEdits, composeEdits, isCreateFile } from '../base/edits';

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

/** What the rule's own fix sees: the finding's object and file, an editor, and the workspace. */
function worldFixContext(finding: Finding, input: FixInput): WorldFixContext | undefined {
  const file = finding.span.file;
  const text = input.text(file);
  if (text === undefined) return undefined;
  const { analysis } = input;
  const object = objectAt(analysis, finding.span);
  // A text that no longer holds the object (the analysis is older than the text) gets no fix.
  if (!object || object.span.end > text.length) return undefined;
  const loaded = analysis.files.find((f) => f.path === file);
  const style = detectStyle(text, object.reader, (loaded?.objects ?? []).map((o) => o.reader));
  return {
    object,
    file,
    text,
    textOf: input.text,
    files: analysis.files.map((f) => f.path),
    editor: new YamlEditor(file, text, object.reader, style),
    analysis,
    options: { ...DEFAULT_RULE_OPTIONS, ...input.options },
    policy: () => policyOfObject(analysis.reach, object),
    workload: () => workloadOfObject(analysis.model, object),
  };
}

/** Rule ids whose findings may have fixes. */
export function fixableRules(): string[] {
  return [...new Set([...WORKSPACE_RULES.filter((r) => r.fix && r.meta.fix).map((r) => r.meta.id), ...providerRules()])];
}

/** A proposal as offered: safe only when the rule's fixes are, and the proposal is sure. */
function toFix(rule: WorkspaceRule, p: FixProposal): Fix {
  const fix: Fix = { title: p.title, kind: 'quickfix', safe: rule.meta.fix === 'safe' && !p.uncertain, edits: p.edits };
  return p.preferred ? { ...fix, isPreferred: true } : fix;
}

/** The fixes for one finding, from its rule's fix and the data its check reported (none when nothing fits). */
export function fixesFor(finding: Finding, input: FixInput): Fix[] {
  const rule = ruleById(finding.rule);
  if (rule?.fix && rule.meta.fix && finding.data !== undefined) {
    const ctx = worldFixContext(finding, input);
    if (!ctx) return [];
    try {
      return rule.fix(finding.data, ctx).map((p) => toFix(rule, p)).filter((f) => wellFormed(f, input));
    } catch {
      // A fix that trips over unexpected YAML offers nothing; the diagnostic stays.
      return [];
    }
  }
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

function overlapping(edits: readonly TextEdit[]): boolean {
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (conflict(edits[i], edits[j])) return true;
  return false;
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
