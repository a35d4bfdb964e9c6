import { effectiveKeys, isSet } from '../k8s/schema';
import type { Rule } from '../lint/rule';

/**
 * ValidateNetworkPolicyPeer: "may not specify both ipBlock and another peer". An ipBlock
 * matches addresses, selectors match pods; one peer cannot mean both.
 */
export const ipblockWithSelector: Rule = {
  meta: {
    id: 'ipblock-with-selector',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'A peer cannot combine ipBlock with podSelector or namespaceSelector.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of ast.rules()) {
      const peersKey = rule.direction === 'Ingress' ? 'from' : 'to';
      for (const peer of rule.peers) {
        const keys = effectiveKeys(r, peer.node);
        if (!isSet(r, keys.get('ipBlock'))) continue;
        for (const selector of ['podSelector', 'namespaceSelector']) {
          if (!isSet(r, keys.get(selector))) continue;
          // The key may come from a `<<` merge: then point at the merge's key in this peer.
          const pair = r.pair(peer.node, selector) ?? r.pair(peer.node, '<<');
          report({
            message:
              `A peer cannot have both ipBlock and ${selector}: the API server rejects it ("may not specify both ipBlock and another peer"). ` +
              `Split them into two ${peersKey} entries (- ipBlock: … and - ${selector}: …), which allows either; ipBlock matches addresses, selectors match pods.`,
            span: r.span(pair?.key),
            path: `${peer.path}.${selector}`,
          });
        }
      }
    }
  },
};
