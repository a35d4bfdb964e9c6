import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { dict } from '../base/own';
import type { HostNetworkMode } from '../reach/compile';
import { CNI_NAMES, isCniName } from '../k8s/cni';
import type { Severity } from '../lint/rule';
import type { RuleMeta } from '../lint/rule';
import { DEFAULTS, type NetpolConfig } from './config';

/**
 * The repository's configuration file, `.netpol.yaml` at the workspace root (the CLI: the
 * nearest one above the given path, or --config FILE). The same keys as the editor's
 * settings, for the same NetpolConfig:
 *
 *   defaultNamespace: shop
 *   environmentLabel: env
 *   ingressController: {namespace: ingress-nginx, labels: {app.kubernetes.io/name: ingress-nginx}}
 *   dns: {namespace: kube-system, labels: {k8s-app: kube-dns}}
 *   requireEgress: true
 *   hostNetwork: node
 *   cni: calico
 *   rules: {allow-all-peers: info, missing-namespace: off}
 *   exclude: ["charts/**"]
 *
 * What is wrong in it is reported on the file (invalid-config) and left at the default,
 * never a crash. New keys go in KEYS.
 */

export const CONFIG_FILE_NAME = '.netpol.yaml';

export const invalidConfigMeta: RuleMeta = {
  id: 'invalid-config',
  category: 'validation',
  defaultSeverity: 'warning',
  description: 'A value of .netpol.yaml that NetPol cannot use (unknown key, wrong type, unknown rule id): it is ignored, the default applies.',
};

/** What the file sets (only what it sets), and what is wrong in it (offsets into its text). */
export interface ConfigFile {
  readonly config: Partial<NetpolConfig>;
  readonly problems: readonly { readonly message: string; readonly start: number; readonly end: number }[];
}

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];
const KEYS = ['defaultNamespace', 'environmentLabel', 'ingressController', 'dns', 'requireEgress', 'hostNetwork', 'cni', 'rules', 'exclude'] as const;
const MAX_CONFIG_LENGTH = 256 * 1024;

export function parseConfigFile(text: string, knownRule: (id: string) => boolean): ConfigFile {
  const problems: { message: string; start: number; end: number }[] = [];
  const config: { -readonly [K in keyof NetpolConfig]?: NetpolConfig[K] } = {};
  const at = (node: unknown, message: string) => {
    const range = (node as Node | undefined)?.range;
    problems.push({ message, start: range?.[0] ?? 0, end: range?.[1] ?? 0 });
  };
  if (text.length > MAX_CONFIG_LENGTH) {
    at(undefined, `${CONFIG_FILE_NAME} is larger than ${MAX_CONFIG_LENGTH / 1024} KB: not read; the defaults apply.`);
    return { config, problems };
  }
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    at(undefined, `${CONFIG_FILE_NAME} could not be read (${(e as Error).message}): the defaults apply.`);
    return { config, problems };
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    problems.push({ message: `${CONFIG_FILE_NAME} is not valid YAML (${e.message.split('\n')[0]}): the defaults apply until it is fixed.`, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) });
    return { config, problems };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { config, problems };
  if (!isMap(root)) {
    at(root, `${CONFIG_FILE_NAME} must be a mapping of settings (defaultNamespace, rules, exclude, …): the defaults apply.`);
    return { config, problems };
  }
  for (const pair of root.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = pair.value;
    if (key === undefined || !(KEYS as readonly string[]).includes(key)) {
      at(pair.key, `Unknown setting "${String(key)}" in ${CONFIG_FILE_NAME}: ignored. Known settings: ${KEYS.join(', ')}.`);
      continue;
    }
    switch (key as (typeof KEYS)[number]) {
      case 'defaultNamespace':
      case 'environmentLabel': {
        const s = stringOf(value);
        if (s === undefined || s === '') at(value ?? pair.key, `${key} must be a non-empty string: ignored, the default ("${DEFAULTS[key as 'defaultNamespace']}") applies.`);
        else config[key as 'defaultNamespace'] = s;
        break;
      }
      case 'requireEgress': {
        if (isScalar(value) && typeof value.value === 'boolean') config.requireEgress = value.value;
        else at(value ?? pair.key, 'requireEgress must be true or false: ignored.');
        break;
      }
      case 'hostNetwork': {
        const s = stringOf(value);
        if (s === 'node' || s === 'pod') config.hostNetwork = s as HostNetworkMode;
        else at(value ?? pair.key, 'hostNetwork must be "node" or "pod": ignored.');
        break;
      }
      case 'cni': {
        const s = stringOf(value);
        if (s !== undefined && isCniName(s)) config.cni = s;
        else at(value ?? pair.key, `cni must be one of ${CNI_NAMES.join(', ')}: ignored, the default profile applies.`);
        break;
      }
      case 'ingressController':
      case 'dns': {
        const where = key === 'dns' ? DEFAULTS.dns : DEFAULTS.ingressController;
        const m = mapOf(value);
        if (!m) {
          at(value ?? pair.key, `${key} must be a mapping {namespace: …, labels: {…}}: ignored.`);
          break;
        }
        let namespace = where.namespace;
        let labels: Record<string, string> = { ...where.labels };
        for (const p of m.items as Pair<Node, Node>[]) {
          const k = isScalar(p.key) ? String(p.key.value) : '';
          if (k === 'namespace') {
            const s = stringOf(p.value);
            if (s) namespace = s;
            else at(p.value ?? p.key, `${key}.namespace must be a non-empty string: ignored.`);
          } else if (k === 'labels') {
            const l = stringMap(p.value, (n, msg) => at(n, `${key}.labels: ${msg}`));
            if (l) labels = l;
          } else at(p.key, `Unknown key "${k}" under ${key} (known: namespace, labels): ignored.`);
        }
        config[key as 'dns'] = { namespace, labels };
        break;
      }
      case 'rules': {
        const m = mapOf(value);
        if (!m) {
          at(value ?? pair.key, 'rules must be a mapping of rule id to severity (error, warning, info, hint, off): ignored.');
          break;
        }
        const rules = dict<Severity | 'off'>();
        for (const p of m.items as Pair<Node, Node>[]) {
          const id = isScalar(p.key) ? String(p.key.value) : '';
          // YAML 1.1 readers make `off` false: both mean off here.
          const raw = isScalar(p.value) ? (p.value.value === false ? 'off' : p.value.value) : undefined;
          if (!knownRule(id)) at(p.key, `Unknown rule id "${id}" in rules: ignored (docs/rules/README.md lists them).`);
          else if (typeof raw !== 'string' || !SEVERITIES.includes(raw)) at(p.value ?? p.key, `The severity of ${id} must be one of ${SEVERITIES.join(', ')}: ignored.`);
          else rules[id] = raw as Severity | 'off';
        }
        config.rules = rules;
        break;
      }
      case 'exclude': {
        const list = isSeq(value) ? value.items : undefined;
        if (!list) {
          at(value ?? pair.key, 'exclude must be a list of glob patterns (relative to the folder of .netpol.yaml): ignored.');
          break;
        }
        const out: string[] = [];
        for (const item of list) {
          const s = stringOf(item);
          if (s) out.push(s);
          else at(item, 'Each exclude entry must be a glob pattern (a string): ignored.');
        }
        config.exclude = out;
        break;
      }
    }
  }
  return { config, problems };
}

function stringOf(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function mapOf(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

function stringMap(node: unknown, problem: (node: unknown, message: string) => void): Record<string, string> | undefined {
  if (!isMap(node)) {
    problem(node, 'must be a mapping of label keys to values: ignored.');
    return undefined;
  }
  const out = dict<string>();
  for (const p of node.items as Pair<Node, Node>[]) {
    const k = isScalar(p.key) ? String(p.key.value) : undefined;
    const v = isScalar(p.value) && (typeof p.value.value === 'string' || typeof p.value.value === 'number' || typeof p.value.value === 'boolean') ? String(p.value.value) : undefined;
    if (k === undefined || v === undefined) problem(p.value ?? p.key, 'label values are strings: ignored.');
    else out[k] = v;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The configuration with the file under the surface's own (editor settings, CLI flags):
 * a value of `over` wins where it differs from the default (a setting left at its default
 * says nothing); per-rule severities merge rule by rule, excluded globs add up.
 */
export function mergeConfig(file: Partial<NetpolConfig>, over: NetpolConfig): NetpolConfig {
  const out: { -readonly [K in keyof NetpolConfig]: NetpolConfig[K] } = { ...over };
  for (const key of Object.keys(file) as (keyof NetpolConfig)[]) {
    if (key === 'rules' || key === 'exclude') continue;
    if (same(over[key], DEFAULTS[key])) (out as Record<string, unknown>)[key] = file[key];
  }
  const rules = dict<Severity | 'off'>();
  Object.assign(rules, file.rules ?? {}, over.rules);
  out.rules = rules;
  out.exclude = [...new Set([...(file.exclude ?? []), ...over.exclude])];
  return out;
}
