import { asMap, asScalar, asSeq, fix, pairOf, parentPath, scalarText, step, target } from '../support';
import type { FixProvider } from '../types';
import { NAMESPACE_NAME_LABEL } from '../../k8s/cluster';

/**
 * `namespaceSelector: {matchLabels: {name: shop}}`, where no Namespace carries `name` but
 * `shop` is a namespace -> `kubernetes.io/metadata.name: shop`, the label every namespace
 * carries. Same for a matchExpressions `In` whose values are all namespaces.
 */
export const unknownNamespaceLabelFix: FixProvider = {
  rule: 'unknown-namespace-label',
  fixesFor(finding, ctx) {
    const at = target(ctx, finding);
    const namespaces = ctx.analysis.model.namespaces;
    const e = ctx.editor;
    const title = (v: string) => `Use ${NAMESPACE_NAME_LABEL}: ${v}`;
    if (at?.pair && at.key !== undefined && /\.matchLabels\.[^[\]]+$/.test(finding.path)) {
      const matchLabels = asMap(at.parent);
      const value = scalarText(at.pair.value);
      if (!matchLabels || value === undefined || !namespaces.has(value) || pairOf(matchLabels, NAMESPACE_NAME_LABEL)) return [];
      return fix(title(value), [e.renameKey(at.pair, NAMESPACE_NAME_LABEL)], { preferred: true });
    }
    const m = /\.matchExpressions\[\d+\]\.key$/.exec(finding.path);
    const keyNode = asScalar(at?.node);
    const expr = asMap(step(ctx, parentPath(finding.path))?.node);
    if (!m || !keyNode || !expr) return [];
    const values = (asSeq(pairOf(expr, 'values')?.value)?.items ?? []).map((n) => scalarText(n));
    if (asScalar(pairOf(expr, 'operator')?.value)?.value !== 'In' || values.length === 0 || !values.every((v) => v !== undefined && namespaces.has(v))) return [];
    return fix(title(values.join(', ')), [e.replaceScalar(keyNode, NAMESPACE_NAME_LABEL)], { preferred: true });
  },
};
