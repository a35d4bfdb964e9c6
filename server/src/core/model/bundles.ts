import type { LoadedFile, ManifestObject } from '../manifest/types';
import { readMeta } from './extract/common';

/**
 * Bundles: the manifests installed together, the unit in which "no object sets a
 * namespace" means "installed with kubectl apply -n" (argo-cd's install.yaml, Online
 * Boutique's kustomize/base). Today a bundle is a folder; a kustomization is one too once
 * kustomizations are read (this is the one place that decides).
 */
export function bundleOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? '' : path.slice(0, cut);
}

/** Whether an object writes metadata.namespace, read once per object (prepareObject reads it while its tree is at hand). */
const writesNamespace = new WeakMap<ManifestObject, boolean>();

export function setsNamespace(obj: ManifestObject): boolean {
  let v = writesNamespace.get(obj);
  if (v === undefined) writesNamespace.set(obj, (v = readMeta(obj).namespace !== undefined));
  return v;
}

/** Whether some object of the file writes metadata.namespace. */
const fileWrites = new WeakMap<LoadedFile, boolean>();

export function fileSetsNamespace(file: LoadedFile): boolean {
  let v = fileWrites.get(file);
  if (v === undefined) fileWrites.set(file, (v = file.objects.some(setsNamespace)));
  return v;
}

/** The bundles with objects of which none writes metadata.namespace. */
export function namespacelessBundles(files: readonly LoadedFile[]): Set<string> {
  const writes = new Map<string, boolean>();
  for (const f of files) {
    if (f.objects.length === 0) continue;
    const b = bundleOf(f.path);
    writes.set(b, (writes.get(b) ?? false) || fileSetsNamespace(f));
  }
  return new Set([...writes].filter(([, w]) => !w).map(([b]) => b));
}
