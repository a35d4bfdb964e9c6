import type { Severity } from '../core/rules/types';

/** The `netpol.*` settings the server reads (schema: package.json contributes.configuration). */
export interface Settings {
  readonly defaultNamespace: string;
  readonly rules: Readonly<Record<string, Severity | 'off'>>;
  readonly exclude: readonly string[];
  readonly maxFiles: number;
  readonly maxFileSizeKB: number;
}

export const DEFAULT_SETTINGS: Settings = {
  defaultNamespace: 'default',
  rules: {},
  exclude: [],
  maxFiles: 5000,
  maxFileSizeKB: 4096,
};

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

/** Validates what the client sent; anything malformed falls back to the default. */
export function readSettings(raw: unknown): Settings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, Severity | 'off'> = {};
  if (s.rules && typeof s.rules === 'object') {
    for (const [id, sev] of Object.entries(s.rules as Record<string, unknown>)) {
      if (typeof sev === 'string' && SEVERITIES.includes(sev)) rules[id] = sev as Severity | 'off';
    }
  }
  return {
    defaultNamespace: typeof s.defaultNamespace === 'string' && s.defaultNamespace ? s.defaultNamespace : DEFAULT_SETTINGS.defaultNamespace,
    rules,
    exclude: Array.isArray(s.exclude) ? s.exclude.filter((x): x is string => typeof x === 'string') : DEFAULT_SETTINGS.exclude,
    maxFiles: typeof s.maxFiles === 'number' && s.maxFiles > 0 ? s.maxFiles : DEFAULT_SETTINGS.maxFiles,
    maxFileSizeKB: typeof s.maxFileSizeKB === 'number' && s.maxFileSizeKB > 0 ? s.maxFileSizeKB : DEFAULT_SETTINGS.maxFileSizeKB,
  };
}
