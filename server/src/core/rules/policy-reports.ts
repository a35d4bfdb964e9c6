import type { ManifestObject } from '../manifest/load';
import type { Span } from '../source/span';
import { PolicyAst } from './policy-ast';
import type { Rule } from './types';

export interface PolicyReport {
  readonly message: string;
  readonly span: Span | undefined;
  readonly path: string;
}

/**
 * Per-policy rule results, cached by manifest object. The loader keeps the objects of
 * unchanged documents (and their spans follow the documents), so after an edit only the
 * edited policy is checked again. Shared by the rejection test and the rule runner.
 */
const cache = new WeakMap<ManifestObject, { ast: PolicyAst; byRule: Map<Rule, readonly PolicyReport[]> }>();

export function policyReports(obj: ManifestObject, rule: Rule): readonly PolicyReport[] {
  if (!rule.checkPolicy) return [];
  let entry = cache.get(obj);
  if (!entry) {
    entry = { ast: new PolicyAst(obj), byRule: new Map() };
    cache.set(obj, entry);
  }
  let reports = entry.byRule.get(rule);
  if (!reports) {
    const list: PolicyReport[] = [];
    rule.checkPolicy(entry.ast, (r) => list.push(r));
    reports = list;
    entry.byRule.set(rule, reports);
  }
  return reports;
}

export function policyAst(obj: ManifestObject): PolicyAst {
  let entry = cache.get(obj);
  if (!entry) {
    entry = { ast: new PolicyAst(obj), byRule: new Map() };
    cache.set(obj, entry);
  }
  return entry.ast;
}
