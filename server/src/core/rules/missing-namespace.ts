import type { YAMLMap } from 'yaml';
import { propose } from '../lint/fix';
import { renderScalar } from '../yaml/render';
import { asMap, asScalar, pairOf } from '../yaml/nodes';
import type { WorkspaceRule } from './types';
import { bundleOf, setsNamespace } from '../model/bundles';
import type { LoadedFile } from '../manifest/types';

/** The policy's metadata mapping (undefined when there is none), where the namespace goes. */
interface Data {
  readonly metadata: YAMLMap | undefined;
}

export const missingNamespace: WorkspaceRule<Data> = {
  meta: {
    id: 'missing-namespace',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A NetworkPolicy without metadata.namespace, in a folder whose other manifests set theirs, lands in whatever namespace kubectl is pointed at.',
    fix: 'unsafe',
  },
  // A workspace check: whether a policy's bundle sets namespaces anywhere is not a fact of
  // the policy, nor of the world the per-policy caches follow. One pass over the policies.
  check(ctx) {
    const model = ctx.analysis.model;
    const assumed = model.defaultNamespace;
    for (const policy of model.policies) {
      if (!policy.defaultedNamespace || !policy.source) continue;
      // A bundle without any namespace is installed with kubectl apply -n: by design.
      if (model.namespacelessBundles.has(bundleOf(policy.source.span.file))) continue;
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
      ctx.report({
        message: `NetworkPolicy${name} has no metadata.namespace, while other manifests of its folder set theirs: kubectl apply puts it in the namespace of the current context (or of -n), so which pods it isolates depends on who applies it, and how. This analysis assumes namespace "${assumed}". Set metadata.namespace.`,
        span,
        path: onValue ? 'metadata.namespace' : nameSpan ? 'metadata.name' : 'metadata',
        data: { metadata },
      });
    }
  },
  /**
   * Adds the namespace the other manifests of its folder set, when they agree on one. The
   * analysis' own assumption (the default namespace) is never written: with no namespace
   * to take from the folder, there is no fix (the user chooses).
   */
  fix(data, ctx) {
    const ns = bundleNamespace(ctx.analysis.files, bundleOf(ctx.object.span.file));
    if (ns === undefined) return [];
    const e = ctx.editor;
    const metadata = asMap(pairOf(ctx.object.map, 'metadata')?.value);
    // (Not through an alias: the namespace goes into this policy's own metadata.)
    if (!metadata || data.metadata !== metadata) return [];
    const title = `Set metadata.namespace: ${ns} (as the other manifests of this folder)`;
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

/** The one namespace that the manifests of a bundle write (undefined: none, or several). */
function bundleNamespace(files: readonly LoadedFile[], bundle: string): string | undefined {
  const found = new Set<string>();
  for (const f of files) {
    if (bundleOf(f.path) !== bundle) continue;
    for (const obj of f.objects) {
      if (!setsNamespace(obj)) continue;
      const r = obj.reader;
      const ns = r.text(r.get(r.map(r.get(obj.map, 'metadata')), 'namespace'));
      if (ns) found.add(ns);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}
