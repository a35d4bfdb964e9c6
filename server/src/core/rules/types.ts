import type { Analysis } from '../analysis/analyze';
import type { NetworkPolicy } from '../model/types';
import type { CompiledPolicy } from '../reach/compile';
import type { PolicyAst } from '../lint/policy-ast';
import type { Report, Rule } from '../lint/rule';
import type { FixContext } from '../lint/fix';
import type { Workload } from '../model/types';
import type { NetpolConfig } from '../analysis/config';
import type { ManifestObject } from '../manifest/types';

/**
 * Knobs of the segmentation rules, from the configuration. The ingress controller's
 * location is an analysis option (the reachability models it as a pod): rules read it
 * from `analysis.reach`.
 */
export type RuleOptions = Pick<NetpolConfig, 'environmentLabel' | 'dns' | 'requireEgress'>;

/** The rule options of a configuration. */
export function ruleOptionsOf(config: NetpolConfig): RuleOptions {
  return { environmentLabel: config.environmentLabel, dns: config.dns, requireEgress: config.requireEgress };
}

export interface RuleContext<D = unknown> {
  readonly analysis: Analysis;
  /** NetworkPolicy objects of the workspace, with their YAML. */
  readonly policies: readonly ManifestObject[];
  /** Every Kubernetes object of the workspace. */
  readonly objects: readonly ManifestObject[];
  readonly options: RuleOptions;
  readonly report: Report<D>;
  /**
   * Set for a rule with `scopedCheck` when the run wants the findings of these files only
   * (the first files of a workspace's first analysis, published before the others): the
   * check may leave out what cannot be reported in them. Its findings are then used for
   * these files alone, and the next run judges the rest.
   */
  readonly only?: ReadonlySet<string>;
}

/** What checkPolicyInWorld sees besides the policy's YAML. */
export interface PolicyContext {
  readonly analysis: Analysis;
  readonly options: RuleOptions;
  /** The policy as the model reads it; undefined for objects the model skips (apiVersion other than networking.k8s.io/v1). */
  readonly policy: NetworkPolicy | undefined;
  /**
   * Its compiled form in analysis.reach (a rejected policy compiles to nothing). Which
   * classes it selects and its rules admit is world; its ports, ipBlocks and which rules
   * take effect are the policy's own, all that a narrower policyScope may read.
   */
  readonly compiled: CompiledPolicy | undefined;
}

/**
 * A rule that may also read the workspace (lint/rule.ts has the hooks that read one
 * policy or one file). The runner re-runs every rule after each edit, so the per-policy
 * hook is cached per manifest object:
 * - checkPolicyInWorld: the verdict depends on the object and on the world: workloads,
 *   namespaces, Services, Ingresses (`analysis.reach.world`), the rule options and the
 *   analysis options (default namespace, hostNetwork, ingress controller). Reused while
 *   those stay the same, so it must read nothing else: no other policy, no isolation
 *   verdict (`compiled.ingressOf/egressOf`), no findings of other rules. After an edit of
 *   the world the verdict is also carried over when the policy was not compiled again and
 *   nothing changed in the namespaces it reads (support/world-history.ts): its own, those
 *   of the classes it selects or admits, and those its namespaceSelectors name by
 *   `kubernetes.io/metadata.name`. So it reads workloads, Services and Ingresses of those
 *   namespaces only (pods found by address, custom resources and webhooks end the carry
 *   over on their own). A narrower
 *   `policyScope` keeps the results across more edits: 'namespaces' for a check that
 *   reads the namespaces (names, labels) but no workload, Service or Ingress; 'options'
 *   for one that reads the options only.
 * - check: what depends on several policies (per-namespace defaults, isolation of each
 *   workload, duplicates); runs every time, so it should stay cheap: combine per-file
 *   summaries (`perFile`, model-index.ts), keep what derives from the world alone per
 *   world (`perWorld`, segmentation/world-cache.ts), and never walk every policy's YAML.
 * Findings come out per rule, in that order (per policy in workspace order, then check's).
 */
export interface WorkspaceRule<D = unknown> extends Rule<D, WorldFixContext> {
  checkPolicyInWorld?(ast: PolicyAst, ctx: PolicyContext, report: Report<D>): void;
  readonly policyScope?: 'world' | 'namespaces' | 'options';
  check?(ctx: RuleContext<D>): void;
  /** check honours RuleContext.only (a costly check whose findings each sit on one policy it can tell beforehand). */
  readonly scopedCheck?: boolean;
}

/**
 * What the fix of a workspace rule sees: the finding's object and an editor (FixContext),
 * and the workspace as it is when the fix is asked for.
 */
export interface WorldFixContext extends FixContext {
  readonly analysis: Analysis;
  readonly options: RuleOptions;
  /** The finding's object as a model policy, with its compiled form (undefined when it is not a policy of the model). */
  policy(): { readonly policy: NetworkPolicy; readonly compiled: CompiledPolicy | undefined } | undefined;
  /** The workload the finding's object is (or is part of). */
  workload(): Workload | undefined;
}
