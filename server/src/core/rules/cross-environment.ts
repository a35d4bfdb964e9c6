import type { Namespace } from '../model/types';
import { isEmptySelector, LabelIndex, selectorMatches } from '../reach/selectors';
import { selectorOf } from './support/isolation';
import { acceptedPolicy, keySpan, listText, ruleEntries } from './support/traffic';
import { perWorld } from './support/world-cache';
import { hasOwn, own } from '../base/own';
import type { WorkspaceRule } from './types';

export const crossEnvironment: WorkspaceRule = {
  meta: {
    id: 'cross-environment',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A policy of one environment (namespace label, default `environment`) that admits traffic from, or sends it to, namespaces of another environment.',
  },
  // Reads the namespaces' labels, not the workloads.
  policyScope: 'namespaces',
  checkPolicyInWorld(ast, ctx, report) {
    const key = ctx.options.environmentLabel;
    const { model, reach } = ctx.analysis;
    // Only namespaces that say which environment they belong to take part.
    const env = perWorld(reach, `cross-environment\u0000${key}`, () => labelledNamespaces(model.namespaces, key));
    if (!env) return;
    const { labelled, index } = env;
    const entry = acceptedPolicy(ast, ctx);
    if (!entry) return;
    const ownEnv = own(model.namespaces.get(entry.policy.namespace)?.labels, key);
    if (ownEnv === undefined) return;
    const r = entry.ast.reader;
    for (const rule of ruleEntries(entry)) {
      // Rules of a direction that policyTypes omits allow nothing.
      if (!rule.compiled) continue;
      for (const peer of rule.ast.peers) {
        // No namespaceSelector: the policy's own namespace, same environment.
        const node = r.get(peer.node, 'namespaceSelector');
        if (node === undefined || r.scalar(node)?.value === null) continue;
        const selector = selectorOf(r, node);
        // The index lists candidates in namespace order, as the namespaces are listed.
        const others = index
          .candidates(selector)
          .map((i) => labelled[i])
          .filter((ns) => own(ns.labels, key) !== ownEnv && selectorMatches(selector, ns.labels));
        if (others.length === 0) continue;
        const envs = [...new Set(others.map((ns) => own(ns.labels, key)))].sort();
        const nsText = listText(others.map((ns) => `${ns.name} (${key}=${own(ns.labels, key)})`));
        const here = `namespace ${entry.policy.namespace} (${key}=${ownEnv})`;
        const verb = rule.ast.direction === 'Ingress' ? `admits traffic into ${here} from` : `lets ${here} send traffic to`;
        const scope = isEmptySelector(selector) ? 'namespaceSelector {} matches every namespace, so this peer' : 'This namespaceSelector';
        report({
          message: `${scope} ${verb} namespaces of another environment (${envs.join(', ')}): ${nsText}. Keep environments apart: restrict the selector to namespaces with ${key}=${ownEnv} (matchLabels {${key}: ${ownEnv}}).`,
          span: keySpan(r, peer.node, 'namespaceSelector'),
          path: `${peer.path}.namespaceSelector`,
        });
      }
    }
  },
};

/** The namespaces with an environment label, indexed by label; undefined with fewer than two environments (nothing to keep apart). */
function labelledNamespaces(namespaces: ReadonlyMap<string, Namespace>, key: string): { labelled: Namespace[]; index: LabelIndex } | undefined {
  const labelled = [...namespaces.values()].filter((ns) => hasOwn(ns.labels, key));
  if (new Set(labelled.map((ns) => own(ns.labels, key))).size < 2) return undefined;
  const index = new LabelIndex();
  labelled.forEach((ns, i) => index.add(i, ns.labels));
  return { labelled, index };
}
