/**
 * The workspace's kustomizations applied to its loaded files: each object a kustomization
 * deploys becomes its kustomized variant (namespace, name, labels, selectors, references
 * as kustomize would render them, in the subset of manifest/kustomize), on the source's
 * own lines; patch files are not objects to deploy; what a kustomization does beyond the
 * subset, or what would make kustomize fail, is a note on the kustomization file.
 *
 * The variant rule (docs/semantics.md, "Kustomize"): one model object per source object,
 * so that a diagnostic, a quick fix and a hover stay one-to-one with the lines they sit
 * on. An object that several roots deploy (a base under two overlays) is analysed as the
 * first of them (by folder) renders it; each other root says so in an info note on its
 * kustomization, with the command that analyses it (`netpol check --kustomize DIR`).
 *
 * Identity is kept: an unchanged file whose variants are unchanged keeps its LoadedFile,
 * and an object its kustomized ManifestObject, so every cache keyed by them holds.
 */
import { KUSTOMIZATION_FILE_NAMES, KustomizeParseCache, resolveKustomizations, type KustomizedObject, type KustomizeNote, type KustomizeResolution } from './kustomize';
import type { KustomizeView, LoadedFile, LoadNote, ManifestObject } from './types';

/** The load-note codes (and rule ids) of kustomize notes. */
export const KUSTOMIZE_NOT_MODELLED = 'kustomize-not-modelled';
export const KUSTOMIZE_BUILD_ERROR = 'kustomize-build-error';

/** What the host keeps between analyses: parsed resource files and root results, derived objects. */
export class KustomizeState {
  readonly cache = new KustomizeParseCache();
  readonly objects = new WeakMap<ManifestObject, { readonly key: string; variant: KustomizedObject; readonly also: string; readonly obj: ManifestObject }>();
  readonly files = new WeakMap<LoadedFile, { readonly objects: readonly ManifestObject[]; readonly notes: string; readonly file: LoadedFile }>();
  /** The last resolution, for the analysis' answers (which root renders what). */
  resolution: KustomizeResolution | undefined;
}

/** Each kustomized file's file as written (what a what-if analysis reloads and kustomizes again). */
const SOURCE_FILES = new WeakMap<LoadedFile, LoadedFile>();

/** The file as loaded from its text, before the kustomizations applied (itself when none did). */
export function sourceFileOf(file: LoadedFile): LoadedFile {
  return SOURCE_FILES.get(file) ?? file;
}

/** A file URI as a path (the resolver joins folders); other paths as they are. */
function resolverPath(path: string): string {
  if (!path.startsWith('file://')) return path;
  try {
    const p = decodeURIComponent(path.slice('file://'.length));
    // file:///c%3A/x → /c:/x → c:/x
    return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
  } catch {
    return path;
  }
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Whether a path names a kustomization file (kustomization.yaml, .yml, Kustomization). */
export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(baseName(path));
}

/** True when one of `paths` is a kustomization file: only then is anything resolved. */
export function hasKustomization(paths: Iterable<string>): boolean {
  for (const p of paths) if (isKustomizationFile(p)) return true;
  return false;
}

const BUILD_ERRORS: ReadonlySet<KustomizeNote['code']> = new Set(['missing', 'cycle', 'invalid', 'conflict']);

/** A kustomize note as a load note on its file. */
function loadNote(n: KustomizeNote, file: string, dirOf: (resolver: string) => string): LoadNote {
  const error = BUILD_ERRORS.has(n.code);
  let message = n.message;
  if (n.code === 'remote' || n.code === 'outside-workspace') message += `; the objects it holds are not analysed (netpol check --kustomize ${dirOf(n.file)} renders local references only, too)`;
  else if (n.code === 'conflict' || n.code === 'invalid' || n.code === 'missing' || n.code === 'cycle') message = `kustomize build would fail: ${message}. The objects kustomize could still read are analysed.`;
  else if (n.code === 'too-large') message += '; its objects are analysed as written';
  return { file, code: error ? KUSTOMIZE_BUILD_ERROR : KUSTOMIZE_NOT_MODELLED, severity: error ? 'warning' : 'info', span: { file, start: n.start, end: n.end }, message };
}

/**
 * `files` with the workspace's kustomizations applied (the same array when there is no
 * kustomization). `text`: each file's text (the resolver reads the kustomizations and
 * their resource files itself, by the caller's strings, cached in `state`).
 */
export function applyKustomizations(files: readonly LoadedFile[], text: (path: string) => string | undefined, state: KustomizeState = new KustomizeState()): readonly LoadedFile[] {
  if (!hasKustomization(files.map((f) => f.path))) {
    state.resolution = undefined;
    return files;
  }
  const toResolver = new Map<string, string>();
  const fromResolver = new Map<string, string>();
  const inputs: { path: string; text: string }[] = [];
  for (const f of files) {
    if (toResolver.has(f.path)) continue;
    const rp = resolverPath(f.path);
    toResolver.set(f.path, rp);
    fromResolver.set(rp, f.path);
    inputs.push({ path: rp, text: text(f.path) ?? '' });
  }
  let resolution: KustomizeResolution;
  try {
    resolution = resolveKustomizations(inputs, { cache: state.cache });
  } catch (e) {
    // A bug of ours in the subset costs the kustomize view, not the analysis.
    state.resolution = undefined;
    return files.map((f) =>
      KUSTOMIZATION_FILE_NAMES.includes(baseName(f.path))
        ? { ...f, notes: [...f.notes, { file: f.path, code: KUSTOMIZE_BUILD_ERROR, severity: 'warning', span: { file: f.path, start: 0, end: 0 }, message: `NetPol could not resolve this kustomization (${e instanceof Error ? e.message : String(e)}): its objects are analysed as written. A NetPol bug, please report it.` }] }
        : f,
    );
  }
  state.resolution = resolution;
  const back = (rp: string): string => fromResolver.get(rp) ?? rp;

  // The variant analysed per source object: the first root's (by folder). Keyed by file, then
  // offset (no string built per object: this runs on every keystroke).
  const chosen = new Map<string, Map<number, { variant: KustomizedObject; alsoIn: string[] }>>();
  for (const o of resolution.objects) {
    let inFile = chosen.get(o.source.file);
    if (!inFile) chosen.set(o.source.file, (inFile = new Map()));
    const hit = inFile.get(o.source.offset);
    if (!hit) inFile.set(o.source.offset, { variant: o, alsoIn: [] });
    else if (o.root < hit.variant.root) {
      hit.alsoIn.push(hit.variant.root);
      hit.variant = o;
    } else if (o.root !== hit.variant.root && !hit.alsoIn.includes(o.root)) hit.alsoIn.push(o.root);
  }
  const dropped = new Set<string>();
  for (const r of resolution.roots) for (const s of r.localConfig) dropped.add(`${s.file}\0${s.offset}`);

  // Notes, per file (the kustomizations' own and their roots'; each once).
  const notes = new Map<string, LoadNote[]>();
  const seen = new Set<string>();
  const dirOf = (rp: string): string => {
    const k = resolution.kustomizations.find((x) => x.file === rp);
    return k?.dir ?? rp;
  };
  const addNote = (file: string, n: LoadNote): void => {
    const key = `${file}\0${n.span?.start}\0${n.span?.end}\0${n.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const list = notes.get(file) ?? [];
    list.push(n);
    notes.set(file, list);
  };
  for (const k of resolution.kustomizations) for (const n of k.notes) addNote(back(n.file), loadNote(n, back(n.file), dirOf));
  for (const r of resolution.roots) for (const n of [...r.errors, ...r.unmodelled]) if (n.file) addNote(back(n.file), loadNote(n, back(n.file), dirOf));
  // Roots whose objects are analysed as another root renders them.
  const shadowed = new Map<string, { count: number; by: Set<string> }>();
  for (const inFile of chosen.values()) for (const c of inFile.values()) {
    for (const root of c.alsoIn) {
      const s = shadowed.get(root) ?? { count: 0, by: new Set() };
      s.count++;
      s.by.add(c.variant.root);
      shadowed.set(root, s);
    }
  }
  for (const r of resolution.roots) {
    const s = shadowed.get(r.dir);
    if (!s) continue;
    const file = back(r.file);
    const t = text(file) ?? '';
    const end = t.indexOf('\n') < 0 ? t.length : t.indexOf('\n');
    addNote(file, {
      file,
      code: KUSTOMIZE_NOT_MODELLED,
      severity: 'info',
      span: { file, start: 0, end },
      message: `${s.count} object${s.count === 1 ? '' : 's'} of this kustomization ${s.count === 1 ? 'is' : 'are'} deployed by ${[...s.by].sort().join(', ')} too, and analysed as ${s.by.size === 1 ? 'that root renders' : 'those roots render'} them: the editor analyses one variant per object. Run \`netpol check --kustomize ${r.dir}\` to analyse this one.`,
    });
  }

  return files.map((f) => {
    const rp = toResolver.get(f.path) ?? f.path;
    const roles = resolution.fileRoles.get(rp) ?? [];
    // A patch, a generator's input or a plugin's configuration is not an object to deploy.
    const notDeployed = roles.length > 0 && !roles.includes('resource') && !roles.includes('kustomization');
    const objects: ManifestObject[] = [];
    let changed = false;
    const inFile = chosen.get(rp);
    for (const o of f.objects) {
      if (notDeployed || (dropped.size > 0 && dropped.has(`${rp}\0${o.span.start}`))) {
        changed = true;
        continue;
      }
      const c = inFile?.get(o.span.start);
      if (!c) {
        objects.push(o);
        continue;
      }
      changed = true;
      objects.push(kustomizedObject(state, o, c.variant, c.alsoIn));
    }
    const fileNotes = notes.get(f.path);
    if (!changed && !fileNotes) return f;
    const notesKey = (fileNotes ?? []).map((n) => `${n.span?.start}:${n.span?.end}:${n.message}`).join('\0');
    const hit = state.files.get(f);
    if (hit && hit.notes === notesKey && hit.objects.length === objects.length && hit.objects.every((o, i) => o === objects[i])) return hit.file;
    const file: LoadedFile = { ...f, objects, notes: fileNotes ? [...f.notes, ...fileNotes] : f.notes };
    state.files.set(f, { objects, notes: notesKey, file });
    SOURCE_FILES.set(file, f);
    return file;
  });
}

/** The kustomized ManifestObject of `source` (the same one while its variant is the same). */
function kustomizedObject(state: KustomizeState, source: ManifestObject, variant: KustomizedObject, alsoIn: readonly string[]): ManifestObject {
  const also = alsoIn.length === 0 ? '' : [...alsoIn].sort().join('\0');
  const hit = state.objects.get(source);
  if (hit && hit.variant === variant && hit.also === also) return hit.obj;
  // A root built again (an edit of a file it reads) makes new variants: an object whose
  // rendering is the same keeps its kustomized object (and the caches keyed by it).
  const key = JSON.stringify([variant.root, variant.name, variant.namespace, variant.edits, variant.partial, also]);
  if (hit && hit.key === key) {
    hit.variant = variant;
    return hit.obj;
  }
  const view: KustomizeView = { source, variant, alsoIn: alsoIn.length === 0 ? alsoIn : [...alsoIn].sort() };
  const obj: ManifestObject = {
    apiVersion: source.apiVersion,
    kind: source.kind,
    get map() {
      return source.map;
    },
    get reader() {
      return source.reader;
    },
    get span() {
      return source.span;
    },
    kustomize: view,
  };
  state.objects.set(source, { key, variant, also, obj });
  return obj;
}
