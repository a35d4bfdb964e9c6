import { readSelector } from '../model/extract/selector';
import { isEmptySelector } from '../reach/selectors';
import { effectiveRules, formatSelector, valueSpan } from './support/isolation';
import type { WorkspaceRule } from './types';

export const allNamespaces: WorkspaceRule = {
  meta: {
    id: 'all-namespaces',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'namespaceSelector: {} in a peer selects every namespace of the cluster, including ones created later.',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      for (const peer of rule.peers) {
        const nsNode = r.get(peer.node, 'namespaceSelector');
        // `namespaceSelector:` with no value is nil (the policy's own namespace), not `{}`.
        if (!nsNode || r.scalar(nsNode)?.value === null) continue;
        if (!isEmptySelector(readSelector(r, nsNode))) continue;
        const podNode = r.get(peer.node, 'podSelector');
        const pods = podNode && r.scalar(podNode)?.value !== null ? readSelector(r, podNode) : undefined;
        const ingress = rule.direction === 'Ingress';
        const what =
          pods === undefined || isEmptySelector(pods)
            ? ingress
              ? 'this peer admits every pod of the cluster, kube-system included'
              : 'this peer lets the selected pods connect to every pod of the cluster, kube-system included'
            : ingress
              ? `this peer admits pods labelled ${formatSelector(pods)} from any namespace, so whoever can create a pod in any namespace can give it those labels and get in`
              : `this peer lets the selected pods connect to pods labelled ${formatSelector(pods)} in any namespace, including pods that whoever can create pods anywhere labels that way`;
        report({
          message:
            `namespaceSelector: {} selects every namespace, including namespaces created later: ${what}. ` +
            'Name the namespaces you mean, e.g. namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: <namespace>}}.',
          span: valueSpan(r, r.pair(peer.node, 'namespaceSelector')),
          path: `${peer.path}.namespaceSelector`,
        });
      }
    }
  },
};
