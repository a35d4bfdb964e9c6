import type { Analysis } from '../analyze';
import type { ManifestObject } from '../manifest/load';
import { policyReports } from './policy-reports';
import { RULES } from './registry';
import { DEFAULT_RULE_OPTIONS, type Finding, type Report, type Rule, type RuleOptions, type Severity } from './types';

export interface RunOptions {
  /** Per-rule severity, or 'off'. Missing = the rule's default. */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
  readonly rules?: readonly Rule[];
  readonly options?: Partial<RuleOptions>;
}

/** Runs the rules over an analysis; a rule that throws is reported, not fatal. */
export function runRules(analysis: Analysis, options: RunOptions = {}): Finding[] {
  const policies: ManifestObject[] = [];
  const objects: ManifestObject[] = [];
  for (const f of analysis.files) {
    for (const o of f.objects) {
      objects.push(o);
      if (o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/')) policies.push(o);
    }
  }
  const ruleOptions: RuleOptions = { ...DEFAULT_RULE_OPTIONS, ...options.options };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    const severity = options.severities?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const report: Report = ({ message, span, path }) => {
      if (span) findings.push({ rule: rule.meta.id, severity, message, span, path });
    };
    try {
      // Per-policy results are cached by manifest object: only edited policies rerun.
      if (rule.checkPolicy) for (const p of policies) for (const r of policyReports(p, rule)) report(r);
      if (rule.check) rule.check({ analysis, policies, objects, options: ruleOptions, report });
    } catch (e) {
      // One broken rule must not hide the others' findings (nor crash the server).
      const file = policies[0]?.span.file ?? '';
      findings.push({ rule: rule.meta.id, severity: 'error', message: `internal error in rule ${rule.meta.id}: ${(e as Error).message}`, span: { file, start: 0, end: 0 }, path: '' });
    }
  }
  return findings;
}
