/**
 * What the network plugin (CNI) decides where the NetworkPolicy API leaves a choice or
 * where plugins are known to differ from it. A profile holds only facts with a
 * documentation source (docs/semantics.md, "CNI profiles", lists each with its source);
 * everything else is as the default profile says.
 */

export const CNI_NAMES = ['default'] as const;

export type CniName = (typeof CNI_NAMES)[number];

/** Per direction: whether a rule's ipBlock matches pods (and hostNetwork pods) by their addresses. */
export interface IpBlockOnPods {
  /** An egress ipBlock that holds a destination pod's address admits traffic to it. */
  readonly egress: boolean;
  /** An ingress ipBlock that holds a source pod's address admits traffic from it. */
  readonly ingress: boolean;
}

export interface CniProfile {
  readonly name: CniName;
  /** How people call it in a message: `Calico`, `Cilium`. */
  readonly title: string;
  readonly ipBlockOnPods: IpBlockOnPods;
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
 */
export const DEFAULT_CNI: CniProfile = {
  name: 'default',
  title: 'the upstream Kubernetes expectations',
  ipBlockOnPods: { egress: true, ingress: true },
};

const PROFILES: ReadonlyMap<CniName, CniProfile> = new Map([[DEFAULT_CNI.name, DEFAULT_CNI]]);

export function cniProfile(name: CniName | undefined): CniProfile {
  return (name && PROFILES.get(name)) || DEFAULT_CNI;
}

export function isCniName(text: string): text is CniName {
  return (CNI_NAMES as readonly string[]).includes(text);
}
