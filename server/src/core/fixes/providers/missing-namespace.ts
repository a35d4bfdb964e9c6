import { asMap, asScalar, fix, pairOf, step } from '../support';
import type { FixProvider } from '../types';
import { renderScalar } from '../../yaml/edit';

/** Adds `namespace: <default namespace>` under metadata (what the analysis assumed). */
export const missingNamespaceFix: FixProvider = {
  rule: 'missing-namespace',
  fixesFor(_finding, ctx) {
    const ns = ctx.analysis.model.defaultNamespace;
    const e = ctx.editor;
    const metaPair = pairOf(ctx.object.map, 'metadata');
    const metadata = asMap(metaPair?.value);
    if (!metadata || step(ctx, 'metadata')?.node !== metadata) return [];
    const title = `Set metadata.namespace: ${ns}`;
    const nsPair = pairOf(metadata, 'namespace');
    if (nsPair) {
      const value = asScalar(nsPair.value);
      if (value && typeof value.value === 'string') return fix(title, [e.replaceScalar(value, ns)], { preferred: true });
      if (value && value.value !== null) return [];
      // `namespace:` with no value.
      const colon = e.text.indexOf(':', e.end(nsPair.key));
      return fix(title, [e.edit(colon + 1, colon + 1, ` ${renderScalar(ns, e.style)}`)], { preferred: true });
    }
    const name = pairOf(metadata, 'name');
    return fix(title, [e.insertPairs(metadata, { namespace: ns }, name ? { after: name } : 'end')], { preferred: true });
  },
};
