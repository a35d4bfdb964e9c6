import { html, textLine } from '../../base/escape';
import type { Span } from '../../base/span';
import type { ExpectationResult, ExpectationsReport } from '../../analysis/expect-check';

/**
 * `netpol test`'s reports: text (people), JUnit XML and TAP (CI). `location` turns a span
 * into `file:line`. Every value from the files is made safe for its output here: one line
 * in text and TAP, escaped XML in JUnit.
 */

export type ExpectationsFormat = 'text' | 'junit' | 'tap';

type Locate = (span: Span | undefined) => string;

/** `allowed` / `denied` and the pair, then what decides it, one line each. */
function failureLines(r: ExpectationResult, location: Locate): string[] {
  const f = r.failure;
  if (!f) return [];
  const port = f.port ? ` on ${f.port.protocol} ${f.port.port}` : '';
  const more = f.otherPairs > 0 ? ` (and ${f.otherPairs} more ${f.otherPairs === 1 ? 'pair' : 'pairs'})` : '';
  const lines = [`${f.from} → ${f.to}${port} is ${f.observed}${more}`];
  for (const reason of f.reasons) lines.push(`${reason.text}${reason.span ? ` (${location(reason.span)})` : ''}`);
  return lines.map(textLine);
}

function label(r: ExpectationResult, location: Locate): string {
  const origin = r.origin === 'evidence' ? `evidence: ${r.evidence ?? ''}, ${location(r.span)}` : location(r.span);
  return textLine(`${r.name ? `${r.name}: ` : ''}${r.title} (${origin})`);
}

export function formatExpectations(report: ExpectationsReport, format: ExpectationsFormat, location: Locate): string {
  if (format === 'junit') return junit(report, location);
  if (format === 'tap') return tap(report, location);
  return text(report, location);
}

function text(report: ExpectationsReport, location: Locate): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(`${r.failure ? 'FAIL' : 'ok  '} ${label(r, location)}`);
    for (const l of failureLines(r, location)) lines.push(`       ${l}`);
  }
  const failed = report.results.filter((r) => r.failure).length;
  const fromFile = report.results.filter((r) => r.origin === 'file').length;
  const unjudged = report.unjudged > 0 ? `; ${report.unjudged} evidenced ${report.unjudged === 1 ? 'flow' : 'flows'} not judged (from Prometheus or the control plane, which the workspace does not model)` : '';
  if (lines.length > 0) lines.push('');
  lines.push(`${report.results.length} ${report.results.length === 1 ? 'expectation' : 'expectations'} (${fromFile} from the expectations file, ${report.results.length - fromFile} from evidence): ${report.results.length - failed} passed, ${failed} failed${unjudged}`);
  return lines.join('\n') + '\n';
}

function tap(report: ExpectationsReport, location: Locate): string {
  const lines = ['TAP version 14', `1..${report.results.length}`];
  report.results.forEach((r, i) => {
    // A `#` in a description starts a TAP directive: written as a look-alike.
    lines.push(`${r.failure ? 'not ok' : 'ok'} ${i + 1} - ${label(r, location).replace(/#/g, '\\#')}`);
    if (r.failure) {
      lines.push('  ---');
      lines.push(`  message: ${JSON.stringify(failureLines(r, location)[0])}`);
      lines.push(`  at: ${JSON.stringify(textLine(location(r.span)))}`);
      const reasons = failureLines(r, location).slice(1);
      if (reasons.length > 0) lines.push('  decided by:', ...reasons.map((l) => `    - ${JSON.stringify(l)}`));
      lines.push('  ...');
    }
  });
  return lines.join('\n') + '\n';
}

function junit(report: ExpectationsReport, location: Locate): string {
  const failed = report.results.filter((r) => r.failure).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="netpol test" tests="${report.results.length}" failures="${failed}">`];
  for (const origin of ['file', 'evidence'] as const) {
    const results = report.results.filter((r) => r.origin === origin);
    const suite = origin === 'file' ? 'expectations' : 'evidence';
    lines.push(`  <testsuite name="${suite}" tests="${results.length}" failures="${results.filter((r) => r.failure).length}">`);
    for (const r of results) {
      const name = xml(label(r, location));
      const classname = xml(`netpol.${suite}`);
      if (!r.failure) {
        lines.push(`    <testcase classname="${classname}" name="${name}"/>`);
        continue;
      }
      const [message, ...reasons] = failureLines(r, location);
      lines.push(`    <testcase classname="${classname}" name="${name}" file="${xml(r.span.file)}">`);
      lines.push(`      <failure message="${xml(message)}" type="${r.verdict === 'allow' ? 'blocked' : 'allowed'}">${html([message, ...reasons].join('\n'))}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** XML text or attribute: control characters visible (XML 1.0 forbids most), markup escaped. */
function xml(s: string): string {
  return html(textLine(s));
}
