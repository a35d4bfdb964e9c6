import type { Analysis } from '../analysis/analyze';
import type { ManifestObject } from '../manifest/load';
import type { RuleOptions } from '../rules/types';
import type { PathStep } from './locate';
import type { YamlEditor } from '../yaml/edit';
import type { FileEdit } from '../base/edits';
import type { Finding } from '../lint/rule';

/**
 * One way to fix a finding: minimal edits of the files' text (never a re-serialised
 * document), so comments, key order, indentation and quoting stay as written.
 */
export interface Fix {
  readonly title: string;
  readonly kind: 'quickfix';
  /** The fix most likely meant (an editor applies it with its "auto fix" command). */
  readonly isPreferred?: boolean;
  /** Safe to apply without looking: "fix all" applies it. */
  readonly safe: boolean;
  readonly edits: readonly FileEdit[];
}

/** What the caller hands in: the analysis the finding comes from, and the file texts it read. */
export interface FixInput {
  readonly analysis: Analysis;
  /** The text of a workspace file (the one the analysis read). */
  readonly text: (file: string) => string | undefined;
  readonly options?: Partial<RuleOptions>;
}

/** What a provider sees: the input, plus where the finding is. */
export interface FixContext {
  readonly analysis: Analysis;
  readonly options: RuleOptions;
  readonly finding: Finding;
  /** The text of the finding's file. */
  readonly text: string;
  textOf(file: string): string | undefined;
  /** Every file of the workspace (to name a new file that does not clash). */
  readonly files: readonly string[];
  /** The object the finding is in. */
  readonly object: ManifestObject;
  /** The steps from the object's root to the node at finding.path (empty when the path does not resolve). */
  readonly steps: readonly PathStep[];
  /** Text edits for the object's document. */
  readonly editor: YamlEditor;
}

/** The fixes of one rule. */
export interface FixProvider {
  readonly rule: string;
  fixesFor(finding: Finding, ctx: FixContext): Fix[];
}
