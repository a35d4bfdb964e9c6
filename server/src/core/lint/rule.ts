import type { Span } from '../base/span';
import type { PolicyAst } from './policy-ast';
import type { FixContext, FixProposal } from './fix';
import type { LoadedFile } from '../manifest/types';

/**
 * The rule kit: what every rule is made of, whatever it reads. A rule here judges one
 * NetworkPolicy's YAML (checkPolicy) or one file (checkFile) and nothing else, which is
 * what validate/ needs: the model asks those rules which policies the API server
 * rejects. Rules that read the workspace (rules/types.ts) and the change rules
 * (impact/rules/types.ts) extend this one.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RuleMeta {
  /** Stable kebab-case id: the diagnostic code, the docs page name, the settings key. */
  readonly id: string;
  /** change: reported on a pending edit against its baseline (see impact/rules). */
  readonly category: 'validation' | 'segmentation' | 'change';
  readonly defaultSeverity: Severity;
  /** One line for listings, SARIF and settings. */
  readonly description: string;
  /**
   * The rule has a fix: 'safe' fixes may be applied without looking (fix all, on save)
   * unless a proposal says it is unsafe; 'unsafe' ones are offered, never applied unasked.
   */
  readonly fix?: 'safe' | 'unsafe';
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** The YAML path of the offending node, like `spec.ingress[0].ports[0].endPort` (for people and for matching; no fix reads it). */
  readonly path: string;
  /**
   * What the check found, handed to the rule's fix: nodes and values of the object's YAML
   * (never something of the world, which the fix reads from its context when it runs).
   * Not shown and not serialised.
   */
  readonly data?: unknown;
}

/**
 * `severity`: at most this severity for this finding (a finding that rests on what the
 * workspace may not show, such as pods an operator creates, is info); the configured
 * severity still applies when it is lower.
 */
export type Report<D = unknown> = (finding: { message: string; span: Span | undefined; path: string; data?: D; severity?: Severity }) => void;

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1, hint: 0 };

/** The lower of a configured severity and the cap a finding asks for. */
export function cappedSeverity(configured: Severity, cap: Severity | undefined): Severity {
  return cap !== undefined && RANK[cap] < RANK[configured] ? cap : configured;
}

/**
 * A rule judges one NetworkPolicy at a time, or one file. The runner re-runs every rule
 * after each edit, so both hooks are cached by what they read:
 * - checkPolicy: the verdict depends on the policy's YAML alone (validation: what the
 *   API server would reject); computed once per manifest object.
 * - checkFile: the verdict depends on one file's objects alone; computed once per loaded file.
 */
export interface Rule<D = unknown, C extends FixContext = FixContext> {
  readonly meta: RuleMeta;
  checkPolicy?(ast: PolicyAst, report: Report<D>): void;
  checkFile?(file: LoadedFile, report: Report<D>): void;
  /** The fixes of a finding, from the data its check reported (meta.fix says how safe they are). */
  fix?(data: D, ctx: C): readonly FixProposal[];
}
