import type { YAMLMap } from 'yaml';
import { propose } from '../lint/fix';
import { renderScalar } from '../yaml/render';
import { asMap, asScalar, pairOf } from '../yaml/nodes';
import type { WorkspaceRule } from './types';

/** The policy's metadata mapping (undefined when there is none), where the namespace goes. */
interface Data {
  readonly metadata: YAMLMap | undefined;
}

export const missingNamespace: WorkspaceRule<Data> = {
  meta: {
    id: 'missing-namespace',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A NetworkPolicy without metadata.namespace lands in whatever namespace kubectl is pointed at.',
    fix: 'unsafe',
  },
  // What it says depends on the policy and the default namespace (an analysis option).
  policyScope: 'options',
  checkPolicyInWorld(_ast, ctx, report) {
    const assumed = ctx.analysis.model.defaultNamespace;
    const policy = ctx.policy;
    if (!policy || !policy.defaultedNamespace || !policy.source) return;
    const r = policy.source.reader;
    const metadataPair = r.pair(policy.source.map, 'metadata');
    const metadata = r.map(metadataPair?.value);
    const nsPair = r.pair(metadata, 'namespace');
    // `namespace: ""` is as good as absent: point at the empty value. Otherwise at
    // the name, which says which object lands who knows where (a bare `namespace:`
    // has no text to point at).
    const valueSpan = nsPair ? r.span(r.resolve(nsPair.value)) : undefined;
    const onValue = valueSpan !== undefined && valueSpan.end > valueSpan.start;
    const nameSpan = r.span(r.get(metadata, 'name'));
    const span = onValue ? valueSpan : nameSpan ?? r.span(metadataPair?.key);
    const name = policy.name ? ` "${policy.name}"` : '';
    report({
      message: `NetworkPolicy${name} has no metadata.namespace: kubectl apply puts it in the namespace of the current context (or of -n), so which pods it isolates depends on who applies it, and how. This analysis assumes namespace "${assumed}". Set metadata.namespace.`,
      span,
      path: onValue ? 'metadata.namespace' : nameSpan ? 'metadata.name' : 'metadata',
      data: { metadata },
    });
  },
  /** Adds `namespace: <default namespace>` under metadata (what the analysis assumed). */
  fix(data, ctx) {
    const ns = ctx.analysis.model.defaultNamespace;
    const e = ctx.editor;
    const metadata = asMap(pairOf(ctx.object.map, 'metadata')?.value);
    // (Not through an alias: the namespace goes into this policy's own metadata.)
    if (!metadata || data.metadata !== metadata) return [];
    const title = `Set metadata.namespace: ${ns}`;
    const nsPair = pairOf(metadata, 'namespace');
    if (nsPair) {
      const value = asScalar(nsPair.value);
      if (value && typeof value.value === 'string') return propose(title, [e.replaceScalar(value, ns)], { preferred: true });
      if (value && value.value !== null) return [];
      // `namespace:` with no value.
      const colon = e.text.indexOf(':', e.end(nsPair.key));
      return propose(title, [e.edit(colon + 1, colon + 1, ` ${renderScalar(ns, e.style)}`)], { preferred: true });
    }
    const name = pairOf(metadata, 'name');
    return propose(title, [e.insertPairs(metadata, { namespace: ns }, name ? { after: name } : 'end')], { preferred: true });
  },
};
