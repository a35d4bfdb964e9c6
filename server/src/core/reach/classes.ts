import type { ContainerPort, Labels, Model, Namespace, PodShape } from '../model/types';
import { dictOf } from '../base/own';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import { cellOf, NO_CUTS, type AddressCuts } from './address-cuts';

/**
 * Pods that look the same to the network (namespace, labels, container ports,
 * hostNetwork, and for pods of known address the cells of the ipBlock cuts their
 * addresses lie in: reach/address-cuts.ts) form one class. Selectors are evaluated once
 * per class, not per pod or per workload: 10,000 replicas of one template cost what one
 * costs, and so do 10,000 Pods of a cluster dump with an address each.
 */
export interface PodClass {
  readonly id: number;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /**
   * The pods' IP addresses, when known (Pods with a status), sorted: every address of the
   * class's pods. The table's cuts put them in the same cells, so an ipBlock holds all of
   * them or none (reach/address-cuts.ts).
   */
  readonly ips?: readonly string[];
  /** Indices into model.workloads of the workloads with pods of this class. */
  readonly workloads: number[];
  /** The stand-in pod of the ingress controller (not a workload of the model). */
  readonly virtual: boolean;
}

export interface ClassTable {
  readonly classes: PodClass[];
  /** model.workloads index -> its class ids (one, unless its pods differ). */
  readonly workloadClasses: number[][];
  readonly byNamespace: Map<string, number[]>;
  readonly namespaces: Map<string, Namespace>;
  /** The ipBlock cuts the classes were made with (a table holds under other cuts that split none of its classes). */
  readonly cuts: AddressCuts;
}

export function buildClasses(model: Model, cuts: AddressCuts = NO_CUTS): ClassTable {
  const classes: PodClass[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, PodClass>();
  const byNamespace = new Map<string, number[]>();
  const workloadClasses: number[][] = [];
  /** The addresses of each class of known address, gathered from its pods. */
  const addresses = new Map<PodClass, Set<string>>();
  const cell = cellFinder(cuts);
  model.workloads.forEach((w, wi) => {
    const ids: number[] = [];
    for (const pod of w.pods) {
      const key = pod.ips ? classKey(w.namespace, pod.labels, pod.ports, pod.hostNetwork, cellsKey(pod.ips, cell)) : podKey(w.namespace, pod);
      let c = byKey.get(key);
      if (!c) {
        c = newClass(classes.length, w.namespace, pod);
        classes.push(c);
        keys.push(key);
        byKey.set(key, c);
        addTo(byNamespace, w.namespace, c.id);
      }
      if (pod.ips) {
        const set = addresses.get(c);
        if (set) for (const ip of pod.ips) set.add(ip);
        else addresses.set(c, new Set(pod.ips));
      }
      if (!c.workloads.includes(wi)) c.workloads.push(wi);
      if (!ids.includes(c.id)) ids.push(c.id);
    }
    workloadClasses.push(ids);
  });
  for (const [c, set] of addresses) if (set.size !== c.ips?.length) (c as { ips?: readonly string[] }).ips = [...set].sort();
  const table = { classes, workloadClasses, byNamespace, namespaces: new Map(model.namespaces), cuts };
  classKeys.set(table, keys);
  tableWorkloads.set(table, model.workloads);
  return table;
}

function newClass(id: number, namespace: string, pod: PodShape): PodClass {
  return { id, namespace, labels: pod.labels, ports: pod.ports, hostNetwork: pod.hostNetwork, ...(pod.ips ? { ips: pod.ips } : {}), workloads: [], virtual: false };
}

/** Adds a virtual pod (the ingress controller) and returns its class id. */
export function addVirtualClass(table: ClassTable, namespace: string, labels: Labels): number {
  const c: PodClass = { id: table.classes.length, namespace, labels, ports: [], hostNetwork: false, workloads: [], virtual: true };
  table.classes.push(c);
  classKeys.get(table)?.push(virtualKey(namespace, labels));
  addTo(table.byNamespace, namespace, c.id);
  addNamespace(table.namespaces, namespace);
  return c.id;
}

function addNamespace(namespaces: Map<string, Namespace>, namespace: string): void {
  if (!namespaces.has(namespace)) {
    namespaces.set(namespace, { name: namespace, labels: dictOf([[NAMESPACE_NAME_LABEL, namespace]]), declared: false });
  }
}

/** Each table's class keys by id (what makes two classes one: classKey), for patchClasses. */
const classKeys = new WeakMap<ClassTable, string[]>();

/** A class's key as a string, by class id (checkIncremental compares tables by it). */
export function classKeyOf(table: ClassTable, id: number): string {
  return keysOf(table)[id];
}

function keysOf(table: ClassTable): string[] {
  let keys = classKeys.get(table);
  if (!keys) {
    const cell = cellFinder(table.cuts);
    keys = table.classes.map((c) => (c.virtual ? virtualKey(c.namespace, c.labels) : classKey(c.namespace, c.labels, c.ports, c.hostNetwork, c.ips && cellsKey(c.ips, cell))));
    classKeys.set(table, keys);
  }
  return keys;
}

const podKeys = new WeakMap<PodShape, { readonly namespace: string; readonly key: string }>();

/** The class key of a pod of unknown address, kept per pod shape (an unchanged workload keeps its pods). */
function podKey(namespace: string, pod: PodShape): string {
  const hit = podKeys.get(pod);
  if (hit && hit.namespace === namespace) return hit.key;
  const key = classKey(namespace, pod.labels, pod.ports, pod.hostNetwork, undefined);
  podKeys.set(pod, { namespace, key });
  return key;
}

function virtualKey(namespace: string, labels: Labels): string {
  return `\u0000virtual|${namespace}|${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',')}`;
}

/** What patchClasses gives: the new table and which class ids hold something else than before. */
export interface PatchedClasses {
  readonly table: ClassTable;
  readonly ingressControllerClass: number;
  /**
   * The ids whose class differs from the previous table's class of that id (a class
   * that is new, gone, or moved to fill a gap), ids past the new table's end included:
   * a compiled set that holds none of them, and whose selectors match none of the new
   * classes among them, is the same in both tables.
   */
  readonly changed: ReadonlySet<number>;
}

/**
 * The class table of `model` made from `previous` (the table of the same workspace before
 * an edit), when few classes differ: every class that is still there keeps its id, new
 * classes take the ids of those that are gone (or come after the last), and the table
 * stays dense (the classes past its new end move into the remaining gaps). The ids are
 * not those a fresh build would give; what a table answers (the classes, their
 * workloads, namespaces and members) is the same. Undefined when more than `limit`
 * ids change: a fresh build is as cheap.
 */
export function patchClasses(previous: ClassTable, model: Model, ingressController: { readonly namespace: string; readonly labels: Labels }, limit: number): PatchedClasses | undefined {
  // Pods of known address (a cluster dump) make classes by the cells of the model's
  // ipBlock cuts, which any policy edit may move: such a table is built afresh.
  if (previous.classes.some((c) => c.ips) || model.workloads.some((w) => w.pods.some((p) => p.ips))) return undefined;
  const prevKeys = keysOf(previous);
  const prevIds = idsOf(previous, prevKeys);
  const prevWorkloads = tableWorkloads.get(previous);
  const workloads = model.workloads;
  // Which old classes are still used, and the keys no old class has (in order of first
  // appearance, with a pod to make each from): no map of every key, as an edit of one
  // workload leaves 10,000 others and their keys as they were.
  const used = new Uint8Array(prevKeys.length);
  let known = 0;
  const fresh = new Map<string, { namespace: string; pod: PodShape } | undefined>();
  const keyed = workloads.map((w) => workloadKeys(w));
  for (let wi = 0; wi < workloads.length; wi++) {
    const { keys, pods } = keyed[wi];
    for (let k = 0; k < keys.length; k++) {
      const old = prevIds.get(keys[k]);
      if (old === undefined) {
        if (!fresh.has(keys[k])) fresh.set(keys[k], { namespace: workloads[wi].namespace, pod: pods[k] });
      } else if (!used[old]) {
        used[old] = 1;
        known++;
      }
    }
  }
  const vkey = virtualKey(ingressController.namespace, ingressController.labels);
  // A workload whose pods look like the virtual class's cannot exist (its key is its own).
  const vOld = prevIds.get(vkey);
  if (vOld === undefined) fresh.set(vkey, undefined);
  else if (!used[vOld]) {
    used[vOld] = 1;
    known++;
  }
  const n = known + fresh.size;
  const holes: number[] = [];
  for (let id = 0; id < n; id++) if (id >= prevKeys.length || !used[id]) holes.push(id);
  if (holes.length + Math.max(0, prevKeys.length - n) > limit) return undefined;
  // New classes first, then those moved down from past the end (holes.length = fresh + high).
  const moved = new Map<string, number>();
  let h = 0;
  for (const key of fresh.keys()) moved.set(key, holes[h++]);
  for (let old = n; old < prevKeys.length; old++) if (used[old]) moved.set(prevKeys[old], holes[h++]);
  const changed = new Set<number>(holes);
  for (let id = n; id < prevKeys.length; id++) changed.add(id);
  const idFor = (key: string): number => moved.get(key) ?? prevIds.get(key)!;

  const keys = prevKeys.slice(0, n);
  for (const [key, id] of moved) keys[id] = key;
  // A workload that is the same object at the same index, none of whose classes moved, keeps its list.
  const sameIndices = prevWorkloads !== undefined && prevWorkloads.length === workloads.length;
  const changedWorkloads: number[] = [];
  const workloadClasses = workloads.map((w, wi) => {
    const before = previous.workloadClasses[wi];
    if (sameIndices && prevWorkloads[wi] === w && before !== undefined && before.every((id) => id < n && !changed.has(id))) return before;
    changedWorkloads.push(wi);
    const ids: number[] = [];
    for (const key of keyed[wi].keys) {
      const id = idFor(key);
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  });
  // The classes whose workloads differ: those an edited workload left or joined (all of
  // them when workloads were added or removed: the indices after them moved).
  let members: (number[] | undefined)[];
  if (sameIndices) {
    members = new Array<number[] | undefined>(n).fill(undefined);
    const dirty = new Set<number>();
    for (const wi of changedWorkloads) {
      for (const id of previous.workloadClasses[wi] ?? []) if (id < n && !changed.has(id)) dirty.add(id);
      for (const id of workloadClasses[wi]) dirty.add(id);
    }
    for (const id of changed) if (id < n) dirty.add(id);
    const edited = new Set(changedWorkloads);
    for (const id of dirty) {
      const kept = changed.has(id) ? [] : previous.classes[id].workloads.filter((wi) => !edited.has(wi));
      members[id] = kept;
    }
    for (const wi of changedWorkloads) for (const id of workloadClasses[wi]) members[id]!.push(wi);
    for (const id of dirty) members[id]!.sort((a, b) => a - b);
  } else {
    members = Array.from({ length: n }, () => []);
    workloadClasses.forEach((ids, wi) => {
      for (const id of ids) members[id]!.push(wi);
    });
  }
  const classes: PodClass[] = new Array<PodClass>(n);
  for (let id = 0; id < n; id++) {
    const key = keys[id];
    const list = members[id];
    const old = changed.has(id) ? undefined : previous.classes[id];
    let c: PodClass;
    if (old && (list === undefined || sameNumbers(old.workloads, list))) c = old;
    else if (old) c = withWorkloads(old, list!);
    else if (key === vkey) c = { id, namespace: ingressController.namespace, labels: ingressController.labels, ports: [], hostNetwork: false, workloads: [], virtual: true };
    else {
      const from = fresh.get(key);
      const before = from ? undefined : previous.classes[prevIds.get(key)!];
      c = withWorkloads(from ? newClass(id, from.namespace, from.pod) : { ...before!, id }, list ?? []);
    }
    classes[id] = c;
  }
  // The namespaces' class lists stand while no id changed namespace.
  const sameNamespaces = n === prevKeys.length && [...changed].every((id) => previous.classes[id]?.namespace === classes[id]?.namespace);
  let byNamespace: Map<string, number[]>;
  if (sameNamespaces) byNamespace = previous.byNamespace;
  else {
    byNamespace = new Map<string, number[]>();
    for (let id = 0; id < n; id++) addTo(byNamespace, classes[id].namespace, id);
  }
  const namespaces = new Map(model.namespaces);
  addNamespace(namespaces, ingressController.namespace);
  const table: ClassTable = { classes, workloadClasses, byNamespace, namespaces, cuts: previous.cuts };
  classKeys.set(table, keys);
  tableWorkloads.set(table, workloads);
  // The new table's key -> id map, from the previous one (the next edit patches from it).
  const ids = new Map(prevIds);
  for (let old = 0; old < prevKeys.length; old++) if (!used[old] || old >= n) ids.delete(prevKeys[old]);
  for (const [key, id] of moved) ids.set(key, id);
  idMaps.set(table, ids);
  return { table, ingressControllerClass: idFor(vkey), changed };
}

/** The workloads a table was made for (a patch keeps the lists of those that are the same objects). */
const tableWorkloads = new WeakMap<ClassTable, readonly Model['workloads'][number][]>();

/** A workload's distinct class keys with a pod for each, kept per workload object. */
const workloadKeyCache = new WeakMap<Model['workloads'][number], { readonly keys: readonly string[]; readonly pods: readonly PodShape[] }>();

function workloadKeys(w: Model['workloads'][number]): { readonly keys: readonly string[]; readonly pods: readonly PodShape[] } {
  let hit = workloadKeyCache.get(w);
  if (hit) return hit;
  const keys: string[] = [];
  const pods: PodShape[] = [];
  for (const pod of w.pods) {
    const key = podKey(w.namespace, pod);
    if (!keys.includes(key)) {
      keys.push(key);
      pods.push(pod);
    }
  }
  workloadKeyCache.set(w, (hit = { keys, pods }));
  return hit;
}

/** The class with other workloads (written out field by field, in newClass's order: one hidden class for all). */
function withWorkloads(c: PodClass, workloads: number[]): PodClass {
  return c.ips
    ? { id: c.id, namespace: c.namespace, labels: c.labels, ports: c.ports, hostNetwork: c.hostNetwork, ips: c.ips, workloads, virtual: c.virtual }
    : { id: c.id, namespace: c.namespace, labels: c.labels, ports: c.ports, hostNetwork: c.hostNetwork, workloads, virtual: c.virtual };
}

const idMaps = new WeakMap<ClassTable, Map<string, number>>();

function idsOf(table: ClassTable, keys: readonly string[]): Map<string, number> {
  let ids = idMaps.get(table);
  if (!ids) {
    ids = new Map();
    keys.forEach((k, i) => ids!.set(k, i));
    idMaps.set(table, ids);
  }
  return ids;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function classKey(ns: string, labels: Labels, ports: readonly ContainerPort[], hostNetwork: boolean, cells: string | undefined): string {
  return `${ns}|${labelsKey(labels)}|${portsKey(ports)}|${hostNetwork ? 1 : 0}${cells !== undefined ? `|${cells}` : ''}`;
}

/** The cell of an address under `cuts`, memoised for one table's build. */
function cellFinder(cuts: AddressCuts): (ip: string) => string | undefined {
  const cells = new Map<string, string | undefined>();
  return (ip) => {
    if (!cells.has(ip)) cells.set(ip, cellOf(cuts, ip));
    return cells.get(ip);
  };
}

/** The cells of a pod's addresses, sorted (a text that is no address stays as it is). */
function cellsKey(ips: readonly string[], cell: (ip: string) => string | undefined): string {
  // One address (most pods of a dump): its cell, without a set, a list and a sort.
  if (ips.length === 1) return cell(ips[0]) ?? ips[0];
  const out = new Set<string>();
  for (const ip of ips) out.add(cell(ip) ?? ip);
  return [...out].sort().join(',');
}

// Per object: the pods of one template share their label map and port list (model/extract/workload.ts).
const labelKeys = new WeakMap<Labels, string>();
const portKeys = new WeakMap<readonly ContainerPort[], string>();

function labelsKey(labels: Labels): string {
  let key = labelKeys.get(labels);
  if (key === undefined) labelKeys.set(labels, (key = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',')));
  return key;
}

function portsKey(ports: readonly ContainerPort[]): string {
  let key = portKeys.get(ports);
  if (key === undefined) portKeys.set(ports, (key = ports.map((x) => `${x.name ?? ''}:${x.port}/${x.protocol}`).sort().join(',')));
  return key;
}

function addTo(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
