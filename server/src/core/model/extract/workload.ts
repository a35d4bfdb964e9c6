import type { YAMLMap } from 'yaml';
import type { NodeReader } from '../../yaml/nodes';
import type { ContainerPort, PodShape } from '../types';
import { readNames, readProtocol } from './common';
import { dictOf } from '../../base/own';
import { formatIp, parseIp } from '../../base/ip';
import type { ManifestObject } from '../../manifest/types';
import { cnpgClusterPods, isCnpgCluster } from './cnpg';

/** Kinds whose pod template we read, and where the template sits. */
const TEMPLATE_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['ReplicaSet', ['spec', 'template']],
  ['ReplicationController', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
]);

export function isWorkloadKind(kind: string): boolean {
  return kind === 'Pod' || TEMPLATE_PATHS.has(kind);
}

/**
 * Custom resources whose operator creates the pods (docs/semantics.md, "Pods that
 * operators create"): the pods carry the labels the resource asks for
 * (`spec.podMetadata.labels`) and the operator's own, which it sets last (its selector
 * labels win over the user's); their ports are the operator's container ports and those of
 * the resource's own `spec.containers` (sidecars such as a kube-rbac-proxy in front of a
 * server that `spec.listenLocal` keeps on the loopback interface).
 */
interface OperatorKind {
  /** The API group (apiVersion without the version). */
  readonly group: string;
  readonly kind: string;
  /** The labels the operator sets on every pod, from the resource's name. */
  readonly labels: (name: string) => Record<string, string>;
  /**
   * The server's own port, named by `spec.portName` (default `web`); with `spec.listenLocal:
   * true` the server listens on the loopback interface and the operator declares no such port.
   */
  readonly web: number;
  /** The operator's other ports, declared whatever the resource says. */
  readonly ports: readonly ContainerPort[];
  /** The ports of the Thanos sidecar the operator adds when `spec.thanos` is set. */
  readonly thanos?: readonly ContainerPort[];
}

// prometheus-operator: pkg/prometheus/server/statefulset.go (podSelectorLabels, port
// "web" 9090), pkg/alertmanager/statefulset.go (makeSelectorLabels, ports web 9093,
// mesh-tcp/mesh-udp 9094), pkg/thanos/statefulset.go (ports grpc 10901, web 10902);
// the config-reloader sidecar listens on 8080 (reloader-web) in all three. In all three
// the web port is `spec.portName` and is declared only `if !ListenLocal`, and the
// resource's `spec.containers` are merged into the operator's by name
// (k8sutil.MergePatchContainers: a strategic merge, so their ports add to the pod's).
// A Prometheus with `spec.thanos` gets the thanos-sidecar container, whose ports http 10902
// and grpc 10901 are declared whatever its listenLocal fields say (pkg/prometheus/statefulset.go).
const RELOADER: ContainerPort = { name: 'reloader-web', port: 8080, protocol: 'TCP' };
const PROMETHEUS_OPERATOR = 'prometheus-operator';

export const OPERATOR_KINDS: readonly OperatorKind[] = [
  {
    group: 'monitoring.coreos.com',
    kind: 'Prometheus',
    labels: (name) => ({
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/managed-by': PROMETHEUS_OPERATOR,
      'app.kubernetes.io/instance': name,
      prometheus: name,
      'operator.prometheus.io/name': name,
      'operator.prometheus.io/shard': '0',
    }),
    web: 9090,
    ports: [RELOADER],
    thanos: [
      { name: 'http', port: 10902, protocol: 'TCP' },
      { name: 'grpc', port: 10901, protocol: 'TCP' },
    ],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'Alertmanager',
    labels: (name) => ({
      'app.kubernetes.io/name': 'alertmanager',
      'app.kubernetes.io/managed-by': PROMETHEUS_OPERATOR,
      'app.kubernetes.io/instance': name,
      alertmanager: name,
    }),
    web: 9093,
    ports: [
      { name: 'mesh-tcp', port: 9094, protocol: 'TCP' },
      { name: 'mesh-udp', port: 9094, protocol: 'UDP' },
      RELOADER,
    ],
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ThanosRuler',
    labels: (name) => ({
      'app.kubernetes.io/name': 'thanos-ruler',
      'app.kubernetes.io/managed-by': PROMETHEUS_OPERATOR,
      'app.kubernetes.io/instance': name,
      'thanos-ruler': name,
    }),
    web: 10902,
    ports: [{ name: 'grpc', port: 10901, protocol: 'TCP' }, RELOADER],
  },
];

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function operatorKindOf(obj: ManifestObject): OperatorKind | undefined {
  const group = groupOf(obj.apiVersion);
  return OPERATOR_KINDS.find((k) => k.kind === obj.kind && k.group === group);
}

/**
 * A custom resource (its API group has a dot and is not one of Kubernetes' own) with a
 * pod template: `spec.template` with labels and containers, as an Argo Rollouts
 * Rollout, a Knative Service or an OpenKruise CloneSet carry. Its controller makes pods
 * from the template as a Deployment does.
 */
function customTemplate(obj: ManifestObject): YAMLMap | undefined {
  const group = groupOf(obj.apiVersion);
  if (!group.includes('.') || group.endsWith('.k8s.io')) return undefined;
  const r = obj.reader;
  const template = r.map(r.get(r.map(r.get(obj.map, 'spec')), 'template'));
  const labels = r.map(r.get(r.map(r.get(template, 'metadata')), 'labels'));
  const containers = r.seq(r.get(r.map(r.get(template, 'spec')), 'containers'));
  return labels && containers && containers.items.length > 0 ? template : undefined;
}

/** Whether the object makes pods: a workload kind, an operator's resource, a custom resource with a pod template. */
export function makesPods(obj: ManifestObject): boolean {
  return isWorkloadKind(obj.kind) || operatorKindOf(obj) !== undefined || isCnpgCluster(obj.kind, groupOf(obj.apiVersion)) || customTemplate(obj) !== undefined;
}

/** Where a workload kind's pod template sits (a Pod is its own: `[]`); undefined for other kinds. */
export function podTemplatePath(kind: string): readonly string[] | undefined {
  return kind === 'Pod' ? [] : TEMPLATE_PATHS.get(kind);
}

export interface RawWorkload {
  /** The endpoint: the object itself, or the controller owner of a Pod. */
  readonly kind: string;
  readonly name: string;
  /** Undefined: metadata.namespace omitted. */
  readonly namespace?: string;
  readonly pod: PodShape;
  /**
   * The shapes of its other pods, where they differ (a CloudNativePG cluster's replicas
   * carry their own instance name and role): the workload's pods are `pod` and these.
   */
  readonly otherPods?: readonly PodShape[];
  /**
   * The controller owner of a workload object (a ReplicaSet's Deployment, a Job's CronJob):
   * the model counts its pods as the owner's (model/build.ts). Pods name theirs in `kind`/`name`.
   */
  readonly owner?: { readonly kind: string; readonly name: string };
}

export function readWorkload(obj: ManifestObject): RawWorkload | undefined {
  const r = obj.reader;
  const meta = readNames(obj);
  if (obj.kind === 'Pod') {
    const owner = controllerOwner(r, meta.metadata);
    return {
      kind: owner?.kind ?? 'Pod',
      name: owner?.name ?? meta.name,
      namespace: meta.namespace,
      pod: withStatusIps(r, r.map(r.get(obj.map, 'status')), readPod(r, meta.metadata, r.map(r.get(obj.map, 'spec')))),
    };
  }
  if (isCnpgCluster(obj.kind, groupOf(obj.apiVersion))) {
    const [pod, ...otherPods] = cnpgClusterPods(r, meta.metadata, r.map(r.get(obj.map, 'spec')), meta.name);
    return { kind: obj.kind, name: meta.name, namespace: meta.namespace, pod: pod!, ...(otherPods.length > 0 ? { otherPods } : {}) };
  }
  const operator = operatorKindOf(obj);
  if (operator) return readOperatorWorkload(obj, operator, meta.name, meta.namespace);
  const custom = TEMPLATE_PATHS.has(obj.kind) ? undefined : customTemplate(obj);
  if (custom) {
    return { kind: obj.kind, name: meta.name, namespace: meta.namespace, pod: readPod(r, r.map(r.get(custom, 'metadata')), r.map(r.get(custom, 'spec'))) };
  }
  const path = TEMPLATE_PATHS.get(obj.kind);
  if (!path) return undefined;
  let template: YAMLMap | undefined = obj.map;
  for (const key of path) template = r.map(r.get(template, key));
  const tmeta = r.map(r.get(template, 'metadata'));
  const owner = controllerOwner(r, meta.metadata);
  return { kind: obj.kind, name: meta.name, namespace: meta.namespace, pod: readPod(r, tmeta, r.map(r.get(template, 'spec'))), ...(owner ? { owner } : {}) };
}

/** The pods an operator makes for its resource: the labels asked for, then its own; its ports. */
function readOperatorWorkload(obj: ManifestObject, operator: OperatorKind, name: string, namespace: string | undefined): RawWorkload {
  const r = obj.reader;
  const spec = r.map(r.get(obj.map, 'spec'));
  const podMetadata = r.map(r.get(spec, 'podMetadata'));
  const labelsNode = r.get(podMetadata, 'labels');
  const labels = dictOf([...Object.entries(r.stringMap(labelsNode)), ...Object.entries(operator.labels(name))]);
  return {
    kind: obj.kind,
    name,
    namespace,
    pod: { labels, ports: operatorPorts(r, spec, operator), hostNetwork: r.boolean(r.get(spec, 'hostNetwork')) === true, span: r.span(labelsNode) ?? r.span(r.get(obj.map, 'metadata')) },
  };
}

/**
 * The ports of an operator's pods: the web port unless `spec.listenLocal`, the operator's
 * others (and its Thanos sidecar's), then those the resource's `spec.containers` declare (ports merge by containerPort,
 * so one of theirs replaces the operator's of the same number and protocol).
 */
function operatorPorts(r: NodeReader, spec: YAMLMap | undefined, operator: OperatorKind): ContainerPort[] {
  const own: ContainerPort[] = [...operator.ports];
  if (operator.thanos && r.map(r.get(spec, 'thanos')) !== undefined) own.push(...operator.thanos);
  if (r.boolean(r.get(spec, 'listenLocal')) !== true) {
    own.unshift({ name: r.text(r.get(spec, 'portName')) || 'web', port: operator.web, protocol: 'TCP' });
  }
  const theirs = containerPorts(r, spec);
  return [...own.filter((p) => !theirs.some((t) => t.port === p.port && t.protocol === p.protocol)), ...theirs];
}

/**
 * The controller ownerReference. Pods owned by a Node (static/mirror pods) count as
 * unowned, as in netpol-analyzer: their name is the only stable identity.
 */
function controllerOwner(r: NodeReader, metadata: YAMLMap | undefined): { kind: string; name: string } | undefined {
  for (const ref of r.items(r.get(metadata, 'ownerReferences'))) {
    const m = r.map(ref);
    if (r.boolean(r.get(m, 'controller')) !== true) continue;
    // kind is required by the API; a reference without one (hand-written input) keeps
    // the owner's name under the Pod kind, as netpol-analyzer shows it.
    const kind = r.string(r.get(m, 'kind')) || 'Pod';
    const name = r.text(r.get(m, 'name'));
    if (name && kind !== 'Node') return { kind, name };
  }
  return undefined;
}

/** The ports the containers of a pod spec declare. */
function containerPorts(r: NodeReader, spec: YAMLMap | undefined): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const c of r.items(r.get(spec, 'containers'))) {
    for (const p of r.items(r.get(r.map(c), 'ports'))) {
      const pm = r.map(p);
      const port = r.number(r.get(pm, 'containerPort'));
      const protocol = readProtocol(r, pm);
      if (port === undefined || !Number.isInteger(port) || protocol === undefined) continue;
      const name = r.text(r.get(pm, 'name'));
      ports.push(name ? { name, port, protocol } : { port, protocol });
    }
  }
  return ports;
}

function readPod(r: NodeReader, metadata: YAMLMap | undefined, spec: YAMLMap | undefined): PodShape {
  const labelsNode = r.get(metadata, 'labels');
  return {
    labels: interned(r.stringMap(labelsNode)),
    ports: interned(containerPorts(r, spec)),
    hostNetwork: r.boolean(r.get(spec, 'hostNetwork')) === true,
    span: r.span(labelsNode) ?? r.span(metadata),
  };
}

/**
 * One object per distinct label map or port list (compared by content, key order included):
 * the Pods of one ReplicaSet share their template's, so a cluster dump of 100,000 Pods holds
 * as many as it has templates. Held weakly: an entry goes with the last object that uses it.
 *
 * Found through a trie of their parts (a label's key then its value; a port's name, number
 * and protocol), not by a key string made of them: each step looks up a string the parser
 * made (its hash computed once), where a key string would be built, hashed and compared
 * whole for every workload.
 */
class InternNode {
  readonly next = new Map<string | number | undefined, InternNode>();
  value: WeakRef<object> | undefined = undefined;

  constructor(
    readonly parent: InternNode | undefined,
    readonly part: string | number | undefined,
  ) {}

  step(part: string | number | undefined): InternNode {
    let child = this.next.get(part);
    if (child === undefined) {
      child = new InternNode(this, part);
      this.next.set(part, child);
    }
    return child;
  }
}

// Two tries: a port list and a label map never share an entry (`[]` and `{}` are both at a root).
const LABEL_MAPS = new InternNode(undefined, undefined);
const PORT_LISTS = new InternNode(undefined, undefined);

const internsGone = new FinalizationRegistry<InternNode>((node) => {
  // (The entry may hold a newer object by now.)
  if (node.value?.deref() !== undefined) return;
  node.value = undefined;
  // The nodes that lead to no entry any more go too.
  for (let n = node; n.parent !== undefined && n.value === undefined && n.next.size === 0 && n.parent.next.get(n.part) === n; n = n.parent) {
    n.parent.next.delete(n.part);
  }
});

function interned<T extends Record<string, string> | readonly ContainerPort[]>(value: T): T {
  let node: InternNode;
  if (Array.isArray(value)) {
    node = PORT_LISTS;
    for (const p of value as readonly ContainerPort[]) node = node.step(p.name).step(p.port).step(p.protocol);
  } else {
    node = LABEL_MAPS;
    const labels = value as Record<string, string>;
    // (for-in visits a dict's keys in Object.entries' order: it inherits none.)
    for (const k in labels) node = node.step(k).step(labels[k]);
  }
  const hit = node.value?.deref();
  if (hit !== undefined) return hit as T;
  node.value = new WeakRef(value);
  internsGone.register(value, node);
  return value;
}

/**
 * A Pod's status.podIP and status.podIPs (a Pod as `kubectl get -o yaml` prints it): the
 * addresses that ipBlocks (as the CNI profile says) and cluster-level `networks` peers
 * match. A hostNetwork pod sends and receives with its node's address, status.hostIP
 * (and status.hostIPs): its podIP is that address too, but a hand-trimmed dump may keep
 * only hostIP. Templates have none; an address that does not parse is left out.
 */
function withStatusIps(r: NodeReader, status: YAMLMap | undefined, pod: PodShape): PodShape {
  const ips = new Set<string>();
  const add = (text: string | undefined) => {
    const ip = text === undefined ? undefined : parseIp(text.trim());
    if (ip) ips.add(formatIp(ip.family, ip.value));
  };
  add(r.text(r.get(status, 'podIP')));
  for (const item of r.items(r.get(status, 'podIPs'))) add(r.text(r.get(r.map(item), 'ip')));
  if (pod.hostNetwork) {
    add(r.text(r.get(status, 'hostIP')));
    for (const item of r.items(r.get(status, 'hostIPs'))) add(r.text(r.get(r.map(item), 'ip')));
  }
  return ips.size > 0 ? { ...pod, ips: [...ips].sort() } : pod;
}
