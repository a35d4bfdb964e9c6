import type { LoadedFile, ManifestObject } from '../manifest/types';
import { isKustomizationFile } from '../manifest/kustomized';
import { isClusterScoped } from '../manifest/kustomize';
import { readNames } from './extract/common';

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

/** An object's name and written namespace. */
export interface ObjectIdentity {
  readonly name: string;
  /** Undefined: metadata.namespace not written. */
  readonly namespace?: string;
  /** A strategic merge patch (`$patch: delete` or `replace`): it names the object it patches, it does not define it. */
  readonly patch?: true;
}

/** Read once per object (prepareObject reads it while the document's tree is at hand). */
const identities = new WeakMap<ManifestObject, ObjectIdentity>();

export function identityOf(obj: ManifestObject): ObjectIdentity {
  let v = identities.get(obj);
  if (v === undefined) {
    const { name, namespace } = readNames(obj);
    v = namespace === undefined ? { name } : { name, namespace };
    // Read with the rest, while the tree is at hand (duplicate-object asks for every object).
    if (obj.reader.has(obj.map, '$patch')) v = { ...v, patch: true };
    identities.set(obj, v);
  }
  return v;
}

/** Whether an object writes metadata.namespace. */
export function setsNamespace(obj: ManifestObject): boolean {
  return identityOf(obj).namespace !== undefined;
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

/** The folders that hold a kustomization file: kustomize deploys only what it lists there. */
export function foldersWithKustomization(files: readonly LoadedFile[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const f of files) if (isKustomizationFile(f.path)) out.add(bundleOf(f.path));
  return out;
}

/**
 * Two definitions that are never applied together: variants of different kustomizations
 * (alternative installs such as argo-cd's controller as a StatefulSet or a Deployment), or a
 * file beside a kustomization that does not list it (gitops-istio's deployment.yaml, whose
 * injected deployment.gen.yaml is what the kustomization deploys). `kustomized`: the
 * folders that hold a kustomization (foldersWithKustomization).
 */
export function deployedApart(a: ManifestObject, b: ManifestObject, kustomized: ReadonlySet<string>): boolean {
  const va = a.kustomize;
  const vb = b.kustomize;
  if (va && vb) {
    const ra = va.variant.root;
    const rb = vb.variant.root;
    return ra !== rb && !va.alsoIn.includes(rb) && !vb.alsoIn.includes(ra);
  }
  const unlisted = (o: ManifestObject) => !o.kustomize && kustomized.has(bundleOf(o.span.file));
  return (va !== undefined && unlisted(b)) || (vb !== undefined && unlisted(a));
}

/**
 * Per bundle of `bundles`, the namespaces its objects write (namespaced kinds only; an empty
 * `namespace: ""` writes none): what the manifests installed with an object say about
 * where it goes, when it says nothing itself.
 */
export function writtenNamespacesOf(files: readonly LoadedFile[], bundles: ReadonlySet<string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const b of bundles) out.set(b, new Set());
  for (const f of files) {
    const set = out.get(bundleOf(f.path));
    if (!set || !fileSetsNamespace(f)) continue;
    for (const o of f.objects) {
      const ns = identityOf(o).namespace;
      if (ns && !isClusterScoped(o.apiVersion, o.kind)) set.add(ns);
    }
  }
  return out;
}

/**
 * Two definitions that one apply is known to deploy together: the same file, or one
 * kustomization that deploys both. Files beside each other without a kustomization are
 * applied together only when someone applies their folder as a whole.
 */
export function deployedTogether(a: ManifestObject, b: ManifestObject): boolean {
  if (a.span.file === b.span.file) return true;
  const va = a.kustomize;
  const vb = b.kustomize;
  if (!va || !vb) return false;
  const ra = va.variant.root;
  const rb = vb.variant.root;
  return ra === rb || va.alsoIn.includes(rb) || vb.alsoIn.includes(ra) || va.alsoIn.some((r) => vb.alsoIn.includes(r));
}

/**
 * Compares file paths in the order `kubectl apply -f DIR -R` reads them: folder by folder,
 * each folder's entries by name (a/x.yaml before a-b/x.yaml, unlike a plain string compare).
 */
export function compareApplyOrder(a: string, b: string): number {
  const x = a.split(/[\\/]/);
  const y = b.split(/[\\/]/);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}
