import type { Span } from '../base/span';
import type { Finding, Severity } from '../lint/rule';
import type { Analysis } from './analyze';
import { checkExpectations, type ExpectationResult } from './expect-check';
import { expectationFailedMeta, invalidExpectationMeta, parseExpectationsFile } from './expect-file';

/**
 * The expectations file's findings for the editor (and `netpol check`): what is wrong in
 * it (invalid-expectation) and each of its expectations the policies break
 * (expectation-failed), on the expectation's allow/deny key. The evidence is not judged
 * here: evidenced-flow-blocked reports it on the policy that blocks it.
 */
export function expectationFindings(
  analysis: Analysis,
  file: { readonly path: string; readonly text: string },
  severities: Readonly<Record<string, Severity | 'off'>>,
  location: (span: Span) => string,
): Finding[] {
  const invalid = severities[invalidExpectationMeta.id] ?? invalidExpectationMeta.defaultSeverity;
  const failed = severities[expectationFailedMeta.id] ?? expectationFailedMeta.defaultSeverity;
  if (invalid === 'off' && failed === 'off') return [];
  const parsed = parseExpectationsFile(file.text);
  const report = checkExpectations(analysis, { path: file.path, parsed }, undefined);
  const out: Finding[] = [];
  if (invalid !== 'off') {
    for (const p of [...parsed.problems, ...report.problems].sort((a, b) => a.start - b.start)) {
      out.push({ rule: invalidExpectationMeta.id, severity: invalid, message: p.message, span: { file: file.path, start: p.start, end: p.end }, path: '' });
    }
  }
  if (failed !== 'off') {
    for (const r of report.results) if (r.failure) out.push({ rule: expectationFailedMeta.id, severity: failed, message: failureMessage(r, location), span: r.span, path: '' });
  }
  return out;
}

/** What failed, what decides it (file:line), what to do. */
export function failureMessage(r: ExpectationResult, location: (span: Span) => string): string {
  const f = r.failure!;
  const port = f.port ? ` on ${f.port.protocol} ${f.port.port}` : '';
  const more = f.otherPairs > 0 ? ` (and ${f.otherPairs} more ${f.otherPairs === 1 ? 'pair' : 'pairs'})` : '';
  const why = f.reasons.map((x) => `${x.text}${x.span ? ` (${location(x.span)})` : ''}`).join('; ');
  const todo =
    r.verdict === 'allow'
      ? 'Admit the flow in the policy that blocks it, or change the expectation if the flow is no longer needed.'
      : 'Narrow the rule that admits it (or isolate the side no policy selects), or change the expectation if the flow is now wanted.';
  return `Expected ${r.name ? `"${r.name}": ` : ''}${r.title}, but ${f.from} → ${f.to}${port} is ${f.observed}${more}${why ? `: ${why}` : ''}. ${todo}`;
}
