import { isMap, isScalar, type YAMLMap } from 'yaml';
import type { NodeReader } from '../yaml/nodes';
import type { Span } from '../base/span';
import { effectiveKeys, isSet, MERGE_KEY, PEER, spanOr } from '../k8s/schema';
import type { Rule } from '../lint/rule';

const PEER_FIELDS = Object.keys(PEER.fields);

/**
 * ValidateNetworkPolicyPeer: a peer sets at least one of podSelector,
 * namespaceSelector, ipBlock ("must specify a peer"). The empty *rule* (`ingress: [{}]`)
 * is a different thing, and valid.
 */
export const emptyPeer: Rule = {
  meta: {
    id: 'empty-peer',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'A from/to peer must set podSelector, namespaceSelector or ipBlock; `from: [{}]` is rejected.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      const peersKey = rule.direction === 'Ingress' ? 'from' : 'to';
      const peersPair = r.pair(rule.node, peersKey);
      const peers = r.seq(peersPair?.value);
      if (!peersPair || !peers) continue;
      const everything =
        rule.direction === 'Ingress'
          ? 'To allow every source, remove `from` from the rule; for every pod in every namespace, write `- namespaceSelector: {}`.'
          : 'To allow every destination, remove `to` from the rule; for every pod in every namespace, write `- namespaceSelector: {}`.';
      peers.items.forEach((item, i) => {
        const node = r.resolve(item);
        const path = `${rule.path}.${peersKey}[${i}]`;
        if (node === undefined || (isScalar(node) && node.value === null)) {
          report({ message: `This ${peersKey} entry is empty (null): a peer must specify podSelector, namespaceSelector or ipBlock, or the API server rejects the policy ("must specify a peer"). ${everything}`, span: spanOr(r, node, peersPair.key), path });
          return;
        }
        // Not a map: a decoding error, reported by invalid-value-type.
        if (!isMap(node)) return;
        const keys = effectiveKeys(r, node);
        if (PEER_FIELDS.some((f) => isSet(r, keys.get(f)))) return;
        // Unknown keys (a misspelled podSelector): unknown-field reports them and says the peer ends up empty.
        if ([...keys.keys()].some((k) => !PEER_FIELDS.includes(k) && k !== MERGE_KEY)) return;
        const nulls = PEER_FIELDS.filter((f) => keys.has(f));
        const why = nulls.length > 0 ? ` ${nulls.join(' and ')} ${nulls.length > 1 ? 'are' : 'is'} null, which counts as not set (podSelector: {} selects every pod of the policy's namespace).` : '';
        report({
          message: `A peer must specify podSelector, namespaceSelector or ipBlock; the API server rejects an empty peer ("must specify a peer").${why} ${everything}`,
          span: peerSpan(r, node),
          path,
        });
      });
    }
  },
};

/** The peer itself when it fits on a line (`{}`), else its first key. */
function peerSpan(r: NodeReader, node: YAMLMap): Span | undefined {
  if (node.flow || node.items.length === 0) return r.span(node);
  return r.span(node.items[0].key);
}
