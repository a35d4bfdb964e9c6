import { sameItems } from '../base/arrays';
import { policyRejections } from '../validate/rejections';
import { readMeta, readNames } from './extract/common';
import { readNetworkPolicy, type RawPolicy } from './extract/policy';
import { readIngress, readService, type RawIngress, type RawService } from './extract/service';
import { makesPods, readWorkload, type RawWorkload } from './extract/workload';
import { kustomizeIngress, kustomizeNamespace, kustomizePolicy, kustomizeService, kustomizeWorkload } from './extract/kustomize';
import type { ApiServerTarget, ClusterPolicy, DisruptionBudget, Ingress, Model, Namespace, NetworkPolicy, PodShape, Service, Workload } from './types';
import { readClusterPolicy, type RawClusterPolicy } from './extract/cluster-policy';
import { clusterKindOf } from '../k8s/cluster-schema';
import { clusterPolicyProblems, isRejection } from '../validate/cluster-schema-check';
import { apiServerTargets, customResourceDefinition, disruptionBudget, foreignPolicy, unmodelledCustomResource, type RawApiServerTarget } from './extract/custom';
import { dictOf } from '../base/own';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import type { KustomizeView, LoadedFile, ManifestObject, LoadNote } from '../manifest/types';
import { objectSkippedNote } from '../manifest/notes';
import { serviceMonitor, workloadCalls, type RawMonitor, type RawServiceCall } from './extract/service-calls';
import { deployedApart, fileSetsNamespace, foldersWithKustomization, namespacelessBundles, setsNamespace } from './bundles';

export interface ModelOptions {
  /** Namespace of objects without metadata.namespace (kubectl's default context namespace). */
  readonly defaultNamespace?: string;
}

/** A workload as one manifest describes it; Pods of one owner are merged later. */
interface WorkloadRecord {
  readonly key: string;
  readonly workload: Workload;
  /** The key of its controller owner (a ReplicaSet's Deployment): its pods are the owner's. */
  readonly ownerKey?: string;
}

/** What one manifest contributes to the model, for one default namespace. */
type ObjectRecord =
  | { readonly kind: 'namespace'; readonly value: Namespace }
  | { readonly kind: 'workload'; readonly value: WorkloadRecord; readonly calls: readonly ServiceCall[] }
  | { readonly kind: 'monitor'; readonly namespaces: readonly string[]; readonly portNames: readonly string[]; readonly what: string; readonly calls: readonly ServiceCall[] }
  | { readonly kind: 'service'; readonly value: Service }
  | { readonly kind: 'ingress'; readonly value: Ingress }
  | { readonly kind: 'policy'; readonly value: NetworkPolicy; readonly note?: LoadNote }
  | { readonly kind: 'cluster-policy'; readonly value: ClusterPolicy; readonly note?: LoadNote }
  | { readonly kind: 'custom'; readonly namespace: string; readonly label: string }
  | { readonly kind: 'crd'; readonly group: string; readonly resource: string }
  | { readonly kind: 'foreign-policy'; readonly label: string; readonly namespace: string | undefined }
  | { readonly kind: 'budget'; readonly value: DisruptionBudget }
  | { readonly kind: 'apiServer'; readonly value: readonly ApiServerTarget[] }
  | { readonly kind: 'none'; readonly note?: LoadNote };

/**
 * What a manifest says, before the default namespace is applied: read from its YAML
 * once per object (whatever the model options), then finished per default namespace.
 */
type RawRecord =
  | { readonly kind: 'namespace'; readonly value: Namespace }
  | { readonly kind: 'workload'; readonly value: RawWorkload; readonly calls: readonly RawServiceCall[] }
  | { readonly kind: 'monitor'; readonly monitor: RawMonitor; readonly calls: readonly RawServiceCall[]; readonly namespace?: string }
  | { readonly kind: 'service'; readonly value: RawService }
  | { readonly kind: 'ingress'; readonly value: RawIngress }
  | { readonly kind: 'policy'; readonly value: RawPolicy; readonly rejected: string[] }
  | { readonly kind: 'cluster-policy'; readonly value: RawClusterPolicy; readonly rejected: string[] }
  | { readonly kind: 'custom'; readonly namespace?: string; readonly label: string }
  | { readonly kind: 'crd'; readonly group: string; readonly resource: string }
  | { readonly kind: 'foreign-policy'; readonly label: string; readonly clusterWide: boolean; readonly namespace?: string }
  | { readonly kind: 'budget'; readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly namespace?: string }
  | { readonly kind: 'apiServer'; readonly value: readonly RawApiServerTarget[] }
  | { readonly kind: 'none'; readonly note?: LoadNote };

const NONE = { kind: 'none' } as const;

/** A reference to a Service by name (model/extract/service-calls.ts), its namespace settled. */
interface ServiceCall {
  readonly namespace: string;
  readonly name: string;
  /** The namespace was written in the address (`api.shop`), not the caller's own. */
  readonly written: boolean;
  readonly svc: boolean;
  /** `called by env MONGO_URL of Deployment shop/web: mongodb://mongodb`. */
  readonly how: string;
}

function settle(calls: readonly RawServiceCall[], namespace: string, by: string): readonly ServiceCall[] {
  return calls.length === 0 ? NO_SERVICE_CALLS : calls.map((c) => ({ namespace: c.namespace ?? namespace, name: c.name, written: c.namespace !== undefined, svc: c.svc, how: `${c.how} of ${by}: ${c.text}` }));
}

const NO_SERVICE_CALLS: readonly ServiceCall[] = [];

/** Raw records read ahead of the model (prepareObject), for objects whose trees are gone. */
const raws = new WeakMap<ManifestObject, RawRecord>();

function rawOf(obj: ManifestObject): RawRecord {
  return raws.get(obj) ?? safeReadRaw(obj);
}

/** One object the model cannot read (a bug of ours) costs only itself: it is left out, with a note. */
function safeReadRaw(obj: ManifestObject): RawRecord {
  try {
    return readRaw(obj);
  } catch (e) {
    return { kind: 'none', note: objectSkippedNote(obj, e) };
  }
}

/**
 * Reads what the model needs from an object's YAML now, and keeps it for buildModel: a
 * batch loader calls this while the document's tree is at hand, then lets the tree go.
 */
export function prepareObject(obj: ManifestObject): void {
  if (!raws.has(obj)) raws.set(obj, safeReadRaw(obj));
  setsNamespace(obj);
}

/**
 * Extraction results per manifest object. The loader keeps the objects of unchanged
 * documents, so after an edit only the edited document is walked again, and the model
 * objects of all others keep their identity (which lets the reachability reuse its
 * compiled policies).
 */
const extracted = new WeakMap<ManifestObject, { defaultNamespace: string; record: ObjectRecord }>();

function extractObject(obj: ManifestObject, defaultNamespace: string): ObjectRecord {
  const hit = extracted.get(obj);
  if (hit && hit.defaultNamespace === defaultNamespace) return hit.record;
  const record = finish(obj, rawOf(obj), defaultNamespace);
  extracted.set(obj, { defaultNamespace, record });
  return record;
}

function readRaw(obj: ManifestObject): RawRecord {
  if (obj.kustomize) return kustomizeRaw(obj, obj.kustomize);
  const kind = obj.kind;
  if (kind === 'Namespace' && obj.apiVersion === 'v1') {
    const meta = readMeta(obj);
    if (!meta.name) return NONE;
    // The API server always sets this label to the namespace's name.
    return { kind: 'namespace', value: { name: meta.name, labels: dictOf([...Object.entries(meta.labels), [NAMESPACE_NAME_LABEL, meta.name]]), span: obj.span, declared: true, source: obj } };
  }
  if (makesPods(obj)) {
    const w = readWorkload(obj);
    if (!w || !w.name) return NONE;
    return { kind: 'workload', value: w, calls: workloadCalls(obj) };
  }
  if (kind === 'Service' && obj.apiVersion === 'v1') return { kind: 'service', value: readService(obj) };
  if ((kind === 'Ingress' && (obj.apiVersion.startsWith('networking.k8s.io/') || obj.apiVersion.startsWith('extensions/'))) || (kind === 'Route' && obj.apiVersion.startsWith('route.openshift.io/'))) {
    return { kind: 'ingress', value: readIngress(obj) };
  }
  if (kind === 'NetworkPolicy' && obj.apiVersion === 'networking.k8s.io/v1') {
    const p = readNetworkPolicy(obj);
    return { kind: 'policy', value: p, rejected: policyRejections(obj) };
  }
  const clusterKind = clusterKindOf(obj.apiVersion, kind);
  if (clusterKind) {
    return { kind: 'cluster-policy', value: readClusterPolicy(obj, clusterKind), rejected: clusterPolicyProblems(obj).filter(isRejection).map((p) => `${p.path}: ${p.message}`) };
  }
  const monitor = serviceMonitor(obj);
  if (monitor) return { kind: 'monitor', monitor: monitor.monitor, calls: monitor.calls, namespace: readNames(obj).namespace };
  const targets = apiServerTargets(obj);
  if (targets) return targets.length > 0 ? { kind: 'apiServer', value: targets } : NONE;
  const budget = disruptionBudget(obj);
  if (budget) return { kind: 'budget', name: budget.name, labels: budget.labels, namespace: readNames(obj).namespace };
  const foreign = foreignPolicy(obj);
  if (foreign) return { kind: 'foreign-policy', label: foreign.label, clusterWide: foreign.clusterWide, ...(foreign.clusterWide ? {} : { namespace: readNames(obj).namespace }) };
  const crd = customResourceDefinition(obj);
  if (crd) return { kind: 'crd', group: crd.group, resource: crd.kind };
  const custom = unmodelledCustomResource(obj);
  if (custom) return { kind: 'custom', namespace: readMeta(obj).namespace, label: custom };
  return NONE;
}

/** The record of the object as written, as its kustomization renders it. */
function kustomizeRaw(obj: ManifestObject, view: KustomizeView): RawRecord {
  const raw = rawOf(view.source);
  switch (raw.kind) {
    case 'namespace':
      return { kind: 'namespace', value: { ...kustomizeNamespace(raw.value, view), source: obj } };
    case 'workload':
      return { kind: 'workload', value: kustomizeWorkload(raw.value, view), calls: raw.calls };
    case 'monitor':
      return { ...raw, namespace: view.variant.namespace ?? raw.namespace };
    case 'service':
      return { kind: 'service', value: kustomizeService(raw.value, view) };
    case 'ingress':
      return { kind: 'ingress', value: kustomizeIngress(raw.value, view) };
    case 'policy':
      return { kind: 'policy', value: kustomizePolicy(raw.value, view), rejected: raw.rejected };
    // Cluster-scoped: a kustomization's namespace does not apply (its namePrefix would rename
    // it; only the name-order tie rule between equal priorities reads the name: not modelled).
    // A custom resource lands where its kustomization puts it (its pods are not modelled).
    case 'custom':
      return { kind: 'custom', namespace: view.variant.namespace ?? raw.namespace, label: raw.label };
    case 'foreign-policy':
      return raw.clusterWide ? raw : { ...raw, namespace: view.variant.namespace ?? raw.namespace };
    case 'budget':
      return { ...raw, namespace: view.variant.namespace ?? raw.namespace };
    case 'apiServer':
    case 'cluster-policy':
    case 'crd':
    case 'none':
      return raw;
  }
}

/** The record for one default namespace (what an omitted metadata.namespace means). */
function finish(obj: ManifestObject, raw: RawRecord, defaultNamespace: string): ObjectRecord {
  switch (raw.kind) {
    case 'namespace':
      return raw;
    case 'workload': {
      const w = raw.value;
      const namespace = w.namespace ?? defaultNamespace;
      return {
        kind: 'workload',
        value: {
          key: `${namespace}/${w.name}/${w.kind}`,
          workload: { kind: w.kind, name: w.name, namespace, pods: w.otherPods ? [w.pod, ...w.otherPods] : [w.pod], span: obj.span, sources: [obj] },
          ...(w.owner ? { ownerKey: `${namespace}/${w.owner.name}/${w.owner.kind}` } : {}),
        },
        calls: settle(raw.calls, namespace, `${w.kind} ${namespace}/${w.name}`),
      };
    }
    case 'monitor': {
      const own = raw.namespace ?? defaultNamespace;
      const what = `ServiceMonitor ${own}/${raw.monitor.name}`;
      return { kind: 'monitor', namespaces: raw.monitor.namespaces ?? [own], portNames: raw.monitor.portNames, what, calls: settle(raw.calls, own, what) };
    }
    // Model objects are written out field by field, not spread: a spread copy here gets a
    // hidden class of its own per object, and every later read of 10,000 of them (the
    // engine, the rules) goes megamorphic — several times slower.
    case 'service': {
      const svc = raw.value;
      const value: Service = { name: svc.name, namespace: svc.namespace ?? defaultNamespace, selector: svc.selector, ports: svc.ports, span: obj.span, source: obj };
      return { kind: 'service', value };
    }
    case 'ingress': {
      const i = raw.value;
      const value: Ingress = { kind: i.kind, name: i.name, namespace: i.namespace ?? defaultNamespace, backends: i.backends, ...(i.className ? { className: i.className } : {}), span: obj.span, source: obj };
      return { kind: 'ingress', value };
    }
    case 'policy': {
      const p = raw.value;
      const rejected = raw.rejected;
      const namespace = p.namespace ?? defaultNamespace;
      const note: LoadNote | undefined =
        rejected.length > 0
          ? {
              file: obj.span.file,
              span: obj.span,
              severity: 'warning',
              message: `NetworkPolicy ${namespace}/${p.name} would be rejected by the API server (${rejected[0]}${rejected.length > 1 ? `; ${rejected.length - 1} more` : ''}): ignored in the analysis`,
            }
          : undefined;
      const value: NetworkPolicy = {
        name: p.name,
        namespace,
        defaultedNamespace: p.namespace === undefined,
        podSelector: p.podSelector,
        policyTypes: p.policyTypes,
        ingress: p.ingress,
        egress: p.egress,
        rejected,
        span: p.span,
        source: obj,
      };
      return { kind: 'policy', value, ...(note ? { note } : {}) };
    }
    case 'cluster-policy': {
      const p = raw.value;
      const rejected = raw.rejected;
      const note: LoadNote | undefined =
        rejected.length > 0
          ? {
              file: obj.span.file,
              span: obj.span,
              severity: 'warning',
              message: `${p.kind} ${p.name} would be rejected by the API server (${rejected[0]}${rejected.length > 1 ? `; ${rejected.length - 1} more` : ''}): ignored in the analysis`,
            }
          : undefined;
      const value: ClusterPolicy = { ...p, rejected };
      return { kind: 'cluster-policy', value, ...(note ? { note } : {}) };
    }
    case 'custom':
      return { kind: 'custom', namespace: raw.namespace ?? defaultNamespace, label: raw.label };
    case 'apiServer':
      return { kind: 'apiServer', value: raw.value.map((t) => ({ namespace: t.namespace ?? defaultNamespace, name: t.name, port: t.port, by: t.by })) };
    case 'foreign-policy':
      return { kind: 'foreign-policy', label: raw.label, namespace: raw.clusterWide ? undefined : (raw.namespace ?? defaultNamespace) };
    case 'budget':
      return { kind: 'budget', value: { name: raw.name, namespace: raw.namespace ?? defaultNamespace, labels: raw.labels } };
    case 'crd':
    case 'none':
      return raw;
  }
}

/**
 * Builds the workspace model from loaded files: merges what each file contributes
 * (cached per file), groups Pods under their owners, adds undeclared namespaces.
 */
/** A file's records, cached per LoadedFile (an unchanged file keeps its LoadedFile). */
const fileRecords = new WeakMap<LoadedFile, { defaultNamespace: string; records: readonly ObjectRecord[] }>();

function recordsOf(file: LoadedFile, defaultNamespace: string): readonly ObjectRecord[] {
  const hit = fileRecords.get(file);
  if (hit && hit.defaultNamespace === defaultNamespace) return hit.records;
  const records = file.objects.map((obj) => extractObject(obj, defaultNamespace));
  fileRecords.set(file, { defaultNamespace, records });
  return records;
}

/**
 * What model builds share beyond one model: the workloads merged from several Pods of
 * one owner, by key, reused while the same manifests make them up, so that a merged
 * workload keeps its identity across edits elsewhere (and between the editor's analysis
 * and its change impact's baseline). The host keeps one (core/workspace.ts); a build
 * after `previous` shares previous's, any other has its own.
 */
export class ModelMemory {
  readonly mergedWorkloads = new Map<string, Workload>();
  /** The last Model.undeclaredServices, with the lists it was computed from: kept while their elements stay the same. */
  undeclared: { readonly inputs: readonly (readonly unknown[])[]; readonly namespaces: string; readonly value: ReadonlyMap<string, readonly string[]> } | undefined;
}


/** What one file contributes, split: its world records (in order), its policies, its notes. */
interface FileParts {
  readonly world: readonly ObjectRecord[];
  readonly policies: readonly NetworkPolicy[];
  readonly clusterPolicies: readonly ClusterPolicy[];
  readonly notes: readonly LoadNote[];
  /** The namespaces its policies live in (they exist in the model even when undeclared). */
  readonly policyNamespaces: string;
  /** Some object writes metadata.namespace (model.namespacelessBundles follows it). */
  readonly setsNamespace: boolean;
}

const fileParts = new WeakMap<readonly ObjectRecord[], FileParts>();

function partsOf(file: LoadedFile, defaultNamespace: string): FileParts {
  const records = recordsOf(file, defaultNamespace);
  let parts = fileParts.get(records);
  if (!parts) {
    const world: ObjectRecord[] = [];
    const policies: NetworkPolicy[] = [];
    const clusterPolicies: ClusterPolicy[] = [];
    const notes: LoadNote[] = [...file.notes];
    for (const r of records) {
      if (r.kind === 'policy') {
        policies.push(r.value);
        if (r.note) notes.push(r.note);
      } else if (r.kind === 'cluster-policy') {
        clusterPolicies.push(r.value);
        if (r.note) notes.push(r.note);
      } else if (r.kind !== 'none') world.push(r);
      else if (r.note) notes.push(r.note);
    }
    parts = { world, policies, clusterPolicies, notes, policyNamespaces: [...new Set(policies.map((p) => p.namespace))].sort().join('\u0000'), setsNamespace: fileSetsNamespace(file) };
    fileParts.set(records, parts);
  }
  return parts;
}

/** What each model was built from, for the next build that names it as `previous`. */
const builtFrom = new WeakMap<Model, { readonly defaultNamespace: string; readonly parts: readonly FileParts[]; readonly memory: ModelMemory }>();

/**
 * The model when the files differ from the last build's in their policies only (their
 * world records are the same objects and their policies live in the same namespaces):
 * the last workloads, namespaces, Services and Ingresses stand (the same arrays: the
 * reachability sees the same world at once), policies and notes are put together anew.
 */
function policiesOnlyBuild(parts: readonly FileParts[], defaultNamespace: string, previous: Model | undefined): Model | undefined {
  const last = previous && builtFrom.get(previous);
  if (!previous || !last || last.defaultNamespace !== defaultNamespace || last.parts.length !== parts.length) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const a = parts[i];
    const b = last.parts[i];
    if (a === b) continue;
    if (a.policyNamespaces !== b.policyNamespaces || a.setsNamespace !== b.setsNamespace || a.world.length !== b.world.length) return undefined;
    for (let k = 0; k < a.world.length; k++) if (a.world[k] !== b.world[k]) return undefined;
  }
  const policies: NetworkPolicy[] = [];
  const clusterPolicies: ClusterPolicy[] = [];
  const notes: LoadNote[] = [];
  for (const p of parts) {
    for (const x of p.policies) policies.push(x);
    for (const x of p.clusterPolicies) clusterPolicies.push(x);
    for (const n of p.notes) notes.push(n);
  }
  return { ...previous, policies, clusterPolicies, notes };
}

/**
 * `previous`: the model of the same workspace before an edit; when the edit changed
 * policies only, its world is taken as it is (see policiesOnlyBuild).
 */
export function buildModel(files: readonly LoadedFile[], options: ModelOptions = {}, previous?: Model, memory?: ModelMemory): Model {
  const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
  const shared = memory ?? (previous && builtFrom.get(previous)?.memory) ?? new ModelMemory();
  const parts = files.map((f) => partsOf(f, defaultNamespace));
  const model = policiesOnlyBuild(parts, defaultNamespace, previous) ?? fullBuild(files, defaultNamespace, shared);
  builtFrom.set(model, { defaultNamespace, parts, memory: shared });
  return model;
}

function fullBuild(files: readonly LoadedFile[], defaultNamespace: string, memory: ModelMemory): Model {
  const namespaces = new Map<string, Namespace>();
  const byKey = new Map<string, Draft>();
  // Definitions of one workload that are never deployed together (variants of other roots,
  // files their folder's kustomization leaves out), per key: weighed once all are read.
  const apart = new Map<string, Draft[]>();
  let kustomized: ReadonlySet<string> | undefined;
  const services: Service[] = [];
  const ingresses: Ingress[] = [];
  const policies: NetworkPolicy[] = [];
  const clusterPolicies: ClusterPolicy[] = [];
  const notes: LoadNote[] = [];
  const customResources = new Map<string, string[]>();
  const operatorGroups = new Map<string, string[]>();
  const foreignPolicies: { label: string; namespace: string | undefined }[] = [];
  const disruptionBudgets: DisruptionBudget[] = [];
  const apiServerTargets: ApiServerTarget[] = [];
  const calls: ServiceCall[] = [];
  const monitors: Extract<ObjectRecord, { kind: 'monitor' }>[] = [];
  /** Workload key -> its controller owner's key (a ReplicaSet's Deployment). */
  const owners = new Map<string, string>();

  for (const file of files) {
    for (const n of file.notes) notes.push(n);
    for (const r of recordsOf(file, defaultNamespace)) {
      switch (r.kind) {
        case 'namespace':
          namespaces.set(r.value.name, r.value);
          break;
        case 'workload': {
          const { key, workload, ownerKey } = r.value;
          for (const c of r.calls) calls.push(c);
          if (ownerKey !== undefined && ownerKey !== key) owners.set(key, ownerKey);
          const existing = byKey.get(key);
          if (!existing) {
            byKey.set(key, workload);
            break;
          }
          kustomized ??= foldersWithKustomization(files);
          const together = (d: Draft) => !deployedApart(d.sources[0], workload.sources[0], kustomized!);
          if (together(existing)) {
            byKey.set(key, mergeDraft(existing, workload));
            break;
          }
          const others = apart.get(key) ?? [];
          const i = others.findIndex(together);
          if (i < 0) others.push(workload);
          else others[i] = mergeDraft(others[i], workload);
          apart.set(key, others);
          break;
        }
        case 'monitor':
          monitors.push(r);
          for (const c of r.calls) calls.push(c);
          break;
        case 'service':
          services.push(r.value);
          break;
        case 'ingress':
          ingresses.push(r.value);
          break;
        case 'policy':
          policies.push(r.value);
          if (r.note) notes.push(r.note);
          break;
        case 'cluster-policy':
          clusterPolicies.push(r.value);
          if (r.note) notes.push(r.note);
          break;
        case 'custom': {
          const list = customResources.get(r.namespace);
          if (list) list.push(r.label);
          else customResources.set(r.namespace, [r.label]);
          break;
        }
        case 'foreign-policy':
          foreignPolicies.push({ label: r.label, namespace: r.namespace });
          break;
        case 'budget':
          disruptionBudgets.push(r.value);
          break;
        case 'crd': {
          const list = operatorGroups.get(r.group);
          if (!list) operatorGroups.set(r.group, [r.resource]);
          else if (!list.includes(r.resource)) list.push(r.resource);
          break;
        }
        case 'apiServer':
          for (const t of r.value) apiServerTargets.push(t);
          break;
        case 'none':
          if (r.note) notes.push(r.note);
          break;
      }
    }
  }

  for (const [key, others] of apart) byKey.set(key, deployedVariant([byKey.get(key)!, ...others]));
  const workloads: Workload[] = [];
  for (const [key, w] of owners.size > 0 ? underOwners(byKey, owners) : byKey) {
    if ('merged' in w) {
      const previous = memory.mergedWorkloads.get(key);
      if (previous && sameItems(previous.sources, w.sources)) {
        workloads.push(previous);
      } else {
        const merged: Workload = { kind: w.kind, name: w.name, namespace: w.namespace, pods: w.pods, span: w.span, sources: w.sources };
        memory.mergedWorkloads.set(key, merged);
        workloads.push(merged);
      }
    } else {
      workloads.push(w);
    }
  }
  // Namespaces that objects live in exist in the cluster even when not declared here;
  // they carry only the automatic name label.
  for (const w of workloads) addReferenced(namespaces, w.namespace);
  for (const p of policies) addReferenced(namespaces, p.namespace);
  const undeclaredServices = undeclaredServicesOf(memory, namespaces, services, ingresses, apiServerTargets, calls, monitors);
  return { defaultNamespace, namespaces, workloads, services, ingresses, policies, clusterPolicies, notes, customResources, operatorGroups, foreignPolicies, disruptionBudgets, apiServerTargets, undeclaredServices, namespacelessBundles: namespacelessBundles(files) };
}

/** At most this many references are kept per namespace (enough to say why). */
const MAX_UNDECLARED_REFERENCES = 3;

/**
 * Model.undeclaredServices: per namespace, what refers to a Service of it that no
 * manifest declares. `kubernetes` in default (the API server's own Service, with no pods)
 * is no evidence of anything deployed. Kept from the last build while the lists it reads
 * hold the same objects (a keystroke in a workload of 10,000 would otherwise index every
 * Service again).
 */
function undeclaredServicesOf(
  memory: ModelMemory,
  namespaces: ReadonlyMap<string, Namespace>,
  services: readonly Service[],
  ingresses: readonly Ingress[],
  apiServerTargets: readonly ApiServerTarget[],
  calls: readonly ServiceCall[],
  monitors: readonly Extract<ObjectRecord, { kind: 'monitor' }>[],
): ReadonlyMap<string, readonly string[]> {
  // Which namespaces named in an address without `.svc` are known decides whether it names a Service.
  const known = calls.map((c) => (c.written && !c.svc && !namespaces.has(c.namespace) ? '0' : '1')).join('');
  const inputs = [services, ingresses, apiServerTargets, calls, monitors];
  const last = memory.undeclared;
  if (last && last.namespaces === known && inputs.every((list, i) => sameItems(list, last.inputs[i]))) return last.value;
  const value = computeUndeclaredServices(services, ingresses, apiServerTargets, calls, monitors, known);
  memory.undeclared = { inputs, namespaces: known, value };
  return value;
}


function computeUndeclaredServices(
  services: readonly Service[],
  ingresses: readonly Ingress[],
  apiServerTargets: readonly ApiServerTarget[],
  calls: readonly ServiceCall[],
  monitors: readonly Extract<ObjectRecord, { kind: 'monitor' }>[],
  known: string,
): ReadonlyMap<string, readonly string[]> {
  // The references, in order: the Service (by namespace and name), and what refers to it
  // (its words made only for the few that no manifest declares).
  const refs: { namespace: string; service: string; by: ServiceCall | Ingress | ApiServerTarget | string; described?: string }[] = [];
  calls.forEach((c, i) => {
    // `a.b` without `.svc` names a Service only in a namespace we know; otherwise a host outside.
    if (known[i] === '1') refs.push({ namespace: c.namespace, service: c.name, by: c });
  });
  for (const i of ingresses) for (const b of i.backends) refs.push({ namespace: i.namespace, service: b.service, by: i });
  for (const t of apiServerTargets) refs.push({ namespace: t.namespace, service: t.name, by: t });
  if (monitors.length > 0) {
    // The port names of the Services declared in each namespace: a port name no declared
    // Service has means the scraped Service is not here.
    const portNames = new Map<string, Set<string>>();
    for (const s of services) {
      let names = portNames.get(s.namespace);
      if (!names) portNames.set(s.namespace, (names = new Set()));
      for (const p of s.ports) if (p.name) names.add(p.name);
    }
    for (const m of monitors) {
      for (const ns of m.namespaces) {
        const missing = m.portNames.find((p) => !portNames.get(ns)?.has(p));
        if (missing !== undefined) refs.push({ namespace: ns, service: `port:${missing}`, by: `scraped by ${m.what}; no Service declared in ${ns} has that port`, described: `a Service with a port named ${missing}` });
      }
    }
  }
  const out = new Map<string, string[]>();
  if (refs.length === 0) return out;
  // The names referred to per namespace, then those declared among them (no key built per Service).
  const named = new Map<string, Set<string>>();
  for (const r of refs) {
    let names = named.get(r.namespace);
    if (!names) named.set(r.namespace, (names = new Set()));
    names.add(r.service);
  }
  const declared = new Map<string, Set<string>>();
  for (const s of services) {
    if (!named.get(s.namespace)?.has(s.name)) continue;
    let names = declared.get(s.namespace);
    if (!names) declared.set(s.namespace, (names = new Set()));
    names.add(s.name);
  }
  // One reference per Service (the first met), a few per namespace.
  const seen = new Set<string>();
  for (const r of refs) {
    const key = `${r.namespace}/${r.service}`;
    if (declared.get(r.namespace)?.has(r.service) || key === 'default/kubernetes' || seen.has(key)) continue;
    seen.add(key);
    const by = r.by;
    const how =
      typeof by === 'string' ? by : 'how' in by ? by.how : 'backends' in by ? `routed to by ${by.kind} ${by.namespace}/${by.name}` : `called by the API server for ${by.by}`;
    const text = `${r.described ?? `Service ${key}`} (${how})`;
    const list = out.get(r.namespace);
    if (!list) out.set(r.namespace, [text]);
    else if (list.length < MAX_UNDECLARED_REFERENCES) list.push(text);
  }
  return out;
}

/** A workload being put together: one definition, or several merged (Pods of one owner, duplicates deployed together). */
type Draft = Workload | { merged: true; kind: string; name: string; namespace: string; pods: PodShape[]; span?: Workload['span']; sources: ManifestObject[] };

function mergeDraft(d: Draft, w: Workload): Draft {
  if ('merged' in d) {
    d.pods.push(...w.pods);
    d.sources.push(...w.sources);
    return d;
  }
  // Several Pods of one owner: one endpoint with all their shapes.
  return { ...d, merged: true, pods: [...d.pods, ...w.pods], sources: [...d.sources, ...w.sources] };
}

/**
 * The workloads with every owned one merged into its controller owner, as the cluster runs
 * them: a cluster dump's Pods (owned by a ReplicaSet), the ReplicaSets (current and old,
 * owned by the Deployment) and the Deployment are one endpoint, the Deployment
 * (`ns/web[Deployment]`), with the pods of all. An owner that is not in the files still
 * names the endpoint (the ReplicaSet's ownerReference says whose pods they are). The
 * owners' own definitions come first (a merged endpoint's span is its first definition's).
 */
function underOwners(byKey: ReadonlyMap<string, Draft>, owners: ReadonlyMap<string, string>): Map<string, Draft> {
  const top = (key: string) => {
    let k = key;
    // Kubernetes' owners form no cycle; a hand-written one stops after a few steps.
    for (let i = 0; i < 8; i++) {
      const next = owners.get(k);
      if (next === undefined || next === key) break;
      k = next;
    }
    return k;
  };
  const out = new Map<string, Draft>();
  for (const [key, d] of byKey) if (!owners.has(key)) out.set(key, d);
  for (const [key, d] of byKey) {
    if (!owners.has(key)) continue;
    const ownerKey = top(key);
    const existing = out.get(ownerKey);
    if (existing) {
      out.set(ownerKey, mergeDraft(existing, d));
      continue;
    }
    // The owner is not in the files: the endpoint is named after it all the same.
    const [namespace, name, kind] = splitKey(ownerKey);
    out.set(ownerKey, { merged: true, kind, name, namespace, pods: [...d.pods], span: d.span, sources: [...d.sources] });
  }
  return out;
}

/** `namespace/name/kind` (namespaces and names have no `/`; a kind has none either). */
function splitKey(key: string): [string, string, string] {
  const a = key.indexOf('/');
  const b = key.lastIndexOf('/');
  return [key.slice(0, a), key.slice(a + 1, b), key.slice(b + 1)];
}

/**
 * Of the definitions of one workload that are never deployed together, the one analysed:
 * merged, they would make a phantom with the pods of both (argo-cd's StatefulSet beside the
 * labelless copy an alternative install patches it with). As for a kustomized object that
 * several roots deploy (docs/semantics.md, "One variant per object"), the first root by
 * folder wins; a definition a kustomization deploys wins over a file its folder's
 * kustomization leaves out; otherwise the first read.
 */
function deployedVariant(drafts: readonly Draft[]): Draft {
  const rank = (d: Draft): string | undefined => {
    let best: string | undefined;
    for (const s of d.sources) {
      const root = s.kustomize?.variant.root;
      if (root !== undefined && (best === undefined || root < best)) best = root;
    }
    return best;
  };
  let chosen = drafts[0];
  let chosenRank = rank(chosen);
  for (const d of drafts.slice(1)) {
    const r = rank(d);
    if (r !== undefined && (chosenRank === undefined || r < chosenRank)) {
      chosen = d;
      chosenRank = r;
    }
  }
  return chosen;
}

function addReferenced(namespaces: Map<string, Namespace>, name: string): void {
  if (!namespaces.has(name)) namespaces.set(name, { name, labels: dictOf([[NAMESPACE_NAME_LABEL, name]]), declared: false });
}
