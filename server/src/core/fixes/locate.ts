import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { NodeReader } from '../yaml/nodes';

/** One step of a YAML path: the map key or list index taken, and the node reached. */
export interface PathStep {
  readonly parent: YAMLMap | YAMLSeq;
  /** Set when the step is a map key. */
  readonly pair?: Pair;
  readonly key?: string;
  /** Set when the step is a list index. */
  readonly index?: number;
  /** The node reached (aliases resolved); undefined for `key:` with no value. */
  readonly node: Node | undefined;
  /** The path up to and including this step, as findings write it. */
  readonly path: string;
}

/**
 * Walks a finding path (`spec.ingress[0].from[1].namespaceSelector.matchLabels.kubernetes.io/metadata.name`)
 * from the object's root. Keys may hold dots (label keys), so each step takes the
 * longest key of the mapping that the rest of the path starts with.
 */
export function resolvePath(r: NodeReader, root: YAMLMap, path: string): PathStep[] {
  const steps: PathStep[] = [];
  let node: Node | undefined = root;
  let pos = 0;
  while (pos < path.length) {
    if (path[pos] === '[') {
      const close = path.indexOf(']', pos);
      const index = Number(path.slice(pos + 1, close));
      if (close < 0 || !Number.isInteger(index) || !isSeq(node)) return steps;
      const parent: YAMLSeq = node;
      node = r.resolve(parent.items[index]);
      if (index >= parent.items.length) return steps;
      pos = close + 1;
      steps.push({ parent, index, node, path: path.slice(0, pos) });
      continue;
    }
    if (path[pos] === '.') pos++;
    if (!isMap(node)) return steps;
    const rest = path.slice(pos);
    let best: Pair | undefined;
    let bestKey = '';
    for (const item of node.items) {
      const k = isScalar(item.key) ? String(item.key.value ?? '') : undefined;
      if (k === undefined || k.length <= bestKey.length && best) continue;
      if (rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`)) {
        best = item as Pair;
        bestKey = k;
      }
    }
    if (!best) return steps;
    const parent: YAMLMap = node;
    node = r.resolve(best.value);
    pos += bestKey.length;
    steps.push({ parent, pair: best, key: bestKey, node, path: path.slice(0, pos) });
  }
  return steps;
}

/** The step whose path is `path` (a prefix of the finding's path), if resolved. */
export function stepAt(steps: readonly PathStep[], path: string): PathStep | undefined {
  return steps.find((s) => s.path === path);
}
