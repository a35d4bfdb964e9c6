import type { WorkspaceRule } from './types';

export const missingNamespace: WorkspaceRule = {
  meta: {
    id: 'missing-namespace',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A NetworkPolicy without metadata.namespace lands in whatever namespace kubectl is pointed at.',
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
    });
  },
};
