import type { Analysis } from '../analysis/analyze';
import { DEFAULTS } from '../analysis/config';
import { objectAt } from '../analysis/object-at';
import { conflict, isCreateFile, type TextEdit } from '../base/edits';
import type { Fix, FixProposal } from '../lint/fix';
import type { Finding } from '../lint/rule';
import { policyOfObject, workloadOfObject } from '../reach/lookups';
import { ruleById, WORKSPACE_RULES } from '../rules/catalog';
import { ruleOptionsOf, type RuleOptions, type WorkspaceRule, type WorldFixContext } from '../rules/types';
import { raisedBy, type FixCheckBase } from './check';
import { detectStyle } from '../yaml/style';
import { YamlEditor } from '../yaml/editor';

/**
 * The fix engine: a finding's fixes come from its rule (rule.fix, with the data its check
 * reported); here they get a context, their safety (the rule's meta.fix) and a check that
 * their edits fit the text. No rule's fixes are listed anywhere else.
 */

/** What the caller hands in: the analysis the finding comes from, and the file texts it read. */
export interface FixInput {
  readonly analysis: Analysis;
  /** The text of a workspace file (the one the analysis read). */
  readonly text: (file: string) => string | undefined;
  readonly options?: Partial<RuleOptions>;
  /** When given, each fix is applied and re-analysed against this base before it is offered (check.ts). */
  readonly check?: FixCheckBase;
}

/** Rule ids whose findings may have fixes. */
export function fixableRules(): string[] {
  return WORKSPACE_RULES.filter((r) => r.fix && r.meta.fix).map((r) => r.meta.id);
}

/** What the rule's fix sees: the finding's object and file, an editor, and the workspace; undefined when the analysis no longer holds them. */
function fixContext(finding: Finding, input: FixInput): WorldFixContext | undefined {
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
    options: { ...ruleOptionsOf(DEFAULTS), ...input.options },
    policy: () => policyOfObject(analysis.reach, object),
    workload: () => workloadOfObject(analysis.model, object),
  };
}

/** A proposal as offered: safe only when the rule's fixes are, and the proposal does not say otherwise. */
function toFix(rule: WorkspaceRule, p: FixProposal): Fix {
  const fix: Fix = { title: p.title, kind: 'quickfix', safe: rule.meta.fix === 'safe' && !p.unsafe, edits: p.edits };
  return p.preferred ? { ...fix, isPreferred: true } : fix;
}

/** At most this many fixes are offered per finding: the rule lists its proposals best first. */
export const MAX_FIXES = 3;

/**
 * At most this many proposals of one finding are applied and re-analysed (check.ts). A
 * what-if re-loads the edited file and re-checks the policies the fix changed, about what a
 * keystroke costs; the editor asks for code actions whenever the cursor moves onto a
 * diagnostic, so a finding's fixes must cost a handful of keystrokes, not one per namespace
 * or label set of the workspace. The rules rank their proposals by what the workspace shows,
 * so the first ones are the ones worth checking; the rest are not offered unchecked.
 */
export const MAX_CHECKED = 6;

/**
 * The fixes for one finding, from its rule's fix and the data its check reported (none
 * when nothing fits): at most MAX_FIXES, and with `input.check`, only those whose result
 * raises no new warning or error of ours.
 */
export function fixesFor(finding: Finding, input: FixInput): Fix[] {
  const rule = ruleById(finding.rule);
  if (!rule?.fix || !rule.meta.fix || finding.data === undefined) return [];
  const ctx = fixContext(finding, input);
  if (!ctx) return [];
  let fixes: Fix[];
  try {
    fixes = rule
      .fix(finding.data, ctx)
      .map((p) => toFix(rule, p))
      .filter((f) => wellFormed(f, input));
  } catch {
    // A fix that trips over unexpected YAML offers nothing; the diagnostic stays.
    return [];
  }
  if (!input.check) return fixes.slice(0, MAX_FIXES);
  const out: Fix[] = [];
  for (const fix of fixes.slice(0, MAX_CHECKED)) {
    if (out.length === MAX_FIXES) break;
    if (cleanResult(input.check, fix)) out.push(fix);
  }
  return out;
}

/** The fix's result raises nothing new (a what-if that fails counts as raising: the fix is not offered). */
function cleanResult(base: FixCheckBase, fix: Fix): boolean {
  try {
    const r = raisedBy(base, fix.edits);
    return r.findings.length === 0 && r.yamlErrors.length === 0;
  } catch {
    return false;
  }
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
