/**
 * One kustomization file read as kustomize v5.5.0 reads it (api/types/kustomization.go): the
 * fields the editor models, every path it names (to follow, or to refuse when remote), and
 * a note for everything else. kustomize unmarshals strictly: an unknown field or a wrong type
 * fails the build, so those are `invalid` notes here.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Node, type Pair } from 'yaml';
import { DOCUMENT_LIMITS, findDepthExcess } from '../../yaml/limits';
import { isRemoteFile, remoteReference } from './remote';
import type { FileRole, KustomizeNote, KustomizeNoteCode } from './types';

export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A resource, base or component as written, with its range in the kustomization file. */
export interface KustomizationReference {
  readonly field: 'resources' | 'bases' | 'components';
  readonly ref: string;
  readonly start: number;
  readonly end: number;
}

/** Any other path the kustomization names (a patch, a generator's input, a plugin config). */
export interface NamedFile {
  readonly field: string;
  readonly role: FileRole;
  readonly ref: string;
  readonly start: number;
  readonly end: number;
}

export interface LabelSet {
  readonly pairs: Readonly<Record<string, string>>;
  readonly includeSelectors: boolean;
  readonly includeTemplates: boolean;
}

export interface Kustomization {
  readonly file: string;
  readonly kind: 'Kustomization' | 'Component';
  /** `resources` then `bases` (kustomize appends bases after resources). */
  readonly resources: readonly KustomizationReference[];
  readonly components: readonly KustomizationReference[];
  readonly namespace: string | undefined;
  readonly namePrefix: string | undefined;
  readonly nameSuffix: string | undefined;
  readonly labels: readonly LabelSet[];
  readonly commonLabels: Readonly<Record<string, string>> | undefined;
  readonly commonAnnotations: Readonly<Record<string, string>> | undefined;
  readonly buildMetadata: readonly string[];
  readonly namedFiles: readonly NamedFile[];
  /** `helmCharts` and friends: kustomize would need to run Helm. */
  readonly helm: boolean;
  /** Plugin configs (generators, transformers, validators) that are not kustomize built-ins. */
  readonly plugins: boolean;
  readonly notes: readonly KustomizeNote[];
}

const KNOWN_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
  'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
  'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator',
  'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations', 'generators',
  'transformers', 'validators', 'buildMetadata',
]);

/**
 * Fields outside the subset that can change what the analysis reads (labels, namespaces,
 * selectors, ports, whole objects): reported when they hold something.
 */
const NOT_MODELLED = new Set([
  'patchesStrategicMerge', 'patchesJson6902', 'patches', 'replacements', 'vars',
  'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'configurations',
  'crds', 'openapi', 'generators', 'transformers', 'validators',
]);

/**
 * Fields with no effect on what the analysis reads. Image tags, replica counts and generated
 * ConfigMaps/Secrets change no label, selector, namespace or port: a note on them was noise on
 * every real repository tried (argo-cd, gitops-istio), so they are passed over in silence.
 * (The generators are not in this set: the files they name are still told apart from resources.)
 */
const IGNORED = new Set(['apiVersion', 'metadata', 'sortOptions', 'generatorOptions', 'images', 'imageTags', 'replicas']);

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** The default message for a feature outside the subset. */
export function notModelledMessage(field: string, dir: string): string {
  return `${field}: not modelled in the editor (it applies namespace, namePrefix/nameSuffix, labels and commonAnnotations only); run \`netpol check --kustomize ${dir}\` for an exact render`;
}

export function parseKustomization(file: string, text: string, dir: string): Kustomization {
  const notes: KustomizeNote[] = [];
  const note = (code: KustomizeNoteCode, node: { range?: [number, number, number] | null } | null | undefined, message: string, field?: string, reference?: string): void => {
    const [start, end] = node?.range ?? [0, 0];
    notes.push({ code, file, start, end, message, ...(field !== undefined ? { field } : {}), ...(reference !== undefined ? { reference } : {}) });
  };
  const out = {
    file,
    kind: 'Kustomization' as 'Kustomization' | 'Component',
    resources: [] as KustomizationReference[],
    components: [] as KustomizationReference[],
    namespace: undefined as string | undefined,
    namePrefix: undefined as string | undefined,
    nameSuffix: undefined as string | undefined,
    labels: [] as LabelSet[],
    commonLabels: undefined as Record<string, string> | undefined,
    commonAnnotations: undefined as Record<string, string> | undefined,
    buildMetadata: [] as string[],
    namedFiles: [] as NamedFile[],
    helm: false,
    plugins: false,
    notes,
  };
  let doc;
  // The YAML parser recurses as deep as the text nests: past the loader's bound, not read.
  const deep = findDepthExcess(text, DOCUMENT_LIMITS.maxDepth);
  if (deep) {
    notes.push({ code: 'too-large', file, start: deep.offset, end: deep.offset, message: `nested deeper than ${DOCUMENT_LIMITS.maxDepth} levels: this kustomization is not read in the editor (docs/limits-and-safety.md)` });
    return out;
  }
  try {
    doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    note('invalid', null, `not a valid kustomization: ${(e as Error).message}`);
    return out;
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    notes.push({ code: 'invalid', file, start: err.pos[0], end: err.pos[1], message: `kustomize cannot read this file: ${err.message.split('\n')[0]}` });
    return out;
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    note('invalid', null, 'this kustomization is empty: kustomize refuses it');
    return out;
  }
  if (!isMap(root)) {
    note('invalid', root, 'a kustomization must be a mapping: kustomize refuses this file');
    return out;
  }

  const str = (node: unknown, field: string): string | undefined => {
    if (node === null || node === undefined) return undefined;
    if (isScalar(node) && (node.value === null)) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    note('invalid', node as Node, `${field} must be a string`, field);
    return undefined;
  };
  const strings = (node: unknown, field: string): { value: string; node: Node }[] => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      note('invalid', node as Node, `${field} must be a list of strings`, field);
      return [];
    }
    const res: { value: string; node: Node }[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string') res.push({ value: item.value, node: item });
      else note('invalid', item as Node, `${field} must be a list of strings`, field);
    }
    return res;
  };
  const stringMap = (node: unknown, field: string): Record<string, string> | undefined => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (!isMap(node)) {
      note('invalid', node as Node, `${field} must be a map of strings`, field);
      return undefined;
    }
    const res = record<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string') {
        note('invalid', pair.key as Node, `${field}: every key must be a string`, field);
        continue;
      }
      const v = pair.value;
      if (v === null || (isScalar(v) && v.value === null)) res[key] = '';
      else if (isScalar(v) && typeof v.value === 'string') res[key] = v.value;
      else note('invalid', v as Node, `${field}.${key} must be a string (quote it): kustomize refuses other values`, field);
    }
    return res;
  };
  const nameFile = (field: string, role: FileRole, item: { value: string; node: Node }): void => {
    const [start, end] = item.node.range ?? [0, 0];
    out.namedFiles.push({ field, role, ref: item.value, start, end });
  };
  /** A list entry that is a path when it is one line (kustomize reads a file first, else takes the text inline). */
  const pathOrInline = (field: string, role: FileRole, node: unknown): void => {
    for (const item of strings(node, field)) if (!/[\n\r]/.test(item.value.trim())) nameFile(field, role, item);
  };

  for (const pair of root.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string') {
      note('invalid', pair.key, 'a kustomization key must be a string');
      continue;
    }
    const value = pair.value;
    if (!KNOWN_FIELDS.has(key)) {
      note('invalid', pair.key, `unknown field "${key}": kustomize refuses this kustomization`, key);
      continue;
    }
    if (IGNORED.has(key)) continue;
    const empty = value === null || (isScalar(value) && (value.value === null || value.value === '')) || ((isSeq(value) || isMap(value)) && value.items.length === 0);
    switch (key) {
      case 'kind': {
        const k = str(value, key);
        if (k === 'Component') out.kind = 'Component';
        else if (k !== undefined && k !== '' && k !== 'Kustomization') note('invalid', value, `kind must be Kustomization or Component (not ${k})`, key);
        break;
      }
      case 'resources':
      case 'bases':
      case 'components':
        for (const item of strings(value, key)) {
          const [start, end] = item.node.range ?? [0, 0];
          (key === 'components' ? out.components : out.resources).push({ field: key, ref: item.value, start, end });
        }
        break;
      case 'namespace':
      case 'namePrefix':
      case 'nameSuffix': {
        const v = str(value, key);
        if (v !== undefined && v !== '') out[key] = v;
        break;
      }
      case 'commonLabels':
      case 'commonAnnotations': {
        const m = stringMap(value, key);
        if (m && Object.keys(m).length > 0) out[key] = m;
        break;
      }
      case 'labels':
        readLabels(value);
        break;
      case 'buildMetadata':
        for (const item of strings(value, key)) {
          out.buildMetadata.push(item.value);
          if (item.value === 'managedByLabel') note('not-modelled', item.node, notModelledMessage('buildMetadata managedByLabel (label app.kubernetes.io/managed-by)', dir), key);
          else if (item.value !== 'originAnnotations' && item.value !== 'transformerAnnotations') note('invalid', item.node, `buildMetadata: unknown option ${item.value}`, key);
        }
        break;
      default:
        if (!empty && NOT_MODELLED.has(key)) note('not-modelled', pair.key, notModelledMessage(key, dir), key);
        collectNamedFiles(key, value);
    }
  }
  // kustomize appends `bases` after `resources`, whatever the order of the keys.
  out.resources.sort((a, b) => (a.field === b.field ? 0 : a.field === 'bases' ? 1 : -1));
  return out;

  function readLabels(value: Node | null): void {
    if (value === null || (isScalar(value) && value.value === null)) return;
    if (!isSeq(value)) {
      note('invalid', value, 'labels must be a list', 'labels');
      return;
    }
    for (const item of value.items) {
      if (!isMap(item)) {
        note('invalid', item as Node, 'labels: each entry must be a mapping (pairs, includeSelectors, includeTemplates, fields)', 'labels');
        continue;
      }
      let pairs: Record<string, string> = record();
      let includeSelectors = false;
      let includeTemplates = false;
      for (const p of item.items as Pair<Node, Node>[]) {
        const k = isScalar(p.key) ? p.key.value : undefined;
        const v = p.value;
        if (k === 'pairs') pairs = stringMap(v, 'labels.pairs') ?? record();
        else if (k === 'includeSelectors' || k === 'includeTemplates') {
          if (v === null || (isScalar(v) && v.value === null)) continue;
          if (!isScalar(v) || typeof v.value !== 'boolean') note('invalid', v, `labels.${k} must be true or false`, 'labels');
          else if (k === 'includeSelectors') includeSelectors = v.value;
          else includeTemplates = v.value;
        } else if (k === 'fields') {
          if (v !== null && !(isScalar(v) && v.value === null) && !((isSeq(v) || isMap(v)) && v.items.length === 0)) {
            note('not-modelled', p.key, notModelledMessage('labels.fields (labels on custom fields)', dir), 'labels');
          }
        } else note('invalid', p.key, `labels: unknown field "${String(k)}"`, 'labels');
      }
      out.labels.push({ pairs, includeSelectors, includeTemplates });
    }
  }

  function collectNamedFiles(key: string, value: Node | null): void {
    if (value === null) return;
    switch (key) {
      case 'crds':
      case 'configurations':
        for (const item of strings(value, key)) nameFile(key, 'config', item);
        return;
      case 'openapi':
        if (isMap(value)) {
          const p = value.get('path', true);
          if (isScalar(p) && typeof p.value === 'string') nameFile(key, 'config', { value: p.value, node: p });
        }
        return;
      case 'patchesStrategicMerge':
        pathOrInline(key, 'patch', value);
        return;
      case 'patches':
      case 'patchesJson6902':
      case 'replacements':
        if (!isSeq(value)) return;
        for (const item of value.items) {
          const p = isMap(item) ? item.get('path', true) : undefined;
          if (isScalar(p) && typeof p.value === 'string') nameFile(key, key === 'replacements' ? 'config' : 'patch', { value: p.value, node: p });
        }
        return;
      case 'configMapGenerator':
      case 'secretGenerator':
        if (!isSeq(value)) return;
        for (const gen of value.items) {
          if (!isMap(gen)) continue;
          for (const field of ['files', 'envs']) {
            for (const item of strings(gen.get(field, true), `${key}.${field}`)) {
              // `files` entries may be `key=path`.
              const eq = field === 'files' ? item.value.indexOf('=') : -1;
              nameFile(key, 'generator-input', { value: eq >= 0 ? item.value.slice(eq + 1) : item.value, node: item.node });
            }
          }
          const env = gen.get('env', true);
          if (isScalar(env) && typeof env.value === 'string' && env.value !== '') nameFile(key, 'generator-input', { value: env.value, node: env });
        }
        return;
      case 'generators':
      case 'transformers':
      case 'validators':
        if (!isSeq(value)) return;
        for (const item of value.items) {
          let configs: unknown[];
          if (isScalar(item) && typeof item.value === 'string') {
            // One line: a file or folder (checked by whoever reads it); more: an inline config.
            if (!/[\n\r]/.test(item.value.trim())) {
              nameFile(key, 'config', { value: item.value, node: item });
              continue;
            }
            try {
              configs = parseAllDocuments(item.value).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
            } catch {
              configs = [];
            }
          } else configs = [isMap(item) ? item.toJSON() : null];
          for (const config of configs) {
            const scan = scanPluginConfig(config);
            if (scan.plugin) out.plugins = true;
            if (scan.helm) out.helm = true;
            for (const ref of scan.paths) nameFile(key, 'config', { value: ref, node: item as Node });
          }
        }
        return;
      case 'helmCharts':
      case 'helmChartInflationGenerator':
        out.helm = true;
        return;
      case 'helmGlobals':
        if (isMap(value)) {
          for (const field of ['chartHome', 'configHome']) {
            const p = value.get(field, true);
            if (isScalar(p) && typeof p.value === 'string') nameFile(key, 'config', { value: p.value, node: p });
          }
        }
        return;
      default:
    }
  }
}

/** Fields of kustomize's built-in plugin configs that name files (which kustomize would download when they are URLs). */
const CONFIG_PATH_KEYS = new Set(['path', 'paths', 'files', 'envs', 'env', 'envSource', 'chartHome', 'configHome', 'valuesFile', 'additionalValuesFiles']);

/**
 * What a generator/transformer/validator config asks for: a plugin (anything but
 * `apiVersion: builtin`), Helm (the built-in HelmChartInflationGenerator), and the files its
 * path fields name (a `files` entry may be `key=path`).
 */
export function scanPluginConfig(config: unknown): { plugin: boolean; helm: boolean; paths: string[] } {
  const result = { plugin: false, helm: false, paths: [] as string[] };
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return result;
  const c = config as Record<string, unknown>;
  if (c.apiVersion !== 'builtin') {
    result.plugin = true;
    return result;
  }
  if (c.kind === 'HelmChartInflationGenerator') result.helm = true;
  const visit = (v: unknown, key: string | undefined, depth: number): void => {
    if (depth > 20) return;
    if (typeof v === 'string') {
      if (key !== undefined && CONFIG_PATH_KEYS.has(key)) {
        const eq = key === 'files' ? v.indexOf('=') : -1;
        result.paths.push(eq >= 0 ? v.slice(eq + 1) : v);
      }
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, key, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k], k, depth + 1);
    }
  };
  visit(c, undefined, 0);
  return result;
}

/** Named files that would be fetched (URLs, git): the renderer refuses them. */
export function remoteNamedFiles(k: Kustomization): NamedFile[] {
  return k.namedFiles.filter((f) => isRemoteFile(f.ref) || remoteReference(f.ref) !== undefined);
}
