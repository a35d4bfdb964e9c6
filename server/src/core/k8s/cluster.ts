/**
 * Facts about a cluster that manifests do not state: the labels the API server sets and
 * where the usual add-ons run. The analysis assumes these unless the settings (or the
 * CLI's flags) say otherwise; analysis/config.ts builds its DEFAULTS from them.
 */

/** The label the API server puts on every namespace (Kubernetes 1.22+): its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Namespace of objects without metadata.namespace (what kubectl uses when its context names none). */
export const DEFAULT_NAMESPACE = 'default';

/** Where the cluster's ingress controller runs: the source of Ingress/Route traffic. */
export interface IngressControllerOptions {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Where we assume the ingress controller runs unless told otherwise (ingress-nginx's chart defaults). */
export const DEFAULT_INGRESS_CONTROLLER: IngressControllerOptions = {
  namespace: 'ingress-nginx',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
};

/** netpol-analyzer's stand-in: an unlabeled pod in a namespace of its own. */
export const GENERIC_INGRESS_CONTROLLER: IngressControllerOptions = { namespace: 'ingress-controller-ns', labels: {} };

/** Where the cluster DNS runs: namespace and pod labels. */
export interface DnsLocation {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** CoreDNS and kube-dns as kubeadm, EKS, GKE and AKS deploy them. */
export const CLUSTER_DNS: DnsLocation = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

/** Where Prometheus runs unless told otherwise (kube-prometheus and the prometheus-operator's defaults): the source of scrapes. */
export const PROMETHEUS: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> } = {
  namespace: 'monitoring',
  labels: { 'app.kubernetes.io/name': 'prometheus' },
};
