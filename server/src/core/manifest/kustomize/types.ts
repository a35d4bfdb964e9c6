/**
 * What the in-process kustomize subset computes, as plain data. Paths are the caller's own
 * strings (as given in the input files); folders (`dir`, `root`) are the normalized folder of a
 * kustomization file, with `/`.
 */

/** A file of the workspace, as the caller read it. */
export interface KustomizeInputFile {
  readonly path: string;
  readonly text: string;
}

/** One object of a resource file: a YAML document, or an item of a `*List` document. */
export interface SourceObject {
  readonly file: string;
  /** Index of the document among those the `yaml` parser yields for the file. */
  readonly documentIndex: number;
  /** Indices into `items` from the document's mapping down to this object; [] for a plain document. */
  readonly itemPath: readonly number[];
  /** Offset (UTF-16) in the file where the object's mapping starts: the key to match the caller's objects. */
  readonly offset: number;
  readonly apiVersion: string;
  readonly kind: string;
  /** As written (undefined when absent). */
  readonly name: string | undefined;
  readonly namespace: string | undefined;
}

/** A field inside an object: map keys and sequence indices, from the object's top. */
export type FieldPath = readonly (string | number)[];

/**
 * A change kustomize makes to one field of one object. `set` writes a scalar (a name, a
 * namespace, a reference); `merge` writes entries into a map (labels, a selector, annotations),
 * `created` when the map was not there (kustomize made it, e.g. a Service's selector). `by`:
 * the kustomization files whose settings made it.
 */
export type FieldEdit =
  | { readonly op: 'set'; readonly path: FieldPath; readonly value: string; readonly by: readonly string[] }
  | { readonly op: 'merge'; readonly path: FieldPath; readonly entries: Readonly<Record<string, string>>; readonly created: boolean; readonly by: readonly string[] };

/** One source object as one root renders it. */
export interface KustomizedObject {
  readonly source: SourceObject;
  /** The root (a top kustomization's folder, or one the caller asked for) this variant belongs to. */
  readonly root: string;
  /**
   * The kustomization files applied to the object, innermost (the one listing its file) first,
   * out to the root; components are listed where they apply.
   */
  readonly via: readonly string[];
  readonly apiVersion: string;
  readonly kind: string;
  /** Effective metadata.name. */
  readonly name: string | undefined;
  /** Effective metadata.namespace (undefined: none; cluster-scoped objects keep theirs). */
  readonly namespace: string | undefined;
  /** Every field kustomize changes, in the subset modelled here. */
  readonly edits: readonly FieldEdit[];
  /** True when a kustomization of the root uses something not modelled here: the object may differ further. */
  readonly partial: boolean;
}

export type KustomizeNoteCode =
  /** A feature outside the subset: kustomize applies it, the editor does not. */
  | 'not-modelled'
  /** A URL or git repository: never fetched. */
  | 'remote'
  /** A local path that leaves every workspace folder: not read. */
  | 'outside-workspace'
  /** A local path that names no file or folder of the workspace. */
  | 'missing'
  | 'cycle'
  /** kustomize would refuse this (the file is not a valid kustomization, a field has the wrong type, a file outside the root). */
  | 'invalid'
  /** Two objects end up with the same kind, namespace and name: kustomize fails the build. */
  | 'conflict'
  /** A bound of the editor was hit (objects per root). */
  | 'too-large';

/** A finding about a kustomization (or a resource file), with a range in that file. */
export interface KustomizeNote {
  readonly code: KustomizeNoteCode;
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** The kustomization field concerned (`patches`, `resources`, …). */
  readonly field?: string;
  /** The reference concerned, as written. */
  readonly reference?: string;
  readonly message: string;
}

/** What a kustomization file's folder is built as. */
export interface KustomizeRoot {
  readonly dir: string;
  /** Its kustomization file. */
  readonly file: string;
  /** A Component that no kustomization includes (built alone, as `kustomize build` would). */
  readonly component: boolean;
  /** Asked for by the caller (ResolveOptions.roots) rather than found as a top. */
  readonly requested: boolean;
  /** Every kustomization file the build reads, the root's included. */
  readonly kustomizations: readonly string[];
  /** Objects rendered for this root (variants in `objects`). */
  readonly objectCount: number;
  /** Features outside the subset in any of its kustomizations. */
  readonly unmodelled: readonly KustomizeNote[];
  /** What would make kustomize fail or what could not be followed (remote, missing, cycle, invalid, conflict). */
  readonly errors: readonly KustomizeNote[];
  /** unmodelled or errors: the variants of this root are the modelled part only. */
  readonly partial: boolean;
  /** Objects the build drops (annotation config.kubernetes.io/local-config). */
  readonly localConfig: readonly SourceObject[];
}

/** Why a file is named by a kustomization. */
export type FileRole = 'kustomization' | 'resource' | 'patch' | 'generator-input' | 'config';

export interface KustomizationInfo {
  readonly file: string;
  readonly dir: string;
  readonly kind: 'Kustomization' | 'Component';
  /** Kustomization files that include this one (resources/bases/components). */
  readonly includedBy: readonly string[];
  /** Every note about this kustomization file. */
  readonly notes: readonly KustomizeNote[];
}

export interface KustomizeResolution {
  readonly kustomizations: readonly KustomizationInfo[];
  readonly roots: readonly KustomizeRoot[];
  /** One entry per source object per root (more when a root includes a base twice). */
  readonly objects: readonly KustomizedObject[];
  /** Workspace files named by kustomizations, with what for. Patch and plugin-config files are not objects to deploy. */
  readonly fileRoles: ReadonlyMap<string, readonly FileRole[]>;
}
