import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedStream, textLine } from '../../core';
import { flag, parseArgs, UsageError, type FlagSpec } from '../args';
import { ruleConfig, WORKSPACE_FLAGS } from '../config';
import { loadWorkspace } from '../load';

export const GENERATE_USAGE = `netpol generate PATH... [--namespace NS] [--ingress-only] [--output DIR] [--dns-namespace NS] [--dns-label K=V]`;

export const GENERATE_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  namespace: { takesValue: true, repeatable: true },
  'ingress-only': { takesValue: false },
  output: { takesValue: true },
  'dns-namespace': { takesValue: true },
  'dns-label': { takesValue: true, repeatable: true },
};

/**
 * `netpol generate`: least-privilege NetworkPolicies from the evidence, one per workload,
 * printed as one YAML stream or written to DIR as one file per namespace. What stays
 * closed (info) and the existing rules wider than the evidence (note) go to stderr.
 */
export function generateCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, GENERATE_FLAGS);
  const dir = flag(args, 'output');
  if (dir === '') throw new UsageError('--output needs a folder');
  const namespaces = args.flags.get('namespace');
  if (namespaces?.some((ns) => ns === '')) throw new UsageError('--namespace needs a namespace');
  ruleConfig(args);
  const ws = loadWorkspace(args, err, { rules: (base) => ({ dns: ruleConfig(args, base).dns }) });
  const result = ws.snapshot.generate({ ...(namespaces ? { namespaces } : {}), ingressOnly: args.flags.has('ingress-only') });
  if (!args.flags.has('quiet')) {
    for (const n of result.notes) err(`netpol: ${n.span ? `${textLine(ws.location(n.span))}: ` : ''}${n.severity}: ${textLine(n.message)}\n`);
  }
  const count = result.files.reduce((n, f) => n + f.policies.length, 0);
  if (dir === undefined) {
    out(count === 0 ? '# netpol generate: nothing to add: every workload is covered by policies that admit its evidence, or left alone (see the notes).\n' : generatedStream(result));
    return 0;
  }
  mkdirSync(dir, { recursive: true });
  for (const f of result.files) writeFileSync(join(dir, f.name), f.text);
  if (!args.flags.has('quiet')) err(`netpol: wrote ${count} polic${count === 1 ? 'y' : 'ies'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}${result.files.length > 0 ? ` to ${textLine(dir)}: ${result.files.map((f) => f.name).join(', ')}` : ''}\n`);
  return 0;
}
