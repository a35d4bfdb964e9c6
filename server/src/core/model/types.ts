import type { Protocol } from '../base/ports';
import type { Span } from '../base/span';
import type { LoadNote, ManifestObject } from '../manifest/types';

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A label selector. `undefined` fields were absent; an empty selector matches everything. */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
  /** False when the selector cannot be evaluated (e.g. an unknown operator): it then matches nothing. */
  readonly valid: boolean;
  readonly span?: Span;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface Namespace {
  readonly name: string;
  /** Includes the automatic `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  readonly span?: Span;
  /** False for namespaces only referenced by objects, not declared. */
  readonly declared: boolean;
  /** The Namespace object, when declared. */
  readonly source?: ManifestObject;
}

export type WorkloadKind =
  | 'Pod'
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'Job'
  | 'CronJob';

/** What a single pod of a workload looks like to the network. */
export interface PodShape {
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** A Pod's status.podIP(s), when the manifest carries its status (cluster-level `networks` peers match them). */
  readonly ips?: readonly string[];
  /** Where the pod labels are written (template or Pod metadata). */
  readonly span?: Span;
}

/**
 * An endpoint of the connectivity: a workload manifest, or the controller owner of
 * Pod manifests (all pods of one owner collapse into one workload).
 */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Usually one; Pods of one owner may differ. */
  readonly pods: readonly PodShape[];
  readonly span?: Span;
  /** The manifest(s) it comes from (several Pods of one owner). */
  readonly sources: readonly ManifestObject[];
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol: Protocol;
}

export interface Service {
  readonly name: string;
  readonly namespace: string;
  /** Undefined when the Service has no selector (endpoints managed elsewhere). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly span?: Span;
  readonly source?: ManifestObject;
}

/** A PodDisruptionBudget whose selector is matchLabels only. */
export interface DisruptionBudget {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
}

/** A route from the cluster's ingress controller to a Service (Ingress or OpenShift Route). */
export interface IngressBackend {
  readonly service: string;
  /** Service port by number or name; undefined = all of the Service's ports. */
  readonly port?: number | string;
  readonly span?: Span;
}

export interface Ingress {
  readonly kind: 'Ingress' | 'Route';
  readonly name: string;
  readonly namespace: string;
  readonly backends: readonly IngressBackend[];
  /** An Ingress's class: spec.ingressClassName, or the older kubernetes.io/ingress.class annotation (which controller serves it). */
  readonly className?: string;
  readonly span?: Span;
  readonly source?: ManifestObject;
}

export type PolicyType = 'Ingress' | 'Egress';

export interface PolicyPort {
  readonly protocol: Protocol;
  /** Undefined = every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
  readonly span?: Span;
}

export interface IpBlockPeer {
  readonly type: 'ipBlock';
  readonly cidr: string;
  readonly except: readonly string[];
  readonly span?: Span;
}

export interface SelectorPeer {
  readonly type: 'selector';
  /** Undefined: pods of every namespace selected by namespaceSelector (or the policy's namespace). */
  readonly podSelector?: LabelSelector;
  /** Undefined: the policy's own namespace. */
  readonly namespaceSelector?: LabelSelector;
  readonly span?: Span;
}

export type Peer = IpBlockPeer | SelectorPeer;

export interface PolicyRule {
  readonly direction: PolicyType;
  readonly index: number;
  /** Undefined (no `from`/`to`, or an empty list) = every peer. */
  readonly peers?: readonly Peer[];
  /** Undefined (no `ports`, or an empty list) = every port. */
  readonly ports?: readonly PolicyPort[];
  readonly span?: Span;
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  /** True when metadata.namespace was omitted and the default namespace applied. */
  readonly defaultedNamespace: boolean;
  readonly podSelector: LabelSelector;
  /** Effective types: `spec.policyTypes`, or the Kubernetes default. */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  /**
   * Why the API server would reject the object (empty if valid). A rejected policy
   * never reaches the cluster, so the reachability ignores it.
   */
  readonly rejected: readonly string[];
  readonly span?: Span;
  readonly source?: ManifestObject;
}

/** The tier of a cluster-level policy: Admin (before NetworkPolicies) or Baseline (after them). */
export type ClusterTier = 'Admin' | 'Baseline';

/** A rule's action as written: Allow (v1alpha1) and Accept (v1alpha2) are the same verdict. */
export type ClusterAction = 'Allow' | 'Accept' | 'Deny' | 'Pass';

/** A peer of a cluster-level rule. `unmodelled`: nodes and domainNames peers, which match nothing here. */
export type ClusterPeer =
  | { readonly type: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector?: LabelSelector; readonly span?: Span }
  | { readonly type: 'networks'; readonly cidrs: readonly string[]; readonly span?: Span }
  | { readonly type: 'unmodelled'; readonly field: string; readonly span?: Span };

/** A port of a cluster-level rule: a range of one protocol, or a named port (resolved on the destination pod, protocol from its container port). */
export type ClusterPort =
  | { readonly type: 'range'; readonly protocol: Protocol; readonly start: number; readonly end: number; readonly span?: Span }
  | { readonly type: 'named'; readonly name: string; readonly span?: Span };

export interface ClusterRule {
  readonly direction: PolicyType;
  readonly index: number;
  readonly name?: string;
  readonly action: ClusterAction;
  readonly peers: readonly ClusterPeer[];
  /** Undefined: every port of every protocol. */
  readonly ports?: readonly ClusterPort[];
  readonly span?: Span;
}

/**
 * An AdminNetworkPolicy (tier Admin), BaselineAdminNetworkPolicy (tier Baseline, no
 * priority) or ClusterNetworkPolicy (either tier). Cluster-scoped.
 */
export interface ClusterPolicy {
  readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  readonly name: string;
  readonly tier: ClusterTier;
  /** 0–1000, lower first; undefined for the BaselineAdminNetworkPolicy (after every ClusterNetworkPolicy of its tier). */
  readonly priority?: number;
  /** The pods it applies to (`namespaces: S` is pods of S: podSelector undefined = all). */
  readonly subject: { readonly namespaceSelector: LabelSelector; readonly podSelector?: LabelSelector };
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
  /** Why the API server would reject it (empty if valid): a rejected policy takes no part. */
  readonly rejected: readonly string[];
  readonly span?: Span;
  readonly source?: ManifestObject;
}

/** A Service port the API server calls: the backend of an admission webhook or an aggregated API (APIService). */
export interface ApiServerTarget {
  readonly namespace: string;
  readonly name: string;
  /** The Service port (443 when not written). */
  readonly port: number;
  /** Who points at it: `ValidatingWebhookConfiguration x`, `APIService v1beta1.metrics.k8s.io`. */
  readonly by: string;
}

/** A file-level or document-level remark: skipped content, parse errors. */
export interface Model {
  readonly defaultNamespace: string;
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly ingresses: readonly Ingress[];
  readonly policies: readonly NetworkPolicy[];
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects, in file order. */
  readonly clusterPolicies: readonly ClusterPolicy[];
  readonly notes: readonly LoadNote[];
  /**
   * Custom resources of each namespace whose pods (if their operators make any) the
   * model does not know (`Canary frontend`): a selector that matches no workload there
   * may match those.
   */
  readonly customResources: ReadonlyMap<string, readonly string[]>;
  /**
   * The API groups whose CustomResourceDefinitions the workspace installs (groups of
   * operators that may make pods), with their kinds: pods such an operator makes carry
   * labels under its group's prefix, and no pod template here shows them.
   */
  readonly operatorGroups: ReadonlyMap<string, readonly string[]>;
  /**
   * Network policies of other engines (Calico, Cilium, Antrea), not modelled: enforced beside
   * the NetworkPolicies (Calico's tiers before them), so a verdict that rests on the
   * NetworkPolicies alone (open, DNS blocked) says they may decide otherwise. `namespace`
   * undefined: cluster-wide.
   */
  readonly foreignPolicies: readonly { readonly label: string; readonly namespace: string | undefined }[];
  /** PodDisruptionBudgets by their pods' labels: other manifests that name pods (some of them made at run time). */
  readonly disruptionBudgets: readonly DisruptionBudget[];
  /** Service ports that admission webhooks and APIServices point the API server at. */
  readonly apiServerTargets: readonly ApiServerTarget[];
  /**
   * Per namespace, what refers to Services of it that no manifest here declares (a pod's
   * env calls `mongodb://mongodb`, an Ingress routes to it, a ServiceMonitor scrapes a
   * port no declared Service has): evidence that the namespace holds objects, pods
   * included, deployed another way (a chart, a script, an operator). One entry per Service,
   * at most a few per namespace.
   */
  readonly undeclaredServices: ReadonlyMap<string, readonly string[]>;
  /**
   * The bundles (model/bundles.ts: folders) of which no object sets metadata.namespace:
   * installed with `kubectl apply -n`, their namespace is the installer's choice.
   */
  readonly namespacelessBundles: ReadonlySet<string>;
}
