import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatFindingsText, formatSarif, locateSuppressed, ruleDocsUrl, RULES, SEVERITY_ORDER, textLine, type Severity } from '../../core';
import { flag, oneOf, parseArgs, type FlagSpec } from '../args';
import { KUSTOMIZE_FLAG, RULE_FLAGS, ruleConfig, WORKSPACE_FLAGS } from '../config';
import { loadWorkspace } from '../load';

export const CHECK_USAGE = `netpol check PATH... [--kustomize DIR] [--format text|json|sarif] [--fail-on error|warning|info|hint] [--rule ID=SEVERITY|off]... [--show-suppressed]`;

const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
/** Rule docs sit beside the bundle (dist/../docs/rules), in the repository and in the .vsix. */
const DOCS = resolve(__dirname, '..', 'docs', 'rules');

export const CHECK_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  ...KUSTOMIZE_FLAG,
  format: { takesValue: true },
  'fail-on': { takesValue: true },
  'show-suppressed': { takesValue: false },
  ...RULE_FLAGS,
};

/** `netpol check`: every rule of the editor on the manifests; exit 1 when a finding is at least --fail-on. */
export function checkCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, version: string): number {
  const args = parseArgs(argv, CHECK_FLAGS);
  const format = oneOf(flag(args, 'format'), ['text', 'json', 'sarif'] as const, 'format', 'text');
  const failOn = oneOf<Severity>(flag(args, 'fail-on'), SEVERITIES, 'fail-on', 'error');
  // Usage errors of the rule flags first; the flags then apply over the configuration file.
  ruleConfig(args);
  const ws = loadWorkspace(args, err, { notes: false, rules: (base) => ruleConfig(args, base) });
  const textOf = (f: string) => ws.snapshot.text(f) ?? '';
  const located = ws.locatedFindings();
  // Suppressed findings never count for the exit code; SARIF keeps them (as suppressions), the other formats on request.
  const suppressed = ws.locate(locateSuppressed(ws.snapshot.suppressed(), textOf));
  const showSuppressed = args.flags.has('show-suppressed');
  const listed = showSuppressed ? sortLocated([...located, ...suppressed]) : located;
  // Files not analysed at all are said on stderr whatever the format (and are info findings).
  const helm = ws.snapshot.analysis.model.notes.filter((n) => n.code === 'helm-template-skipped');
  if (helm.length > 0) {
    const names = helm.slice(0, 5).map((n) => textLine(relative(process.cwd(), n.file) || n.file));
    err(`netpol: ${helm.length} Helm template file${helm.length === 1 ? '' : 's'} not analysed (render with helm template): ${names.join(', ')}${helm.length > 5 ? `, and ${helm.length - 5} more` : ''}\n`);
  }
  if (format === 'json') {
    out(JSON.stringify(listed, null, 2) + '\n');
  } else if (format === 'sarif') {
    const infos = RULES.map((r) => {
      // The published page for the link (a CI server has no checkout of ours); the shipped page's text as help.
      const page = resolve(DOCS, `${r.meta.id}.md`);
      return { meta: r.meta, helpUri: ruleDocsUrl(r.meta.id), ...(existsSync(page) ? { helpMarkdown: readFileSync(page, 'utf8') } : {}) };
    });
    // A relative URI reference: path segments percent-encoded (a space, a `#` or a line break in a file name).
    out(formatSarif(sortLocated([...located, ...suppressed]), infos, version, (f) => relative(process.cwd(), f).split(/[\\/]/).map(encodeURIComponent).join('/')));
  } else {
    out(formatFindingsText(listed));
    const counts = SEVERITIES.map((s) => [s, located.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    const hidden = suppressed.length === 0 ? '' : ` (${suppressed.length} suppressed${showSuppressed ? '' : ': --show-suppressed lists them'})`;
    err(located.length === 0 ? `netpol: no problems found${hidden}\n` : `netpol: ${counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`).join(', ')}${hidden}\n`);
  }
  return located.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn]) ? 1 : 0;
}

/** The order locateFindings gives (file, line, column, rule), for a merged list. */
function sortLocated<T extends { file: string; line: number; column: number; rule: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
}
