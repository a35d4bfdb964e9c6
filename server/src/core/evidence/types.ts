import type { Protocol } from '../base/ports';
import type { Span } from '../base/span';
import type { Labels, Workload } from '../model/types';

/**
 * Evidence: the flows the manifests say an application needs (issue 21). Each flow is
 * a source, a destination pod port and the place in a manifest that shows it.
 */

/** Where a flow starts or ends that is no workload of the workspace. */
export type PeerKind = 'external' | 'ingress-controller' | 'prometheus' | 'control-plane' | 'dns';

export type FlowEnd =
  | { readonly type: 'workload'; readonly index: number; readonly workload: Workload }
  /** A peer outside the workspace; namespace and labels when it is a pod we assume (the options say where). */
  | { readonly type: 'peer'; readonly peer: PeerKind; readonly namespace?: string; readonly labels?: Labels };

/** What kind of manifest content shows a flow. */
export type EvidenceKind =
  | 'address' // a Service address in env, args, command or a ConfigMap the pod reads
  | 'ingress' // an Ingress or Route backend
  | 'exposed' // a LoadBalancer or NodePort Service, or externalIPs
  | 'monitor' // a ServiceMonitor or PodMonitor
  | 'webhook' // an admission webhook configuration
  | 'api-service' // an aggregated APIService
  | 'headless' // a StatefulSet behind its headless Service
  | 'annotation' // netpol.studio/allow-from or allow-to
  | 'dns' // the baseline: every pod resolves names
  | 'api-access'; // the baseline: a pod with a service-account token that RBAC binds calls the API server

export interface EvidencedFlow {
  readonly src: FlowEnd;
  readonly dst: FlowEnd;
  readonly protocol: Protocol;
  /** The destination pod's port (a Service's targetPort resolved on the destination's pods). */
  readonly port: number;
  /** The Service the flow goes through, with the port the client uses. */
  readonly service?: { readonly namespace: string; readonly name: string; readonly port: number };
  readonly kind: EvidenceKind;
  /** The manifest text that shows it (an env value, a backend, a Service type…). */
  readonly where: Span;
  /** The evidence in words: `env PAYMENTS_URL`, `Ingress shop/web`, `Service shop/web type LoadBalancer`. */
  readonly what: string;
}

/** Evidence that does not make a flow: a reference to a Service not in the workspace, an annotation without a reason. */
export interface EvidenceNote {
  readonly message: string;
  readonly span: Span;
  /** A workload's reference to a Service the workspace does not have (what `allow-to` would declare). */
  readonly unresolved?: { readonly from: number; readonly namespace: string; readonly name: string; readonly port?: number };
}

export interface Evidence {
  readonly flows: readonly EvidencedFlow[];
  readonly notes: readonly EvidenceNote[];
}

export interface PodLocation {
  readonly namespace: string;
  readonly labels: Labels;
}

export interface EvidenceOptions {
  /** Where the ingress controller runs (the source of Ingress traffic). */
  readonly ingressController: PodLocation;
  /** Where Prometheus runs (the source of ServiceMonitor/PodMonitor scrapes). */
  readonly prometheus: PodLocation;
  /** Where the cluster DNS runs. */
  readonly dns: PodLocation;
  /**
   * Parts of the baseline, each switchable: DNS for every pod that resolves names through
   * the cluster DNS; the API server for pods that mount a service-account token their
   * ServiceAccount is bound to RBAC rules with (absent: off).
   */
  readonly baseline: { readonly dns: boolean; readonly apiServer?: boolean };
}
