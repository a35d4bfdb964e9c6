import { allConnections, CONNLIST_FORMATS, formatConnlist, PROTOCOLS, textLine, workloadConnections, workloadId, type ConnlistFormat, type Protocol } from '../../core';
import { flag, oneOf, parseArgs, portArg, UsageError, type FlagSpec } from '../args';
import { KUSTOMIZE_FLAG, WORKSPACE_FLAGS } from '../config';
import { loadWorkspace } from '../load';

export const REACH_USAGE = `netpol reach PATH... [--kustomize DIR] [--format text|json|csv|md|dot|mermaid] [--port N [--protocol TCP|UDP|SCTP]]`;

export const REACH_FLAGS: FlagSpec = { ...WORKSPACE_FLAGS, ...KUSTOMIZE_FLAG, format: { takesValue: true }, port: { takesValue: true }, protocol: { takesValue: true } };

/** `netpol reach`: the connectivity list, or the workload pairs that may connect on one port. */
export function reachCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, REACH_FLAGS);
  const format = oneOf<ConnlistFormat>(flag(args, 'format'), CONNLIST_FORMATS, 'format', 'text');
  const port = portArg(flag(args, 'port'));
  if (port === undefined && args.flags.has('protocol')) throw new UsageError('--protocol needs --port');
  const protocol = oneOf<Protocol>(flag(args, 'protocol'), PROTOCOLS, 'protocol', 'TCP');
  const { reach } = loadWorkspace(args, err).snapshot.analysis;
  // Connections are between workloads: without any, an empty list would look like "nothing may connect".
  if (reach.model.workloads.length === 0) {
    const policies = reach.model.policies.length;
    err(
      `netpol: no workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, or a custom resource that makes pods) in ${policies > 0 ? `these files, only ${policies} NetworkPolic${policies === 1 ? 'y' : 'ies'}` : 'these files'}: ` +
        'there are no connections to list. Add the manifests of the workloads the policies select (or render them: helm template, kubectl kustomize), or use netpol check to judge the policies alone.\n',
    );
  }

  if (port !== undefined) {
    // One port: the workload pairs (self-pairs included) that may connect on it.
    const pairs = new Set<string>();
    for (const c of workloadConnections(reach)) {
      if (c.src.type === 'workload' && c.dst.type === 'workload' && c.conn.allows(protocol, port)) {
        pairs.add(JSON.stringify([workloadId(c.src.workload), workloadId(c.dst.workload)]));
      }
    }
    const allowed = [...pairs].map((p) => JSON.parse(p) as [string, string]).sort(comparePairs);
    if (format === 'json') {
      out(JSON.stringify({ port, protocol, allowed }) + '\n');
    } else {
      for (const [a, b] of allowed) out(`${textLine(a)} => ${textLine(b)} : ${protocol} ${port}\n`);
    }
    return 0;
  }
  out(formatConnlist(allConnections(reach), format));
  return 0;
}

function comparePairs(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}
