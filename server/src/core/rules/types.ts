import type { Analysis } from '../analyze';
import type { ManifestObject } from '../manifest/load';
import type { Span } from '../source/span';
import type { PolicyAst } from './policy-ast';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RuleMeta {
  /** Stable kebab-case id: the diagnostic code, the docs page name, the settings key. */
  readonly id: string;
  readonly category: 'validation' | 'segmentation';
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

export interface RuleContext {
  readonly analysis: Analysis;
  /** NetworkPolicy objects of the workspace, with their YAML. */
  readonly policies: readonly ManifestObject[];
  report: Report;
}

export type Report = (finding: { message: string; span: Span | undefined; path: string }) => void;

/**
 * A rule checks either one NetworkPolicy at a time (validation: what the API server
 * would reject depends on the object alone) or the whole workspace.
 */
export interface Rule {
  readonly meta: RuleMeta;
  checkPolicy?(ast: PolicyAst, report: Report): void;
  check?(ctx: RuleContext): void;
}
