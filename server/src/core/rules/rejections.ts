import type { ManifestObject } from '../manifest/load';
import { PolicyAst } from './policy-ast';
import { VALIDATION_RULES } from './validation';

/**
 * Why the API server would reject this NetworkPolicy (empty: it would accept it).
 * Uses the validation rules themselves, so the editor's errors and the analysis'
 * notion of "this policy does not exist in the cluster" cannot drift apart.
 */
export function policyRejections(obj: ManifestObject): string[] {
  const ast = new PolicyAst(obj);
  const reasons: string[] = [];
  for (const rule of VALIDATION_RULES) {
    if (rule.meta.defaultSeverity !== 'error' || !rule.checkPolicy) continue;
    rule.checkPolicy(ast, ({ message, path }) => reasons.push(`${path}: ${message}`));
  }
  return reasons;
}
