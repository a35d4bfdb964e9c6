import type { Analysis } from '../../analysis/analyze';
import type { LoadedFile, ManifestObject } from '../../manifest/load';
import type { NetworkPolicy } from '../../model/types';
import type { CompiledPolicy } from '../../reach/compile';

/**
 * Joins loaded files with the model's policies without walking all of them. The model
 * lists the NetworkPolicies (networking.k8s.io/v1) file by file, in document order, so
 * a file's policies are one slice of `model.policies` (and of the compiled policies):
 * after an edit, the rules look up the policies of the edited file only, and combine
 * per-file summaries cached by LoadedFile (the server keeps the LoadedFile of every file
 * whose text did not change). Every slice is checked against the objects it should
 * hold; should the model ever list them otherwise, the lookups fall back to a full index.
 */

/** The objects of a file that the model reads as NetworkPolicies. */
const modelObjects = new WeakMap<LoadedFile, readonly ManifestObject[]>();

function policyObjects(file: LoadedFile): readonly ManifestObject[] {
  let list = modelObjects.get(file);
  if (!list) {
    list = file.objects.filter((o) => o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1');
    modelObjects.set(file, list);
  }
  return list;
}

interface Slices {
  /** File -> its compiled policies. */
  readonly byFile: Map<LoadedFile, readonly CompiledPolicy[]>;
  readonly offsets: Map<LoadedFile, number>;
  full?: Map<ManifestObject, CompiledPolicy>;
}

const slicesByAnalysis = new WeakMap<Analysis, Slices>();

function slices(analysis: Analysis): Slices {
  let s = slicesByAnalysis.get(analysis);
  if (!s) {
    const offsets = new Map<LoadedFile, number>();
    let offset = 0;
    for (const f of analysis.files) {
      offsets.set(f, offset);
      offset += policyObjects(f).length;
    }
    s = { byFile: new Map(), offsets };
    slicesByAnalysis.set(analysis, s);
  }
  return s;
}

/** The compiled form (with the model policy) of each model policy of a file, in document order. */
export function compiledPoliciesOf(analysis: Analysis, file: LoadedFile): readonly CompiledPolicy[] {
  const s = slices(analysis);
  let list = s.byFile.get(file);
  if (!list) {
    const objects = policyObjects(file);
    const start = s.offsets.get(file);
    const all = analysis.reach.compiled.policies;
    let slice: CompiledPolicy[] | undefined;
    if (start !== undefined && start + objects.length <= all.length) {
      slice = all.slice(start, start + objects.length);
      if (!slice.every((cp, i) => cp.policy.source === objects[i])) slice = undefined;
    }
    if (!slice) {
      const full = fullIndex(analysis, s);
      slice = objects.flatMap((o) => full.get(o) ?? []);
    }
    s.byFile.set(file, (list = slice));
  }
  return list;
}

/** The compiled policy of one manifest object of a file; undefined for objects the model does not read as a policy. */
export function compiledPolicyOf(analysis: Analysis, file: LoadedFile, obj: ManifestObject): CompiledPolicy | undefined {
  const list = compiledPoliciesOf(analysis, file);
  let bySource = bySourceOf.get(list);
  if (!bySource) {
    bySource = new Map();
    for (const cp of list) if (cp.policy.source && !bySource.has(cp.policy.source)) bySource.set(cp.policy.source, cp);
    bySourceOf.set(list, bySource);
  }
  return bySource.get(obj);
}

const bySourceOf = new WeakMap<readonly CompiledPolicy[], Map<ManifestObject, CompiledPolicy>>();

function fullIndex(analysis: Analysis, s: Slices): Map<ManifestObject, CompiledPolicy> {
  if (!s.full) {
    s.full = new Map();
    for (const cp of analysis.reach.compiled.policies) if (cp.policy.source && !s.full.has(cp.policy.source)) s.full.set(cp.policy.source, cp);
  }
  return s.full;
}

const summaries = new WeakMap<LoadedFile, Map<string, { readonly defaultNamespace: string; readonly value: unknown }>>();

/**
 * A summary of each file's model policies, in file order, cached per loaded file (and
 * default namespace, which the policies' namespaces may depend on). `summarize` must
 * read the policies alone, nothing of the rest of the workspace.
 */
export function perFile<T>(analysis: Analysis, key: string, summarize: (policies: readonly NetworkPolicy[]) => T): T[] {
  const defaultNamespace = analysis.model.defaultNamespace;
  return analysis.files.map((file) => {
    let byKey = summaries.get(file);
    if (!byKey) summaries.set(file, (byKey = new Map()));
    const hit = byKey.get(key);
    if (hit && hit.defaultNamespace === defaultNamespace) return hit.value as T;
    const value = summarize(compiledPoliciesOf(analysis, file).map((cp) => cp.policy));
    byKey.set(key, { defaultNamespace, value });
    return value;
  });
}
