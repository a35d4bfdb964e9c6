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

/**
 * Builds the workspace model from loaded files. Cheap compared to parsing: it walks
 * already-parsed ASTs, so it can run after every edit.
 */
export function buildModel(files: readonly LoadedFile[], options: ModelOptions = {}): Model {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const namespaces = new Map<string, Namespace>();
  const workloadsByKey = new Map<string, { kind: string; name: string; namespace: string; pods: PodShape[]; span?: Workload['span']; sources: ManifestObject[] }>();
  const services: Service[] = [];
  const ingresses: Ingress[] = [];
  const policies: NetworkPolicy[] = [];
  const notes: LoadNote[] = [];

  for (const file of files) {
    notes.push(...file.notes);
    for (const obj of file.objects) {
      const kind = obj.kind;
      if (kind === 'Namespace' && obj.apiVersion === 'v1') {
        const meta = readMeta(obj);
        if (meta.name) {
          namespaces.set(meta.name, {
            name: meta.name,
            // The API server always sets this label to the namespace's name.
            labels: { ...meta.labels, [NAMESPACE_NAME_LABEL]: meta.name },
            span: obj.span,
            declared: true,
            source: obj,
          });
        }
      } else if (isWorkloadKind(kind)) {
        const w = readWorkload(obj);
        if (!w || !w.name) continue;
        const namespace = w.namespace ?? defaultNamespace;
        const key = `${namespace}/${w.name}/${w.kind}`;
        const existing = workloadsByKey.get(key);
        if (existing) {
          existing.pods.push(w.pod);
          existing.sources.push(obj);
        } else {
          workloadsByKey.set(key, { kind: w.kind, name: w.name, namespace, pods: [w.pod], span: obj.span, sources: [obj] });
        }
      } else if (kind === 'Service' && obj.apiVersion === 'v1') {
        const s = readService(obj);
        services.push({ ...s, namespace: s.namespace ?? defaultNamespace, span: obj.span, source: obj });
      } else if ((kind === 'Ingress' && obj.apiVersion.startsWith('networking.k8s.io/')) || (kind === 'Ingress' && obj.apiVersion.startsWith('extensions/')) || (kind === 'Route' && obj.apiVersion.startsWith('route.openshift.io/'))) {
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
  }

  const workloads: Workload[] = [...workloadsByKey.values()];
  // Namespaces that objects live in exist in the cluster even when not declared here;
  // they carry only the automatic name label.
  const referenced = [...workloads.map((w) => w.namespace), ...policies.map((p) => p.namespace)];
  for (const name of referenced) {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
  }
  return { defaultNamespace, namespaces, workloads, services, ingresses, policies, notes };
}
