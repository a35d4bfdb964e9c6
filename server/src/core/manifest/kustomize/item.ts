/**
 * One object on its way through a root's build, and the reads and marks every step of the
 * build shares (build.ts, namerefs.ts).
 */
import { shallowCopy } from './fieldpath';
import { isPlainMap, type PlainMap } from './objects';
import type { FieldPath, SourceObject } from './types';

/** One object on its way through the build. */
export interface Item {
  readonly source: SourceObject;
  /** As parsed: never changed. */
  readonly original: PlainMap;
  /** The working copy the transformers change (copy on write: see fieldpath.ts). */
  readonly obj: PlainMap;
  /** The containers of `obj` this item has copied, and may change. */
  readonly owned: WeakSet<object>;
  /** Names (and namespaces, kinds) it had before each rename: kustomize's previous ids. */
  readonly prev: { name: string; namespace: string; kind: string }[];
  readonly prefixes: string[];
  readonly suffixes: string[];
  readonly via: string[];
  /** Fields changed: path key → path, and the kustomization files that changed it. */
  readonly touched: Map<string, { readonly path: FieldPath; readonly by: Set<string> }>;
}

export function newItem(source: SourceObject, original: PlainMap, from?: Item): Item {
  const obj = shallowCopy(from ? from.obj : original);
  return {
    source,
    original,
    obj,
    owned: new WeakSet([obj]),
    prev: from ? from.prev.map((p) => ({ ...p })) : [],
    prefixes: from ? [...from.prefixes] : [],
    suffixes: from ? [...from.suffixes] : [],
    via: from ? [...from.via] : [],
    touched: new Map(from ? [...from.touched].map(([k, v]) => [k, { path: v.path, by: new Set(v.by) }]) : []),
  };
}

export function copyItem(item: Item): Item {
  return newItem(item.source, item.original, item);
}


export function metaString(obj: PlainMap, field: 'name' | 'namespace'): string | undefined {
  const meta = obj.metadata;
  if (!isPlainMap(meta)) return undefined;
  const v = meta[field];
  return typeof v === 'string' ? v : undefined;
}

export function apiVersionOf(obj: PlainMap): string {
  return typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
}

export function kindOf(obj: PlainMap): string {
  return typeof obj.kind === 'string' ? obj.kind : '';
}

export function describe(item: Item): string {
  const ns = metaString(item.obj, 'namespace');
  return `${kindOf(item.obj)} ${ns ? `${ns}/` : ''}${metaString(item.obj, 'name') ?? ''}`;
}

export function touch(item: Item, path: FieldPath, by: string): void {
  const key = JSON.stringify(path);
  let t = item.touched.get(key);
  if (!t) {
    t = { path: [...path], by: new Set() };
    item.touched.set(key, t);
  }
  t.by.add(by);
}
