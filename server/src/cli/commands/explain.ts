import { endpointLabel, explainConnection, explanationJson, findEndpoint, formatExplanationText, PROTOCOLS, textLine, type ExplainEndpoint, type Protocol } from '../../core';
import { flag, oneOf, parseArgs, portArg, UsageError, type FlagSpec } from '../args';
import { KUSTOMIZE_FLAG, WORKSPACE_FLAGS } from '../config';
import { loadWorkspace, type CliWorkspace } from '../load';

export const EXPLAIN_USAGE = `netpol explain PATH... [--kustomize DIR] --from NS/NAME|IP --to NS/NAME|IP [--port N] [--protocol TCP|UDP|SCTP] [--format text|json]`;

export const EXPLAIN_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  ...KUSTOMIZE_FLAG,
  from: { takesValue: true },
  to: { takesValue: true },
  port: { takesValue: true },
  protocol: { takesValue: true },
  format: { takesValue: true },
};

/** `netpol explain`: one connection's verdict, the policies that isolate each side and the rules that admit the other. */
export function explainCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, EXPLAIN_FLAGS);
  const fromRef = flag(args, 'from');
  const toRef = flag(args, 'to');
  if (!fromRef || !toRef) throw new UsageError('explain needs --from and --to');
  const port = portArg(flag(args, 'port'));
  if (port === undefined && args.flags.has('protocol')) throw new UsageError('--protocol needs --port');
  const protocol = oneOf<Protocol>(flag(args, 'protocol'), PROTOCOLS, 'protocol', 'TCP');
  const format = oneOf(flag(args, 'format'), ['text', 'json'] as const, 'format', 'text');
  const ws = loadWorkspace(args, err);
  const from = resolveEndpoint(ws, fromRef, '--from');
  const to = resolveEndpoint(ws, toRef, '--to');
  if (from.type === 'ip' && to.type === 'ip') throw new UsageError('at least one side must be a workload');
  const query = port !== undefined ? { port, protocol } : undefined;
  const { analysis } = ws.snapshot;
  const ex = explainConnection(analysis.reach, from, to, query);
  const names = { from: endpointLabel(analysis, from), to: endpointLabel(analysis, to) };
  if (format === 'json') out(JSON.stringify(explanationJson(ex, names, query, (span) => ws.location(span)), null, 2) + '\n');
  else out(formatExplanationText(ex, { from: textLine(names.from), to: textLine(names.to) }, query, ws.location));
  return 0;
}

function resolveEndpoint(ws: CliWorkspace, ref: string, option: string): ExplainEndpoint {
  const found = findEndpoint(ws.snapshot.analysis, ref);
  if (found.kind === 'found') return found.endpoint;
  if (found.kind === 'ambiguous') throw new UsageError(`${option} ${ref} is ambiguous (${found.kinds.join(', ')}): write it as ns/name[Kind]`);
  const known = found.known.join(', ');
  throw new UsageError(`${option} ${ref}: no such workload${known ? ` (known: ${known}${found.more ? ', …' : ''})` : ''}`);
}
