import type { LoadedFile, ManifestObject } from '../manifest/load';
import { policyRejections } from '../rules/rejections';
import { readMeta } from './extract/common';
import { readNetworkPolicy } from './extract/policy';
import { readIngress, readService } from './extract/service';
import { isWorkloadKind, readWorkload } from './extract/workload';
import type { Ingress, LoadNote, Model, Namespace, NetworkPolicy, PodShape, Service, Workload } from './types';

export interface ModelOptions {
  /** Namespace of objects without metadata.namespace (kubectl's default context namespace). */
  readonly defaultNamespace?: string;
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A workload as one manifest describes it; Pods of one owner are merged later. */
interface WorkloadRecord {
  readonly key: string;
  readonly workload: Workload;
}

/** What one file contributes to the model, for one default namespace. */
interface FileRecords {
  readonly defaultNamespace: string;
  readonly namespaces: readonly Namespace[];
  readonly workloads: readonly WorkloadRecord[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly policies: readonly NetworkPolicy[];
  readonly notes: readonly LoadNote[];
}

/**
 * Extraction results per loaded file. An unchanged file keeps its LoadedFile object
 * (the loaders cache it by text), so after an edit only the edited file is walked
 * again, and the model objects of the others keep their identity (which lets the
 * reachability reuse its compiled policies).
 */
const extracted = new WeakMap<LoadedFile, FileRecords>();

function extractFile(file: LoadedFile, defaultNamespace: string): FileRecords {
  const hit = extracted.get(file);
  if (hit && hit.defaultNamespace === defaultNamespace) return hit;
  const namespaces: Namespace[] = [];
  const workloads: WorkloadRecord[] = [];
  const services: Service[] = [];
  const ingresses: Ingress[] = [];
  const policies: NetworkPolicy[] = [];
  const notes: LoadNote[] = [...file.notes];
  for (const obj of file.objects) {
    const kind = obj.kind;
    if (kind === 'Namespace' && obj.apiVersion === 'v1') {
      const meta = readMeta(obj);
      if (meta.name) {
        // The API server always sets this label to the namespace's name.
        namespaces.push({ name: meta.name, labels: { ...meta.labels, [NAMESPACE_NAME_LABEL]: meta.name }, span: obj.span, declared: true, source: obj });
      }
    } else if (isWorkloadKind(kind)) {
      const w = readWorkload(obj);
      if (!w || !w.name) continue;
      const namespace = w.namespace ?? defaultNamespace;
      workloads.push({
        key: `${namespace}/${w.name}/${w.kind}`,
        workload: { kind: w.kind, name: w.name, namespace, pods: [w.pod], span: obj.span, sources: [obj] },
      });
    } else if (kind === 'Service' && obj.apiVersion === 'v1') {
      const s = readService(obj);
      services.push({ ...s, namespace: s.namespace ?? defaultNamespace, span: obj.span, source: obj });
    } else if ((kind === 'Ingress' && (obj.apiVersion.startsWith('networking.k8s.io/') || obj.apiVersion.startsWith('extensions/'))) || (kind === 'Route' && obj.apiVersion.startsWith('route.openshift.io/'))) {
      const i = readIngress(obj);
      ingresses.push({ ...i, namespace: i.namespace ?? defaultNamespace, span: obj.span, source: obj });
    } else if (kind === 'NetworkPolicy' && obj.apiVersion === 'networking.k8s.io/v1') {
      const p = readNetworkPolicy(obj);
      const rejected = policyRejections(obj);
      const namespace = p.namespace ?? defaultNamespace;
      if (rejected.length > 0) {
        notes.push({
          file: file.path,
          span: obj.span,
          severity: 'warning',
          message: `NetworkPolicy ${namespace}/${p.name} would be rejected by the API server (${rejected[0]}${rejected.length > 1 ? `; ${rejected.length - 1} more` : ''}): ignored in the analysis`,
        });
      }
      policies.push({ ...p, namespace, defaultedNamespace: p.namespace === undefined, rejected, source: obj });
    }
  }
  const records = { defaultNamespace, namespaces, workloads, services, ingresses, policies, notes };
  extracted.set(file, records);
  return records;
}

/**
 * Builds the workspace model from loaded files: merges what each file contributes
 * (cached per file), groups Pods under their owners, adds undeclared namespaces.
 */
export function buildModel(files: readonly LoadedFile[], options: ModelOptions = {}): Model {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const namespaces = new Map<string, Namespace>();
  const byKey = new Map<string, Workload | { merged: true; kind: string; name: string; namespace: string; pods: PodShape[]; span?: Workload['span']; sources: ManifestObject[] }>();
  const services: Service[] = [];
  const ingresses: Ingress[] = [];
  const policies: NetworkPolicy[] = [];
  const notes: LoadNote[] = [];

  for (const file of files) {
    const r = extractFile(file, defaultNamespace);
    for (const n of r.notes) notes.push(n);
    for (const ns of r.namespaces) namespaces.set(ns.name, ns);
    for (const { key, workload } of r.workloads) {
      const existing = byKey.get(key);
      if (!existing) {
        byKey.set(key, workload);
      } else if ('merged' in existing) {
        existing.pods.push(...workload.pods);
        existing.sources.push(...workload.sources);
      } else {
        // Several Pods of one owner: one endpoint with all their shapes.
        byKey.set(key, { ...existing, merged: true, pods: [...existing.pods, ...workload.pods], sources: [...existing.sources, ...workload.sources] });
      }
    }
    for (const s of r.services) services.push(s);
    for (const i of r.ingresses) ingresses.push(i);
    for (const p of r.policies) policies.push(p);
  }

  const workloads: Workload[] = [];
  for (const w of byKey.values()) {
    if ('merged' in w) {
      workloads.push({ kind: w.kind, name: w.name, namespace: w.namespace, pods: w.pods, span: w.span, sources: w.sources });
    } else {
      workloads.push(w);
    }
  }
  // Namespaces that objects live in exist in the cluster even when not declared here;
  // they carry only the automatic name label.
  for (const w of workloads) addReferenced(namespaces, w.namespace);
  for (const p of policies) addReferenced(namespaces, p.namespace);
  return { defaultNamespace, namespaces, workloads, services, ingresses, policies, notes };
}

function addReferenced(namespaces: Map<string, Namespace>, name: string): void {
  if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
}
