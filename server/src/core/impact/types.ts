/**
 * What a change impact is made of: the flows it opens and closes (netpol diff's entries),
 * who is responsible for each, and what each changed policy did. Shared by the diff
 * (impact.ts), the attribution and the change rules, so none of them imports another for
 * its types.
 */
import type { NetworkPolicy, PolicyRule } from '../model/types';
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

export interface ImpactEntry extends DiffEntry {
  readonly breaking: boolean;
  /** Gains connections from another namespace, from address ranges or from the ingress controller. */
  readonly external: boolean;
  /** Empty beyond `maxAttributed` entries. */
  readonly responsible: readonly Responsible[];
  /** The evidenced flows it closes (ImpactOptions.evidence given), with where the evidence is. */
  readonly evidence: readonly EvidenceMark[];
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
  /** True when only the changed policies' endpoints were visited. */
  readonly scoped: boolean;
}

