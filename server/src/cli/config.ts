import { CNI_NAMES, DEFAULT_INGRESS_CONTROLLER, DEFAULTS, dict, RULES, type CniName, type HostNetworkMode, type NetpolConfig, type Severity } from '../core';
import { flag, oneOf, UsageError, type FlagSpec, type ParsedArgs } from './args';

/**
 * The CLI surface of the configuration: flags as a NetpolConfig (lsp/settings.ts maps
 * the editor's settings; core DEFAULTS holds every default). Two parts, read when the
 * command needs them: the rules' (check) and the analysis' (every analysing command).
 */

/** Flags every analysing command accepts. */
export const WORKSPACE_FLAGS: FlagSpec = {
  'default-namespace': { takesValue: true },
  'host-network': { takesValue: true },
  cni: { takesValue: true },
  'ingress-controller-namespace': { takesValue: true },
  'ingress-controller-label': { takesValue: true, repeatable: true },
  config: { takesValue: true },
  quiet: { takesValue: false },
  'max-file-mb': { takesValue: true },
  'max-total-mb': { takesValue: true },
};

/**
 * The largest file one run can read: a file is analysed as one JavaScript string, and V8's
 * strings end at 2^29 - 24 UTF-16 units (just under 512 MiB).
 */
export const MAX_FILE_MB = 511;

function megabytes(args: ParsedArgs, name: string, max: number): number | undefined {
  const v = flag(args, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`--${name} must be a whole number of megabytes from 1 to ${max} (got "${v}")`);
  return Number(v) * 1024 * 1024;
}

/** The bounds on what the run reads (--max-file-mb, --max-total-mb) over the CLI's defaults (node/read-files.ts). */
export function readBounds(args: ParsedArgs): { maxFileBytes?: number; maxTotalBytes?: number } {
  const maxFileBytes = megabytes(args, 'max-file-mb', MAX_FILE_MB);
  const maxTotalBytes = megabytes(args, 'max-total-mb', 64 * 1024);
  return { ...(maxFileBytes !== undefined ? { maxFileBytes } : {}), ...(maxTotalBytes !== undefined ? { maxTotalBytes } : {}) };
}

/**
 * `--kustomize DIR` (check, reach, explain): DIR rendered by kubectl kustomize (cli/kustomize.ts).
 * Not diff's: both sides would render the same folder.
 */
export const KUSTOMIZE_FLAG: FlagSpec = { kustomize: { takesValue: true } };

/** Flags of the rules (netpol check). */
export const RULE_FLAGS: FlagSpec = {
  rule: { takesValue: true, repeatable: true },
  'environment-label': { takesValue: true },
  'dns-namespace': { takesValue: true },
  'dns-label': { takesValue: true, repeatable: true },
  'require-egress': { takesValue: false },
};

const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;

/** `key=value` flags as labels (no prototype: the keys are the user's). */
function labelFlags(args: ParsedArgs, name: string): Record<string, string> {
  const labels = dict<string>();
  for (const l of args.flags.get(name) ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${name} must be key=value (got "${l}")`);
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return labels;
}

/** What the rule flags set (RULE_FLAGS) over `base` (the configuration file's): severities per rule, the DNS, the environment label, egress. */
export function ruleConfig(args: ParsedArgs, base: NetpolConfig = DEFAULTS): Pick<NetpolConfig, 'rules' | 'dns' | 'environmentLabel' | 'requireEgress'> {
  const rules = dict<Severity | 'off'>();
  Object.assign(rules, base.rules);
  for (const r of args.flags.get('rule') ?? []) {
    const [id, sev] = r.split('=');
    if (!RULES.some((x) => x.meta.id === id)) throw new UsageError(`--rule ${r}: unknown rule "${id}" (known: ${RULES.map((x) => x.meta.id).join(', ')})`);
    rules[id] = oneOf<Severity | 'off'>(sev, [...SEVERITIES, 'off'], 'rule', 'error');
  }
  const dnsLabels = labelFlags(args, 'dns-label');
  const dnsNamespace = flag(args, 'dns-namespace');
  return {
    rules,
    dns: dnsNamespace || args.flags.has('dns-label') ? { namespace: dnsNamespace ?? base.dns.namespace, labels: args.flags.has('dns-label') ? dnsLabels : base.dns.labels } : base.dns,
    environmentLabel: flag(args, 'environment-label') || base.environmentLabel,
    requireEgress: args.flags.has('require-egress') || base.requireEgress,
  };
}

/**
 * The configuration of an analysing command: the common flags (WORKSPACE_FLAGS), on top of
 * `rules` (ruleConfig) when the command has them, on top of `base` (the configuration
 * file's, else the defaults): a flag given wins.
 */
export function configFromFlags(args: ParsedArgs, rules: Partial<NetpolConfig> = {}, base: NetpolConfig = DEFAULTS): NetpolConfig {
  const labels = labelFlags(args, 'ingress-controller-label');
  const icNamespace = flag(args, 'ingress-controller-namespace');
  return {
    ...base,
    ...rules,
    defaultNamespace: flag(args, 'default-namespace') ?? base.defaultNamespace,
    hostNetwork: oneOf<HostNetworkMode>(flag(args, 'host-network'), ['node', 'pod'], 'host-network', base.hostNetwork),
    cni: oneOf<CniName>(flag(args, 'cni'), CNI_NAMES, 'cni', base.cni),
    ingressController:
      icNamespace || args.flags.has('ingress-controller-label')
        ? { namespace: icNamespace ?? (base.ingressController.namespace || DEFAULT_INGRESS_CONTROLLER.namespace), labels }
        : base.ingressController,
  };
}
