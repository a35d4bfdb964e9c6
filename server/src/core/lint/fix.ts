import type { FileEdit } from '../base/edits';
import type { ManifestObject } from '../manifest/load';
import type { YamlEditor } from '../yaml/edit';

/**
 * One way to fix a finding: minimal edits of the files' text (never a re-serialised
 * document), so comments, key order, indentation and quoting stay as written.
 */
export interface Fix {
  readonly title: string;
  readonly kind: 'quickfix';
  /** The fix most likely meant (an editor applies it with its "auto fix" command). */
  readonly isPreferred?: boolean;
  /** Safe to apply without looking: "fix all" applies it (the rule's meta.fix says 'safe', and the fix is not uncertain). */
  readonly safe: boolean;
  readonly edits: readonly FileEdit[];
}

/** What a rule's fix proposes; the engine (fixes/) makes it a Fix, its safety from the rule's meta. */
export interface FixProposal {
  readonly title: string;
  readonly edits: readonly FileEdit[];
  readonly preferred?: boolean;
  /**
   * One reading among several (a near miss with ties, a case that is not only a matter of
   * letter case): never applied unasked, even by a rule whose fixes are safe.
   */
  readonly uncertain?: boolean;
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
export function propose(title: string, edits: readonly (FileEdit | undefined)[], flags: { preferred?: boolean; uncertain?: boolean } = {}): FixProposal[] {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return [];
  return [{ title, edits: edits as FileEdit[], ...(flags.preferred ? { preferred: true } : {}), ...(flags.uncertain ? { uncertain: true } : {}) }];
}
