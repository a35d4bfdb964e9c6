/**
 * The custom requests the NetPol server answers for the views (reachability, explain,
 * default-deny) and its notifications: names and types only. This file imports nothing
 * (test/architecture.test.ts holds it to that), so the client, which may import no other
 * server file, shares one definition with the server's handlers.
 * Locations are LSP lines (0-based); the views show them 1-based.
 */

/** The protocols a NetworkPolicy port may name (the core's own list is checked against this one in lsp/to-lsp.ts). */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const REACHABILITY_REQUEST = 'netpol/reachability';
export const EXPLAIN_REQUEST = 'netpol/explain';
export const WORKLOADS_REQUEST = 'netpol/workloads';
export const NAMESPACES_REQUEST = 'netpol/namespaces';
export const DEFAULT_DENY_EDIT_REQUEST = 'netpol/defaultDenyEdit';
/** Server → client, no params: the analysis changed (after each diagnostics refresh). */
export const ANALYSIS_CHANGED_NOTIFICATION = 'netpol/analysisChanged';
/**
 * Client → server, no params: the user has granted the workspace trust (VS Code's
 * onDidGrantWorkspaceTrust). Until then (or without `trusted: true` in the
 * initialization options) the server runs no git.
 */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'netpol/workspaceTrusted';

/** What the client sends in `initialize`'s initializationOptions. */
export interface NetPolInitializationOptions {
  /** The `netpol` settings section. */
  readonly settings?: unknown;
  /** `vscode.workspace.isTrusted`; anything but `true` counts as not trusted. */
  readonly trusted?: boolean;
}

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

/**
 * The reachability's connections in one of `netpol reach`'s formats, written by the
 * server's one formatter (names escaped for the format: formula-safe CSV, DOT and Mermaid
 * labels, Markdown cells): the views' Export buttons. For the connections of
 * `netpol/reachability`, the text is byte for byte what `netpol reach --format <format>` prints.
 */
export const EXPORT_REQUEST = 'netpol/export';
export const EXPORT_FORMATS = ['csv', 'dot', 'mermaid', 'md', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportParams {
  readonly format: ExportFormat;
  /** The connections to write, as `netpol/reachability` answers them (the view sends those it shows). */
  readonly connections: readonly ReachConnection[];
}

export interface ExportResult {
  readonly content: string;
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

/** A cluster-level rule that decided some connections of a side (netpol/explain's JSON). */
export interface ExplainTierDecision {
  readonly tier: 'Admin' | 'Baseline';
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy. */
  readonly kind: string;
  readonly name: string;
  readonly priority?: number;
  readonly rule: { readonly index: number; readonly name?: string; readonly location: SourceLocation };
  readonly action: string;
  readonly connections: string;
  /** Same-tier, same-priority policies that would decide these connections otherwise (the API leaves the order undefined). */
  readonly tiedWith?: readonly { readonly kind: string; readonly name: string }[];
}

/** How a side went through the cluster tiers: Admin → NetworkPolicies → Baseline → allow. */
export interface ExplainTiers {
  readonly decisions: readonly ExplainTierDecision[];
  /** What the Admin tier left to the NetworkPolicies, and whether they decide it (they isolate the side). */
  readonly networkPolicies: { readonly given: string; readonly decide: boolean };
  readonly baseline?: { readonly given: string };
  /** Allowed because no tier decided it. */
  readonly byDefault: string;
  /** The tiers never consulted, each with the reason. */
  readonly notConsulted: readonly string[];
}

export interface ExplainSide {
  readonly direction: 'Ingress' | 'Egress';
  readonly external: boolean;
  readonly isolated: boolean;
  readonly allowed: string;
  readonly policies: readonly ExplainPolicy[];
  /** Present when a cluster-level policy has rules for this side. */
  readonly tiers?: ExplainTiers;
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

/**
 * workspace/executeCommand: least-privilege policies from the evidence (`netpol generate`),
 * arguments `[GeneratePoliciesArgs]`, result a GeneratePoliciesResult.
 */
export const GENERATE_POLICIES_SERVER_COMMAND = 'netpol.server.generatePolicies';
/** The client command ("NetPol: Generate Policies for Namespace…"), optionally with GeneratePoliciesArgs. */
export const GENERATE_POLICIES_COMMAND = 'netpol.generatePolicies';

export interface GeneratePoliciesArgs {
  readonly namespace?: string;
  /** Only these workloads (`namespace/name`). */
  readonly workloads?: readonly string[];
  readonly ingressOnly?: boolean;
}

export interface GeneratePoliciesResult {
  /** The policies as one YAML stream (empty when nothing is to be added). */
  readonly text: string;
  readonly policies: number;
  /** What stays closed (info) and what is left alone (note), as `netpol generate` says on stderr. */
  readonly notes: readonly { readonly severity: 'info' | 'note'; readonly message: string; readonly location?: SourceLocation }[];
  /**
   * The flows allowed today that applying the policies would close (`ns/name[Kind] → ns/name[Kind]
   * on TCP 9090`), at most GENERATE_MAX_CLOSED_LISTED of them; `closedCount` counts them all.
   */
  readonly closed: readonly string[];
  readonly closedCount: number;
}

/** Flows a generation preview lists as closed; the rest are counted. */
export const GENERATE_MAX_CLOSED_LISTED = 200;

export interface DefaultDenyParams {
  readonly namespace: string;
  /** Also deny egress (with an allow-dns policy unless the namespace has one). Default: ingress only. */
  readonly egress?: boolean;
}

/** The change impact of the edited open files against their baseline (on request). */
export const CHANGE_IMPACT_REQUEST = 'netpol/changeImpact';
/**
 * Server → client, a ChangeImpactResult: sent after an analysis whenever the impact
 * differs from the last one sent (also when it went back to "no change").
 */
export const CHANGE_IMPACT_CHANGED_NOTIFICATION = 'netpol/changeImpactChanged';
/** The client command the change code lenses run: reveals the change impact view. */
export const SHOW_CHANGE_IMPACT_COMMAND = 'netpol.showChangeImpact';

/**
 * What a policy did to a flow's change: a rule of the edited workspace `allows` the gained
 * connections; a rule of the baseline admitted the lost ones and `no-longer-allows` them;
 * the policy now `isolates` the endpoint (admitting the other side nowhere), or
 * `no-longer-isolates` it.
 */
export type ResponsibleRole = 'allows' | 'no-longer-allows' | 'isolates' | 'no-longer-isolates';

export interface ChangeResponsible {
  /** `ns/name` of the policy. */
  readonly policy: string;
  /** `ingress[0]`/`egress[1]`, absent when the policy as a whole is responsible. */
  readonly rule?: string;
  readonly role: ResponsibleRole;
  /** Where it is in the edited workspace; absent when the policy is gone. */
  readonly location?: SourceLocation;
  /** One line for the view: `ingress[0] of shop/allow-web admits it`. */
  readonly text: string;
}

export interface ChangeImpactEntry {
  readonly kind: 'added' | 'removed' | 'changed';
  /** Endpoint ids as in the reachability (`ns/name[Kind]`, `a-b[External]`, `{ingress-controller}`). */
  readonly src: string;
  readonly dst: string;
  /** `TCP 80,UDP 53`, `All Connections`, `No Connections`. */
  readonly before: string;
  readonly after: string;
  /** after minus before / before minus after (`No Connections` when nothing). */
  readonly gained: string;
  readonly lost: string;
  /** Loses ports a Service or Ingress of the workspace routes to (or the ingress controller loses any). */
  readonly breaking: boolean;
  /** Gains connections from another namespace, from IP ranges or from the ingress controller. */
  readonly external: boolean;
  readonly responsible: readonly ChangeResponsible[];
  /** The evidenced flows it closes (`TCP 8443: env PAYMENTS_URL`) and where the evidence is. */
  readonly evidence?: readonly { readonly text: string; readonly location: SourceLocation }[];
}

export interface ChangedPolicy {
  /** `ns/name`. */
  readonly policy: string;
  readonly status: 'added' | 'modified' | 'deleted';
  /** Absent for a deleted policy. */
  readonly location?: SourceLocation;
  /** Flows this policy's change opens (gains) and closes (loses). */
  readonly opened: number;
  readonly closed: number;
}

export interface ChangeImpactResult {
  /** Open files whose text differs from their baseline. Empty: no pending change. */
  readonly files: readonly string[];
  /** What the files are compared with: `git HEAD`, `last saved`, or both joined by ` / `. */
  readonly baseline: string;
  /** Flows that gain connections (added, or changed with a gain). */
  readonly opened: number;
  /** Flows that lose connections (removed, or changed with a loss). */
  readonly closed: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** Entries marked breaking. */
  readonly breaking: number;
  /** Entries that close a flow the manifests show is needed (evidence). */
  readonly breaksEvidence?: number;
  /** In netpol diff's order; at most a few hundred (see truncated). */
  readonly entries: readonly ChangeImpactEntry[];
  /** Entries left out of `entries`. */
  readonly truncated: number;
  readonly policies: readonly ChangedPolicy[];
}
