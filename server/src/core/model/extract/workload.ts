import type { YAMLMap } from 'yaml';
import type { NodeReader } from '../../yaml/nodes';
import type { ContainerPort, PodShape } from '../types';
import { readMeta, readProtocol } from './common';
import type { ManifestObject } from '../../manifest/types';

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
}

export function readWorkload(obj: ManifestObject): RawWorkload | undefined {
  const r = obj.reader;
  const meta = readMeta(obj);
  if (obj.kind === 'Pod') {
    const owner = controllerOwner(r, meta.metadata);
    return {
      kind: owner?.kind ?? 'Pod',
      name: owner?.name ?? meta.name,
      namespace: meta.namespace,
      pod: withStatusIps(r, r.map(r.get(obj.map, 'status')), readPod(r, meta.metadata, r.map(r.get(obj.map, 'spec')))),
    };
  }
  const path = TEMPLATE_PATHS.get(obj.kind);
  if (!path) return undefined;
  let template: YAMLMap | undefined = obj.map;
  for (const key of path) template = r.map(r.get(template, key));
  const tmeta = r.map(r.get(template, 'metadata'));
  return { kind: obj.kind, name: meta.name, namespace: meta.namespace, pod: readPod(r, tmeta, r.map(r.get(template, 'spec'))) };
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

function readPod(r: NodeReader, metadata: YAMLMap | undefined, spec: YAMLMap | undefined): PodShape {
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
  const labelsNode = r.get(metadata, 'labels');
  return {
    labels: r.stringMap(labelsNode),
    ports,
    hostNetwork: r.boolean(r.get(spec, 'hostNetwork')) === true,
    span: r.span(labelsNode) ?? r.span(metadata),
  };
}

/**
 * A Pod's status.podIP and status.podIPs (a Pod as `kubectl get -o yaml` prints it): the
 * addresses that cluster-level `networks` peers match. Templates have none.
 */
function withStatusIps(r: NodeReader, status: YAMLMap | undefined, pod: PodShape): PodShape {
  const ips = new Set<string>();
  const one = r.text(r.get(status, 'podIP'));
  if (one) ips.add(one);
  for (const item of r.items(r.get(status, 'podIPs'))) {
    const ip = r.text(r.get(r.map(item), 'ip'));
    if (ip) ips.add(ip);
  }
  return ips.size > 0 ? { ...pod, ips: [...ips].sort() } : pod;
}
