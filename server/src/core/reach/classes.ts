import type { ContainerPort, Labels, Model, Namespace } from '../model/types';
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
  const byKey = new Map<string, PodClass>();
  const byNamespace = new Map<string, number[]>();
  const workloadClasses: number[][] = [];
  /** The addresses of each class of known address, gathered from its pods. */
  const addresses = new Map<PodClass, Set<string>>();
  const cells = new Map<string, string | undefined>();
  const cell = (ip: string) => {
    if (!cells.has(ip)) cells.set(ip, cellOf(cuts, ip));
    return cells.get(ip);
  };
  model.workloads.forEach((w, wi) => {
    const ids: number[] = [];
    for (const pod of w.pods) {
      const key = classKey(w.namespace, pod.labels, pod.ports, pod.hostNetwork, pod.ips && cellsKey(pod.ips, cell));
      let c = byKey.get(key);
      if (!c) {
        c = { id: classes.length, namespace: w.namespace, labels: pod.labels, ports: pod.ports, hostNetwork: pod.hostNetwork, ...(pod.ips ? { ips: pod.ips } : {}), workloads: [], virtual: false };
        classes.push(c);
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
  return { classes, workloadClasses, byNamespace, namespaces: new Map(model.namespaces), cuts };
}

/** The cells of a pod's addresses, sorted (a text that is no address stays as it is). */
function cellsKey(ips: readonly string[], cell: (ip: string) => string | undefined): string {
  const out = new Set<string>();
  for (const ip of ips) out.add(cell(ip) ?? ip);
  return [...out].sort().join(',');
}

/** Adds a virtual pod (the ingress controller) and returns its class id. */
export function addVirtualClass(table: ClassTable, namespace: string, labels: Labels): number {
  const c: PodClass = { id: table.classes.length, namespace, labels, ports: [], hostNetwork: false, workloads: [], virtual: true };
  table.classes.push(c);
  addTo(table.byNamespace, namespace, c.id);
  if (!table.namespaces.has(namespace)) {
    table.namespaces.set(namespace, { name: namespace, labels: dictOf([[NAMESPACE_NAME_LABEL, namespace]]), declared: false });
  }
  return c.id;
}

function classKey(ns: string, labels: Labels, ports: readonly ContainerPort[], hostNetwork: boolean, cells: string | undefined): string {
  return `${ns}|${labelsKey(labels)}|${portsKey(ports)}|${hostNetwork ? 1 : 0}${cells !== undefined ? `|${cells}` : ''}`;
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
