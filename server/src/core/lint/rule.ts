import type { LoadedFile } from '../manifest/load';
import type { Span } from '../base/span';
import type { PolicyAst } from './policy-ast';

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
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** The YAML path of the offending node, like `spec.ingress[0].ports[0].endPort`. */
  readonly path: string;
}

export type Report = (finding: { message: string; span: Span | undefined; path: string }) => void;

/**
 * A rule judges one NetworkPolicy at a time, or one file. The runner re-runs every rule
 * after each edit, so both hooks are cached by what they read:
 * - checkPolicy: the verdict depends on the policy's YAML alone (validation: what the
 *   API server would reject); computed once per manifest object.
 * - checkFile: the verdict depends on one file's objects alone; computed once per loaded file.
 */
export interface Rule {
  readonly meta: RuleMeta;
  checkPolicy?(ast: PolicyAst, report: Report): void;
  checkFile?(file: LoadedFile, report: Report): void;
}
