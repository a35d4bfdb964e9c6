import type { YAMLMap } from 'yaml';
import { readSelector } from '../model/extract/selector';
import { isEmptySelector } from '../reach/selectors';
import type { NodeReader } from '../yaml/nodes';
import { effectiveRules, flowYaml, formatSelector, keysOf, nodeValue, peersKeyOf } from './support/isolation';
import type { WorkspaceRule } from './types';

type Lone = 'namespaceSelector' | 'podSelector';

export const andOrPitfall: WorkspaceRule = {
  meta: {
    id: 'and-or-pitfall',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A namespaceSelector peer followed by a podSelector peer (or the reverse) is an OR of two peers, most likely meant as one peer (AND).',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      if (!rule.node) continue;
      const key = peersKeyOf(rule.direction);
      const items = r.seq(r.get(rule.node, key))?.items ?? [];
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
        const pods = isEmptySelector(podSel) ? 'every pod' : `pods labelled ${formatSelector(podSel)}`;
        const combined = flowYaml({ namespaceSelector: nsValue, podSelector: podValue });
        report({
          message:
            `Two list items are two peers, ORed: every pod of the namespaces that namespaceSelector matches, plus ${pods} of this policy's own namespace. ` +
            `If you meant ${pods} in those namespaces (AND), make it one peer: - ${combined} (in block style, remove the "-" before ${kb} and align it with ${ka}).`,
          span: r.span(b.items[0].key),
          path: `${rule.path}.${key}[${i + 1}].${kb}`,
        });
        // Each item belongs to at most one pair: `ns, pod, ns` is one pitfall and a lone peer.
        i++;
      }
    }
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
