import { analyze, type Analysis, type AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import type { SourceFile } from '../../../server/src/core/manifest/load';
import { runRules } from '../../../server/src/core/rules/run';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import type { Finding } from '../../../server/src/core/lint/rule';

/** Analyses files and runs every rule: the findings, and the YAML errors of the load. */
export function evaluate(files: readonly SourceFile[], opts: { analyze?: AnalyzeOptions; rules?: Partial<RuleOptions> } = {}): { analysis: Analysis; findings: Finding[]; yamlErrors: string[] } {
  const analysis = analyze(files, opts.analyze);
  const yamlErrors = analysis.files.flatMap((f) => f.notes.filter((n) => n.severity === 'error').map((n) => `${f.path}: ${n.message}`));
  return { analysis, findings: runRules(analysis, { options: opts.rules }), yamlErrors };
}
