import { allowAllRule, effectiveRules, flowYaml, mootBy } from './support/isolation';
import { perWorld } from './support/world-cache';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import type { Node, Pair, YAMLMap } from 'yaml';
import { propose } from '../lint/fix';
import { asMap, asScalar, asSeq, pairOf, scalarText } from '../yaml/nodes';
import type { WorkspaceRule } from './types';

/** Keys people write for a namespace's name, instead of the automatic kubernetes.io/metadata.name. */
const NAME_KEYS: ReadonlySet<string> = new Set(['name', 'namespace', 'ns', 'metadata.name', 'kubernetes.io/name', 'kubernetes.io/namespace', 'app.kubernetes.io/namespace', 'namespace-name', 'namespaceName']);

/** The label that no namespace carries: a matchLabels pair, or a matchExpressions entry and its key's value. */
type Data =
  | { readonly kind: 'label'; readonly matchLabels: YAMLMap; readonly pair: Pair; readonly key: string }
  | { readonly kind: 'expression'; readonly expression: YAMLMap; readonly key: Node | undefined };

export const unknownNamespaceLabel: WorkspaceRule<Data> = {
  meta: {
    id: 'unknown-namespace-label',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A namespaceSelector requires a label key that no Namespace declared in the workspace carries: a warning for the name confusion (name: instead of kubernetes.io/metadata.name), info otherwise.',
    fix: 'unsafe',
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
      return { keys, carried: [...keys].sort().join(', '), namespaces: new Set(model.namespaces.keys()), declared: declared.length };
    });
    if (!known) return;
    const { keys: knownKeys, carried } = known;
    const isNamespace = (v: string) => known.namespaces.has(v);
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      // Beside an allow-all rule of the same direction a requirement changes nothing: said, at info.
      const moot = allowAllRule(ast, rule.direction);
      for (const peer of rule.peers) {
        const sel = r.map(r.get(peer.node, 'namespaceSelector'));
        if (!sel) continue;
        const base = `${peer.path}.namespaceSelector`;
        const declaredCount = known.declared;
        // The name confusion (`name: shop` for `kubernetes.io/metadata.name: shop`) is a
        // mistake whatever else the cluster holds; any other key may be set on namespaces
        // made at run time (a profile controller, another repository): a pointer, at info.
        const confusion = (key: string, values: readonly string[]) => NAME_KEYS.has(key) || (values.length > 0 && values.every(isNamespace));
        const say = (key: string, values: readonly string[], fix: string) =>
          confusion(key, values)
            ? `No Namespace declared in the workspace has a label ${key} (their label keys: ${carried}), so this requirement matches none of them. ${fix}${mootBy(moot)}`
            : `None of the ${declaredCount} Namespace${declaredCount === 1 ? '' : 's'} declared here has a label ${key} (their label keys: ${carried}): this requirement matches only namespaces made elsewhere (at run time, or by another repository) that carry it. If you meant one of these, ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`;
        const severityOf = (key: string, values: readonly string[]) => (confusion(key, values) && !moot ? undefined : ('info' as const));
        const matchLabels = r.map(r.get(sel, 'matchLabels'));
        for (const item of matchLabels?.items ?? []) {
          const key = r.text(item.key);
          if (key === undefined || knownKeys.has(key)) continue;
          const value = r.text(item.value) ?? '';
          const fix = isNamespace(value)
            ? `Every namespace carries ${NAMESPACE_NAME_LABEL} automatically: write ${NAMESPACE_NAME_LABEL}: ${value}.`
            : 'Use a label the namespaces carry, or add it to the Namespace objects.';
          const severity = severityOf(key, [value]);
          report({ message: say(key, [value], fix), span: r.span(item.key), path: `${base}.matchLabels.${key}`, data: matchLabels && { kind: 'label', matchLabels, pair: item as Pair, key }, ...(severity ? { severity } : {}) });
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
          const severity = severityOf(key, op === 'In' ? values : []);
          report({ message: say(key, op === 'In' ? values : [], fix), span: r.span(r.resolve(keyPair.value)), path: `${base}.matchExpressions[${i}].key`, data: expr && { kind: 'expression', expression: expr, key: r.resolve(keyPair.value) }, ...(severity ? { severity } : {}) });
        });
      }
    }
  },
  /**
   * `namespaceSelector: {matchLabels: {name: shop}}`, where no Namespace carries `name` but
   * `shop` is a namespace -> `kubernetes.io/metadata.name: shop`, the label every namespace
   * carries. Same for a matchExpressions `In` whose values are all namespaces.
   */
  fix(data, ctx) {
    const namespaces = ctx.analysis.model.namespaces;
    const e = ctx.editor;
    const title = (v: string) => `Use ${NAMESPACE_NAME_LABEL}: ${v}`;
    if (data.kind === 'label') {
      const { matchLabels, pair } = data;
      // A key with brackets is no label key at all (invalid-label-selector says so): not this fix's to rename.
      if (/[[\]]/.test(data.key)) return [];
      const value = scalarText(pair.value);
      if (value === undefined || !namespaces.has(value) || pairOf(matchLabels, NAMESPACE_NAME_LABEL)) return [];
      return propose(title(value), [e.renameKey(pair, NAMESPACE_NAME_LABEL)], { preferred: true });
    }
    const keyNode = asScalar(data.key);
    const expr = asMap(data.expression);
    if (!keyNode || !expr) return [];
    const values = (asSeq(pairOf(expr, 'values')?.value)?.items ?? []).map((n) => scalarText(n));
    if (asScalar(pairOf(expr, 'operator')?.value)?.value !== 'In' || values.length === 0 || !values.every((v) => v !== undefined && namespaces.has(v))) return [];
    return propose(title(values.join(', ')), [e.replaceScalar(keyNode, NAMESPACE_NAME_LABEL)], { preferred: true });
  },
};
