import type { ManifestObject } from '../manifest/load';
import { policyReports } from './policy-reports';
import { VALIDATION_RULES } from './validation';

/**
 * Why the API server would reject this NetworkPolicy (empty: it would accept it).
 * Uses the validation rules themselves, so the editor's errors and the analysis'
 * notion of "this policy does not exist in the cluster" cannot drift apart.
 */
export function policyRejections(obj: ManifestObject): string[] {
  const reasons: string[] = [];
  for (const rule of VALIDATION_RULES) {
    if (rule.meta.defaultSeverity !== 'error') continue;
    for (const r of policyReports(obj, rule)) reasons.push(`${r.path}: ${r.message}`);
  }
  return reasons;
}
