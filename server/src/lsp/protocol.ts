/**
 * The custom requests the NetPol server answers for the views (reachability, explain,
 * default-deny) and its notification: names and types only, no runtime dependencies, so
 * the server's handlers and the client's panels and pure renderers share one definition.
 * Locations are LSP lines (0-based); the views show them 1-based.
 */
import { PROTOCOLS, type Protocol } from '../core/net/ports';

export { PROTOCOLS, type Protocol };

export const REACHABILITY_REQUEST = 'netpol/reachability';
export const EXPLAIN_REQUEST = 'netpol/explain';
export const WORKLOADS_REQUEST = 'netpol/workloads';
export const NAMESPACES_REQUEST = 'netpol/namespaces';
export const DEFAULT_DENY_EDIT_REQUEST = 'netpol/defaultDenyEdit';
/** Server → client, no params: the analysis changed (after each diagnostics refresh). */
export const ANALYSIS_CHANGED_NOTIFICATION = 'netpol/analysisChanged';

export interface SourceLocation {
  readonly uri: string;
  /** 0-based. */
  readonly line: number;
}

export type EndpointKind = 'workload' | 'ip' | 'ingress-controller';

export interface ReachEndpoint {
  /** `shop/web[Deployment]`, `0.0.0.0-255.255.255.255[External]`, `{ingress-controller}`. */
  readonly id: string;
  /** `web[Deployment]`, `0.0.0.0-255.255.255.255`, `ingress controller`. */
  readonly label: string;
  /** Workloads only. */
  readonly namespace?: string;
  readonly kind: EndpointKind;
  /** Workloads only: where the workload is written. */
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
  /** `ns/name`, `ns/name[Kind]`, `name` (default namespace) or an IP address. */
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  /** With `port`; default TCP. */
  readonly protocol?: Protocol;
}

export interface ExplainRule {
  /** 0-based, as in the CLI's JSON. */
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
  /** With a port: is that port allowed; without: is anything allowed. */
  readonly allowed: boolean;
  /** Set when asked for (as in the CLI's JSON). */
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly connections: string;
  readonly egress: ExplainSide;
  readonly ingress: ExplainSide;
}

export interface WorkloadInfo {
  /** `ns/name[Kind]`: the endpoint id of the reachability answer. */
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly location: SourceLocation;
}

export interface DefaultDenyParams {
  readonly namespace: string;
  /** Also deny egress (with an allow-dns policy unless the namespace has one). Default: ingress only. */
  readonly egress?: boolean;
}
