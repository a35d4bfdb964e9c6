import { sameItems } from '../base/arrays';
import type { LoadedFile, ManifestObject } from '../manifest/types';
import { readMeta as readWrittenMeta, readNames } from '../model/extract/common';
import type { Model, Workload } from '../model/types';
import { OSM_INJECTION, podIdentityOf } from './evidence';

/**
 * Service-mesh access control as the manifests declare it: SMI TrafficTargets
 * (access.smi-spec.io, v1alpha1 to v1alpha3) and Open Service Mesh's MeshConfig. Where a
 * mesh enforces SMI access control, traffic to a pod is denied unless a TrafficTarget
 * names the pod's ServiceAccount as its destination and the caller's ServiceAccount among
 * its sources (the SMI spec: "access control is additive, all traffic is denied by
 * default"). A rule reads it to tell a flow the NetworkPolicies block from one that a
 * second, independent layer of the repository refuses as well.
 *
 * What is not read, each time on the side that keeps a warning: a TrafficTarget's routes
 * (HTTPRouteGroup matches, TCPRoute ports) and its destination `port`, so a TrafficTarget
 * that names the caller authorizes it on every port and path; and a source of another
 * kind than ServiceAccount, which may authorize anyone.
 */
export interface MeshAccess {
  /** The TrafficTargets per destination ServiceAccount (`namespace/name`), in workspace order. */
  readonly targets: ReadonlyMap<string, readonly TrafficTargetRef[]>;
  /**
   * Whether the TrafficTargets are enforced: no Open Service Mesh MeshConfig of the
   * workspace runs permissive (`spec.traffic.enablePermissiveTrafficPolicyMode: true`, or
   * unset: the AKS add-on and the Helm chart install it permissive).
   */
  readonly enforced: boolean;
  /** An OSM MeshConfig that says non-permissive (`namespace/name`), when enforced. */
  readonly strictConfig?: string;
  /** The namespaces Open Service Mesh monitors (label `openservicemesh.io/monitored-by`), with their sidecar-injection annotation; read only under a strict MeshConfig. */
  readonly osmNamespaces: ReadonlyMap<string, string | undefined>;
  /** What it was built from (see collectMesh: an unchanged input gives the same object). */
  readonly inputs: readonly unknown[];
}

export interface TrafficTargetRef {
  /** `namespace/name` of the TrafficTarget. */
  readonly name: string;
  /** The source ServiceAccounts it authorizes (`namespace/name`); 'any' for a source it does not say as one (another kind, no name). */
  readonly sources: readonly string[] | 'any';
}

/** A flow the mesh refuses, and why. */
export interface MeshRefusal {
  /** The destination's ServiceAccount, `namespace/name`. */
  readonly account: string;
  /** The caller's ServiceAccount. */
  readonly caller: string;
  /** The TrafficTargets that name the destination (none: refused by the strict MeshConfig alone). */
  readonly targets: readonly TrafficTargetRef[];
  /** The strict MeshConfig, when one says the mesh is non-permissive. */
  readonly strictConfig?: string;
}

export const NO_MESH: MeshAccess = Object.freeze({ targets: new Map(), enforced: false, osmNamespaces: new Map(), inputs: Object.freeze([]) });

const isTrafficTarget = (o: ManifestObject) => o.kind === 'TrafficTarget' && o.apiVersion.startsWith('access.smi-spec.io/');
const isMeshConfig = (o: ManifestObject) => o.kind === 'MeshConfig' && o.apiVersion.startsWith('config.openservicemesh.io/');

/** The label by which Open Service Mesh monitors a namespace. */
export const OSM_MONITORED_BY = 'openservicemesh.io/monitored-by';

interface TrafficTargetReads {
  readonly name: string;
  /** Its namespace as written (a kustomization's included). */
  readonly namespace: string | undefined;
  /** The destination ServiceAccount (its namespace as written), undefined when it names none. */
  readonly destination?: { readonly name: string; readonly namespace: string | undefined };
  readonly sources: readonly { readonly name: string; readonly namespace: string | undefined }[] | 'any';
}

interface MeshConfigReads {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly permissive: boolean | undefined;
}

const targetReads = new WeakMap<ManifestObject, TrafficTargetReads>();
const configReads = new WeakMap<ManifestObject, MeshConfigReads>();
const namespaceInjection = new WeakMap<ManifestObject, { value: string | undefined }>();

/** Reads what the mesh model needs of an object while its syntax tree is at hand (as prepareEvidence). */
export function prepareMesh(o: ManifestObject): void {
  if (isTrafficTarget(o)) trafficTarget(o);
  else if (isMeshConfig(o)) meshConfig(o);
  else if (o.kind === 'Namespace' && o.apiVersion === 'v1') injectionOf(o);
}

/** An object's namespace where its kustomization deploys it. */
function deployedNamespace(o: ManifestObject): string | undefined {
  return o.kustomize?.variant.namespace ?? readNames(o).namespace;
}

function trafficTarget(o: ManifestObject): TrafficTargetReads {
  let hit = targetReads.get(o);
  if (hit) return hit;
  const r = o.reader;
  // v1alpha1 has destination and sources at the top level; later versions under spec.
  const body = o.apiVersion === 'access.smi-spec.io/v1alpha1' ? o.map : r.map(r.get(o.map, 'spec'));
  const account = (node: unknown): { name: string; namespace: string | undefined } | undefined => {
    const m = r.map(node);
    const kind = r.string(r.get(m, 'kind'));
    const name = r.string(r.get(m, 'name'));
    if ((kind !== undefined && kind !== 'ServiceAccount') || !name) return undefined;
    return { name, namespace: r.string(r.get(m, 'namespace')) || undefined };
  };
  const destination = account(r.get(body, 'destination'));
  let sources: { name: string; namespace: string | undefined }[] | 'any' = [];
  for (const item of r.items(r.get(body, 'sources'))) {
    const s = account(item);
    if (!s) {
      sources = 'any';
      break;
    }
    sources.push(s);
  }
  hit = { name: readNames(o).name, namespace: deployedNamespace(o), ...(destination ? { destination } : {}), sources };
  targetReads.set(o, hit);
  return hit;
}

function meshConfig(o: ManifestObject): MeshConfigReads {
  let hit = configReads.get(o);
  if (hit) return hit;
  const r = o.reader;
  const traffic = r.map(r.get(r.map(r.get(o.map, 'spec')), 'traffic'));
  hit = { name: readNames(o).name, namespace: deployedNamespace(o), permissive: r.boolean(r.get(traffic, 'enablePermissiveTrafficPolicyMode')) };
  configReads.set(o, hit);
  return hit;
}

function injectionOf(o: ManifestObject): string | undefined {
  let hit = namespaceInjection.get(o);
  if (!hit) {
    const { metadata } = readWrittenMeta(o);
    const r = o.reader;
    namespaceInjection.set(o, (hit = { value: r.text(r.get(r.map(r.get(metadata, 'annotations')), OSM_INJECTION)) }));
  }
  return hit.value;
}

/** Per file, its TrafficTargets and MeshConfigs (an unchanged file gives the same array). */
const meshObjectsOfFile = new WeakMap<LoadedFile, readonly ManifestObject[]>();

function meshObjects(f: LoadedFile): readonly ManifestObject[] {
  let list = meshObjectsOfFile.get(f);
  if (!list) meshObjectsOfFile.set(f, (list = f.objects.filter((o) => isTrafficTarget(o) || isMeshConfig(o))));
  return list;
}

/**
 * The workspace's mesh access control. `previous` is returned when what it read is the
 * same (the same TrafficTarget and MeshConfig objects, the same default namespace and,
 * under a strict MeshConfig, the same Namespace objects and monitored labels): a verdict
 * that read it is replayed while it is the same object.
 */
export function collectMesh(files: readonly LoadedFile[], model: Model, previous?: MeshAccess): MeshAccess {
  const objects = files.flatMap((f) => meshObjects(f));
  if (objects.length === 0) return NO_MESH;
  const configs = objects.filter(isMeshConfig).map((o) => ({ o, reads: meshConfig(o) }));
  const strict = configs.length > 0 && configs.every((c) => c.reads.permissive === false);
  // Under a strict MeshConfig, which namespaces the mesh monitors matters too (a pod no TrafficTarget names is refused everything).
  const namespaces: unknown[] = [];
  if (strict) {
    for (const ns of model.namespaces.values()) {
      const monitored = ns.labels[OSM_MONITORED_BY];
      if (monitored !== undefined) namespaces.push(ns.name, monitored, ns.source);
    }
  }
  const inputs = [model.defaultNamespace, ...objects, '\u0000', ...namespaces];
  if (previous && sameItems(previous.inputs, inputs)) return previous;
  // With no MeshConfig the TrafficTargets are taken as enforced (the finding says it assumes so).
  const enforced = strict || configs.length === 0;
  const targets = new Map<string, TrafficTargetRef[]>();
  for (const o of objects) {
    if (!isTrafficTarget(o)) continue;
    const t = trafficTarget(o);
    if (!t.destination) continue;
    // A namespace left out is the TrafficTarget's own, for the destination and the sources alike.
    const own = t.namespace ?? model.defaultNamespace;
    const key = `${t.destination.namespace ?? own}/${t.destination.name}`;
    const ref: TrafficTargetRef = { name: `${own}/${t.name}`, sources: t.sources === 'any' ? 'any' : t.sources.map((s) => `${s.namespace ?? own}/${s.name}`) };
    const list = targets.get(key);
    if (list) list.push(ref);
    else targets.set(key, [ref]);
  }
  const osmNamespaces = new Map<string, string | undefined>();
  if (strict) for (const ns of model.namespaces.values()) if (ns.labels[OSM_MONITORED_BY] !== undefined) osmNamespaces.set(ns.name, ns.source ? injectionOf(ns.source) : undefined);
  const first = configs.find((c) => c.reads.permissive === false)?.reads;
  const strictConfig = strict && first ? `${first.namespace ?? model.defaultNamespace}/${first.name}` : undefined;
  return { targets, enforced, ...(strictConfig ? { strictConfig } : {}), osmNamespaces, inputs };
}

/** Open Service Mesh's reading of a sidecar-injection annotation: true, false, or unsaid. */
function injection(value: string | undefined): boolean | undefined {
  const v = value?.toLowerCase();
  if (v === 'enabled' || v === 'yes' || v === 'true') return true;
  if (v === 'disabled' || v === 'no' || v === 'false') return false;
  return undefined;
}

/**
 * Whether the mesh refuses `src` → `dst` (pods of two workloads of the workspace): the
 * destination's ServiceAccount is governed (a TrafficTarget names it; or, under a strict
 * OSM MeshConfig, its pods are in the mesh, in a monitored namespace with the sidecar
 * injected) and no TrafficTarget authorizes the caller's ServiceAccount. Undefined when
 * the mesh admits it or when that is not known.
 */
export function meshRefusal(mesh: MeshAccess, src: Workload, dst: Workload): MeshRefusal | undefined {
  if (!mesh.enforced) return undefined;
  const from = podIdentityOf(src);
  const to = podIdentityOf(dst);
  if (!from || !to) return undefined;
  const account = `${dst.namespace}/${to.serviceAccount}`;
  const caller = `${src.namespace}/${from.serviceAccount}`;
  const targets = mesh.targets.get(account) ?? [];
  if (targets.length > 0) {
    if (targets.some((t) => t.sources === 'any' || t.sources.includes(caller))) return undefined;
    return { account, caller, targets, ...(mesh.strictConfig ? { strictConfig: mesh.strictConfig } : {}) };
  }
  // No TrafficTarget names it: refused only where the mesh is known to deny by default and to hold the pods.
  if (!mesh.strictConfig || !mesh.osmNamespaces.has(dst.namespace)) return undefined;
  const injected = injection(to.osmInjection) ?? injection(mesh.osmNamespaces.get(dst.namespace));
  return injected ? { account, caller, targets, strictConfig: mesh.strictConfig } : undefined;
}
