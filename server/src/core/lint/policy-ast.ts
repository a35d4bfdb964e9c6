import type { Node, YAMLMap } from 'yaml';
import type { ManifestObject } from '../manifest/load';
import type { NodeReader } from '../yaml/nodes';

/** A YAML node with the path that leads to it in its object. */
export interface Located<T = Node> {
  readonly node: T;
  readonly path: string;
}

export interface PolicyRuleAst extends Located<YAMLMap | undefined> {
  readonly direction: 'Ingress' | 'Egress';
  readonly peers: readonly Located<YAMLMap>[];
  readonly ports: readonly Located<YAMLMap>[];
}

/**
 * The parts of a NetworkPolicy's YAML that rules look at, each with its path, so
 * every rule reports on the exact node and every finding names where it is.
 */
export class PolicyAst {
  readonly reader: NodeReader;
  readonly spec: YAMLMap | undefined;

  constructor(readonly obj: ManifestObject) {
    this.reader = obj.reader;
    this.spec = this.reader.map(this.reader.get(obj.map, 'spec'));
  }

  private ruleList: readonly PolicyRuleAst[] | undefined;
  /** Created on first use: most policies never need it. */
  private derived: Map<string, unknown> | undefined;

  /**
   * What a rule derives from this policy's YAML alone, computed once per object (the
   * YAML of an object does not change): a world-dependent check then spends its time on
   * the world, not on walking the YAML again after each edit elsewhere.
   */
  memo<T>(key: string, derive: (ast: PolicyAst) => T): T {
    const derived = (this.derived ??= new Map());
    if (derived.has(key)) return derived.get(key) as T;
    const value = derive(this);
    derived.set(key, value);
    return value;
  }

  /** Every rule of spec.ingress and spec.egress, in order (read once: the YAML of an object does not change). */
  rules(): readonly PolicyRuleAst[] {
    this.ruleList ??= this.readRules();
    return this.ruleList;
  }

  private readRules(): PolicyRuleAst[] {
    const r = this.reader;
    const out: PolicyRuleAst[] = [];
    for (const [direction, key, peersKey] of [['Ingress', 'ingress', 'from'], ['Egress', 'egress', 'to']] as const) {
      const list = r.seq(r.get(this.spec, key));
      list?.items.forEach((item, i) => {
        const node = r.map(item);
        const path = `spec.${key}[${i}]`;
        out.push({ direction, node, path, peers: mapsOf(r, r.get(node, peersKey), `${path}.${peersKey}`), ports: mapsOf(r, r.get(node, 'ports'), `${path}.ports`) });
      });
    }
    return out;
  }

  /** Every label selector of the policy: spec.podSelector and the peers' selectors. */
  selectors(): Located<Node>[] {
    const r = this.reader;
    const out: Located<Node>[] = [];
    const podSelector = r.get(this.spec, 'podSelector');
    if (podSelector) out.push({ node: podSelector, path: 'spec.podSelector' });
    for (const rule of this.rules()) {
      for (const peer of rule.peers) {
        for (const key of ['podSelector', 'namespaceSelector']) {
          const sel = r.get(peer.node, key);
          if (sel) out.push({ node: sel, path: `${peer.path}.${key}` });
        }
      }
    }
    return out;
  }
}

function mapsOf(r: NodeReader, node: Node | undefined, path: string): Located<YAMLMap>[] {
  const out: Located<YAMLMap>[] = [];
  // (node is resolved already: r.seq only checks its type, and r.map is resolve + isMap.)
  const seq = r.seq(node);
  if (!seq) return out;
  seq.items.forEach((item, i) => {
    const m = r.map(item);
    if (m) out.push({ node: m, path: `${path}[${i}]` });
  });
  return out;
}
