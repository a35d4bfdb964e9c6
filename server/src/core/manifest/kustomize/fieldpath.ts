/**
 * kustomize's field spec walk (api/filters/fieldspec/fieldspec.go) over plain values: a
 * sequence on the way is entered element by element; with `create`, missing (or null) maps
 * on the way and the field itself are made; without it, only what is there is changed, and a
 * null field counts as absent.
 *
 * Copy on write: an object's working copy shares everything with the parsed original until a
 * walk goes through it; every container on a walked path is copied once (and remembered in
 * `owned`), so the original is never changed and a build copies only what it touches.
 */
import type { FieldSpec } from './fieldspecs';
import { isPlainMap, setKey, type Plain, type PlainMap } from './objects';
import type { FieldPath } from './types';

/** What to do with the field found: its holder (owned) and key, and where it is in the object. */
export type FieldVisitor = (holder: PlainMap | Plain[], key: string | number, path: FieldPath) => void;

export class FieldSpecError extends Error {}

/** A shallow copy of a container (a map keeps keys such as `__proto__` as ordinary keys). */
export function shallowCopy<T extends Plain>(v: T): T {
  if (Array.isArray(v)) return v.slice() as T;
  if (isPlainMap(v)) {
    const out = Object.create(null) as PlainMap;
    for (const k of Object.keys(v)) setKey(out, k, v[k]);
    return out as T;
  }
  return v;
}

/** The container at holder[key], copied first unless this working copy owns it already. */
function owning(holder: PlainMap | Plain[], key: string | number, owned: WeakSet<object>): Plain {
  const node = (holder as Record<string | number, Plain>)[key as never];
  if (node === null || typeof node !== 'object' || owned.has(node)) return node;
  const copy = shallowCopy(node);
  if (Array.isArray(holder)) holder[key as number] = copy;
  else setKey(holder, key as string, copy);
  owned.add(copy as object);
  return copy;
}

/**
 * Visits every field `spec` names in `obj` (an owned working copy), creating it first when the
 * spec says so, as a map or a string according to `leaf`. Throws FieldSpecError where kustomize
 * fails (a scalar where the path needs a map or a list).
 */
export function walkFieldSpec(obj: PlainMap, spec: FieldSpec, leaf: 'map' | 'scalar', owned: WeakSet<object>, visit: FieldVisitor): void {
  const parts = spec.path.split('/');
  walkMap(obj, parts, []);

  function walk(holder: PlainMap | Plain[], key: string | number, rest: readonly string[], path: (string | number)[]): void {
    const node = owning(holder, key, owned);
    if (rest.length === 0) {
      visit(holder, key, path);
      return;
    }
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node, i, rest, [...path, i]);
      return;
    }
    if (isPlainMap(node)) {
      walkMap(node, rest, path);
      return;
    }
    throw new FieldSpecError(`${spec.path}: expected a mapping or a list at ${path.join('.') || '(top)'}`);
  }

  function walkMap(map: PlainMap, rest: readonly string[], path: (string | number)[]): void {
    const isSeq = rest[0].endsWith('[]');
    const name = isSeq ? rest[0].slice(0, -2) : rest[0];
    const field: Plain | undefined = Object.hasOwn(map, name) ? map[name] : undefined;
    if (field === undefined || field === null) {
      if (!spec.create || isSeq) return;
      const made = rest.length <= 1 && leaf === 'scalar' ? '' : (Object.create(null) as PlainMap);
      setKey(map, name, made);
      if (typeof made === 'object') owned.add(made);
    }
    walk(map, name, rest.slice(1), [...path, name]);
  }
}

/** The value at `path`, or undefined. */
export function valueAt(obj: Plain, path: FieldPath): Plain | undefined {
  let cur: Plain | undefined = obj;
  for (const k of path) {
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (!isPlainMap(cur) || !Object.hasOwn(cur, k)) return undefined;
      cur = cur[k];
    }
  }
  return cur;
}
