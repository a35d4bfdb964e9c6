/**
 * The custom requests the NetPol server answers for the views (reachability, explain,
 * default-deny). Types only: shared by the panels and their pure renderers, no `vscode`.
 *
 * Lines are LSP lines (0-based); the views show them 1-based.
 */

export const REACHABILITY_REQUEST = 'netpol/reachability';
export const EXPLAIN_REQUEST = 'netpol/explain';
export const WORKLOADS_REQUEST = 'netpol/workloads';
export const NAMESPACES_REQUEST = 'netpol/namespaces';
export const DEFAULT_DENY_EDIT_REQUEST = 'netpol/defaultDenyEdit';
/** Server → client after each re-analysis. */
export const ANALYSIS_CHANGED_NOTIFICATION = 'netpol/analysisChanged';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface SourceLocation {
  readonly uri: string;
  /** 0-based. */
  readonly line: number;
}

export type EndpointKind = 'workload' | 'ip' | 'ingress-controller';

export interface ReachEndpoint {
  /** `shop/web[Deployment]`, `0.0.0.0-255.255.255.255[External]`, `{ingress-controller}`. */
  readonly id: string;
  readonly label: string;
  readonly namespace?: string;
  readonly kind: EndpointKind;
  readonly location?: SourceLocation;
}

export interface ReachConnection {
  readonly src: string;
  readonly dst: string;
  /** `TCP 80,UDP 53`, `All Connections`. */
  readonly conn: string;
}

export interface ReachabilityParams {
  readonly namespace?: string;
}

export interface ReachabilityResult {
  readonly endpoints: readonly ReachEndpoint[];
  readonly connections: readonly ReachConnection[];
}

export interface ExplainParams {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol?: Protocol;
}

export interface ExplainRule {
  readonly index: number;
  readonly location: SourceLocation;
  readonly allows: string;
}

export interface ExplainPolicy {
  readonly name: string;
  readonly location: SourceLocation;
  readonly rules: readonly ExplainRule[];
}

export interface ExplainSide {
  readonly direction: 'Ingress' | 'Egress';
  readonly external: boolean;
  readonly isolated: boolean;
  readonly allowed: string;
  readonly policies: readonly ExplainPolicy[];
}

export interface ExplainResult {
  readonly from: string;
  readonly to: string;
  readonly allowed: boolean;
  readonly connections: string;
  readonly egress: ExplainSide;
  readonly ingress: ExplainSide;
}

export interface WorkloadInfo {
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly location: SourceLocation;
}

export interface DefaultDenyParams {
  readonly namespace: string;
  readonly egress?: boolean;
}
