import type { YAMLMap } from 'yaml';
import { parseCidr, type Cidr } from '../../base/ip';
import type { TextEdit } from '../../base/edits';
import { asScalar, asSeq, pairOf } from '../../yaml/nodes';
import type { ContainerPort, Labels } from '../../model/types';
import { NAMESPACE_NAME_LABEL } from '../../k8s/cluster';
import type { YValue } from '../../yaml/render';
import type { WorldFixContext } from '../types';
import type { ManifestObject } from '../../manifest/types';

/** What the fixes of the workspace rules share: names, selectors and rules they write. */

/** Namespace names of the workspace: declared ones and those objects live in, sorted. */
export function namespaceNames(ctx: WorldFixContext): string[] {
  return [...ctx.analysis.model.namespaces.keys()].sort();
}

/** A policy name not taken in the namespace: `base`, else `base-2`, `base-3`, … */
export function freePolicyName(ctx: WorldFixContext, namespace: string, base: string): string {
  const taken = new Set(ctx.analysis.model.policies.filter((p) => p.namespace === namespace).map((p) => p.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A path for a new file beside `file` (a path or a URI) that no workspace file has. */
export function freeFileBeside(ctx: WorldFixContext, file: string, stem: string, ext = '.yaml'): string {
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
export function dnsEgressRule(ctx: WorldFixContext): YValue {
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

/**
 * Adds except entries to an ipBlock (only the ranges that its cidr strictly holds and
 * that no except covers yet). Shared by the allow-all-cidr and egress-to-cloud-metadata
 * fixes; `block` is the ipBlock mapping, `cidrNode` its cidr's value.
 */
export function addExcepts(ctx: WorldFixContext, block: YAMLMap, cidrNode: unknown, ranges: (family: 4 | 6) => readonly string[]): { edit: TextEdit; added: string[] } | undefined {
  const cidrScalar = asScalar(cidrNode);
  const cidrPair = pairOf(block, 'cidr');
  if (!cidrScalar || !cidrPair || typeof cidrScalar.value !== 'string') return undefined;
  const cidr = parseCidr(cidrScalar.value);
  if ('error' in cidr) return undefined;
  const exceptPair = pairOf(block, 'except');
  const seq = asSeq(exceptPair?.value);
  if (exceptPair && !seq && asScalar(exceptPair.value)?.value !== null) return undefined;
  const existing = (seq?.items ?? []).map((n) => parseCidr(String(asScalar(n)?.value ?? ''))).filter((c): c is Cidr => !('error' in c));
  const inside = (a: Cidr, b: Cidr) => a.family === b.family && a.start >= b.start && a.end <= b.end;
  const added = ranges(cidr.family).filter((t) => {
    const c = parseCidr(t) as Cidr;
    return inside(c, cidr) && c.prefix > cidr.prefix && !existing.some((x) => inside(c, x));
  });
  if (added.length === 0) return undefined;
  const e = ctx.editor;
  let edit: TextEdit | undefined;
  if (seq && seq.items.length > 0) edit = e.appendItems(seq, added);
  else if (exceptPair) edit = e.replacePair(block, exceptPair, added);
  else edit = e.insertPairs(block, { except: added }, { after: cidrPair });
  return edit ? { edit, added } : undefined;
}

/**
 * The namespace an object's YAML writes (metadata.namespace, non-empty), or undefined.
 * Fixes write a namespace only when the object they stand beside writes one: the
 * analysis' default namespace is an assumption, not the user's choice.
 */
export function writtenNamespace(obj: ManifestObject): string | undefined {
  const r = obj.reader;
  const ns = r.string(r.get(r.map(r.get(obj.map, 'metadata')), 'namespace'));
  return ns ? ns : undefined;
}

/** `{name, namespace}` with the namespace only when it is written on `beside` (or `beside` is that Namespace). */
export function metadataBeside(beside: ManifestObject, name: string, namespace: string): { name: string; namespace?: string } {
  const written = beside.kind === 'Namespace' ? namespace : writtenNamespace(beside);
  return written === namespace ? { name, namespace } : { name };
}
