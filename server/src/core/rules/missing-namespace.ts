import type { YAMLMap } from 'yaml';
import { propose } from '../lint/fix';
import { isCreateFile, type FileEdit } from '../base/edits';
import { renderScalar } from '../yaml/render';
import { asMap, asScalar, pairOf } from '../yaml/nodes';
import { dns1123Label } from '../k8s/names';
import { DEFAULT_NAMESPACE } from '../k8s/cluster';
import type { WorkspaceRule } from './types';
import { bundleOf, writtenNamespacesOf } from '../model/bundles';
import { summarize } from './support/isolation';

/** The policy's metadata mapping (undefined when there is none), where the namespace goes. */
interface Data {
  readonly metadata: YAMLMap | undefined;
}

/**
 * What the policy's bundle says about where it goes: the one namespace its namespaced
 * siblings agree on, when that is evidence (not the namespace the analysis assumes, nor
 * `default`, which is what examples write when they mean "wherever you are"); otherwise
 * the namespaces they write (several, or only the assumed one): the file is generic.
 */
function belongsTo(written: ReadonlySet<string>, assumed: string): { one: string } | { generic: readonly string[] } {
  const all = [...written].sort();
  return all.length === 1 && all[0] !== assumed && all[0] !== DEFAULT_NAMESPACE ? { one: all[0] } : { generic: all };
}

/** The word a prompt without choices shows, for the user to type over. */
const PLACEHOLDER = 'namespace';

export const missingNamespace: WorkspaceRule<Data> = {
  meta: {
    id: 'missing-namespace',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description:
      'A NetworkPolicy without metadata.namespace in a folder whose namespaced manifests all go to one other namespace (a warning: it lands wherever kubectl points), or to several (info: a generic policy).',
    fix: 'unsafe',
  },
  // A workspace check: whether a policy's bundle sets namespaces anywhere is not a fact of
  // the policy, nor of the world the per-policy caches follow. One pass over the policies.
  //
  // Severity follows the evidence. When the namespaced manifests of the policy's bundle
  // (its folder) agree on one namespace X other than the assumed one, the policy almost
  // surely belongs there and the analysis, which places it elsewhere, describes the wrong
  // pods: a warning, fixed by writing X. When they span several namespaces, or agree on the
  // assumed one (`default` in documentation examples), the file is a generic manifest for
  // `kubectl apply -n` or the current namespace (eks-workshop's default-deny.yaml, applied
  // with -n ui beside policies of catalog, orders and ui; the Kubernetes docs' examples).
  // That is still reported, as info: which pods it isolates is decided at apply time, and
  // the analysis placed it in an assumed namespace, which other findings on it rest on.
  // No fix then: writing the assumed namespace would turn an assumption into a manifest.
  check(ctx) {
    const model = ctx.analysis.model;
    const assumed = model.defaultNamespace;
    const policies = model.policies.filter(
      // A bundle without any namespace is installed with kubectl apply -n: by design.
      (p) => p.defaultedNamespace && p.source && !model.namespacelessBundles.has(bundleOf(p.source.span.file)),
    );
    if (policies.length === 0) return;
    const written = writtenNamespacesOf(ctx.analysis.files, new Set(policies.map((p) => bundleOf(p.source!.span.file))));
    for (const policy of policies) {
      const source = policy.source!;
      const r = source.reader;
      const metadataPair = r.pair(source.map, 'metadata');
      const metadata = r.map(metadataPair?.value);
      const nsPair = r.pair(metadata, 'namespace');
      // `namespace: ""` is as good as absent: point at the empty value. Otherwise at
      // the name, which says which object lands who knows where (a bare `namespace:`
      // has no text to point at).
      const valueSpan = nsPair ? r.span(r.resolve(nsPair.value)) : undefined;
      const onValue = valueSpan !== undefined && valueSpan.end > valueSpan.start;
      const nameSpan = r.span(r.get(metadata, 'name'));
      const span = onValue ? valueSpan : nameSpan ?? r.span(metadataPair?.key);
      const path = onValue ? 'metadata.namespace' : nameSpan ? 'metadata.name' : 'metadata';
      const name = policy.name ? ` "${policy.name}"` : '';
      const where = belongsTo(written.get(bundleOf(source.span.file)) ?? new Set(), assumed);
      if ('one' in where) {
        ctx.report({
          message:
            `NetworkPolicy${name} has no metadata.namespace, while every other manifest of its folder that sets one sets "${where.one}": kubectl apply puts it in the namespace of the current context (or of -n), ` +
            `so unless it is applied with -n ${where.one} it isolates the pods of another namespace. This analysis assumes namespace "${assumed}", not "${where.one}". Set metadata.namespace: ${where.one}.`,
          span,
          path,
          data: { metadata },
        });
        continue;
      }
      const others = where.generic.length === 1 ? `"${where.generic[0]}" only` : summarize(where.generic.map((n) => `"${n}"`));
      ctx.report({
        message:
          `NetworkPolicy${name} has no metadata.namespace, while other manifests of its folder set theirs (${others}): it is a generic policy, applied into whichever namespace kubectl targets (-n, or the current context's namespace), ` +
          `and isolates the pods there. This analysis places it in "${assumed}", an assumption that findings about it rest on. If it belongs to one namespace, set metadata.namespace.`,
        span,
        path,
        severity: 'info',
        data: { metadata },
      });
    }
  },
  /**
   * Sets metadata.namespace to the one namespace the namespaced manifests of the policy's
   * folder agree on (the evidence the warning rests on). Without it (generic policies, the
   * info), it asks: a prompt for the namespace, offered by editors as a snippet
   * placeholder, never applied unasked, so the assumed namespace is never written.
   */
  fix(data, ctx) {
    const e = ctx.editor;
    const metadata = asMap(pairOf(ctx.object.map, 'metadata')?.value);
    // (Not through an alias: the namespace goes into this policy's own metadata.)
    if (!metadata || data.metadata !== metadata) return [];
    const bundle = bundleOf(ctx.file);
    const where = belongsTo(writtenNamespacesOf(ctx.analysis.files, new Set([bundle])).get(bundle) ?? new Set(), ctx.analysis.model.defaultNamespace);
    const nsPair = pairOf(metadata, 'namespace');
    const value = nsPair ? asScalar(nsPair.value) : undefined;
    if (nsPair && (!value || (typeof value.value !== 'string' && value.value !== null))) return [];
    const setTo = (ns: string): FileEdit | undefined => {
      const name = pairOf(metadata, 'name');
      if (!nsPair) return e.insertPairs(metadata, { namespace: ns }, name ? { after: name } : 'end');
      if (typeof value?.value === 'string') return e.replaceScalar(value, ns);
      // `namespace:` with no value.
      const colon = e.text.indexOf(':', e.end(nsPair.key)) + 1;
      return e.edit(colon, colon, ` ${renderScalar(ns, e.style)}`);
    };
    if ('one' in where) {
      if (dns1123Label(where.one).length > 0) return [];
      return propose(`Set metadata.namespace: ${where.one} (as the other manifests of this folder)`, [setTo(where.one)], { preferred: true });
    }
    // A generic policy: where it goes is the user's choice, asked for with a placeholder
    // (the namespaces its folder writes as choices, never the assumed one or `default`).
    const assumed = ctx.analysis.model.defaultNamespace;
    const choices = where.generic.filter((ns) => ns !== assumed && ns !== DEFAULT_NAMESPACE && dns1123Label(ns).length === 0);
    const first = choices[0] ?? PLACEHOLDER;
    const edit = setTo(first);
    if (!edit || isCreateFile(edit)) return [];
    const written = renderScalar(first, e.style);
    const at = edit.newText.lastIndexOf(written);
    if (at < 0) return [];
    const title = choices.length > 0 ? `Set metadata.namespace… (choose ${summarize(choices)}, or type one)` : 'Set metadata.namespace… (type the namespace it belongs to)';
    return [{ title, edits: [edit], prompt: { at, value: written, choices: choices.map((ns) => renderScalar(ns, e.style)) } }];
  },
};
