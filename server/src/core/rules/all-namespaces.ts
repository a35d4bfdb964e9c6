import { isMap, type Node, type YAMLMap } from 'yaml';
import { readSelector } from '../model/extract/selector';
import { isEmptySelector, selectorMatches } from '../reach/selectors';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import { propose, type FixProposal } from '../lint/fix';
import { renderFlow } from '../yaml/render';
import { asMap, pairOf } from '../yaml/nodes';
import { namespaceNames } from './support/fix';
import { effectiveRules, formatSelector, valueSpan } from './support/isolation';
import type { WorkspaceRule } from './types';

/** At most this many namespaces are offered. */
const MAX = 20;

/** The peer and its namespaceSelector. */
interface Data {
  readonly peer: YAMLMap;
  readonly selector: Node;
}

export const allNamespaces: WorkspaceRule<Data> = {
  meta: {
    id: 'all-namespaces',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'namespaceSelector: {} in a peer selects every namespace of the cluster, including ones created later (info when the rule lists its ports, the peer is namespaceSelector: {} alone, or an egress peer names its pods).',
    fix: 'unsafe',
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
        // Scoped by the rule's ports (metrics scraped by a Prometheus in an unknown namespace, a
        // webhook port), an egress peer naming its pods (a service tier spread over namespaces),
        // or a peer that is nothing but `namespaceSelector: {}`: "every pod of the cluster, and no
        // address outside it" written in so many words, the usual shape of "in-cluster traffic
        // only", and narrower than an explicit allow-all, which is info too. Each is a written
        // choice: said (info). Admitting pods that carry some labels in any namespace, on every
        // port, is the one a warning is for: whoever can create a pod anywhere can label it.
        const hasPorts = r.items(r.get(rule.node, 'ports')).length > 0;
        const bare = pods === undefined || isEmptySelector(pods);
        const labelledEgress = !ingress && !bare;
        const scoped = hasPorts || labelledEgress || bare;
        const why = hasPorts
          ? ' The rule lists its ports, so this reads as deliberate (metrics scraped from any namespace, a webhook port); if it is not, '
          : labelledEgress
            ? ' The peer names the pods it means, so this reads as deliberate; if the namespaces are known, '
            : bare
              ? ' The peer says "every pod of the cluster" in so many words (and no address outside it), so this reads as deliberate. If you meant the policy\'s own namespace, write podSelector: {} instead; if only some namespaces, '
              : ' ';
        report({
          message:
            `namespaceSelector: {} selects every namespace, including namespaces created later: ${what}.${why}` +
            `${scoped ? 'name' : 'Name'} the namespaces you mean, e.g. namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: <namespace>}}.`,
          span: valueSpan(r, r.pair(peer.node, 'namespaceSelector')),
          path: `${peer.path}.namespaceSelector`,
          data: { peer: peer.node, selector: nsNode },
          ...(scoped ? { severity: 'info' as const } : {}),
        });
      }
    }
  },
  /**
   * `namespaceSelector: {}` -> one fix per namespace of the workspace
   * (`matchLabels: {kubernetes.io/metadata.name: <ns>}`). Namespaces with pods that the
   * peer's podSelector matches come first.
   */
  fix(data, ctx) {
    const sel = asMap(data.selector);
    const peer = data.peer;
    if (!sel) return [];
    const e = ctx.editor;
    const edit = (ns: string) => {
      if (sel.flow) return e.edit(e.start(sel), e.end(sel), renderFlow({ matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, e.style));
      const ml = pairOf(sel, 'matchLabels');
      const value = ml?.value;
      if (!ml || !isMap(value) || !value.flow || value.items.length > 0) return undefined;
      return e.edit(e.start(value), e.end(value), renderFlow({ [NAMESPACE_NAME_LABEL]: ns }, e.style));
    };
    const podNode = pairOf(peer, 'podSelector')?.value;
    const pods = podNode ? readSelector(ctx.object.reader, podNode) : undefined;
    const { model } = ctx.analysis;
    const hasPods = (ns: string) => model.workloads.some((w) => w.namespace === ns && (!pods || w.pods.some((p) => selectorMatches(pods, p.labels))));
    const names = namespaceNames(ctx);
    const ranked = [...names.filter(hasPods), ...names.filter((n) => !hasPods(n))].slice(0, MAX);
    return ranked.flatMap((ns): FixProposal[] => propose(`Select only namespace ${ns}`, [edit(ns)]));
  },
};
