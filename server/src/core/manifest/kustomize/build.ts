/**
 * kustomize's build of one root, restricted to the subset: the accumulation
 * (api/internal/target/kusttarget.go: a kustomization's resources — files, and folders built
 * on their own first — then its components, which add their resources to the same set and
 * transform all of it, then its own transformers), each kustomization's transformers in
 * kustomize's order (namespace, namePrefix, nameSuffix, labels, commonLabels,
 * commonAnnotations), and at the root only the name references and the local-config drop.
 */
import {
  COMMON_ANNOTATION_SPECS, COMMON_LABEL_SPECS, METADATA_LABEL_SPECS, NAMESPACE_SPECS, NOT_RENAMED, TEMPLATE_LABEL_SPECS,
  isClusterScoped, specApplies, splitApiVersion, type FieldSpec,
} from './fieldspecs';
import { FieldSpecError, walkFieldSpec } from './fieldpath';
import type { Kustomization } from './kustomization';
import { fixNameReferences } from './namerefs';
import { isPlainMap, setKey, type KustomizeParseCache, type Plain } from './objects';
import { isWithin } from './path';
import type { KustomizeNote, SourceObject } from './types';
import type { Resolved, WorkspaceIndex } from './workspace';
import { BuildDeps, resolvedKey } from './deps';
import { apiVersionOf, copyItem, describe, kindOf, metaString, newItem, touch, type Item } from './item';

export { apiVersionOf, kindOf, metaString } from './item';

export interface BuildResult {
  readonly items: Item[];
  readonly notes: KustomizeNote[];
  /** What the build read (its kustomization files among it). */
  readonly deps: BuildDeps;
  readonly localConfig: SourceObject[];
}

export interface BuildLimits {
  readonly maxObjects: number;
}

class TooLarge extends Error {}

/** kustomize's ResId equality: group, version, kind, name, and namespace with "" meaning default. */
function currentId(item: Item): string {
  const ns = metaString(item.obj, 'namespace') || 'default';
  return `${apiVersionOf(item.obj)}|${kindOf(item.obj)}|${isClusterScoped(apiVersionOf(item.obj), kindOf(item.obj)) ? '' : ns}|${metaString(item.obj, 'name') ?? ''}`;
}

export class RootBuilder {
  /** Finished builds of kustomizations (not components: those depend on what they are added to). */
  private readonly memo = new Map<string, { items: Item[]; notes: KustomizeNote[]; deps: BuildDeps }>();
  private readonly parsed = new Map<string, Kustomization>();
  private count = 0;

  constructor(
    private readonly ws: WorkspaceIndex,
    private readonly cache: KustomizeParseCache,
    private readonly limits: BuildLimits,
    /** The caller's spelling of a normalized path. */
    private readonly display: (normalized: string) => string,
  ) {}

  kustomization(file: string, dir: string, deps?: BuildDeps): Kustomization {
    const text = this.ws.files.get(file)?.text ?? '';
    if (deps) {
      deps.kustomizations.add(file);
      deps.texts.set(file, text);
    }
    let k = this.parsed.get(file);
    if (!k) {
      k = this.cache.kustomization(this.display(file), text, dir);
      this.parsed.set(file, k);
    }
    return k;
  }

  private kustomizationIn(dir: string, deps: BuildDeps): string | undefined {
    deps.kustomizationIns.set(dir, (this.ws.kustomizationFiles.get(dir) ?? []).join('\0'));
    return this.ws.kustomizationIn(dir);
  }

  private resolve(dir: string, ref: string, field: 'resources' | 'bases' | 'components', deps: BuildDeps): Resolved {
    const r = this.ws.resolve(dir, ref, field);
    deps.resolutions.set(`${dir}\0${ref}\0${field}`, resolvedKey(r));
    return r;
  }

  /** Builds `dir` as a root: the whole build, name references fixed, local-config objects dropped. */
  build(dir: string): BuildResult {
    this.count = 0;
    const notes: KustomizeNote[] = [];
    const deps = new BuildDeps();
    let items: Item[] = [];
    try {
      const file = this.kustomizationIn(dir, deps);
      if (!file) return { items: [], notes, deps, localConfig: [] };
      const k = this.kustomization(file, dir, deps);
      // A root may be a Component nobody includes: built alone, as `kustomize build` does.
      items = this.accumulate(k, file, dir, [], [dir], notes, deps);
    } catch (e) {
      if (!(e instanceof TooLarge)) throw e;
      const file = this.ws.kustomizationIn(dir) ?? dir;
      notes.push({ code: 'too-large', file: this.display(file), start: 0, end: 0, message: `this build has more than ${this.limits.maxObjects} objects: not modelled in the editor` });
      return { items: [], notes, deps, localConfig: [] };
    }
    const rootFile = this.display(this.ws.kustomizationIn(dir) ?? dir);
    for (const n of fixNameReferences(items, rootFile)) notes.push(n);
    const localConfig: SourceObject[] = [];
    const kept = items.filter((item) => {
      const ann = isPlainMap(item.obj.metadata) ? item.obj.metadata.annotations : undefined;
      const v = isPlainMap(ann) && Object.hasOwn(ann, 'config.kubernetes.io/local-config') ? ann['config.kubernetes.io/local-config'] : undefined;
      if (v === undefined || v === 'false') return true;
      localConfig.push(item.source);
      return false;
    });
    return { items: kept, notes, deps, localConfig };
  }

  /** A kustomization folder referenced as a resource: built on its own (memoized), then copied. */
  private accumulateDir(dir: string, chain: readonly string[], notes: KustomizeNote[], deps: BuildDeps, from: { file: string; start: number; end: number; ref: string; field: string }): Item[] {
    const file = this.kustomizationIn(dir, deps);
    if (!file) {
      notes.push({ code: 'invalid', file: from.file, start: from.start, end: from.end, field: from.field, reference: from.ref, message: `${from.ref} has no kustomization.yaml, kustomization.yml or Kustomization: kustomize refuses it` });
      return [];
    }
    const k = this.kustomization(file, dir, deps);
    if (k.kind === 'Component') {
      notes.push({ code: 'invalid', file: from.file, start: from.start, end: from.end, field: from.field, reference: from.ref, message: `${from.ref} is a Component: list it under components, not ${from.field}` });
      return [];
    }
    let done = this.memo.get(dir);
    if (!done) {
      const subNotes: KustomizeNote[] = [];
      const subDeps = new BuildDeps();
      const items = this.accumulate(k, file, dir, [], [...chain, dir], subNotes, subDeps);
      done = { items, notes: subNotes, deps: subDeps };
      this.memo.set(dir, done);
    } else {
      // (A build counted its objects as it made them; a reuse counts them now.)
      this.count += done.items.length;
      if (this.count > this.limits.maxObjects) throw new TooLarge();
    }
    for (const n of done.notes) notes.push(n);
    deps.merge(done.deps);
    return done.items.map(copyItem);
  }

  /** accumulateTarget: `ra` is the parent's set for a component, empty for a kustomization. */
  private accumulate(k: Kustomization, file: string, dir: string, ra: Item[], chain: readonly string[], notes: KustomizeNote[], deps: BuildDeps): Item[] {
    this.kustomization(file, dir, deps);
    for (const n of k.notes) notes.push(n);
    const ids = new Map<string, Item>();
    for (const item of ra) ids.set(currentId(item), item);
    const add = (item: Item, where: { start: number; end: number; ref: string; field: string }): void => {
      const id = currentId(item);
      const other = ids.get(id);
      if (other) {
        notes.push({
          code: 'conflict', file: k.file, start: where.start, end: where.end, field: where.field, reference: where.ref,
          message: `${describe(item)} (from ${item.source.file}) is already added (from ${other.source.file}): kustomize fails this build`,
        });
        return;
      }
      ids.set(id, item);
      ra.push(item);
    };
    for (const ref of k.resources) {
      const r = this.resolve(dir, ref.ref, ref.field, deps);
      const where = { start: ref.start, end: ref.end, ref: ref.ref, field: ref.field };
      if (r.type === 'file') {
        const f = this.ws.files.get(r.path);
        if (!f) continue;
        deps.texts.set(r.path, f.text);
        const parsed = this.cache.get(f.path, f.text);
        for (const p of parsed.problems) notes.push({ code: p.code ?? 'invalid', file: f.path, start: p.start, end: p.end, message: p.message });
        for (const o of parsed.objects) {
          if (++this.count > this.limits.maxObjects) throw new TooLarge();
          add(newItem(o.source, o.value), where);
        }
      } else if (r.type === 'dir') {
        const cycle = chain.find((visited) => isWithin(r.dir, visited));
        if (cycle !== undefined) {
          notes.push({ code: 'cycle', file: k.file, start: ref.start, end: ref.end, field: ref.field, reference: ref.ref, message: `cycle: ${ref.ref} contains a kustomization already being built (${this.display(cycle)}): kustomize refuses it` });
          continue;
        }
        for (const item of this.accumulateDir(r.dir, chain, notes, deps, { file: k.file, ...where })) add(item, where);
      } else {
        notes.push(referenceNote(k.file, ref, r));
      }
    }
    for (const ref of k.components) {
      const r = this.resolve(dir, ref.ref, 'components', deps);
      if (r.type !== 'dir') {
        if (r.type !== 'file') notes.push(referenceNote(k.file, ref, r));
        continue;
      }
      const cycle = chain.find((visited) => isWithin(r.dir, visited));
      if (cycle !== undefined) {
        notes.push({ code: 'cycle', file: k.file, start: ref.start, end: ref.end, field: ref.field, reference: ref.ref, message: `cycle: ${ref.ref} contains a kustomization already being built (${this.display(cycle)}): kustomize refuses it` });
        continue;
      }
      const cfile = this.kustomizationIn(r.dir, deps);
      if (!cfile) {
        notes.push({ code: 'invalid', file: k.file, start: ref.start, end: ref.end, field: ref.field, reference: ref.ref, message: `${ref.ref} has no kustomization.yaml, kustomization.yml or Kustomization: kustomize refuses it` });
        continue;
      }
      const ck = this.kustomization(cfile, r.dir, deps);
      if (ck.kind !== 'Component') {
        notes.push({ code: 'invalid', file: k.file, start: ref.start, end: ref.end, field: ref.field, reference: ref.ref, message: `${ref.ref} is not a Component (kind: Component): kustomize refuses it under components` });
        continue;
      }
      ra = this.accumulate(ck, cfile, r.dir, ra, [...chain, r.dir], notes, deps);
    }
    this.transform(k, ra, notes);
    return ra;
  }

  /** The kustomization's own transformers, over everything accumulated so far. */
  private transform(k: Kustomization, ra: Item[], notes: KustomizeNote[]): void {
    const by = k.file;
    const guarded = (item: Item, f: () => void): void => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof FieldSpecError)) throw e;
        notes.push({ code: 'invalid', file: item.source.file, start: item.source.offset, end: item.source.offset, message: `${describe(item)}: ${e.message}: kustomize fails on this object` });
      }
    };
    if (k.namespace !== undefined) {
      const ns = k.namespace;
      for (const item of ra) {
        storePrev(item);
        guarded(item, () => {
          const apiVersion = apiVersionOf(item.obj);
          const kind = kindOf(item.obj);
          if (!isClusterScoped(apiVersion, kind)) setScalar(item, { path: 'metadata/namespace', create: true }, () => ns, by);
          for (const s of NAMESPACE_SPECS) {
            // A Namespace object is renamed only when its apiVersion is exactly v1.
            if (s.path === 'metadata/name' && apiVersion !== 'v1') continue;
            if (specApplies(s, apiVersion, kind)) setScalar(item, s, () => ns, by);
          }
        });
      }
      const seen = new Map<string, Item>();
      for (const item of ra) {
        const id = currentId(item);
        const other = seen.get(id);
        if (other) notes.push({ code: 'conflict', file: k.file, start: 0, end: 0, field: 'namespace', message: `namespace ${ns} makes ${describe(item)} (from ${item.source.file}) the same object as one from ${other.source.file}: kustomize fails this build` });
        else seen.set(id, item);
      }
    }
    for (const [affix, value] of [['prefix', k.namePrefix], ['suffix', k.nameSuffix]] as const) {
      if (value === undefined) continue;
      for (const item of ra) {
        const { group } = splitApiVersion(item.source.apiVersion);
        if (NOT_RENAMED.some((s) => s.kind === item.source.kind && (s.group === undefined || s.group === group))) continue;
        (affix === 'prefix' ? item.prefixes : item.suffixes).push(value);
        storePrev(item);
        guarded(item, () => setScalar(item, { path: 'metadata/name', create: false }, (old) => (affix === 'prefix' ? value + old : old + value), by));
      }
    }
    for (const set of k.labels) {
      if (Object.keys(set.pairs).length === 0) continue;
      const specs = set.includeSelectors ? COMMON_LABEL_SPECS : set.includeTemplates ? TEMPLATE_LABEL_SPECS : METADATA_LABEL_SPECS.slice(0, 1);
      for (const item of ra) guarded(item, () => mergeMap(item, specs, set.pairs, by));
    }
    if (k.commonLabels) {
      const labels = k.commonLabels;
      for (const item of ra) guarded(item, () => mergeMap(item, COMMON_LABEL_SPECS, labels, by));
    }
    if (k.commonAnnotations) {
      const annotations = k.commonAnnotations;
      for (const item of ra) guarded(item, () => mergeMap(item, COMMON_ANNOTATION_SPECS, annotations, by));
    }
    for (const item of ra) item.via.push(by);
  }
}

function storePrev(item: Item): void {
  item.prev.push({ name: metaString(item.obj, 'name') ?? '', namespace: metaString(item.obj, 'namespace') || 'default', kind: kindOf(item.obj) });
}

function referenceNote(file: string, ref: { ref: string; field: string; start: number; end: number }, r: Exclude<ReturnType<WorkspaceIndex['resolve']>, { type: 'file' | 'dir' }>): KustomizeNote {
  const base = { file, start: ref.start, end: ref.end, field: ref.field, reference: ref.ref };
  if (r.type === 'remote') {
    return {
      ...base, code: 'remote',
      message: `${ref.ref} is a remote ${r.kind === 'url' ? 'file (URL)' : 'base (git repository)'}: never fetched; its objects are missing from the analysis`,
    };
  }
  return { ...base, code: r.type, message: r.message };
}

function setScalar(item: Item, spec: FieldSpec, value: (old: string) => string, by: string): void {
  walkFieldSpec(item.obj, spec, 'scalar', item.owned, (holder, key, path) => {
    const old = (holder as Record<string | number, Plain>)[key as never];
    if (isPlainMap(old) || Array.isArray(old)) throw new FieldSpecError(`${spec.path} must be a string`);
    (holder as Record<string | number, Plain>)[key as never] = value(old === null ? '' : String(old));
    touch(item, path, by);
  });
}

function mergeMap(item: Item, specs: readonly FieldSpec[], entries: Readonly<Record<string, string>>, by: string): void {
  const apiVersion = apiVersionOf(item.obj);
  const kind = kindOf(item.obj);
  for (const s of specs) {
    if (!specApplies(s, apiVersion, kind)) continue;
    walkFieldSpec(item.obj, s, 'map', item.owned, (holder, key, path) => {
      const map = (holder as Record<string | number, Plain>)[key as never];
      if (!isPlainMap(map)) throw new FieldSpecError(`${s.path} must be a map`);
      for (const k of Object.keys(entries)) setKey(map, k, entries[k]);
      touch(item, path, by);
    });
  }
}
