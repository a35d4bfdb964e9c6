/**
 * What the workspace offers to complete a policy: the pods a selector is about (by the
 * policy's namespace and the sibling namespaceSelector), their labels and named ports,
 * the namespaces and their labels. Selectors of the policy being typed are read from
 * its outline (it may not parse); the workloads and namespaces come from the model.
 */
import type { LabelSelector, Model, Namespace, SelectorOperator, SelectorRequirement, Workload } from '../../model/types';
import type { Protocol } from '../../base/ports';
import { codeSpan } from '../../base/escape';
import { selectorMatches } from '../../reach/selectors';
import { child, scalarText, type OMap, type ONode } from '../../yaml/outline';
import { dict } from '../../base/own';

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A label selector read from the outline; entries being typed (on the cursor's line)
 * are left out. `undefined` for a missing or null selector; `valid: false` for one that
 * cannot be evaluated (a half-typed scalar, an unknown operator).
 */
export function outlineSelector(node: ONode | undefined): LabelSelector | undefined {
  if (!node || (node.kind === 'scalar' && node.isNull)) return undefined;
  if (node.kind !== 'map') return { matchLabels: {}, matchExpressions: [], valid: false };
  let valid = true;
  const matchLabels = dict<string>();
  const ml = child(node, 'matchLabels');
  if (ml?.kind === 'map') {
    for (const e of ml.entries) {
      if (e.atCursor || e.key === '') continue;
      const v = e.value;
      if (v?.kind === 'scalar') matchLabels[e.key] = v.text;
      else valid = false;
    }
  }
  const matchExpressions: SelectorRequirement[] = [];
  const me = child(node, 'matchExpressions');
  if (me?.kind === 'seq') {
    for (const item of me.items) {
      const m = item.value;
      if (item.atCursor || m?.kind !== 'map' || holdsCursor(m)) continue;
      const key = scalarText(child(m, 'key'));
      const operator = scalarText(child(m, 'operator'));
      const vs = child(m, 'values');
      const values = vs?.kind === 'seq' ? vs.items.map((i) => (i.value?.kind === 'scalar' ? i.value.text : '')) : [];
      if (key === undefined || operator === undefined || !OPERATORS.includes(operator)) {
        valid = false;
        continue;
      }
      matchExpressions.push({ key, operator: operator as SelectorOperator, values });
    }
  }
  return { matchLabels, matchExpressions, valid };
}

/** Whether the cursor is anywhere in `node` (the requirement being typed does not narrow anything). */
function holdsCursor(node: ONode | undefined, depth = 0): boolean {
  if (!node || depth > 32) return false;
  if (node.kind === 'map') return node.entries.some((e) => e.atCursor || holdsCursor(e.value, depth + 1));
  if (node.kind === 'seq') return node.items.some((i) => i.atCursor || holdsCursor(i.value, depth + 1));
  return false;
}

export function isEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

export function workloadName(w: Workload): string {
  return `${w.namespace}/${w.name}[${w.kind}]`;
}

/** Pods (workloads) a set of candidates is drawn from, and how they were chosen (for the item details). */
export interface PodScope {
  readonly workloads: readonly Workload[];
  /** In words: "pods of namespace shop", "pods of every namespace". */
  readonly description: string;
}

export function workloadsIn(model: Model, namespaces: ReadonlySet<string>): Workload[] {
  return model.workloads.filter((w) => namespaces.has(w.namespace));
}

export function namespacesMatching(model: Model, sel: LabelSelector | undefined): Namespace[] {
  const all = [...model.namespaces.values()];
  if (!sel) return all;
  return all.filter((n) => selectorMatches(sel, n.labels));
}

/** The workloads with at least one pod matching `sel` (all when `sel` is undefined). */
export function matchingWorkloads(workloads: readonly Workload[], sel: LabelSelector | undefined): Workload[] {
  if (!sel) return [...workloads];
  return workloads.filter((w) => w.pods.some((p) => selectorMatches(sel, p.labels)));
}

/** Namespace names for a Markdown description (code spans). */
function names(list: readonly string[], max = 3): string {
  const shown = list.slice(0, max).map(codeSpan);
  return list.length <= max ? shown.join(', ') : `${shown.join(', ')} and ${list.length - max} more`;
}

/**
 * The pods a podSelector is about. `peer` is the map holding the podSelector in a
 * from/to item (undefined for spec.podSelector): with a namespaceSelector there, the pods
 * of the namespaces it matches; otherwise the pods of the policy's namespace. When that
 * leaves no pod (a namespace without workloads yet), every pod of the workspace.
 */
export function podSelectorScope(model: Model, policyNamespace: string, peer: OMap | undefined): PodScope {
  const nsSel = peer ? child(peer, 'namespaceSelector') : undefined;
  const hasNsSel = peer !== undefined && peer.entries.some((e) => e.key === 'namespaceSelector');
  let scope: PodScope;
  if (hasNsSel) {
    const sel = outlineSelector(nsSel) ?? { matchLabels: {}, matchExpressions: [], valid: true };
    if (!sel.valid) {
      scope = { workloads: model.workloads, description: 'pods of every namespace' };
    } else {
      const nss = namespacesMatching(model, sel).map((n) => n.name);
      scope = {
        workloads: workloadsIn(model, new Set(nss)),
        description: isEmpty(sel) ? 'pods of every namespace (namespaceSelector: {})' : `pods of the namespaces the namespaceSelector matches (${names(nss) || 'none'})`,
      };
    }
  } else {
    scope = { workloads: workloadsIn(model, new Set([policyNamespace])), description: `pods of namespace ${codeSpan(policyNamespace)}` };
  }
  if (scope.workloads.length === 0 && model.workloads.length > 0) {
    return { workloads: model.workloads, description: `pods of every namespace (${scope.description} has none)` };
  }
  return scope;
}

/** Label key -> value -> the names of what carries it (workloads or namespaces). */
export type LabelTable = Map<string, Map<string, Set<string>>>;

export function podLabels(workloads: readonly Workload[]): LabelTable {
  const out: LabelTable = new Map();
  for (const w of workloads) {
    const name = workloadName(w);
    for (const pod of w.pods) for (const [k, v] of Object.entries(pod.labels)) add(out, k, v, name);
  }
  return out;
}

export function namespaceLabels(namespaces: readonly Namespace[]): LabelTable {
  const out: LabelTable = new Map();
  for (const n of namespaces) for (const [k, v] of Object.entries(n.labels)) add(out, k, v, n.name);
  return out;
}

function add(t: LabelTable, key: string, value: string, who: string): void {
  let values = t.get(key);
  if (!values) t.set(key, (values = new Map()));
  let set = values.get(value);
  if (!set) values.set(value, (set = new Set()));
  set.add(who);
}

/** A container port found on the pods in scope. */
export interface PortFact {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly workload: string;
}

export function portsOf(workloads: readonly Workload[]): PortFact[] {
  const out: PortFact[] = [];
  const seen = new Set<string>();
  for (const w of workloads) {
    const name = workloadName(w);
    for (const pod of w.pods) {
      for (const p of pod.ports) {
        const key = `${name}\u0000${p.name ?? ''}\u0000${p.port}\u0000${p.protocol}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ name: p.name, port: p.port, protocol: p.protocol, workload: name });
      }
    }
  }
  return out;
}

/** The workloads a rule's peers (`from`/`to` items) match; undefined peers = every workload. */
export function peerWorkloads(model: Model, policyNamespace: string, peers: ONode | undefined): Workload[] {
  if (!peers || peers.kind !== 'seq' || peers.items.length === 0) return [...model.workloads];
  const out = new Set<Workload>();
  for (const item of peers.items) {
    const peer = item.value;
    if (peer?.kind !== 'map') continue;
    const hasPod = peer.entries.some((e) => e.key === 'podSelector');
    const hasNs = peer.entries.some((e) => e.key === 'namespaceSelector');
    if (!hasPod && !hasNs) continue; // ipBlock (outside the cluster), or an empty peer
    const podSel = hasPod ? outlineSelector(child(peer, 'podSelector')) ?? EMPTY : undefined;
    const nsSel = hasNs ? outlineSelector(child(peer, 'namespaceSelector')) ?? EMPTY : undefined;
    const nss = nsSel ? namespacesMatching(model, nsSel).map((n) => n.name) : [policyNamespace];
    for (const w of matchingWorkloads(workloadsIn(model, new Set(nss)), podSel)) out.add(w);
  }
  return [...out];
}

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [], valid: true };
