import type { ManifestObject } from '../manifest/load';
import type { Span } from '../source/span';
import { PolicyAst } from './policy-ast';
import type { PolicyContext, Rule } from './types';

export interface PolicyReport {
  readonly message: string;
  readonly span: Span | undefined;
  readonly path: string;
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
  readonly ast: PolicyAst;
  readonly byRule: Map<Rule, readonly PolicyReport[]>;
  inWorld?: Map<Rule, { readonly key: WorldKey; readonly reports: readonly PolicyReport[] }>;
}

/**
 * Per-policy rule results, cached by manifest object. The loader keeps the objects of
 * unchanged documents (and their spans follow the documents), so after an edit only the
 * edited policy is checked again. Shared by the rejection test and the rule runner.
 */
const cache = new WeakMap<ManifestObject, Entry>();

function entryOf(obj: ManifestObject): Entry {
  let entry = cache.get(obj);
  if (!entry) {
    entry = { ast: new PolicyAst(obj), byRule: new Map() };
    cache.set(obj, entry);
  }
  return entry;
}

export function policyReports(obj: ManifestObject, rule: Rule): readonly PolicyReport[] {
  if (!rule.checkPolicy) return [];
  const entry = entryOf(obj);
  let reports = entry.byRule.get(rule);
  if (!reports) {
    const list: PolicyReport[] = [];
    rule.checkPolicy(entry.ast, (r) => list.push(r));
    reports = list;
    entry.byRule.set(rule, reports);
  }
  return reports;
}

/**
 * A rule's checkPolicyInWorld results for one policy, cached by manifest object and
 * reused while the key (world token and options) is the same. `context` is asked only
 * when the rule has to run.
 */
export function policyWorldReports(obj: ManifestObject, rule: Rule, key: WorldKey, context: () => PolicyContext): readonly PolicyReport[] {
  if (!rule.checkPolicyInWorld) return [];
  const entry = entryOf(obj);
  const hit = entry.inWorld?.get(rule);
  if (hit && sameKey(hit.key, key)) return hit.reports;
  const list: PolicyReport[] = [];
  rule.checkPolicyInWorld(entry.ast, context(), (r) => list.push(r));
  (entry.inWorld ??= new Map()).set(rule, { key, reports: list });
  return list;
}

export function policyAst(obj: ManifestObject): PolicyAst {
  return entryOf(obj).ast;
}
