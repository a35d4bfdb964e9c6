import type { ContainerPort, Labels, Model, Namespace } from '../model/types';
import { dictOf } from '../base/own';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';

/**
 * Pods that look the same to the network (namespace, labels, container ports,
 * hostNetwork) form one class. Selectors are evaluated once per class, not per pod or
 * per workload: 10,000 replicas of one template cost what one costs.
 */
export interface PodClass {
  readonly id: number;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** The pods' IP addresses, when known (Pods with a status): a class of its own per address set. */
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
}

export function buildClasses(model: Model): ClassTable {
  const classes: PodClass[] = [];
  const byKey = new Map<string, PodClass>();
  const byNamespace = new Map<string, number[]>();
  const workloadClasses: number[][] = [];
  model.workloads.forEach((w, wi) => {
    const ids: number[] = [];
    for (const pod of w.pods) {
      const key = classKey(w.namespace, pod.labels, pod.ports, pod.hostNetwork, pod.ips);
      let c = byKey.get(key);
      if (!c) {
        c = { id: classes.length, namespace: w.namespace, labels: pod.labels, ports: pod.ports, hostNetwork: pod.hostNetwork, ...(pod.ips ? { ips: pod.ips } : {}), workloads: [], virtual: false };
        classes.push(c);
        byKey.set(key, c);
        addTo(byNamespace, w.namespace, c.id);
      }
      if (!c.workloads.includes(wi)) c.workloads.push(wi);
      if (!ids.includes(c.id)) ids.push(c.id);
    }
    workloadClasses.push(ids);
  });
  return { classes, workloadClasses, byNamespace, namespaces: new Map(model.namespaces) };
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

function classKey(ns: string, labels: Labels, ports: readonly ContainerPort[], hostNetwork: boolean, ips: readonly string[] | undefined): string {
  const l = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
  const p = ports.map((x) => `${x.name ?? ''}:${x.port}/${x.protocol}`).sort().join(',');
  return `${ns}|${l}|${p}|${hostNetwork ? 1 : 0}${ips ? `|${ips.join(',')}` : ''}`;
}

function addTo(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
