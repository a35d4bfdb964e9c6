import { execFileSync } from 'node:child_process';
import { extname, join, relative, resolve } from 'node:path';
import { analyze, type Analysis } from '../core/analyze';
import { DIFF_FORMATS, diffConnections, formatDiff, type DiffEntry, type DiffFormat } from '../core/diff/diff';
import type { SourceFile } from '../core/manifest/load';
import { ConnSet, portRange, unionPorts, NO_PORTS, type PortRanges, type Protocol } from '../core/net/ports';
import { allConnections, backendTargets, endpointName } from '../core/reach/connections';
import type { HostNetworkMode } from '../core/reach/compile';
import { DEFAULT_INGRESS_CONTROLLER } from '../core/reach/engine';
import { selectorMatches } from '../core/reach/selectors';
import { InputError, MANIFEST_EXTENSIONS } from '../node/read-files';
import { flag, oneOf, parseArgs, UsageError, type ParsedArgs } from './args';
import { loadWorkspace, WORKSPACE_FLAGS } from './workspace';

export const DIFF_USAGE = `netpol diff BEFORE AFTER | --base GIT_REF [PATH...]  [--format text|json|md|csv] [--fail-on added|removed|any]`;

const FAIL_ON = ['added', 'removed', 'any'] as const;
type FailOn = (typeof FAIL_ON)[number];

/**
 * `netpol diff`: what changes in connectivity from BEFORE to AFTER (files or
 * directories), or from a git revision to the working tree (`--base REF [PATH...]`, the
 * revision's files read with `git ls-tree`/`git show`, nothing written). Lines whose
 * lost connections a Service or Ingress of AFTER routes to are marked as likely
 * breakage. Exit 1 when `--fail-on` trips: `added` = some pair gains connections,
 * `removed` = some pair loses connections, `any` = any difference.
 */
export function diffCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, { ...WORKSPACE_FLAGS, format: { takesValue: true }, 'fail-on': { takesValue: true }, base: { takesValue: true } });
  const format = oneOf<DiffFormat>(flag(args, 'format'), DIFF_FORMATS, 'format', 'text');
  const failOn = args.flags.has('fail-on') ? oneOf<FailOn>(flag(args, 'fail-on'), FAIL_ON, 'fail-on', 'any') : undefined;
  const base = flag(args, 'base');

  let before: Analysis;
  let after: Analysis;
  if (base !== undefined) {
    if (base === '' || base.startsWith('-')) throw new UsageError('--base needs a git revision');
    const paths = args.positional.length > 0 ? args.positional : ['.'];
    before = analyze(gitFiles(base, paths), analyzeOptions(args));
    after = loadWorkspace({ positional: paths, flags: args.flags }, err).analysis;
  } else {
    if (args.positional.length !== 2) throw new UsageError('diff needs BEFORE and AFTER (or --base GIT_REF [PATH...])');
    before = loadWorkspace({ positional: [args.positional[0]], flags: args.flags }, err).analysis;
    after = loadWorkspace({ positional: [args.positional[1]], flags: args.flags }, err).analysis;
  }

  const entries = diffConnections(allConnections(before.reach), allConnections(after.reach), {
    workloads: { before: workloadNames(before), after: workloadNames(after) },
  });
  const routed = routedPorts(after);
  for (const e of entries) e.breaking = isBreaking(e, routed);

  const text = formatDiff(entries, format);
  out(format === 'json' || (format === 'md' && text !== '') ? text + '\n' : text);
  if (failOn === undefined) return 0;
  const trips = entries.some((e) => (failOn === 'any' ? true : failOn === 'added' ? !e.gained.isEmpty() : !e.lost.isEmpty()));
  return trips ? 1 : 0;
}

function workloadNames(a: Analysis): string[] {
  return a.reach.index.endpoints.map(endpointName);
}

/** The analysis options of the common flags (as loadWorkspace reads them). */
function analyzeOptions(args: ParsedArgs) {
  const labels: Record<string, string> = {};
  for (const l of args.flags.get('ingress-controller-label') ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new UsageError(`--ingress-controller-label must be key=value (got "${l}")`);
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const icNamespace = flag(args, 'ingress-controller-namespace');
  return {
    defaultNamespace: flag(args, 'default-namespace') ?? 'default',
    hostNetwork: oneOf<HostNetworkMode>(flag(args, 'host-network'), ['node', 'pod'], 'host-network', 'node'),
    ingressController:
      icNamespace || args.flags.has('ingress-controller-label') ? { namespace: icNamespace ?? DEFAULT_INGRESS_CONTROLLER.namespace, labels } : DEFAULT_INGRESS_CONTROLLER,
  };
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new InputError(`git ${args.join(' ')}: ${stderr || (e as Error).message}`);
  }
}

/** The manifests under PATHs as of revision REF (read-only: ls-tree + show). */
function gitFiles(ref: string, paths: readonly string[]): SourceFile[] {
  const top = git(['rev-parse', '--show-toplevel'], process.cwd()).trim();
  const specs = paths.map((p) => relative(top, resolve(p)).split('\\').join('/') || '.');
  const listed = git(['ls-tree', '-r', '--name-only', '--full-tree', ref, '--', ...specs], top)
    .split('\n')
    .filter((p) => p !== '' && MANIFEST_EXTENSIONS.includes(extname(p).toLowerCase()) && !p.split('/').includes('node_modules'));
  return listed.map((p) => ({ path: `${ref}:${relative(process.cwd(), join(top, p)) || p}`, text: git(['show', `${ref}:${p}`], top) }));
}

/** workload name -> the ports (any protocol) that Services or Ingresses of the workspace route to. */
function routedPorts(a: Analysis): Map<string, ConnSet> {
  const { reach, model } = a;
  const out = new Map<string, ConnSet>();
  const addTo = (wi: number, c: ConnSet) => {
    const name = endpointName(reach.index.endpoints[wi]);
    out.set(name, (out.get(name) ?? ConnSet.NONE).union(c));
  };
  for (const svc of model.services) {
    if (!svc.selector) continue;
    const selector = { matchLabels: svc.selector, matchExpressions: [], valid: true };
    for (const wi of reach.index.workloadsByNamespace.get(svc.namespace) ?? []) {
      for (const pod of model.workloads[wi].pods) {
        if (!selectorMatches(selector, pod.labels)) continue;
        const byProto: Record<Protocol, PortRanges> = { TCP: NO_PORTS, UDP: NO_PORTS, SCTP: NO_PORTS };
        for (const sp of svc.ports) {
          const target = sp.targetPort ?? sp.port;
          const port = typeof target === 'number' ? target : pod.ports.find((cp) => cp.name === target && cp.protocol === sp.protocol)?.port;
          if (port !== undefined) byProto[sp.protocol] = unionPorts(byProto[sp.protocol], portRange(port));
        }
        addTo(wi, ConnSet.of(byProto.TCP, byProto.UDP, byProto.SCTP));
      }
    }
  }
  for (const ing of model.ingresses) for (const [wi, ports] of backendTargets(reach, ing)) addTo(wi, ConnSet.of(ports, NO_PORTS, NO_PORTS));
  return out;
}

/** A pair loses connections on ports a Service/Ingress routes to (or the ingress controller loses any). */
function isBreaking(e: DiffEntry, routed: Map<string, ConnSet>): boolean {
  if (e.lost.isEmpty()) return false;
  if (e.src === '{ingress-controller}') return true;
  const ports = routed.get(e.dst);
  return ports !== undefined && !ports.intersect(e.lost).isEmpty();
}
