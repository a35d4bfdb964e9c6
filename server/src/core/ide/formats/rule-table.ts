import type { Rule } from '../../lint/rule';

/** What docs/rules/README.md says before the table. */
const INTRO = [
  'Every diagnostic of NetPol Studio (editor and `netpol check`) comes from one of these rules.',
  'The id is the diagnostic code and the key of the `netpol.rules` setting (severity or `off`) and of `netpol check --rule ID=SEVERITY`.',
  'Change rules judge a pending edit against git HEAD (or the last saved version): the editor reports them while you type; `netpol diff` lists the same flows.',
  'Validation errors are what the API server (or `kubectl apply` with its default strict field validation) rejects: a policy with one is left out of the reachability, as it would never reach the cluster.',
  'The rules from `excessive-aliasing` to `rule-failed` report what a bound or a failure kept from being analysed: [Limits and safety](../limits-and-safety.md) lists every bound.',
  'A rule with a fix offers quick fixes; `safe` ones are also applied by "Fix all safe problems in this file" (`source.fixAll`, with editor.codeActionsOnSave on save).',
].join(' ');

const FIX = { safe: 'safe', unsafe: 'yes' } as const;

/**
 * docs/rules/README.md: every rule of the catalog with its category, default severity,
 * whether it has a quick fix (`safe`: fix all applies it) and its description. Written by
 * `npm run docs`; a test fails while the file differs.
 */
export function formatRuleTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.category} | ${r.meta.defaultSeverity} | ${r.meta.fix ? FIX[r.meta.fix] : ''} | ${r.meta.description} |`);
  return ['# Rules', '', INTRO, '', '| rule | category | default | fix | what it reports |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}
