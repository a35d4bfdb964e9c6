/**
 * A model record as a kustomization renders its object: the record read from the YAML as
 * written, with the variant's namespace, name, labels, selectors and references
 * (manifest/kustomized.ts). Only what the model reads is rewritten; spans stay the
 * source's.
 */
import { dictOf } from '../../base/own';
import { NAMESPACE_NAME_LABEL } from '../../k8s/cluster';
import { entriesAddedAt, valueSetAt, type FieldPath } from '../../manifest/kustomize';
import type { KustomizeView, ManifestObject } from '../../manifest/types';
import type { LabelSelector, Namespace, Peer, PodShape, PolicyRule } from '../types';
import type { RawPolicy } from './policy';
import type { RawIngress, RawService } from './service';
import { podTemplatePath, type RawWorkload } from './workload';

function merged(labels: Readonly<Record<string, string>>, added: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (!added || Object.keys(added).length === 0) return labels as Record<string, string>;
  return dictOf([...Object.entries(labels), ...Object.entries(added)]);
}

export function kustomizeNamespace(ns: Namespace, view: KustomizeView): Namespace {
  const name = view.variant.name ?? ns.name;
  const labels = merged(ns.labels, entriesAddedAt(view.variant, ['metadata', 'labels']));
  return { ...ns, name, labels: dictOf([...Object.entries(labels), [NAMESPACE_NAME_LABEL, name]]) };
}

export function kustomizeWorkload(w: RawWorkload, view: KustomizeView): RawWorkload {
  const v = view.variant;
  const template = podTemplatePath(view.source.kind) ?? [];
  // A Pod under a controller keeps its owner's name (the endpoint is the owner).
  const name = view.source.kind === 'Pod' && w.kind !== 'Pod' ? w.name : (v.name ?? w.name);
  const added = entriesAddedAt(v, [...template, 'metadata', 'labels']);
  const withAdded = (pod: PodShape): PodShape => {
    const labels = merged(pod.labels, added);
    return labels === pod.labels ? pod : { ...pod, labels };
  };
  return { kind: w.kind, name, namespace: v.namespace, pod: withAdded(w.pod), ...(w.otherPods ? { otherPods: w.otherPods.map(withAdded) } : {}) };
}

export function kustomizeService(s: RawService, view: KustomizeView): RawService {
  const v = view.variant;
  const added = entriesAddedAt(v, ['spec', 'selector']);
  const selector = added && Object.keys(added).length > 0 ? merged(s.selector ?? {}, added) : s.selector;
  return { name: v.name ?? s.name, namespace: v.namespace, ports: s.ports, ...(selector ? { selector } : {}) };
}

/** The value at `path` of the object as written (a reference kustomize renamed). */
function writtenAt(obj: ManifestObject, path: FieldPath): string | undefined {
  const r = obj.reader;
  let node: unknown = obj.map;
  for (const k of path) node = typeof k === 'number' ? r.items(node)[k] : r.get(r.map(node), k);
  return r.text(node);
}

export function kustomizeIngress(i: RawIngress, view: KustomizeView): RawIngress {
  const v = view.variant;
  // Kustomize renames every reference to a renamed Service: old name → new name.
  const renamed = new Map<string, string>();
  for (const e of v.edits) {
    if (e.op !== 'set' || e.path[0] !== 'spec') continue;
    const before = writtenAt(view.source, e.path);
    if (before !== undefined && before !== e.value) renamed.set(before, e.value);
  }
  const backends = renamed.size === 0 ? i.backends : i.backends.map((b) => (renamed.has(b.service) ? { ...b, service: renamed.get(b.service)! } : b));
  return { kind: i.kind, name: v.name ?? i.name, namespace: v.namespace, backends, ...(i.className ? { className: i.className } : {}) };
}

function withLabels(selector: LabelSelector | undefined, added: Readonly<Record<string, string>> | undefined): LabelSelector | undefined {
  if (!selector || !added || Object.keys(added).length === 0) return selector;
  return { ...selector, matchLabels: merged(selector.matchLabels, added) };
}

function kustomizeRules(rules: readonly PolicyRule[], view: KustomizeView, key: 'ingress' | 'egress'): PolicyRule[] {
  const peersKey = key === 'ingress' ? 'from' : 'to';
  return rules.map((rule, i) => {
    if (!rule.peers) return rule;
    let changed = false;
    const peers = rule.peers.map((p, j): Peer => {
      if (p.type !== 'selector') return p;
      const podSelector = withLabels(p.podSelector, entriesAddedAt(view.variant, ['spec', key, i, peersKey, j, 'podSelector', 'matchLabels']));
      if (podSelector === p.podSelector) return p;
      changed = true;
      return { ...p, podSelector };
    });
    return changed ? { ...rule, peers } : rule;
  });
}

export function kustomizePolicy(p: RawPolicy, view: KustomizeView): RawPolicy {
  const v = view.variant;
  const podSelector = withLabels(p.podSelector, entriesAddedAt(v, ['spec', 'podSelector', 'matchLabels'])) ?? p.podSelector;
  return {
    ...p,
    name: v.name ?? p.name,
    namespace: v.namespace,
    podSelector,
    ingress: kustomizeRules(p.ingress, view, 'ingress'),
    egress: kustomizeRules(p.egress, view, 'egress'),
  };
}

/** True when `namespace` came from a kustomization (the object as written has none). */
export function namespaceFromKustomization(view: KustomizeView): boolean {
  return valueSetAt(view.variant, ['metadata', 'namespace']) !== undefined;
}
