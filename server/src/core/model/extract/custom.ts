import type { ManifestObject } from '../../manifest/types';
import { readNames } from './common';

/**
 * API groups of custom resources that configure something and never make pods of their
 * own (monitoring rules, certificates, mesh routing, GitOps sources, Argo CD projects).
 * Any other custom resource may have an operator that makes pods the model does not see.
 */
const CONFIG_ONLY_GROUPS: ReadonlySet<string> = new Set([
  'cert-manager.io',
  'acme.cert-manager.io',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'source.toolkit.fluxcd.io',
  'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io',
  'kustomize.config.k8s.io',
  'config.kubernetes.io',
  'traefik.io',
  'traefik.containo.us',
  'projectcontour.io',
  'getambassador.io',
  'cilium.io',
  'crd.projectcalico.org',
  'projectcalico.org',
  'external-secrets.io',
  'bitnami.com',
  'keda.sh',
  'policy.linkerd.io',
  'kyverno.io',
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
]);

/** Config-only kinds of groups whose other kinds do make pods (the modelled ones, or those of a release tool). */
const CONFIG_ONLY_KINDS: ReadonlySet<string> = new Set([
  'monitoring.coreos.com/ServiceMonitor',
  'monitoring.coreos.com/PodMonitor',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/Probe',
  'monitoring.coreos.com/AlertmanagerConfig',
  'monitoring.coreos.com/ScrapeConfig',
  'flagger.app/MetricTemplate',
  'flagger.app/AlertProvider',
  'argoproj.io/AppProject',
  'argoproj.io/AnalysisTemplate',
  'argoproj.io/ClusterAnalysisTemplate',
  'argoproj.io/WorkflowTemplate',
  'argoproj.io/ClusterWorkflowTemplate',
]);

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Kubernetes' own API groups: no dot (`apps`, `batch`, `policy`) or `*.k8s.io`. */
export function isBuiltinGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io') || group === 'k8s.io';
}

/**
 * The API group and kind a CustomResourceDefinition installs, when an operator of that
 * group may make pods (not a config-only group): the workspace then deploys that operator's
 * API, and pods it makes carry labels under its group's prefix (`longhorn.io/component`).
 */
export function customResourceDefinition(obj: ManifestObject): { readonly group: string; readonly kind: string } | undefined {
  if (obj.kind !== 'CustomResourceDefinition' || !obj.apiVersion.startsWith('apiextensions.k8s.io/')) return undefined;
  const r = obj.reader;
  const spec = r.map(r.get(obj.map, 'spec'));
  const group = r.string(r.get(spec, 'group'));
  const kind = r.string(r.get(r.map(r.get(spec, 'names')), 'kind'));
  if (!group || !kind || isBuiltinGroup(group) || CONFIG_ONLY_GROUPS.has(group)) return undefined;
  return { group, kind };
}

/**
 * A PodDisruptionBudget's pod labels (its selector's matchLabels, when it has no
 * expressions): another manifest that names the pods a workload or an operator makes.
 */
export function disruptionBudget(obj: ManifestObject): { readonly name: string; readonly labels: Readonly<Record<string, string>> } | undefined {
  if (obj.kind !== 'PodDisruptionBudget' || !obj.apiVersion.startsWith('policy/')) return undefined;
  const r = obj.reader;
  const selector = r.map(r.get(r.map(r.get(obj.map, 'spec')), 'selector'));
  if (!selector || r.has(selector, 'matchExpressions')) return undefined;
  const labels = r.stringMap(r.get(selector, 'matchLabels'));
  const name = readNames(obj).name;
  return name && Object.keys(labels).length > 0 ? { name, labels } : undefined;
}

/** Network policies of other engines: cluster-wide kinds, and namespaced ones (by `group/kind`). Staged (not enforced) kinds and Calico's Tiers are not policies. */
const FOREIGN_POLICY_KINDS: ReadonlyMap<string, { readonly engine: string; readonly clusterWide: boolean }> = new Map([
  ['projectcalico.org/GlobalNetworkPolicy', { engine: 'Calico', clusterWide: true }],
  ['crd.projectcalico.org/GlobalNetworkPolicy', { engine: 'Calico', clusterWide: true }],
  ['projectcalico.org/NetworkPolicy', { engine: 'Calico', clusterWide: false }],
  ['crd.projectcalico.org/NetworkPolicy', { engine: 'Calico', clusterWide: false }],
  ['cilium.io/CiliumClusterwideNetworkPolicy', { engine: 'Cilium', clusterWide: true }],
  ['cilium.io/CiliumNetworkPolicy', { engine: 'Cilium', clusterWide: false }],
  ['crd.antrea.io/ClusterNetworkPolicy', { engine: 'Antrea', clusterWide: true }],
  ['crd.antrea.io/NetworkPolicy', { engine: 'Antrea', clusterWide: false }],
]);

/**
 * A network policy of another engine (Calico, Cilium, Antrea): enforced beside the
 * NetworkPolicies, often before them (Calico's tiers), and not modelled. Its label
 * (`Calico GlobalNetworkPolicy platform.allow-kube-dns`), and whether it is cluster-wide.
 */
export function foreignPolicy(obj: ManifestObject): { readonly label: string; readonly clusterWide: boolean } | undefined {
  const kind = FOREIGN_POLICY_KINDS.get(`${groupOf(obj.apiVersion)}/${obj.kind}`);
  if (!kind) return undefined;
  const name = readNames(obj).name;
  return name ? { label: `${kind.engine} ${obj.kind} ${name}`, clusterWide: kind.clusterWide } : undefined;
}

/**
 * A custom resource that may make pods the model does not know (`Canary frontend`), or
 * undefined: a built-in kind, or a kind that only configures something.
 */
export function unmodelledCustomResource(obj: ManifestObject): string | undefined {
  const group = groupOf(obj.apiVersion);
  if (isBuiltinGroup(group) || CONFIG_ONLY_GROUPS.has(group) || CONFIG_ONLY_KINDS.has(`${group}/${obj.kind}`)) return undefined;
  // Cluster-scoped kinds of this list never hold a namespace; a custom kind that is
  // cluster-scoped would carry no metadata.namespace and land in the default one,
  // which is at worst a softer verdict there.
  const name = readNames(obj).name;
  return name ? `${obj.kind} ${name}` : undefined;
}

export interface RawApiServerTarget {
  /** Undefined: not written (the API requires it; the default namespace stands in). */
  readonly namespace?: string;
  readonly name: string;
  readonly port: number;
  readonly by: string;
}

const WEBHOOK_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

/**
 * The Services an admission webhook configuration or an APIService points the API
 * server at (`webhooks[].clientConfig.service`, `spec.service`; port 443 when not
 * written); undefined for other kinds.
 */
export function apiServerTargets(obj: ManifestObject): RawApiServerTarget[] | undefined {
  const group = groupOf(obj.apiVersion);
  const r = obj.reader;
  const by = `${obj.kind} ${readNames(obj).name}`;
  const target = (service: unknown): RawApiServerTarget | undefined => {
    const m = r.map(service);
    const name = r.text(r.get(m, 'name'));
    if (!m || !name) return undefined;
    const port = r.number(r.get(m, 'port'));
    return { namespace: r.text(r.get(m, 'namespace')) || undefined, name, port: port !== undefined && Number.isInteger(port) ? port : 443, by };
  };
  if (group === 'admissionregistration.k8s.io' && WEBHOOK_KINDS.has(obj.kind)) {
    const out: RawApiServerTarget[] = [];
    for (const hook of r.items(r.get(obj.map, 'webhooks'))) {
      const t = target(r.get(r.map(r.get(r.map(hook), 'clientConfig')), 'service'));
      if (t) out.push(t);
    }
    return out;
  }
  if (group === 'apiregistration.k8s.io' && obj.kind === 'APIService') {
    const t = target(r.get(r.map(r.get(obj.map, 'spec')), 'service'));
    return t ? [t] : [];
  }
  return undefined;
}
