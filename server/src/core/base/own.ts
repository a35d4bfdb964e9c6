/**
 * Plain objects keyed by what a manifest says (labels, selectors, field names) must not
 * answer with what every object inherits: `labels['constructor']` is a function, and
 * `out['__proto__'] = v` sets a prototype instead of a key. Keys from input are looked
 * up with `own`/`hasOwn`, and objects built from input start from `dict()` (nothing
 * inherited: every key, `__proto__` included, is an ordinary own property).
 */

/** The value of an own property, never an inherited one. */
export function own<T>(obj: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function hasOwn(obj: object | undefined, key: string): boolean {
  return obj !== undefined && Object.hasOwn(obj, key);
}

/**
 * The prototype of every dict: an object with no prototype and no properties (frozen, so
 * none can be added), so a dict inherits nothing, `__proto__` included.
 */
const DICT_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/**
 * Why a constructor rather than `Object.create(null)`: V8 makes a prototype-less object a
 * hash table from the start (about 150 bytes more each, and 3-4x slower to fill), while
 * objects made by a constructor keep fast properties. The model holds one dict per label
 * map and selector: 60,000 on a 10k-workload workspace.
 */
const Dict = function Dict(): void {} as unknown as new () => object;
(Dict as unknown as { prototype: object }).prototype = DICT_PROTOTYPE;

/** An empty object that inherits nothing, to fill with keys from input. */
export function dict<T>(): Record<string, T> {
  return new Dict() as Record<string, T>;
}

/** A copy without a prototype (spreading `{ ...x }` would give it Object.prototype again). */
export function dictOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = dict<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}
