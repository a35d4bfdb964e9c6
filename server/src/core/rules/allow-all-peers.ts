import { effectiveRules, peersKeyOf } from './support/isolation';
import type { WorkspaceRule } from './types';

export const allowAllPeers: WorkspaceRule = {
  meta: {
    id: 'allow-all-peers',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A rule without from/to (or with an empty list) admits every source or destination, in and outside the cluster.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      // A rule item that is not a mapping (`- ` alone) decodes as the empty rule too, but
      // has no key to point at; it is rare enough to leave to the reader.
      if (!rule.node) continue;
      const key = peersKeyOf(rule.direction);
      // Same reading as the model: a missing, null or empty list means every peer.
      if (r.items(r.get(rule.node, key)).length > 0) continue;
      const first = rule.node.items[0];
      const span = first ? r.span(first.key) : r.span(rule.node);
      const how = r.has(rule.node, key) ? `an empty "${key}"` : `no "${key}"`;
      const ports = r.items(r.get(rule.node, 'ports')).length > 0 ? 'on the ports it lists' : 'on every port and protocol';
      const message =
        rule.direction === 'Ingress'
          ? `This ingress rule has ${how}, so it admits traffic from every source, ${ports}: every pod of every namespace and every address outside the cluster. ` +
            'List the allowed sources under from: (podSelector, namespaceSelector or ipBlock).'
          : `This egress rule has ${how}, so the selected pods may connect to every destination, ${ports}: every pod of every namespace and every address outside the cluster. ` +
            'List the allowed destinations under to: (podSelector, namespaceSelector or ipBlock).';
      report({ message, span, path: rule.path });
    }
  },
};
