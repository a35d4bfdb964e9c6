import { isAlias, isMap, isPair, isSeq, type Alias, type Document, type Node, type ParsedNode } from 'yaml';

/**
 * Where each alias of a document points, found in one walk, and how much the aliases
 * expand the document.
 *
 * Why: `yaml`'s Alias.resolve walks the whole document on every call to find its anchor,
 * so a document whose 1,400 rules each alias one anchored peer list took 37 s to read.
 * Here every alias is resolved once per document, as `yaml` resolves it: to the last node
 * with that anchor before the alias in document order (an alias inside the anchored node
 * itself refers to that node: a cycle, which `yaml` accepts and Kubernetes' decoder
 * refuses).
 *
 * The expansion is judged as kubectl's YAML decoder (go-yaml, through sigs.k8s.io/yaml)
 * judges it: it counts every node it decodes, aliased copies included, and fails with
 * "document contains excessive aliasing" once more than 100 of them came through
 * aliases, more than 1,000 were decoded, and the aliased share exceeds what the size
 * allows (99% up to 400,000 decoded nodes, falling to 10% at 4,000,000). Such a
 * document never reaches the cluster, and reading it through its aliases would cost
 * the analysis as much: it is skipped.
 */
export interface AliasTable {
  /** Alias node -> the node it stands for (absent: no such anchor before it). */
  readonly targets: ReadonlyMap<Alias, Node>;
  /** Why Kubernetes would refuse the document's aliases, or undefined. */
  readonly problem?: AliasProblem;
  /** Aliases with no anchor of their name before them (go-yaml: "unknown anchor … referenced"). */
  readonly unresolved: readonly Alias[];
}

export interface AliasProblem {
  /** excessive: past go-yaml's alias ratio; cycle: an alias inside the node it refers to. */
  readonly kind: 'excessive' | 'cycle';
  /** The anchor name of the alias at which the decoder gives up. */
  readonly anchor: string;
  /** That alias (offsets relative to the document text). */
  readonly range: readonly [number, number];
  /** Nodes decoded up to and including that alias, and how many of them through aliases. */
  readonly decodeCount: number;
  readonly aliasCount: number;
}

/** go-yaml's decodeCount bounds for its allowed alias ratio (decode.go, allowedAliasRatio). */
const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;

export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - RATIO_RANGE_LOW) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW));
}

/** go-yaml's test, made after each node it decodes. */
export function excessiveAliasing(aliasCount: number, decodeCount: number): boolean {
  return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
}

const NO_TARGETS: ReadonlyMap<Alias, Node> = new Map();
const EMPTY: AliasTable = { targets: NO_TARGETS, unresolved: [] };
const tables = new WeakMap<object, AliasTable>();

/** The alias table of a document (computed once, kept while the document lives). */
export function aliasTable(doc: Document.Parsed<ParsedNode>): AliasTable {
  let t = tables.get(doc);
  if (!t) {
    t = buildTable(doc.contents);
    tables.set(doc, t);
  }
  return t;
}

function buildTable(root: unknown): AliasTable {
  const targets = new Map<Alias, Node>();
  const unresolved: Alias[] = [];
  const anchors = new Map<string, Node>();
  /** Expanded size (nodes decoded) of each finished anchored node. */
  const sizes = new Map<Node, number>();
  /** Anchored nodes being walked (an alias to one of them is a cycle). */
  const open = new Set<Node>();
  let decodeCount = 1; // the document node
  let aliasCount = 0;
  let problem: AliasProblem | undefined;

  // Returns the node's expanded size. Depth is bounded by the nesting limit checked before parsing.
  const walk = (node: unknown): number => {
    if (problem || node === null || node === undefined) return 0;
    if (isAlias(node)) {
      decodeCount++;
      const target = anchors.get(node.source);
      if (!target) {
        unresolved.push(node);
        return 1;
      }
      targets.set(node, target);
      const range = node.range ?? [0, 0];
      if (open.has(target)) {
        problem = { kind: 'cycle', anchor: node.source, range: [range[0], range[1]], decodeCount, aliasCount };
        return 1;
      }
      const size = sizes.get(target) ?? 1;
      decodeCount += size;
      aliasCount += size;
      if (excessiveAliasing(aliasCount, decodeCount)) {
        problem = { kind: 'excessive', anchor: node.source, range: [range[0], range[1]], decodeCount, aliasCount };
      }
      return 1 + size;
    }
    decodeCount++;
    const n = node as Node;
    const anchor = n.anchor;
    if (anchor) {
      anchors.set(anchor, n);
      open.add(n);
    }
    let size = 1;
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        size += walk(pair.key) + walk(pair.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) size += walk(item);
    }
    if (anchor) {
      open.delete(n);
      sizes.set(n, size);
    }
    return size;
  };
  walk(root);
  if (targets.size === 0 && unresolved.length === 0 && !problem) return EMPTY;
  return problem ? { targets, unresolved, problem } : { targets, unresolved };
}
