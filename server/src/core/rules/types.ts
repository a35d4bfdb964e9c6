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

/**
 * Knobs of the segmentation rules (settings `netpol.*`). The ingress controller's
 * location is an analysis option (AnalyzeOptions.ingressController): the reachability
 * models it as a pod, and rules read it from `analysis.reach`.
 */
export interface RuleOptions {
  /** Namespace label whose value names an environment (production, staging, …). */
  readonly environmentLabel: string;
  /** Where the cluster DNS runs: namespace and pod labels. */
  readonly dns: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  /** Also require egress isolation (default-deny egress, egress policies per workload). */
  readonly requireEgress: boolean;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  environmentLabel: 'environment',
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  requireEgress: false,
};

export interface RuleContext {
  readonly analysis: Analysis;
  /** NetworkPolicy objects of the workspace, with their YAML. */
  readonly policies: readonly ManifestObject[];
  /** Every Kubernetes object of the workspace. */
  readonly objects: readonly ManifestObject[];
  readonly options: RuleOptions;
  readonly report: Report;
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
