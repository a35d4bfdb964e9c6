import { CLUSTER_DNS, DEFAULT_INGRESS_CONTROLLER, DEFAULT_NAMESPACE, type DnsLocation, type IngressControllerOptions } from '../k8s/cluster';
import type { Severity } from '../lint/rule';
import type { HostNetworkMode } from '../reach/compile';
import type { CniName } from '../k8s/cni';
import type { AnalyzeOptions } from './analyze';

/**
 * Everything a user can set, in one type: the analysis' assumptions about the cluster,
 * the rules' knobs and severities, and (for the editor) what is read and shown. Each
 * surface maps its own input onto it: VS Code settings (lsp/settings.ts, the schema in
 * package.json `contributes.configuration`), CLI flags (cli/config.ts). A setting is
 * added here, in DEFAULTS, in each mapper and in the schema (CONTRIBUTING.md).
 */
export interface NetpolConfig {
  /** Namespace of objects without metadata.namespace (`netpol.defaultNamespace`, `--default-namespace`). */
  readonly defaultNamespace: string;
  /** How hostNetwork pods are treated (`--host-network`; the editor always uses the default). */
  readonly hostNetwork: HostNetworkMode;
  /** The network plugin's profile: what ipBlocks, endPort and SCTP do (`netpol.cni`, `--cni`, `.netpol.yaml` `cni`). */
  readonly cni: CniName;
  /** Where the ingress controller runs: the source of Ingress traffic. */
  readonly ingressController: IngressControllerOptions;
  /** Where the cluster DNS runs, for egress-blocks-dns. */
  readonly dns: DnsLocation;
  /** Namespace label whose value names an environment (production, staging, …), for cross-environment. */
  readonly environmentLabel: string;
  /** Also require egress isolation (default-deny egress, egress policies per workload). */
  readonly requireEgress: boolean;
  /** Per-rule severity, or 'off'; a rule not named here has its default severity. */
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  /** Editor: glob patterns of YAML files not to read (beside node_modules and .git). */
  readonly exclude: readonly string[];
  /** Editor: at most this many YAML files are read from disk. */
  readonly maxFiles: number;
  /** Editor: larger files are neither read from disk nor analysed (file-too-large says so). */
  readonly maxFileSizeKB: number;
  /** Editor: at most this many megabytes of YAML are read from disk, all files together. */
  readonly maxTotalMB: number;
  /** Editor: the reachability code lenses above policies and workloads. */
  readonly codeLens: boolean;
  /** Editor: what pending edits open or close (status, view, lenses, change diagnostics). */
  readonly changeImpact: boolean;
}

/** The one table of defaults (package.json's schema repeats them for VS Code; a test holds the two equal). */
export const DEFAULTS: NetpolConfig = {
  defaultNamespace: DEFAULT_NAMESPACE,
  hostNetwork: 'node',
  cni: 'default',
  ingressController: DEFAULT_INGRESS_CONTROLLER,
  dns: CLUSTER_DNS,
  environmentLabel: 'environment',
  requireEgress: false,
  rules: {},
  exclude: [],
  maxFiles: 5000,
  maxFileSizeKB: 4096,
  maxTotalMB: 128,
  codeLens: true,
  changeImpact: true,
};

/** What the model and the reachability read of a configuration. */
export function analyzeOptionsOf(config: NetpolConfig): AnalyzeOptions {
  return { defaultNamespace: config.defaultNamespace, hostNetwork: config.hostNetwork, cni: config.cni, ingressController: config.ingressController };
}
