import type { Span } from '../base/span';
import { PolicyAst } from './policy-ast';
import type { Report, Rule, Severity } from './rule';
import type { ManifestObject } from '../manifest/types';
import { errorText } from '../manifest/notes';

export interface PolicyReport {
  readonly message: string;
  readonly span: Span | undefined;
  readonly path: string;
  /** What the check found, for the rule's fix (lint/rule.ts: Finding.data). */
  readonly data?: unknown;
  /** This finding's own default severity, when it differs from the rule's (lint/rule.ts: Report). */
  readonly severity?: Severity;
  /** Set when the rule threw on this policy (a bug of ours): the report says so, as rule-failed. */
  readonly failed?: true;
}

/**
 * What a world-dependent verdict was computed against: `world` is the reachability's
 * world token (undefined for rules whose scope is the options only), `options` the rule
 * and analysis options as a string.
 */
export interface WorldKey {
  readonly world: object | undefined;
  readonly options: string;
}

export function sameKey(a: WorldKey, b: WorldKey): boolean {
  return a.world === b.world && a.options === b.options;
}

interface Entry {
  /**
   * Created when a rule runner first asks (and kept: world-dependent rules memoize what
   * they derive from it). The model's rejection test reads the YAML once per object and
   * keeps only the verdicts (see policyReportsOf).
   */
  ast: PolicyAst | undefined;
  /** checkPolicy results by rule slot (see slotOf); undefined: not computed yet. */
  readonly byRule: (readonly PolicyReport[] | undefined)[];
  /** Per rule, the reports and the world they hold in (a carry over moves `key` to the new world in place). */
  inWorld?: Map<Rule, { key: WorldKey; readonly reports: readonly PolicyReport[] }>;
}

/**
 * Per-policy rule results, cached by manifest object. The loader keeps the objects of
 * unchanged documents (and their spans follow the documents), so after an edit only the
 * edited policy is checked again. Shared by the rejection test and the rule runner.
 */
const cache = new WeakMap<ManifestObject, Entry>();

const NO_REPORTS: readonly PolicyReport[] = Object.freeze([]);

/** A small index per rule, for Entry.byRule (an array is a fraction of a Map's size, and there is one per policy). */
const slots = new WeakMap<Rule, number>();
let nextSlot = 0;

function slotOf(rule: Rule): number {
  let slot = slots.get(rule);
  if (slot === undefined) {
    slot = nextSlot++;
    slots.set(rule, slot);
  }
  return slot;
}

function entryOf(obj: ManifestObject): Entry {
  let entry = cache.get(obj);
  if (!entry) {
    entry = { ast: undefined, byRule: [] };
    cache.set(obj, entry);
  }
  return entry;
}

function astOf(entry: Entry, obj: ManifestObject): PolicyAst {
  return (entry.ast ??= new PolicyAst(obj));
}

function check(rule: Rule, ast: PolicyAst, obj: ManifestObject): readonly PolicyReport[] {
  let list: PolicyReport[] | undefined;
  try {
    rule.checkPolicy?.(ast, (r) => (list ??= []).push(r));
  } catch (e) {
    return [failedReport(rule, obj, e)];
  }
  // Most policies have nothing to report: one shared empty list for all of them.
  return list ?? NO_REPORTS;
}

/**
 * A rule that throws on one policy (a bug of ours) costs that policy that rule's
 * verdict, nothing more: one report, on the policy's name, says so.
 */
function failedReport(rule: Rule, obj: ManifestObject, e: unknown): PolicyReport {
  let span: Span | undefined = { file: obj.span.file, start: obj.span.start, end: obj.span.start };
  try {
    const r = obj.reader;
    span = r.span(r.get(r.map(r.get(obj.map, 'metadata')), 'name')) ?? span;
  } catch {
    // The policy's start stands for it.
  }
  return {
    failed: true,
    span,
    path: 'metadata.name',
    message: `Rule ${rule.meta.id} could not check this NetworkPolicy (${errorText(e)}): a NetPol bug, please report it with this policy. The other rules' findings stand.`,
  };
}

export function policyReports(obj: ManifestObject, rule: Rule): readonly PolicyReport[] {
  if (!rule.checkPolicy) return [];
  const entry = entryOf(obj);
  const slot = slotOf(rule);
  let reports = entry.byRule[slot];
  if (!reports) {
    reports = check(rule, astOf(entry, obj), obj);
    entry.byRule[slot] = reports;
  }
  return reports;
}

/**
 * policyReports for several rules, cached alike; for the rules not cached yet, the YAML
 * is read with a PolicyAst of its own that is not kept (unless the object has one
 * already): the model asks this of every policy once, and the rule runner, when one
 * runs, builds and keeps its own.
 */
export function policyReportsOf(obj: ManifestObject, rules: readonly Rule[]): (readonly PolicyReport[])[] {
  const entry = entryOf(obj);
  let ast = entry.ast;
  return rules.map((rule) => {
    if (!rule.checkPolicy) return [];
    const slot = slotOf(rule);
    let reports = entry.byRule[slot];
    if (!reports) {
      reports = check(rule, (ast ??= new PolicyAst(obj)), obj);
      entry.byRule[slot] = reports;
    }
    return reports;
  });
}

/**
 * Records that these rules report nothing on this policy, as a check by the rejection
 * test proved without running them (validate/rejections.ts: plainlyValid): the rule
 * runner then finds their (empty) verdicts cached. A verdict already cached stays.
 */
export function recordNoReports(obj: ManifestObject, rules: readonly Rule[]): void {
  const entry = entryOf(obj);
  for (const rule of rules) if (rule.checkPolicy) entry.byRule[slotOf(rule)] ??= NO_REPORTS;
}

/**
 * A world-dependent check's results for one policy (rules/run.ts: checkPolicyInWorld),
 * cached by manifest object and reused while the key (world token and options) is the
 * same. `check` runs only when the cached results are stale.
 */
export function policyWorldReports(obj: ManifestObject, rule: Rule, key: WorldKey, check: (ast: PolicyAst, report: Report) => void): readonly PolicyReport[] {
  const entry = entryOf(obj);
  const hit = entry.inWorld?.get(rule);
  if (hit && sameKey(hit.key, key)) return hit.reports;
  let list: PolicyReport[] = [];
  try {
    check(astOf(entry, obj), (r) => list.push(r));
  } catch (e) {
    list = [failedReport(rule, obj, e)];
  }
  // Most policies have nothing to report: one shared empty list (one per policy and rule adds up on a cluster dump).
  const reports = list.length === 0 ? NO_REPORTS : list;
  (entry.inWorld ??= new Map()).set(rule, { key, reports });
  return reports;
}

/**
 * Carries a world-dependent check's results for one policy over to another key, when the
 * caller knows the verdict is the same under both (rules/support/world-history.ts: the
 * world changed only where the policy reads nothing). The results carried, or undefined
 * when there were none under `from` to carry.
 */
export function carryWorldReports(obj: ManifestObject, rule: Rule, from: (key: WorldKey) => boolean, to: WorldKey): readonly PolicyReport[] | undefined {
  const hit = cache.get(obj)?.inWorld?.get(rule);
  if (!hit || !from(hit.key)) return undefined;
  // In place: 10,000 policies times the world rules, on every edit of the world.
  hit.key = to;
  return hit.reports;
}

/**
 * Lets go of a policy's syntax tree and of what the rules derived from it (PolicyAst.memo),
 * once every verdict the run needs of the policy is cached: for a run that asks nothing
 * later (the CLI), where 20,000 policies' trees would otherwise stay to the end. A later
 * question parses the policy again (the verdicts cached stay).
 */
export function releasePolicyTree(obj: ManifestObject): void {
  const entry = cache.get(obj);
  if (entry) entry.ast = undefined;
  obj.release?.();
}
