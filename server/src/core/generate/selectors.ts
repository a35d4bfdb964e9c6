import type { Labels, Workload } from '../model/types';

/**
 * The labels a generated policy selects a workload by: its pods' common labels, narrowed
 * to the fewest that tell it apart from the other workloads of its namespace. Labels
 * that controllers add per revision or per pod never select a workload for long.
 */

/** Keys people select workloads by, most telling first: a narrowed selector prefers them. */
const PREFERRED = ['app.kubernetes.io/name', 'app', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'component', 'name', 'k8s-app', 'run', 'tier', 'role', 'version'];

/** Set by controllers (per revision, per pod, per run): never a selector of ours. */
const CONTROLLER_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
]);

/** The most labels a narrowed selector combines before it falls back to all common labels. */
const MAX_NARROWED = 3;

function rank(key: string): number {
  const i = PREFERRED.indexOf(key);
  return i < 0 ? PREFERRED.length : i;
}

/** Labels every pod of the workload carries, with the same value (controller labels left out). */
export function commonLabels(w: Workload): Record<string, string> {
  const first = w.pods[0]?.labels ?? {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(first).sort()) {
    if (CONTROLLER_LABELS.has(k)) continue;
    if (w.pods.every((p) => Object.hasOwn(p.labels, k) && p.labels[k] === first[k])) out[k] = first[k];
  }
  return out;
}

/**
 * The narrowest labels that select `w`'s pods and no pod of `neighbours` (the other
 * workloads of its namespace), keys sorted; undefined when even all its common labels
 * select another workload's pods (a generated rule would then admit that one too).
 */
export function distinguishingLabels(w: Workload, neighbours: readonly Workload[]): Labels | undefined {
  const common = commonLabels(w);
  const keys = Object.keys(common).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return undefined;
  const others = neighbours.filter((o) => o !== w);
  const selects = keys.length <= MAX_MASKED_KEYS ? selectsByMask(keys, common, others) : (subset: readonly string[]) => others.some((o) => o.pods.some((p) => subset.every((k) => Object.hasOwn(p.labels, k) && p.labels[k] === common[k])));
  const pick = (subset: readonly string[]): Labels => {
    const out: Record<string, string> = {};
    for (const k of [...subset].sort()) out[k] = common[k];
    return out;
  };
  for (let size = 1; size <= Math.min(MAX_NARROWED, keys.length); size++) {
    for (const subset of combinations(keys, size)) if (!selects(subset)) return pick(subset);
  }
  return selects(keys) ? undefined : pick(keys);
}

/** Keys a bit mask holds (selectsByMask); more common labels than this fall back to comparing labels. */
const MAX_MASKED_KEYS = 30;

/**
 * `selects` for a namespace of many workloads: each neighbour pod is read once into the set
 * of `keys` it shares with `common` (a bit mask; distinct masks only), so a subset selects
 * a neighbour when some mask holds all of its bits.
 */
function selectsByMask(keys: readonly string[], common: Labels, others: readonly Workload[]): (subset: readonly string[]) => boolean {
  const masks = new Set<number>();
  for (const o of others) {
    for (const p of o.pods) {
      let mask = 0;
      keys.forEach((k, i) => {
        if (Object.hasOwn(p.labels, k) && p.labels[k] === common[k]) mask |= 1 << i;
      });
      if (mask !== 0) masks.add(mask);
    }
  }
  const bit = new Map(keys.map((k, i) => [k, 1 << i]));
  return (subset) => {
    let want = 0;
    for (const k of subset) want |= bit.get(k)!;
    for (const m of masks) if ((m & want) === want) return true;
    return false;
  };
}

/** The k-element subsets of `items`, in the order of the items (lexicographic by index). */
function* combinations<T>(items: readonly T[], k: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= items.length - (k - prefix.length); i++) yield* combinations(items, k, i + 1, [...prefix, items[i]]);
}
