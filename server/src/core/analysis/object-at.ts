import type { Span } from '../base/span';
import type { Analysis } from './analyze';
import type { LoadedFile, ManifestObject } from '../manifest/types';

/**
 * The innermost object of the analysis whose span holds the finding's start (a List's
 * items are objects of their own).
 *
 * Looked up through an index per file, built once: the fixes ask this for every finding
 * (fix-all for all of a file's), and a scan of the file's objects per finding made
 * fix-all quadratic (8,000 documents with 10 unknown fields each: 38 s).
 */
export function objectAt(analysis: Analysis, span: Span): ManifestObject | undefined {
  let best: ManifestObject | undefined;
  for (const f of filesAt(analysis, span.file)) {
    const o = innermostAt(f, span.start);
    if (o && (!best || size(o) < size(best))) best = o;
  }
  return best;
}

/** The loaded files of a path (one, unless a caller handed in a path twice), looked up by path. */
export function filesAt(analysis: Analysis, path: string): readonly LoadedFile[] {
  let byPath = filesByPath.get(analysis.files);
  if (!byPath) {
    byPath = new Map();
    for (const f of analysis.files) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
    filesByPath.set(analysis.files, byPath);
  }
  return byPath.get(path) ?? [];
}

const filesByPath = new WeakMap<readonly LoadedFile[], Map<string, LoadedFile[]>>();

const size = (o: ManifestObject): number => o.span.end - o.span.start;

/**
 * A file's objects by start, each with the nearest earlier one that holds it (its
 * parent: a List for its items). Spans nest or are apart; when they do not (two that
 * overlap or touch), `nested` is false and the file is scanned as it always was.
 */
interface ObjectIndex {
  readonly sorted: readonly ManifestObject[];
  readonly parent: readonly number[];
  readonly nested: boolean;
}

const indexes = new WeakMap<LoadedFile, ObjectIndex>();

function indexOf(file: LoadedFile): ObjectIndex {
  let index = indexes.get(file);
  if (index) return index;
  // By start, the outer one first on equal starts; of equal spans the later one in the
  // file first, so that the earlier one is the innermost (the scan's choice on a tie).
  const order = file.objects.map((o, i) => ({ o, i }));
  order.sort((a, b) => a.o.span.start - b.o.span.start || b.o.span.end - a.o.span.end || b.i - a.i);
  const sorted = order.map((x) => x.o);
  const parent: number[] = [];
  const stack: number[] = [];
  let nested = true;
  for (let i = 0; i < sorted.length; i++) {
    const { start, end } = sorted[i].span;
    while (stack.length > 0 && sorted[stack[stack.length - 1]].span.end < start) stack.pop();
    const top = stack.length > 0 ? stack[stack.length - 1] : -1;
    // The top holds this start: it must hold the whole span (and not only touch it).
    if (top >= 0 && (sorted[top].span.end < end || (sorted[top].span.end === start && start > sorted[top].span.start))) nested = false;
    parent.push(top);
    stack.push(i);
  }
  index = { sorted, parent, nested };
  indexes.set(file, index);
  return index;
}

function innermostAt(file: LoadedFile, offset: number): ManifestObject | undefined {
  const { sorted, parent, nested } = indexOf(file);
  if (!nested) return scan(file, offset);
  // The last object that starts at or before the offset, then out through its parents
  // to the first that holds the offset: spans nest, so that one is the innermost.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].span.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i = parent[i]) if (offset <= sorted[i].span.end) return sorted[i];
  return undefined;
}

function scan(file: LoadedFile, offset: number): ManifestObject | undefined {
  let best: ManifestObject | undefined;
  for (const o of file.objects) {
    if (o.span.start <= offset && offset <= o.span.end && (!best || size(o) < size(best))) best = o;
  }
  return best;
}
