import { effectiveRules, flowYaml } from './support/isolation';
import { perWorld } from './support/world-cache';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import type { WorkspaceRule } from './types';

export const unknownNamespaceLabel: WorkspaceRule = {
  meta: {
    id: 'unknown-namespace-label',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A namespaceSelector requires a label key that no Namespace declared in the workspace carries (e.g. name: instead of kubernetes.io/metadata.name).',
  },
  // Reads the namespaces' names and labels, not the workloads.
  policyScope: 'namespaces',
  checkPolicyInWorld(ast, ctx, report) {
    const { model, reach } = ctx.analysis;
    const known = perWorld(reach, 'unknown-namespace-label', () => {
      const declared = [...model.namespaces.values()].filter((ns) => ns.declared);
      // Without Namespace objects the workspace says nothing about namespace labels.
      if (declared.length === 0) return undefined;
      const keys = new Set<string>([NAMESPACE_NAME_LABEL]);
      for (const ns of declared) for (const k of Object.keys(ns.labels)) keys.add(k);
      return { keys, carried: [...keys].sort().join(', '), namespaces: new Set(model.namespaces.keys()) };
    });
    if (!known) return;
    const { keys: knownKeys, carried } = known;
    const isNamespace = (v: string) => known.namespaces.has(v);
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      for (const peer of rule.peers) {
        const sel = r.map(r.get(peer.node, 'namespaceSelector'));
        if (!sel) continue;
        const base = `${peer.path}.namespaceSelector`;
        const say = (key: string, fix: string) =>
          `No Namespace declared in the workspace has a label ${key} (their label keys: ${carried}), so this requirement matches none of them. ${fix}`;
        for (const item of r.map(r.get(sel, 'matchLabels'))?.items ?? []) {
          const key = r.text(item.key);
          if (key === undefined || knownKeys.has(key)) continue;
          const value = r.text(item.value) ?? '';
          const fix = isNamespace(value)
            ? `Every namespace carries ${NAMESPACE_NAME_LABEL} automatically: write ${NAMESPACE_NAME_LABEL}: ${value}.`
            : 'Use a label the namespaces carry, or add it to the Namespace objects.';
          report({ message: say(key, fix), span: r.span(item.key), path: `${base}.matchLabels.${key}` });
        }
        r.seq(r.get(sel, 'matchExpressions'))?.items.forEach((node, i) => {
          const expr = r.map(node);
          const keyPair = r.pair(expr, 'key');
          const key = r.text(keyPair?.value);
          const op = r.string(r.get(expr, 'operator'));
          // NotIn and DoesNotExist are satisfied by a missing key: not a miss.
          if (!keyPair || key === undefined || knownKeys.has(key) || (op !== 'In' && op !== 'Exists')) return;
          const values = r.items(r.get(expr, 'values')).map((v) => r.text(v) ?? '');
          const fix =
            op === 'In' && values.length > 0 && values.every(isNamespace)
              ? `Every namespace carries ${NAMESPACE_NAME_LABEL} automatically: write ${flowYaml({ key: NAMESPACE_NAME_LABEL, operator: 'In', values })}.`
              : 'Use a label the namespaces carry, or add it to the Namespace objects.';
          report({ message: say(key, fix), span: r.span(r.resolve(keyPair.value)), path: `${base}.matchExpressions[${i}].key` });
        });
      }
    }
  },
};
