import type { ConnSet } from '../core/base/ports';
import { textLine } from '../core/base/escape';
import { explanationJson } from '../core/ide/formats/explain-json';
import { PROTOCOLS, type Protocol } from '../core/base/ports';
import { parseIp } from '../core/base/ip';
import { endpointName } from '../core/reach/connections';
import { explainConnection, findWorkloads, type ExplainEndpoint, type Explanation, type SideExplanation } from '../core/reach/explain';
import { flag, oneOf, parseArgs, portArg, UsageError, type FlagSpec } from './args';
import { loadWorkspace, WORKSPACE_FLAGS, type CliWorkspace } from './workspace';

export const EXPLAIN_USAGE = `netpol explain PATH... --from NS/NAME|IP --to NS/NAME|IP [--port N] [--protocol TCP|UDP|SCTP] [--format text|json]`;

export const EXPLAIN_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  from: { takesValue: true },
  to: { takesValue: true },
  port: { takesValue: true },
  protocol: { takesValue: true },
  format: { takesValue: true },
};

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
  const ex = explainConnection(ws.analysis.reach, from, to, query);
  const names = { from: endpointLabel(ws, from), to: endpointLabel(ws, to) };
  if (format === 'json') out(JSON.stringify(toJson(ws, ex, names, query), null, 2) + '\n');
  else out(toText(ws, ex, { from: textLine(names.from), to: textLine(names.to) }, query));
  return 0;
}

function resolveEndpoint(ws: CliWorkspace, ref: string, option: string): ExplainEndpoint {
  const ip = parseIp(ref);
  if (ip) return { type: 'ip', range: { family: ip.family, start: ip.value, end: ip.value } };
  const { model } = ws.analysis;
  const found = findWorkloads(model.workloads, ref, model.defaultNamespace);
  if (found.length === 0) {
    const known = model.workloads.slice(0, 8).map((w) => `${w.namespace}/${w.name}`).join(', ');
    throw new UsageError(`${option} ${ref}: no such workload${known ? ` (known: ${known}${model.workloads.length > 8 ? ', …' : ''})` : ''}`);
  }
  if (found.length > 1) {
    const kinds = found.map((i) => model.workloads[i].kind).join(', ');
    throw new UsageError(`${option} ${ref} is ambiguous (${kinds}): write it as ns/name[Kind]`);
  }
  return { type: 'workload', index: found[0] };
}

function endpointLabel(ws: CliWorkspace, e: ExplainEndpoint): string {
  if (e.type === 'workload') return endpointName({ type: 'workload', index: e.index, workload: ws.analysis.model.workloads[e.index] });
  return endpointName({ type: 'ip', range: e.range }).replace(/^(.+)-\1\[External\]$/, '$1[External]');
}

/** The explanation as text; `names` are already safe for a line, policy names and places are made so here. */
function toText(ws: CliWorkspace, ex: Explanation, names: { from: string; to: string }, query?: { port: number; protocol: Protocol }): string {
  const lines: string[] = [];
  const subject = `${names.from} => ${names.to}${query ? ` on ${query.protocol} ${query.port}` : ''}`;
  const verdict = query ? (ex.verdict ? 'ALLOWED' : 'DENIED') : ex.allowed.isEmpty() ? 'DENIED' : 'ALLOWED';
  lines.push(`${subject}: ${verdict}`);
  lines.push(`allowed connections: ${ex.allowed.toString()}`);
  lines.push('');
  lines.push(...sideText(ws, ex.egress, `egress of ${names.from}`));
  lines.push('');
  lines.push(...sideText(ws, ex.ingress, `ingress of ${names.to}`));
  return lines.join('\n') + '\n';
}

function sideText(ws: CliWorkspace, side: SideExplanation, title: string): string[] {
  if (side.external) return [`${title}: outside the cluster, no NetworkPolicy applies`];
  if (!side.isolated) return [`${title}: not isolated (no NetworkPolicy selects it with policyType ${side.direction}), everything allowed`];
  const lines = [`${title}: isolated by ${side.policies.length} ${side.policies.length === 1 ? 'policy' : 'policies'}; allows ${side.allowed.toString()}`];
  for (const p of side.policies) {
    lines.push(`  ${textLine(`${p.policy.namespace}/${p.policy.name}`)} (${textLine(ws.location(p.span))})`);
    if (p.matchingRules.length === 0) lines.push(`    no ${side.direction.toLowerCase()} rule matches the other side`);
    for (const r of p.matchingRules) {
      lines.push(`    ${side.direction.toLowerCase()} rule #${r.rule.index + 1} (${textLine(ws.location(r.span))}) allows ${describe(r.ports)}`);
    }
  }
  return lines;
}

function describe(c: ConnSet): string {
  return c.isEmpty() ? 'nothing (its ports do not resolve on the destination)' : c.toString();
}

function toJson(ws: CliWorkspace, ex: Explanation, names: { from: string; to: string }, query?: { port: number; protocol: Protocol }) {
  return explanationJson(ex, names, query, (span) => ws.location(span));
}
