import type { YAMLMap } from 'yaml';
import type { Span } from '../base/span';
import type { NodeReader } from '../yaml/nodes';
import type { KustomizedObject } from './kustomize/types';

/** What loading makes of files: the objects found in them and the notes about what could not be read. */

/** A file handed to the core: the caller (CLI, server) did the I/O. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One Kubernetes object found in a file, with the reader that resolves its spans. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly map: YAMLMap;
  readonly reader: NodeReader;
  readonly span: Span;
  /**
   * Set when a kustomization deploys the object (manifest/kustomized.ts): the variant the
   * analysis reads (its namespace, name, labels, selectors), on the source's lines.
   */
  readonly kustomize?: KustomizeView;
  /**
   * Lets go of the object's syntax tree (a loaded object: manifest/load.ts); the next use
   * parses its document again, identically. For a run that asks nothing later (the CLI).
   */
  release?(): void;
}

/** How the in-process kustomize subset renders one source object for the analysis. */
export interface KustomizeView {
  /** The object as written (its model record is read once and kustomized). */
  readonly source: ManifestObject;
  /** The variant analysed: the one of the first root (by folder) that deploys the object. */
  readonly variant: KustomizedObject;
  /** Other roots that deploy the object too (not analysed in the editor; `--kustomize` renders them). */
  readonly alsoIn: readonly string[];
}

/** What loading says about a file or one of its documents: a YAML error, a bound, a skipped Helm template. */
export interface LoadNote {
  readonly file: string;
  /** Set when a rule reports the note as a finding (e.g. 'file-too-large'). */
  readonly code?: string;
  readonly span?: Span;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

export interface LoadedFile {
  readonly path: string;
  readonly objects: readonly ManifestObject[];
  readonly notes: readonly LoadNote[];
  /** True when the file holds at least one Kubernetes object. */
  readonly isKubernetes: boolean;
  /**
   * True when the file holds, or seems meant to hold, Kubernetes objects (an apiVersion
   * or kind key): YAML errors are ours to report only in such files.
   */
  readonly looksKubernetes: boolean;
}
