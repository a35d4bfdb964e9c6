import { readSelector } from '../../model/extract/selector';
import { isEmptySelector, selectorMatches } from '../../reach/selectors';
import type { Rule } from '../types';
import { acceptedPolicies, keySpan, listText, ruleEntries } from './traffic-support';

export const crossEnvironment: Rule = {
  meta: {
    id: 'cross-environment',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A policy of one environment (namespace label, default `environment`) that admits traffic from, or sends it to, namespaces of another environment.',
  },
  check(ctx) {
    const key = ctx.options.environmentLabel;
    const { model } = ctx.analysis;
    // Only namespaces that say which environment they belong to take part.
    const labelled = [...model.namespaces.values()].filter((ns) => ns.labels[key] !== undefined);
    if (new Set(labelled.map((ns) => ns.labels[key])).size < 2) return;
    for (const entry of acceptedPolicies(ctx.analysis)) {
      const own = model.namespaces.get(entry.policy.namespace)?.labels[key];
      if (own === undefined) continue;
      const r = entry.ast.reader;
      for (const rule of ruleEntries(entry)) {
        // Rules of a direction that policyTypes omits allow nothing.
        if (!rule.compiled) continue;
        for (const peer of rule.ast.peers) {
          // No namespaceSelector: the policy's own namespace, same environment.
          const node = r.get(peer.node, 'namespaceSelector');
          if (node === undefined || r.scalar(node)?.value === null) continue;
          const selector = readSelector(r, node);
          const others = labelled.filter((ns) => ns.labels[key] !== own && selectorMatches(selector, ns.labels));
          if (others.length === 0) continue;
          const envs = [...new Set(others.map((ns) => ns.labels[key]))].sort();
          const nsText = listText(others.map((ns) => `${ns.name} (${key}=${ns.labels[key]})`));
          const here = `namespace ${entry.policy.namespace} (${key}=${own})`;
          const verb = rule.ast.direction === 'Ingress' ? `admits traffic into ${here} from` : `lets ${here} send traffic to`;
          const scope = isEmptySelector(selector) ? 'namespaceSelector {} matches every namespace, so this peer' : 'This namespaceSelector';
          ctx.report({
            message: `${scope} ${verb} namespaces of another environment (${envs.join(', ')}): ${nsText}. Keep environments apart: restrict the selector to namespaces with ${key}=${own} (matchLabels {${key}: ${own}}).`,
            span: keySpan(r, peer.node, 'namespaceSelector'),
            path: `${peer.path}.namespaceSelector`,
          });
        }
      }
    }
  },
};
