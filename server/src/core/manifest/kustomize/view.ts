/**
 * The kustomized view of an object, from its edits: the caller keeps its own parse (and its
 * source spans) and asks what kustomize changes. Nothing here touches text.
 */
import { isPlainMap, plain, type Plain, type PlainMap } from './objects';
import { valueAt } from './fieldpath';
import type { FieldEdit, FieldPath, KustomizedObject } from './types';

/** The edits of `item` computed from what its working copy holds at the touched paths. */
export function editsOf(original: PlainMap, final: PlainMap, touched: Iterable<{ readonly path: FieldPath; readonly by: ReadonlySet<string> }>): FieldEdit[] {
  const edits: FieldEdit[] = [];
  for (const { path, by } of touched) {
    const after = valueAt(final, path);
    const before = valueAt(original, path);
    if (isPlainMap(after)) {
      const entries = Object.create(null) as Record<string, string>;
      for (const k of Object.keys(after)) {
        const v = after[k];
        if (typeof v === 'string' && (!isPlainMap(before) || !Object.hasOwn(before, k) || before[k] !== v)) entries[k] = v;
      }
      const created = !isPlainMap(before);
      if (Object.keys(entries).length > 0 || created) edits.push({ op: 'merge', path, entries, created, by: [...by] });
    } else if (typeof after === 'string' && after !== before) {
      edits.push({ op: 'set', path, value: after, by: [...by] });
    }
  }
  return edits;
}

/**
 * A copy of `obj` (a parsed object, plain values) with `edits` applied: what kustomize renders
 * for it, within the subset. `obj` is not changed.
 */
export function applyEdits<T>(obj: T, edits: readonly FieldEdit[]): T {
  const out = plain(obj) as Plain;
  for (const e of edits) {
    if (e.path.length === 0) continue;
    let cur: Plain = out;
    for (let i = 0; i < e.path.length - 1; i++) {
      const k = e.path[i];
      const next: Plain | undefined = typeof k === 'number' ? (Array.isArray(cur) ? cur[k] : undefined) : isPlainMap(cur) && Object.hasOwn(cur, k) ? cur[k] : undefined;
      if (next === undefined || next === null) {
        if (typeof k === 'number' || !isPlainMap(cur)) break;
        cur[k] = Object.create(null) as PlainMap;
        cur = cur[k];
      } else cur = next;
    }
    const last = e.path[e.path.length - 1];
    if (typeof last === 'number' ? !Array.isArray(cur) : !isPlainMap(cur)) continue;
    const holder = cur as Record<string | number, Plain>;
    if (e.op === 'set') holder[last as never] = e.value;
    else {
      let map = holder[last as never];
      if (!isPlainMap(map)) {
        map = Object.create(null) as PlainMap;
        holder[last as never] = map;
      }
      for (const k of Object.keys(e.entries)) map[k] = e.entries[k];
    }
  }
  return out as T;
}

/** The labels (or entries) kustomize adds or changes in the map at `path` (e.g. `['spec', 'selector', 'matchLabels']`). */
export function entriesAddedAt(obj: Pick<KustomizedObject, 'edits'>, path: FieldPath): Readonly<Record<string, string>> | undefined {
  const key = JSON.stringify(path);
  const e = obj.edits.find((x) => x.op === 'merge' && JSON.stringify(x.path) === key);
  return e && e.op === 'merge' ? e.entries : undefined;
}

/** The value kustomize writes at `path` (a name, a namespace, a reference), if it changes it. */
export function valueSetAt(obj: Pick<KustomizedObject, 'edits'>, path: FieldPath): string | undefined {
  const key = JSON.stringify(path);
  const e = obj.edits.find((x) => x.op === 'set' && JSON.stringify(x.path) === key);
  return e && e.op === 'set' ? e.value : undefined;
}
