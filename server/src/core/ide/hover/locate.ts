import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ManifestObject } from '../../manifest/load';
import type { Span } from '../../base/span';

/** One step from an object's root towards the cursor: a map key or a list index. */
export interface CursorStep {
  readonly key: string | number;
  /** The value reached (undefined for `key:` without a value). */
  readonly node: Node | undefined;
  /** The key node (map steps only). */
  readonly keyNode?: Node;
}

/** Where the cursor is inside one object: the keys and indices leading to it. */
export interface CursorPath {
  readonly object: ManifestObject;
  readonly steps: readonly CursorStep[];
  /** The cursor is on the key of the last step, not inside its value. */
  readonly onKey: boolean;
}

/**
 * The path from `object`'s root to the innermost node under `offset` (an offset in the
 * file). Aliases are not followed: their nodes sit elsewhere in the text.
 */
export function cursorPath(object: ManifestObject, offset: number): CursorPath {
  const rel = offset - object.reader.base;
  const steps: CursorStep[] = [];
  let node: Node | undefined = object.map;
  const within = (n: unknown): boolean => {
    const range = (n as Node | null | undefined)?.range;
    return range !== undefined && range !== null && range[0] <= rel && rel < range[1];
  };
  for (let depth = 0; depth < 64 && node; depth++) {
    let next: Node | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        const name = isScalar(key) ? String(key.value ?? '') : '';
        if (within(key)) {
          steps.push({ key: name, node: value ?? undefined, keyNode: key ?? undefined });
          return { object, steps, onKey: true };
        }
        if (within(value)) {
          steps.push({ key: name, node: value ?? undefined, keyNode: key ?? undefined });
          next = value ?? undefined;
          break;
        }
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i] as Node | null;
        if (within(item)) {
          steps.push({ key: i, node: item ?? undefined });
          next = item ?? undefined;
          break;
        }
      }
    }
    if (!next || isAlias(next) || isScalar(next)) break;
    node = next;
  }
  return { object, steps, onKey: false };
}

/** The keys of the path, e.g. `['spec', 'ingress', 0, 'from', 1]`. */
export function keysOf(path: CursorPath): (string | number)[] {
  return path.steps.map((s) => s.key);
}

/** Whether the path starts with `prefix` (strings compare keys, numbers indices; `'#'` any index). */
export function startsWith(path: CursorPath, prefix: readonly (string | number)[]): boolean {
  if (path.steps.length < prefix.length) return false;
  return prefix.every((p, i) => (p === '#' ? typeof path.steps[i].key === 'number' : path.steps[i].key === p));
}

/** The cursor is on the value of exactly this path (not on its key, not deeper). */
export function onValue(path: CursorPath, keys: readonly string[]): boolean {
  return !path.onKey && path.steps.length === keys.length && startsWith(path, keys);
}

/**
 * The span of what the first `depth` steps reach: the value (or, when the cursor is on
 * that very key, the key and its value).
 */
export function spanAt(path: CursorPath, depth: number): Span {
  const r = path.object.reader;
  const step = path.steps[depth - 1];
  if (!step) return path.object.span;
  if (path.onKey && depth === path.steps.length && step.keyNode) return r.spanBetween(step.keyNode, step.node ?? step.keyNode) ?? path.object.span;
  return r.span(step.node) ?? (step.keyNode ? r.span(step.keyNode) : undefined) ?? path.object.span;
}
