/**
 * What the network plugin (CNI) decides where the NetworkPolicy API leaves a choice or
 * where plugins are known to differ from it. A profile holds only facts with a
 * documentation source (docs/semantics.md, "CNI profiles", lists each with its source
 * and says which facts are as the default for want of one); everything else is as the
 * default profile says.
 */

export const CNI_NAMES = ['default', 'calico', 'cilium', 'cilium-1.15', 'gke-dataplane-v2', 'ovn-kubernetes', 'antrea', 'kube-router', 'aws-vpc-cni'] as const;

export type CniName = (typeof CNI_NAMES)[number];

/** Per direction: whether a rule's ipBlock matches pods of the pod network by their addresses. */
export interface IpBlockOnPods {
  /** An egress ipBlock that holds a destination pod's address admits traffic to it. */
  readonly egress: boolean;
  /** An ingress ipBlock that holds a source pod's address admits traffic from it. */
  readonly ingress: boolean;
}

export interface CniProfile {
  readonly name: CniName;
  /** How a message names it: `Calico`, `Cilium 1.15 and earlier`. */
  readonly title: string;
  readonly ipBlockOnPods: IpBlockOnPods;
  /** Whether an ipBlock matches node addresses: hostNetwork pods (whose traffic is the node's). */
  readonly ipBlockOnNodes: boolean;
  /** Whether `endPort` widens a port to a range; without it a rule covers `port` alone. */
  readonly endPort: boolean;
  /** Whether SCTP ports of a rule allow anything; without it they allow nothing (the pod stays isolated). */
  readonly sctp: boolean;
}

/**
 * The upstream Kubernetes expectations. Egress: the e2e NetworkPolicy suite
 * (test/e2e/network/netpol/network_policy.go, "should allow egress access to server in
 * CIDR block", "should enforce except clause while egress access to server in CIDR
 * block", "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is
 * allowed") builds ipBlocks from a server pod's status.podIP and expects them to decide
 * pod-to-pod traffic. Ingress: no e2e test; the API defines an ipBlock by addresses
 * ("a particular CIDR that is allowed to the pods matched by a NetworkPolicySpec's
 * podSelector"), with no exception for pod addresses, so the same holds for sources.
 * hostNetwork pods: "treated the same as all other traffic to/from the node IP".
 */
export const DEFAULT_CNI: CniProfile = {
  name: 'default',
  title: 'the upstream Kubernetes expectations',
  ipBlockOnPods: { egress: true, ingress: true },
  ipBlockOnNodes: true,
  endPort: true,
  sctp: true,
};

/** Cilium's own list of "Known missing features for Kubernetes Network Policy" and its L3 policy page. */
const CILIUM: CniProfile = {
  name: 'cilium',
  title: 'Cilium',
  // "ipBlock set with a pod IP" (cilium/cilium#9209) is a known missing feature.
  ipBlockOnPods: { egress: false, ingress: false },
  // "CIDR rules do not apply to traffic where both sides of the connection are either managed
  // by Cilium or use an IP belonging to a node in the cluster (including host networking pods)";
  // node IPs only with policy-cidr-match-mode=nodes (1.15+), an opt-in.
  ipBlockOnNodes: false,
  // Port ranges in NetworkPolicies since 1.16.0 (release notes: "policy: Add support for port ranges").
  endPort: true,
  // "SCTP" (cilium/cilium#5719) is a known missing feature.
  sctp: false,
};

const PROFILES: readonly CniProfile[] = [
  DEFAULT_CNI,
  // endPort: projectcalico/calico#4249 (libcalico-go#1357: "Kubernetes Network Policy EndPort is
  // now supported"); SCTP: libcalico-go#1179 ("Allow source and destination ports for proto = SCTP").
  { ...DEFAULT_CNI, name: 'calico', title: 'Calico' },
  CILIUM,
  // "Port ranges (endPort)" (cilium/cilium#16622) in the known missing features until 1.16;
  // cilium/cilium#28684: "Cilium silently accepts [a policy] with endPort and ignores the endPort".
  { ...CILIUM, name: 'cilium-1.15', title: 'Cilium 1.15 and earlier', endPort: false },
  // GKE documents Dataplane V2 as "implemented using Cilium" but states none of these facts
  // itself: as the default until a GKE source says otherwise.
  { ...DEFAULT_CNI, name: 'gke-dataplane-v2', title: 'GKE Dataplane V2' },
  // OpenShift (OVN-Kubernetes): "A network policy does not apply to the host network namespace",
  // SCTP "with pods, services, and network policy": both as the default.
  { ...DEFAULT_CNI, name: 'ovn-kubernetes', title: 'OVN-Kubernetes' },
  { ...DEFAULT_CNI, name: 'antrea', title: 'Antrea' },
  // endPort: cloudnativelabs/kube-router#1080 (merged); SCTP: kube-router#1019, "support for
  // SCTP in network policies", an open feature request of its maintainers.
  { ...DEFAULT_CNI, name: 'kube-router', title: 'kube-router', sctp: false },
  { ...DEFAULT_CNI, name: 'aws-vpc-cni', title: 'the AWS VPC CNI' },
];

const BY_NAME: ReadonlyMap<CniName, CniProfile> = new Map(PROFILES.map((p) => [p.name, p]));

export function cniProfile(name: CniName | undefined): CniProfile {
  return (name && BY_NAME.get(name)) || DEFAULT_CNI;
}

export function allCniProfiles(): readonly CniProfile[] {
  return PROFILES;
}

export function isCniName(text: string): text is CniName {
  return (CNI_NAMES as readonly string[]).includes(text);
}
