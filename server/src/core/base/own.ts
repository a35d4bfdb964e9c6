/**
 * Plain objects keyed by what a manifest says (labels, selectors, field names) must not
 * answer with what every object inherits: `labels['constructor']` is a function, and
 * `out['__proto__'] = v` sets a prototype instead of a key. Keys from input are looked
 * up with `own`/`hasOwn`, and objects built from input start from `dict()` (no
 * prototype: every key, `__proto__` included, is an ordinary own property).
 */

/** The value of an own property, never an inherited one. */
export function own<T>(obj: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function hasOwn(obj: object | undefined, key: string): boolean {
  return obj !== undefined && Object.hasOwn(obj, key);
}

/** An empty object without a prototype, to fill with keys from input. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A copy without a prototype (spreading `{ ...x }` would give it Object.prototype again). */
export function dictOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = dict<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}
