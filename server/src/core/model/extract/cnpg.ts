import type { YAMLMap } from 'yaml';
import type { NodeReader } from '../../yaml/nodes';
import type { ContainerPort, PodShape } from '../types';
import { dictOf } from '../../base/own';

/**
 * CloudNativePG's `Cluster` (postgresql.cnpg.io): its operator makes `spec.instances` pods
 * (default 1), one per instance, named `<cluster>-<serial>` (cloudnative-pg
 * `pkg/specs/pods.go`, `buildInstance`). Every pod carries the cluster's labels; the
 * instance name and the role differ per pod, so the workload has one pod shape per instance.
 *
 * Labels (`pkg/utils/labels_annotations.go`): `cnpg.io/cluster=<cluster>`,
 * `cnpg.io/instanceName=<cluster>-<n>`, `cnpg.io/podRole=instance`,
 * `app.kubernetes.io/{name=postgresql, instance=<cluster>, component=database,
 * managed-by=cloudnative-pg}`, and the role, both as `role` (deprecated) and
 * `cnpg.io/instanceRole`: `primary` on the first instance, `replica` on the others, as
 * a new cluster starts (a switchover moves it; the analysis takes the cluster as created).
 * `spec.inheritedMetadata.labels` are inherited by every pod (`utils.InheritLabels`); the
 * operator's own are kept where a key is the same. `app.kubernetes.io/version` (the
 * PostgreSQL major version, from the image the operator picks) is not modelled.
 *
 * Ports of the `postgres` container: postgresql 5432, metrics 9187, status 8000, and
 * pprof 6060 with the annotation `alpha.cnpg.io/enableInstancePprof: "true"`.
 */
export const CNPG_GROUP = 'postgresql.cnpg.io';

/** Pods beyond this many instances add no shape a selector could tell apart from the last. */
const MAX_INSTANCE_SHAPES = 16;

const PORTS: readonly ContainerPort[] = [
  { name: 'postgresql', port: 5432, protocol: 'TCP' },
  { name: 'metrics', port: 9187, protocol: 'TCP' },
  { name: 'status', port: 8000, protocol: 'TCP' },
];
const PPROF: ContainerPort = { name: 'pprof', port: 6060, protocol: 'TCP' };
const PPROF_ANNOTATION = 'alpha.cnpg.io/enableInstancePprof';

export function isCnpgCluster(kind: string, group: string): boolean {
  return kind === 'Cluster' && group === CNPG_GROUP;
}

/** The pod shapes of the cluster's instances, the primary first. */
export function cnpgClusterPods(r: NodeReader, metadata: YAMLMap | undefined, spec: YAMLMap | undefined, name: string): PodShape[] {
  const labelsNode = r.get(r.map(r.get(spec, 'inheritedMetadata')), 'labels');
  const inherited = Object.entries(r.stringMap(labelsNode));
  const pprof = r.text(r.get(r.map(r.get(metadata, 'annotations')), PPROF_ANNOTATION)) === 'true';
  const ports = pprof ? [...PORTS, PPROF] : PORTS;
  const written = r.number(r.get(spec, 'instances'));
  const instances = written !== undefined && Number.isInteger(written) && written >= 1 ? Math.min(written, MAX_INSTANCE_SHAPES) : 1;
  const span = r.span(labelsNode) ?? r.span(metadata);
  const pods: PodShape[] = [];
  for (let serial = 1; serial <= instances; serial++) {
    const role = serial === 1 ? 'primary' : 'replica';
    const labels = dictOf([
      ...inherited,
      ['cnpg.io/cluster', name],
      ['cnpg.io/instanceName', `${name}-${serial}`],
      ['cnpg.io/podRole', 'instance'],
      ['app.kubernetes.io/name', 'postgresql'],
      ['app.kubernetes.io/instance', name],
      ['app.kubernetes.io/component', 'database'],
      ['app.kubernetes.io/managed-by', 'cloudnative-pg'],
      ['role', role],
      ['cnpg.io/instanceRole', role],
    ]);
    pods.push({ labels, ports, hostNetwork: false, span });
  }
  return pods;
}
