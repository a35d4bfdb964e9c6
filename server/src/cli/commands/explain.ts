import { endpointLabel, explainAcrossProfiles, explainConnection, explanationJson, findEndpoint, formatExplanationText, PROTOCOLS, textLine, type ExplainEndpoint, type ProfileGroup, type Protocol, type Span } from '../../core';
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
  // --cni all: every profile, grouped by verdict (the workspace is analysed under the default).
  const all = flag(args, 'cni') === 'all';
  if (all) args.flags.delete('cni');
  const ws = loadWorkspace(args, err);
  const from = resolveEndpoint(ws, fromRef, '--from');
  const to = resolveEndpoint(ws, toRef, '--to');
  if (from.type === 'ip' && to.type === 'ip') throw new UsageError('at least one side must be a workload');
  const query = port !== undefined ? { port, protocol } : undefined;
  const { analysis } = ws.snapshot;
  const names = { from: endpointLabel(analysis, from), to: endpointLabel(analysis, to) };
  if (all) {
    const groups = explainAcrossProfiles(analysis, from, to, query);
    if (format === 'json') {
      const byProfile = groups.map((g) => ({ profiles: g.profiles, explanation: explanationJson(g.explanation, names, query, (span) => ws.location(span)) }));
      out(JSON.stringify({ differ: groups.length > 1, byProfile }, null, 2) + '\n');
    } else out(profilesText(groups, { from: textLine(names.from), to: textLine(names.to) }, query, ws.location));
    return 0;
  }
  const ex = explainConnection(analysis.reach, from, to, query);
  if (format === 'json') out(JSON.stringify(explanationJson(ex, names, query, (span) => ws.location(span)), null, 2) + '\n');
  else out(formatExplanationText(ex, { from: textLine(names.from), to: textLine(names.to) }, query, ws.location));
  return 0;
}

/** The verdict per group of profiles, then each group's explanation (under its first profile). */
function profilesText(
  groups: readonly ProfileGroup[],
  names: { from: string; to: string },
  query: { port: number; protocol: Protocol } | undefined,
  location: (span: Span | undefined) => string,
): string {
  const verdict = (ex: ProfileGroup['explanation']) => (query ? (ex.verdict ? 'ALLOWED' : 'DENIED') : ex.allowed.isEmpty() ? 'DENIED' : 'ALLOWED');
  const lines = [`${names.from} => ${names.to}${query ? ` on ${query.protocol} ${query.port}` : ''}, per CNI profile:`];
  for (const g of groups) lines.push(`  ${verdict(g.explanation)} (${g.explanation.allowed.toString()}): ${g.profiles.join(', ')}`);
  lines.push(groups.length > 1 ? 'The profiles differ (docs/semantics.md, CNI profiles).' : 'Every profile gives the same verdict.');
  const parts = [lines.join('\n') + '\n'];
  for (const g of groups) parts.push(`Under ${g.profiles[0]}${g.profiles.length > 1 ? ` (and ${g.profiles.length - 1} more)` : ''}:\n` + formatExplanationText(g.explanation, names, query, location));
  return parts.join('\n');
}

function resolveEndpoint(ws: CliWorkspace, ref: string, option: string): ExplainEndpoint {
  const found = findEndpoint(ws.snapshot.analysis, ref);
  if (found.kind === 'found') return found.endpoint;
  if (found.kind === 'ambiguous') throw new UsageError(`${option} ${ref} is ambiguous (${found.kinds.join(', ')}): write it as ns/name[Kind]`);
  const known = found.known.join(', ');
  throw new UsageError(`${option} ${ref}: no such workload${known ? ` (known: ${known}${found.more ? ', …' : ''})` : ''}`);
}
