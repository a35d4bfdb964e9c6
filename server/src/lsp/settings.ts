import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../core/rules/types';
import { dict, dictOf } from '../core/base/own';
import type { IngressControllerOptions } from '../core/k8s/cluster';
import type { Severity } from '../core/lint/rule';

/** The `netpol.*` settings the server reads (schema: package.json contributes.configuration). */
export interface Settings {
  readonly defaultNamespace: string;
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  readonly exclude: readonly string[];
  readonly maxFiles: number;
  readonly maxFileSizeKB: number;
  /** `netpol.maxTotalMB`: all files read from disk together. */
  readonly maxTotalMB: number;
  readonly ingressController: IngressControllerOptions;
  readonly ruleOptions: RuleOptions;
  /** `netpol.codeLens.enabled`: the reachability lenses above policies and workloads. */
  readonly codeLens: boolean;
  /** `netpol.changeImpact.enabled`: what pending edits open or close (status, view, lenses, change diagnostics). */
  readonly changeImpact: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  defaultNamespace: 'default',
  rules: {},
  exclude: [],
  maxFiles: 5000,
  maxFileSizeKB: 4096,
  maxTotalMB: 128,
  ingressController: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  ruleOptions: DEFAULT_RULE_OPTIONS,
  codeLens: true,
  changeImpact: true,
};

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v.length > 0 ? v : fallback);
const labels = (v: unknown, fallback: Readonly<Record<string, string>>): Record<string, string> => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return dictOf(Object.entries(fallback));
  // Keys from a settings file (a workspace's may be hostile): no prototype.
  const out = dict<string>();
  for (const [k, x] of Object.entries(v as Raw)) if (typeof x === 'string') out[k] = x;
  return out;
};

/**
 * Validates what the client sent; anything malformed falls back to the default.
 * `filesExclude` is VS Code's `files.exclude` ({ glob: true }): honoured like ours.
 */
export function readSettings(raw: unknown, filesExclude?: unknown): Settings {
  const s = obj(raw);
  const rules = dict<Severity | 'off'>();
  for (const [id, sev] of Object.entries(obj(s.rules))) {
    if (typeof sev === 'string' && SEVERITIES.includes(sev)) rules[id] = sev as Severity | 'off';
  }
  const exclude = Array.isArray(s.exclude) ? s.exclude.filter((x): x is string => typeof x === 'string') : [];
  for (const [glob, on] of Object.entries(obj(filesExclude))) if (on === true) exclude.push(glob);
  const ic = obj(s.ingressController);
  const dns = obj(s.dns);
  return {
    defaultNamespace: str(s.defaultNamespace, DEFAULT_SETTINGS.defaultNamespace),
    rules,
    exclude,
    maxFiles: typeof s.maxFiles === 'number' && s.maxFiles > 0 ? s.maxFiles : DEFAULT_SETTINGS.maxFiles,
    maxFileSizeKB: typeof s.maxFileSizeKB === 'number' && s.maxFileSizeKB > 0 ? s.maxFileSizeKB : DEFAULT_SETTINGS.maxFileSizeKB,
    maxTotalMB: typeof s.maxTotalMB === 'number' && s.maxTotalMB > 0 ? s.maxTotalMB : DEFAULT_SETTINGS.maxTotalMB,
    ingressController: {
      namespace: str(ic.namespace, DEFAULT_SETTINGS.ingressController.namespace),
      labels: labels(ic.labels, DEFAULT_SETTINGS.ingressController.labels),
    },
    ruleOptions: {
      environmentLabel: str(s.environmentLabel, DEFAULT_RULE_OPTIONS.environmentLabel),
      dns: { namespace: str(dns.namespace, DEFAULT_RULE_OPTIONS.dns.namespace), labels: labels(dns.labels, DEFAULT_RULE_OPTIONS.dns.labels) },
      requireEgress: s.requireEgress === true,
    },
    codeLens: obj(s.codeLens).enabled !== false && s['codeLens.enabled'] !== false,
    changeImpact: obj(s.changeImpact).enabled !== false && s['changeImpact.enabled'] !== false,
  };
}
