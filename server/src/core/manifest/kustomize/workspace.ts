/**
 * The workspace as kustomize's loader sees it, from the caller's files alone: which files and
 * folders exist, the kustomization file of a folder, and what a reference in a kustomization
 * resolves to (kustomize v5.5.0's order: an http(s) URL is fetched; a local file is read,
 * only from the kustomization's folder or below; a git spec is cloned; a local folder must hold a
 * kustomization; components are always folders).
 */
import { basenameOf, dirnameOf, isAbsolutePath, isWithin, joinPath, normalizePath } from './path';
import { KUSTOMIZATION_FILE_NAMES } from './kustomization';
import { isRemoteFile, remoteReference, type RemoteKind } from './remote';
import type { KustomizeInputFile } from './types';

export type Resolved =
  | { readonly type: 'file'; readonly path: string }
  | { readonly type: 'dir'; readonly dir: string }
  | { readonly type: 'remote'; readonly kind: RemoteKind }
  | { readonly type: 'missing' | 'outside-workspace' | 'invalid'; readonly message: string };

export class WorkspaceIndex {
  /** Normalized path → the caller's file. */
  readonly files = new Map<string, KustomizeInputFile>();
  private readonly dirs = new Set<string>();
  /** Folder → its kustomization files (normally one). */
  readonly kustomizationFiles = new Map<string, string[]>();
  private readonly roots: readonly string[] | undefined;

  constructor(files: readonly KustomizeInputFile[], workspaceRoots: readonly string[] | undefined) {
    this.roots = workspaceRoots?.map(normalizePath);
    for (const f of files) {
      const p = normalizePath(f.path);
      this.files.set(p, f);
      for (let d = dirnameOf(p); !this.dirs.has(d); d = dirnameOf(d)) {
        this.dirs.add(d);
        if (d === '.' || d === '/' || dirnameOf(d) === d) break;
      }
      const base = basenameOf(p);
      if (KUSTOMIZATION_FILE_NAMES.includes(base)) {
        const dir = dirnameOf(p);
        const list = this.kustomizationFiles.get(dir) ?? [];
        list.push(p);
        list.sort((a, b) => KUSTOMIZATION_FILE_NAMES.indexOf(basenameOf(a)) - KUSTOMIZATION_FILE_NAMES.indexOf(basenameOf(b)));
        this.kustomizationFiles.set(dir, list);
      }
    }
  }

  hasDir(dir: string): boolean {
    return this.dirs.has(dir);
  }

  /** The kustomization file kustomize reads in `dir` (the first of kustomization.yaml, .yml, Kustomization). */
  kustomizationIn(dir: string): string | undefined {
    return this.kustomizationFiles.get(dir)?.[0];
  }

  private outside(path: string): boolean {
    return this.roots !== undefined && this.roots.length > 0 && !this.roots.some((r) => isWithin(r, path));
  }

  /** What `ref`, written in the kustomization in `dir` under `field`, names. */
  resolve(dir: string, ref: string, field: 'resources' | 'bases' | 'components'): Resolved {
    const trimmed = ref.trim();
    if (trimmed === '') return { type: 'invalid', message: `an empty entry in ${field}` };
    const component = field === 'components';
    if (!component && isRemoteFile(trimmed)) return { type: 'remote', kind: 'url' };
    const path = joinPath(dir, trimmed);
    if (!component && this.files.has(path)) {
      if (!isWithin(dir, path)) {
        return { type: 'invalid', message: `${ref} is not in or below the kustomization's folder: kustomize refuses to read it (load restrictor LoadRestrictionsRootOnly)` };
      }
      return { type: 'file', path };
    }
    const remote = remoteReference(trimmed);
    if (remote) return { type: 'remote', kind: remote };
    if (isAbsolutePath(trimmed)) return { type: 'invalid', message: `${ref}: kustomize refuses an absolute path to a folder` };
    if (this.outside(path)) return { type: 'outside-workspace', message: `${ref} is outside the workspace: not read` };
    if (this.hasDir(path)) return { type: 'dir', dir: path };
    if (component && this.files.has(path)) return { type: 'invalid', message: `${ref} is a file: components must be folders with a kustomization` };
    return { type: 'missing', message: `${ref} names no file or folder of the workspace` };
  }
}
