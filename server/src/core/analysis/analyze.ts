import { loadFile, type LoadOptions } from '../manifest/load';
import { chartTemplates } from '../manifest/detect';
import { buildModel, prepareObject, type ModelMemory, type ModelOptions } from '../model/build';
import type { Model } from '../model/types';
import { Reachability, type ReachOptions } from '../reach/engine';
import { ParseCache } from '../yaml/parse';
import type { LoadedFile, SourceFile } from '../manifest/types';
import { applyKustomizations, KustomizeState } from '../manifest/kustomized';
import { prepareEvidence } from '../evidence/evidence';
import { prepareMesh } from '../evidence/mesh';
import type { ManifestObject } from '../manifest/types';

/** What the model and the evidence read of an object, while the loader has its tree at hand (LoadOptions.prepare). */
export function prepare(obj: ManifestObject): void {
  prepareObject(obj);
  prepareEvidence(obj);
  prepareMesh(obj);
}

export interface AnalyzeOptions extends ModelOptions, ReachOptions, LoadOptions {}

export interface Analysis {
  readonly files: readonly LoadedFile[];
  readonly model: Model;
  readonly reach: Reachability;
}

/**
 * The whole pipeline on in-memory files: load (cached parse), model, reachability.
 * Without a cache (a one-shot run, as the CLI's), a batch cache: no syntax tree is
 * kept once the model has read it (ParseCache.batch).
 */
export function analyze(files: readonly SourceFile[], options: AnalyzeOptions = {}, cache = ParseCache.batch(), memory?: ModelMemory, kustomize = new KustomizeState()): Analysis {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const charts = chartTemplates(files.map((f) => f.path));
  // The workspace's kustomizations decide the namespaces, names and labels of what they deploy.
  const loaded = applyKustomizations(
    files.map((f) => loadFile(f, cache, { ...options, prepare, chartTemplate: charts.has(f.path) })),
    (path) => texts.get(path),
    kustomize,
  );
  const model = buildModel(loaded, options, undefined, memory);
  return { files: loaded, model, reach: new Reachability(model, options) };
}
