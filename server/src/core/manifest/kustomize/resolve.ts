/**
 * The in-process kustomize subset: from the workspace's files (no file system), every
 * kustomization, the roots to build, and for each object each root renders, its effective
 * namespace, name, labels (metadata, pod templates, selectors) and annotations, and the
 * references to renamed objects — as edits over the object as written.
 *
 * The variant rule: a root is a kustomization (or a Component) that no other kustomization of
 * the workspace includes. An object included by several roots (a base under two overlays)
 * has one variant per root; the caller chooses (analyse each root, or prefer one). Objects
 * that no kustomization includes have no variant: they are deployed as written.
 *
 * Everything outside the subset (patches, generators, replacements, images, Helm, plugins,
 * custom field specs, …) is a `not-modelled` note on its kustomization; the objects still get
 * the modelled part, and their root says `partial`.
 */
import { apiVersionOf, kindOf, metaString, RootBuilder } from './build';
import { KustomizeParseCache } from './objects';
import { dirnameOf, joinPath, normalizePath } from './path';
import { isRemoteFile, remoteReference } from './remote';
import { editsOf } from './view';
import { WorkspaceIndex } from './workspace';
import type { FileRole, KustomizationInfo, KustomizedObject, KustomizeInputFile, KustomizeNote, KustomizeResolution, KustomizeRoot } from './types';

export interface ResolveOptions {
  /** The workspace folders: a local reference that leaves all of them is reported, not followed. */
  readonly workspaceRoots?: readonly string[];
  /**
   * Build these folders (each must hold a kustomization) as the roots, instead of the tops
   * found in the workspace (the renderer's `--kustomize DIR`).
   */
  readonly roots?: readonly string[];
  /** Keeps parsed resource files from one call to the next (by path and text). */
  readonly cache?: KustomizeParseCache;
  /** Objects per root beyond which the root is not modelled (a note says so); default 20000. */
  readonly maxObjectsPerRoot?: number;
}

export function resolveKustomizations(files: readonly KustomizeInputFile[], options: ResolveOptions = {}): KustomizeResolution {
  const ws = new WorkspaceIndex(files, options.workspaceRoots);
  const cache = options.cache ?? new KustomizeParseCache();
  const shape = JSON.stringify([options.workspaceRoots ?? null, files.map((f) => f.path)]);
  const samePaths = cache.shape === shape;
  cache.shape = shape;
  const display = (p: string): string => ws.files.get(p)?.path ?? p;
  const builder = new RootBuilder(ws, cache, { maxObjects: options.maxObjectsPerRoot ?? 20000 }, display);

  // Every kustomization, and who includes whom (statically: resources, bases, components).
  const includedBy = new Map<string, Set<string>>();
  const fileRoles = new Map<string, FileRole[]>();
  const role = (path: string, r: FileRole): void => {
    const f = ws.files.get(path)?.path ?? path;
    const list = fileRoles.get(f) ?? [];
    if (!list.includes(r)) list.push(r);
    fileRoles.set(f, list);
  };
  // `extra`: notes about the kustomization beyond its own parse (they join its roots' notes).
  const infos: { file: string; dir: string; kind: 'Kustomization' | 'Component'; notes: KustomizeNote[]; extra: KustomizeNote[] }[] = [];
  for (const [dir, list] of [...ws.kustomizationFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const file = list[0];
    const k = builder.kustomization(file, dir);
    const extra: KustomizeNote[] = [];
    if (list.length > 1) {
      extra.push({ code: 'invalid', file: display(list[1]), start: 0, end: 0, message: `${dir} holds more than one kustomization file (${list.map((f) => display(f).slice(display(f).lastIndexOf('/') + 1)).join(', ')}): kustomize refuses the folder` });
    }
    role(file, 'kustomization');
    for (const ref of [...k.resources, ...k.components]) {
      const r = ws.resolve(dir, ref.ref, ref.field);
      if (r.type === 'dir') {
        const set = includedBy.get(r.dir) ?? new Set();
        set.add(file);
        includedBy.set(r.dir, set);
      } else if (r.type === 'file') role(r.path, 'resource');
    }
    for (const nf of k.namedFiles) {
      if (isRemoteFile(nf.ref) || remoteReference(nf.ref)) {
        extra.push({ code: 'remote', file: k.file, start: nf.start, end: nf.end, field: nf.field, reference: nf.ref, message: `${nf.ref} is remote: never fetched` });
        continue;
      }
      const p = joinPath(dir, nf.ref.trim());
      if (ws.files.has(p)) role(p, nf.role);
    }
    infos.push({ file, dir, kind: k.kind, notes: [...k.notes, ...extra], extra });
  }

  const kustomizations: KustomizationInfo[] = infos.map((i) => ({
    file: display(i.file),
    dir: i.dir,
    kind: i.kind,
    includedBy: [...(includedBy.get(i.dir) ?? [])].map(display),
    notes: i.notes,
  }));
  const extraNotes = new Map(infos.map((i) => [i.file, i.extra]));

  const requested = options.roots?.map(normalizePath);
  const rootDirs = requested ?? findTops(infos.map((i) => i.dir), includedBy, ws);

  const roots: KustomizeRoot[] = [];
  const objects: KustomizedObject[] = [];
  const cacheKey = JSON.stringify([options.workspaceRoots ?? null, options.maxObjectsPerRoot ?? null, requested !== undefined]);
  for (const dir of rootDirs) {
    const file = ws.kustomizationIn(dir);
    if (!file) {
      roots.push({
        dir, file: dir, component: false, requested: true, kustomizations: [], objectCount: 0, unmodelled: [],
        errors: [{ code: 'missing', file: dir, start: 0, end: 0, message: `${dir} holds no kustomization.yaml, kustomization.yml or Kustomization` }],
        partial: true, localConfig: [],
      });
      continue;
    }
    const cached = cache.root(dir, cacheKey);
    if (cached && cached.deps.holdIn(ws, samePaths)) {
      cache.keepRoot(dir, cached);
      cache.retain(cached.deps, display, dirnameOf);
      roots.push(cached.root);
      for (const o of cached.objects) objects.push(o);
      continue;
    }
    const built = builder.build(dir);
    for (const f of built.deps.kustomizations) for (const n of extraNotes.get(f) ?? []) built.notes.push(n);
    const notes = dedupe(built.notes);
    const unmodelled = notes.filter((n) => n.code === 'not-modelled');
    const errors = notes.filter((n) => n.code !== 'not-modelled');
    const partial = notes.length > 0;
    const rootObjects: KustomizedObject[] = built.items.map((item) => ({
      source: item.source,
      root: dir,
      via: item.via,
      apiVersion: apiVersionOf(item.obj),
      kind: kindOf(item.obj),
      name: metaString(item.obj, 'name'),
      namespace: metaString(item.obj, 'namespace'),
      edits: editsOf(item.original, item.obj, item.touched.values()),
      partial,
    }));
    const root: KustomizeRoot = {
      dir,
      file: display(file),
      component: builder.kustomization(file, dir).kind === 'Component',
      requested: requested !== undefined,
      kustomizations: [...built.deps.kustomizations].map(display),
      objectCount: built.items.length,
      unmodelled,
      errors,
      partial,
      localConfig: built.localConfig,
    };
    cache.keepRoot(dir, { key: cacheKey, deps: built.deps, root, objects: rootObjects });
    roots.push(root);
    for (const o of rootObjects) objects.push(o);
  }
  if (options.cache) cache.sweep();
  return { kustomizations, roots, objects, fileRoles };
}

/**
 * The tops: kustomizations nobody includes. Kustomizations that only include each other (a
 * cycle nobody enters) would have none; the first of each such group is built as a root too,
 * so its objects and its cycle are reported.
 */
function findTops(dirs: readonly string[], includedBy: ReadonlyMap<string, ReadonlySet<string>>, ws: WorkspaceIndex): string[] {
  const includes = new Map<string, string[]>();
  for (const [dir, by] of includedBy) {
    for (const file of by) {
      const from = dirnameOf(file);
      const list = includes.get(from) ?? [];
      list.push(dir);
      includes.set(from, list);
    }
  }
  const reached = new Set<string>();
  const reach = (start: string): void => {
    const stack = [start];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (reached.has(d)) continue;
      reached.add(d);
      for (const next of includes.get(d) ?? []) if (ws.kustomizationIn(next)) stack.push(next);
    }
  };
  const tops = dirs.filter((d) => !includedBy.has(d));
  for (const t of tops) reach(t);
  for (const d of dirs) {
    if (reached.has(d)) continue;
    tops.push(d);
    reach(d);
  }
  return tops;
}

function dedupe(notes: readonly KustomizeNote[]): KustomizeNote[] {
  const seen = new Set<string>();
  const out: KustomizeNote[] = [];
  for (const n of notes) {
    const key = `${n.code}\0${n.file}\0${n.start}\0${n.end}\0${n.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}

/** The variants of the source object at `offset` in `file` (one per root that renders it). */
export function variantsOf(resolution: KustomizeResolution, file: string, offset: number): KustomizedObject[] {
  return resolution.objects.filter((o) => o.source.file === file && o.source.offset === offset);
}

/** The folder of a kustomization file path, as the resolver names roots. */
export function kustomizationDir(file: string): string {
  return dirnameOf(normalizePath(file));
}
