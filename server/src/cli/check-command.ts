import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ruleDocsUrl } from '../core/lint/docs-url';
import { formatFindingsText, formatSarif, locateFindings, SEVERITY_ORDER } from '../core/ide/formats/findings';
import { RULES } from '../core/catalog';
import { runRules } from '../core/rules/run';
import { flag, oneOf, parseArgs, UsageError, type FlagSpec } from './args';
import { loadWorkspace, WORKSPACE_FLAGS } from './workspace';
import { dict } from '../core/base/own';
import type { Severity } from '../core/lint/rule';

export const CHECK_USAGE = `netpol check PATH... [--format text|json|sarif] [--fail-on error|warning|info|hint] [--rule ID=SEVERITY|off]...`;

const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
/** Rule docs sit beside the bundle (dist/../docs/rules), in the repository and in the .vsix. */
const DOCS = resolve(__dirname, '..', 'docs', 'rules');

export const CHECK_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  format: { takesValue: true },
  'fail-on': { takesValue: true },
  rule: { takesValue: true, repeatable: true },
  'environment-label': { takesValue: true },
  'dns-namespace': { takesValue: true },
  'dns-label': { takesValue: true, repeatable: true },
  'require-egress': { takesValue: false },
};

export function checkCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void, version: string): number {
  const args = parseArgs(argv, CHECK_FLAGS);
  const format = oneOf(flag(args, 'format'), ['text', 'json', 'sarif'] as const, 'format', 'text');
  const failOn = oneOf<Severity>(flag(args, 'fail-on'), SEVERITIES, 'fail-on', 'error');
  const severities = dict<Severity | 'off'>();
  for (const r of args.flags.get('rule') ?? []) {
    const [id, sev] = r.split('=');
    if (!RULES.some((x) => x.meta.id === id)) throw new UsageError(`--rule ${r}: unknown rule "${id}" (known: ${RULES.map((x) => x.meta.id).join(', ')})`);
    severities[id] = oneOf<Severity | 'off'>(sev, [...SEVERITIES, 'off'], 'rule', 'error');
  }
  const dnsLabels = dict<string>();
  for (const l of args.flags.get('dns-label') ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new UsageError(`--dns-label must be key=value (got "${l}")`);
    dnsLabels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const ws = loadWorkspace(args, err, { notes: false });
  const findings = runRules(ws.analysis, {
    severities,
    options: {
      ...(flag(args, 'environment-label') ? { environmentLabel: flag(args, 'environment-label') } : {}),
      ...(flag(args, 'dns-namespace') || args.flags.has('dns-label')
        ? { dns: { namespace: flag(args, 'dns-namespace') ?? 'kube-system', labels: args.flags.has('dns-label') ? dnsLabels : { 'k8s-app': 'kube-dns' } } }
        : {}),
      ...(args.flags.has('require-egress') ? { requireEgress: true } : {}),
    },
  });
  const located = locateFindings(findings, (f) => ws.texts.get(f) ?? '');
  if (format === 'json') {
    out(JSON.stringify(located, null, 2) + '\n');
  } else if (format === 'sarif') {
    const rules = RULES.map((r) => {
      // The published page for the link (a CI server has no checkout of ours); the shipped page's text as help.
      const page = resolve(DOCS, `${r.meta.id}.md`);
      return { meta: r.meta, helpUri: ruleDocsUrl(r.meta.id), ...(existsSync(page) ? { helpMarkdown: readFileSync(page, 'utf8') } : {}) };
    });
    // A relative URI reference: path segments percent-encoded (a space, a `#` or a line break in a file name).
    out(formatSarif(located, rules, version, (f) => relative(process.cwd(), f).split(/[\\/]/).map(encodeURIComponent).join('/')));
  } else {
    out(formatFindingsText(located));
    const counts = SEVERITIES.map((s) => [s, located.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    err(located.length === 0 ? 'netpol: no problems found\n' : `netpol: ${counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`).join(', ')}\n`);
  }
  return located.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn]) ? 1 : 0;
}
