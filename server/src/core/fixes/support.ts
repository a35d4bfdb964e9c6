import { isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ManifestObject } from '../manifest/load';
import type { ContainerPort, Labels, Model, NetworkPolicy, Workload } from '../model/types';
import type { CompiledPolicy } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import { stepAt, type PathStep } from './locate';
import type { Fix, FixContext } from './types';
import type { FileEdit } from '../base/edits';
import type { YValue } from '../yaml/edit';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import type { Finding } from '../lint/rule';

/** Shared helpers of the fix providers. */

export function fix(title: string, edits: readonly (FileEdit | undefined)[], flags: { preferred?: boolean; safe?: boolean } = {}): Fix[] {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return [];
  const out: Fix = { title, kind: 'quickfix', safe: flags.safe === true, edits: edits as FileEdit[] };
  return [flags.preferred ? { ...out, isPreferred: true } : out];
}

/** The last step of the finding's path, when the whole path resolved. */
export function target(ctx: FixContext, finding: Finding): PathStep | undefined {
  const last = ctx.steps[ctx.steps.length - 1];
  return last && last.path === finding.path ? last : undefined;
}

/** The step at `path` (a prefix of the finding path). */
export function step(ctx: FixContext, path: string): PathStep | undefined {
  return stepAt(ctx.steps, path);
}

/** `spec.ingress[0].ports[1].endPort` -> `spec.ingress[0].ports[1]`. */
export function parentPath(path: string): string {
  const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m ? m[1] : '';
}

/** Path of the rule a path lies in: `spec.ingress[2]`. */
export function rulePath(path: string): { path: string; direction: 'Ingress' | 'Egress'; index: number } | undefined {
  const m = /^spec\.(ingress|egress)\[(\d+)\]/.exec(path);
  return m ? { path: m[0], direction: m[1] === 'ingress' ? 'Ingress' : 'Egress', index: Number(m[2]) } : undefined;
}

export const asMap = (n: unknown): YAMLMap | undefined => (isMap(n) ? n : undefined);
export const asSeq = (n: unknown): YAMLSeq | undefined => (isSeq(n) ? n : undefined);
export const asScalar = (n: unknown): Scalar | undefined => (isScalar(n) ? n : undefined);

/** The pair for `key` of a mapping. */
export function pairOf(map: YAMLMap | undefined, key: string): Pair | undefined {
  return map?.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

const compiledIndex = new WeakMap<Reachability, Map<ManifestObject, CompiledPolicy>>();
const workloadIndex = new WeakMap<Model, Map<ManifestObject, Workload>>();

/** The model policy (and its compiled form) read from the finding's object. */
export function policyOf(ctx: FixContext): { policy: NetworkPolicy; compiled: CompiledPolicy | undefined } | undefined {
  const { reach, model } = ctx.analysis;
  let index = compiledIndex.get(reach);
  if (!index) {
    index = new Map();
    for (const cp of reach.compiled.policies) if (cp.policy.source && !index.has(cp.policy.source)) index.set(cp.policy.source, cp);
    compiledIndex.set(reach, index);
  }
  const cp = index.get(ctx.object);
  if (cp) return { policy: cp.policy, compiled: cp };
  const policy = model.policies.find((p) => p.source === ctx.object);
  return policy ? { policy, compiled: undefined } : undefined;
}

/** The workload the finding's object is (or is part of). */
export function workloadOf(ctx: FixContext): Workload | undefined {
  const { model } = ctx.analysis;
  let index = workloadIndex.get(model);
  if (!index) {
    index = new Map();
    for (const w of model.workloads) for (const src of w.sources) if (!index.has(src)) index.set(src, w);
    workloadIndex.set(model, index);
  }
  return index.get(ctx.object);
}

/** Namespace names of the workspace: declared ones and those objects live in, sorted. */
export function namespaceNames(ctx: FixContext): string[] {
  return [...ctx.analysis.model.namespaces.keys()].sort();
}

/** A policy name not taken in the namespace: `base`, else `base-2`, `base-3`, … */
export function freePolicyName(ctx: FixContext, namespace: string, base: string): string {
  const taken = new Set(ctx.analysis.model.policies.filter((p) => p.namespace === namespace).map((p) => p.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A path for a new file beside `file` (a path or a URI) that no workspace file has. */
export function freeFileBeside(ctx: FixContext, file: string, stem: string, ext = '.yaml'): string {
  const dir = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const taken = new Set(ctx.files);
  const candidate = (i: number) => `${dir}${stem}${i === 1 ? '' : `-${i}`}${ext}`;
  for (let i = 1; ; i++) if (!taken.has(candidate(i))) return candidate(i);
}

export function namespaceSelectorFor(ns: string): YValue {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } };
}

/** `a=1, b=2`. */
export function labelText(labels: Labels): string {
  return Object.keys(labels)
    .map((k) => `${k}=${labels[k]}`)
    .join(', ');
}

/** The egress rule that lets pods resolve names through the cluster DNS (UDP and TCP 53). */
export function dnsEgressRule(ctx: FixContext): YValue {
  const { dns } = ctx.options;
  return {
    to: [{ namespaceSelector: namespaceSelectorFor(dns.namespace), podSelector: { matchLabels: { ...dns.labels } } }],
    ports: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ],
  };
}

/**
 * Rule port entries for a set of container ports: by name when every pod that declares
 * the port gives it the same name (named ports follow the pods if the number changes),
 * else by number; sorted by number, one entry each.
 */
export function portEntries(ports: readonly ContainerPort[]): { port: number | string; protocol: string }[] {
  const byKey = new Map<string, { port: number; protocol: string; names: Set<string | undefined> }>();
  for (const p of ports) {
    const k = `${p.protocol}/${p.port}`;
    const e = byKey.get(k) ?? { port: p.port, protocol: p.protocol, names: new Set<string | undefined>() };
    e.names.add(p.name);
    byKey.set(k, e);
  }
  const out: { port: number | string; protocol: string }[] = [];
  const seen = new Set<string>();
  for (const e of [...byKey.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol))) {
    const names = [...e.names];
    const port = names.length === 1 && names[0] !== undefined ? names[0] : e.port;
    const k = `${e.protocol}/${port}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ port, protocol: e.protocol });
  }
  return out;
}

/** `http, 9000/UDP`: port entries in words (TCP implied). */
export function portsText(entries: readonly { port: number | string; protocol: string }[], max = 4): string {
  const words = entries.map((e) => (e.protocol === 'TCP' ? String(e.port) : `${e.port}/${e.protocol}`));
  return words.length <= max ? words.join(', ') : `${words.slice(0, max).join(', ')}, …`;
}

/** A scalar's value as a string (undefined for null and non-scalars). */
export function scalarText(n: unknown): string | undefined {
  if (!isScalar(n)) return undefined;
  return n.value === null || n.value === undefined ? undefined : String(n.value);
}
