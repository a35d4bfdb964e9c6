import { DEFAULTS, dict, dictOf, isCniName, type NetpolConfig, type Severity } from '../core';

/**
 * The VS Code surface of the configuration: the `netpol.*` settings (schema: package.json
 * contributes.configuration) as a NetpolConfig. Whatever the client sent is validated;
 * anything malformed falls back to the default (core DEFAULTS, the one table of them).
 */

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v.length > 0 ? v : fallback);
const positive = (v: unknown, fallback: number): number => (typeof v === 'number' && v > 0 ? v : fallback);
const labels = (v: unknown, fallback: Readonly<Record<string, string>>): Record<string, string> => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return dictOf(Object.entries(fallback));
  // Keys from a settings file (a workspace's may be hostile): no prototype.
  const out = dict<string>();
  for (const [k, x] of Object.entries(v as Raw)) if (typeof x === 'string') out[k] = x;
  return out;
};

/**
 * The configuration from the `netpol` settings section. `filesExclude` is VS Code's
 * `files.exclude` ({ glob: true }): honoured like ours.
 */
export function readSettings(raw: unknown, filesExclude?: unknown): NetpolConfig {
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
    defaultNamespace: str(s.defaultNamespace, DEFAULTS.defaultNamespace),
    // Not a setting: the editor analyses hostNetwork pods as the node (the CLI has --host-network).
    hostNetwork: DEFAULTS.hostNetwork,
    cni: typeof s.cni === 'string' && isCniName(s.cni) ? s.cni : DEFAULTS.cni,
    ingressController: {
      namespace: str(ic.namespace, DEFAULTS.ingressController.namespace),
      labels: labels(ic.labels, DEFAULTS.ingressController.labels),
    },
    dns: { namespace: str(dns.namespace, DEFAULTS.dns.namespace), labels: labels(dns.labels, DEFAULTS.dns.labels) },
    environmentLabel: str(s.environmentLabel, DEFAULTS.environmentLabel),
    requireEgress: s.requireEgress === true,
    rules,
    exclude,
    maxFiles: positive(s.maxFiles, DEFAULTS.maxFiles),
    maxFileSizeKB: positive(s.maxFileSizeKB, DEFAULTS.maxFileSizeKB),
    maxTotalMB: positive(s.maxTotalMB, DEFAULTS.maxTotalMB),
    codeLens: obj(s.codeLens).enabled !== false && s['codeLens.enabled'] !== false,
    changeImpact: obj(s.changeImpact).enabled !== false && s['changeImpact.enabled'] !== false,
  };
}
