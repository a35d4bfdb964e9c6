import { policyReportsOf, recordNoReports } from '../lint/policy-reports';
import { VALIDATION_RULES } from './catalog';
import { plainlyValid } from './plainly-valid';
import type { ManifestObject } from '../manifest/types';

/** The validation rules whose findings are errors: what the API server rejects. */
export const REJECTING_RULES = VALIDATION_RULES.filter((rule) => rule.meta.defaultSeverity === 'error');

/**
 * Why the API server would reject this NetworkPolicy (empty: it would accept it).
 * Uses the validation rules themselves, so the editor's errors and the analysis'
 * notion of "this policy does not exist in the cluster" cannot drift apart; only a
 * policy that plainlyValid proves none of them can report on skips them (it accepts
 * nothing a rule would reject; test/core/validate/plainly-valid.test.ts).
 */
export function policyRejections(obj: ManifestObject): string[] {
  // The common case (nothing any of these rules could report), settled in one walk; the
  // rule runner then finds their verdicts on this policy cached, and runs none of them.
  if (plainlyValid(obj.map)) {
    recordNoReports(obj, REJECTING_RULES);
    return [];
  }
  const reasons: string[] = [];
  // (A rule that failed on the policy says nothing about it: rule-failed reports that.)
  for (const reports of policyReportsOf(obj, REJECTING_RULES)) for (const r of reports) if (!r.failed) reasons.push(`${r.path}: ${r.message}`);
  return reasons;
}
