/**
 * What a change impact is made of: the flows it opens and closes (netpol diff's entries),
 * who is responsible for each, and what each changed policy did. Shared by the diff
 * (impact.ts), the attribution and the change rules, so none of them imports another for
 * its types.
 */
import type { ClusterPolicy, ClusterRule, NetworkPolicy, PolicyRule } from '../model/types';
import type { DiffEntry } from './diff';
import type { EvidenceMark } from './evidence';

export type ResponsibleRole =
  /** A rule of the edited workspace admits the gained connections. */
  | 'allows'
  /** A rule of the baseline admitted the lost connections; the edit changed or removed it. */
  | 'no-longer-allows'
  /** The policy now isolates the endpoint (and none of its rules admits the other side). */
  | 'isolates'
  /** The policy isolated the endpoint in the baseline; the edit removed that. */
  | 'no-longer-isolates';

/** A policy (or one of its rules) that makes a flow change. */
export interface Responsible {
  readonly role: ResponsibleRole;
  /** The policy on the side the role speaks of: after the change for allows/isolates, before it otherwise. */
  readonly policy: NetworkPolicy;
  readonly rule?: PolicyRule;
  /** The policy of the same namespace/name after the change, if there is one (where to show a before-side item). */
  readonly current?: NetworkPolicy;
}

/**
 * A rule of a cluster-level policy that makes a flow change. The roles read as for a
 * NetworkPolicy: `allows` (Allow/Accept or Pass now takes gained ports), `isolates` (Deny
 * or Pass now takes lost ports), and for the baseline's rules `no-longer-allows` (it took
 * lost ports with Allow/Accept or Pass) and `no-longer-isolates` (gained ports with Deny or Pass).
 */
export interface ClusterResponsible {
  readonly role: ResponsibleRole;
  readonly policy: ClusterPolicy;
  readonly rule: ClusterRule;
  /** The policy of the same kind and name after the change, if there is one. */
  readonly current?: ClusterPolicy;
}

/** A responsible item of either kind: NetworkPolicy (`policy.namespace`) or cluster-level (`policy.kind`). */
export type AnyResponsible = Responsible | ClusterResponsible;

export function isClusterResponsible(r: AnyResponsible): r is ClusterResponsible {
  return 'kind' in r.policy;
}

export interface ImpactEntry extends DiffEntry {
  readonly breaking: boolean;
  /** Gains connections from another namespace, from address ranges or from the ingress controller. */
  readonly external: boolean;
  /** Empty beyond `maxAttributed` entries. */
  readonly responsible: readonly Responsible[];
  /** The evidenced flows it closes (ImpactOptions.evidence given), with where the evidence is. */
  readonly evidence: readonly EvidenceMark[];
  /** The rules of changed cluster-level policies responsible (absent when none). */
  readonly clusterResponsible?: readonly ClusterResponsible[];
}

/** A changed cluster-level policy, paired by kind and name. */
export interface ClusterPolicyChange {
  /** `AdminNetworkPolicy deny-dev`. */
  readonly key: string;
  readonly status: 'added' | 'modified' | 'deleted';
  readonly before?: ClusterPolicy;
  readonly after?: ClusterPolicy;
  opened: number;
  closed: number;
}

export interface PolicyChange {
  readonly key: string;
  readonly status: 'added' | 'modified' | 'deleted';
  readonly before?: NetworkPolicy;
  readonly after?: NetworkPolicy;
  /** Flows whose gains (opened) or losses (closed) this policy is responsible for. */
  opened: number;
  closed: number;
}

export interface ImpactReport {
  readonly entries: readonly ImpactEntry[];
  readonly policies: readonly PolicyChange[];
  /** The changed cluster-level policies (absent when none). */
  readonly clusterPolicies?: readonly ClusterPolicyChange[];
  /** True when only the changed policies' endpoints were visited. */
  readonly scoped: boolean;
}

