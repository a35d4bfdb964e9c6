import type { FileEdit } from '../base/edits';
import type { YamlEditor } from '../yaml/editor';
import type { ManifestObject } from '../manifest/types';

/**
 * One way to fix a finding: minimal edits of the files' text (never a re-serialised
 * document), so comments, key order, indentation and quoting stay as written.
 */
export interface Fix {
  readonly title: string;
  readonly kind: 'quickfix';
  /** The fix most likely meant (an editor applies it with its "auto fix" command). */
  readonly isPreferred?: boolean;
  /** Safe to apply without looking: "fix all" applies it (the rule's meta.fix says 'safe', and the fix is not unsafe). */
  readonly safe: boolean;
  readonly edits: readonly FileEdit[];
  /** A value the user chooses or types (see Prompt): the editor offers it as a snippet, never applied unasked. */
  readonly prompt?: Prompt;
}

/**
 * A value only the user can give (where a generic policy goes): the proposal's first
 * edit writes `value` at offset `at` of its newText, the first of `choices` (what the
 * workspace suggests) or a word to type over. An editor that takes snippet edits offers
 * it as a placeholder (a choice list when there are choices); others are not offered it,
 * nor is it ever applied unasked (fix-all, `netpol check --fix`): writing the value
 * literally would turn a guess into a manifest.
 */
export interface Prompt {
  readonly at: number;
  readonly value: string;
  readonly choices: readonly string[];
}

/** What a rule's fix proposes; the engine (fixes/) makes it a Fix, its safety from the rule's meta. */
export interface FixProposal {
  readonly title: string;
  readonly edits: readonly FileEdit[];
  readonly preferred?: boolean;
  /**
   * Not to be applied unasked, even by a rule whose fixes are safe: one reading among
   * several (a near miss with ties, more than a matter of letter case), or a removal.
   */
  readonly unsafe?: boolean;
  /** The value the user gives (Fix.prompt). */
  readonly prompt?: Prompt;
}

/**
 * What every fix sees besides the data its check handed over: the object the finding is
 * in, its file, and an editor for its document. Rules that read the workspace get more
 * (rules/types.ts: WorldFixContext).
 */
export interface FixContext {
  /** The object the finding is in. */
  readonly object: ManifestObject;
  /** The finding's file and its text. */
  readonly file: string;
  readonly text: string;
  textOf(file: string): string | undefined;
  /** Every file of the workspace (to name a new file that does not clash). */
  readonly files: readonly string[];
  /** Text edits for the object's document, in its style. */
  readonly editor: YamlEditor;
}

/** One proposal, or none when an edit could not be made (the editor answers undefined where the YAML does not allow it). */
export function propose(title: string, edits: readonly (FileEdit | undefined)[], flags: { preferred?: boolean; unsafe?: boolean } = {}): FixProposal[] {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return [];
  return [{ title, edits: edits as FileEdit[], ...(flags.preferred ? { preferred: true } : {}), ...(flags.unsafe ? { unsafe: true } : {}) }];
}
