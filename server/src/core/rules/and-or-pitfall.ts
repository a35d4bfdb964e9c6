import type { YAMLMap, YAMLSeq } from 'yaml';
import { propose } from '../lint/fix';
import { asMap } from '../yaml/nodes';
import { readSelector } from '../model/extract/selector';
import { isEmptySelector } from '../reach/selectors';
import type { NodeReader } from '../yaml/nodes';
import { allowAllRule, effectiveRules, flowYaml, formatSelector, mootBy, keysOf, nodeValue, peersKeyOf } from './support/isolation';
import type { WorkspaceRule } from './types';

type Lone = 'namespaceSelector' | 'podSelector';

/** The peer list and the position of the second peer of the pair. */
interface Data {
  readonly list: YAMLSeq;
  readonly index: number;
}

export const andOrPitfall: WorkspaceRule<Data> = {
  meta: {
    id: 'and-or-pitfall',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A namespaceSelector peer followed by a podSelector peer (or the reverse) is an OR of two peers, most likely meant as one peer (AND); not reported where the OR is the plain reading (podSelector: {}, a list with an ipBlock).',
    fix: 'unsafe',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      if (!rule.node) continue;
      const key = peersKeyOf(rule.direction);
      const list = r.seq(r.get(rule.node, key));
      const items = list?.items ?? [];
      // A list that also holds an ipBlock enumerates sources of every kind: an OR on purpose
      // (the Kubernetes documentation's own example reads so).
      if (items.some((it) => r.has(r.map(it), 'ipBlock'))) continue;
      for (let i = 0; i + 1 < items.length; i++) {
        const a = r.map(items[i]);
        const b = r.map(items[i + 1]);
        const ka = lone(r, a);
        const kb = lone(r, b);
        if (!a || !b || !ka || !kb || ka === kb) continue;
        const ns = ka === 'namespaceSelector' ? a : b;
        const pod = ka === 'podSelector' ? a : b;
        const nsValue = nodeValue(r, r.get(ns, 'namespaceSelector'));
        const podValue = nodeValue(r, r.get(pod, 'podSelector'));
        const podSel = readSelector(r, r.get(pod, 'podSelector'));
        // `- podSelector: {}` beside a namespaceSelector is "and every pod of my own
        // namespace": ANDed, it would add nothing to the namespaceSelector peer.
        if (isEmptySelector(podSel)) {
          i++;
          continue;
        }
        const pods = isEmptySelector(podSel) ? 'every pod' : `pods labelled ${formatSelector(podSel)}`;
        const combined = flowYaml({ namespaceSelector: nsValue, podSelector: podValue });
        const moot = allowAllRule(ast, rule.direction);
        report({
          message:
            `Two list items are two peers, ORed: every pod of the namespaces that namespaceSelector matches, plus ${pods} of this policy's own namespace. ` +
            `If you meant ${pods} in those namespaces (AND), make it one peer: - ${combined} (in block style, remove the "-" before ${kb} and align it with ${ka}).${mootBy(moot)}`,
          span: r.span(b.items[0].key),
          path: `${rule.path}.${key}[${i + 1}].${kb}`,
          data: list && { list, index: i + 1 },
          ...(moot ? { severity: 'info' as const } : {}),
        });
        // Each item belongs to at most one pair: `ns, pod, ns` is one pitfall and a lone peer.
        i++;
      }
    }
  },
  /**
   * Two peers `- namespaceSelector: …` and `- podSelector: …` (OR) -> one peer with both
   * (AND). Never preferred: the OR may be meant, and the merge narrows who is admitted.
   * In block style that is removing the second item's dash; in flow style, joining
   * the two mappings.
   */
  fix({ list: seq, index: i }, ctx) {
    if (i < 1) return [];
    const a = asMap(seq.items[i - 1]);
    const b = asMap(seq.items[i]);
    if (!a || !b || a.items.length !== 1 || b.items.length !== 1) return [];
    const e = ctx.editor;
    const title = 'Merge into one peer: namespaceSelector AND podSelector';
    if (!seq.flow && !a.flow && !b.flow) {
      // `- podSelector:` -> `  podSelector:`, aligned with the other key.
      const dash = e.dashOf(b);
      const keyA = e.start(a.items[0].key);
      const keyB = e.start(b.items[0].key);
      if (dash === undefined || !e.startsLine(dash) || e.col(keyB) !== e.col(keyA)) return [];
      return propose(title, [e.edit(dash, dash + 1, ' ')]);
    }
    if (a.flow && b.flow) {
      // `{namespaceSelector: …}, {podSelector: …}` -> `{namespaceSelector: …, podSelector: …}`.
      const close = e.end(a) - 1;
      const open = e.start(b);
      if (e.text[close] !== '}' || e.text[open] !== '{' || e.text.slice(close, open).includes('#')) return [];
      return propose(title, [e.edit(close, open + 1, ', ')]);
    }
    if (!seq.flow && !a.flow && b.flow) {
      // A block peer then `- {podSelector: …}`: the pair moves under the first peer's key.
      const dash = e.dashOf(b);
      const keyA = e.start(a.items[0].key);
      const keyB = e.start(b.items[0].key);
      const close = e.end(b) - 1;
      if (dash === undefined || !e.startsLine(dash) || e.text[close] !== '}' || e.text.slice(e.lineStart(dash), keyB).includes('\n')) return [];
      const inner = e.contentEnd(b.items[0].value);
      return propose(title, [e.edit(e.lineStart(dash), keyB, ' '.repeat(e.col(keyA))), e.edit(inner, close + 1, '')]);
    }
    return [];
  },
};

/** The selector key of a peer that has exactly that one key with a value. */
function lone(r: NodeReader, peer: YAMLMap | undefined): Lone | undefined {
  if (!peer || peer.items.length !== 1) return undefined;
  const k = keysOf(r, peer)[0];
  if (k !== 'namespaceSelector' && k !== 'podSelector') return undefined;
  // A null selector is nil: the peer then selects nothing valid (the API server rejects it).
  const v = r.get(peer, k);
  return v === undefined || r.scalar(v)?.value === null ? undefined : k;
}
