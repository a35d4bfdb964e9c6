import type { YAMLMap } from 'yaml';
import { propose } from '../lint/fix';
import { renderScalar } from '../yaml/render';
import { asMap, asScalar, pairOf } from '../yaml/nodes';
import { dns1123Label } from '../k8s/names';
import { writtenNamespace } from './support/fix';
import type { WorkspaceRule, WorldFixContext } from './types';
import { bundleOf } from '../model/bundles';

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
   * Sets metadata.namespace to a namespace the workspace shows for it, never to the
   * namespace the analysis assumed: the namespaces the other objects of the file write,
   * then those of the objects of its folder, then the declared Namespaces (at most three).
   * Without any, no fix: which namespace is the user's choice.
   */
  fix(data, ctx) {
    const e = ctx.editor;
    const metadata = asMap(pairOf(ctx.object.map, 'metadata')?.value);
    // (Not through an alias: the namespace goes into this policy's own metadata.)
    if (!metadata || data.metadata !== metadata) return [];
    const candidates = evidencedNamespaces(ctx);
    const nsPair = pairOf(metadata, 'namespace');
    const value = nsPair ? asScalar(nsPair.value) : undefined;
    if (nsPair && (!value || (typeof value.value !== 'string' && value.value !== null))) return [];
    const name = pairOf(metadata, 'name');
    return candidates.flatMap((c, i) => {
      const edit = !nsPair
        ? e.insertPairs(metadata, { namespace: c.ns }, name ? { after: name } : 'end')
        : typeof value?.value === 'string'
          ? e.replaceScalar(value, c.ns)
          : // `namespace:` with no value.
            e.edit(e.text.indexOf(':', e.end(nsPair.key)) + 1, e.text.indexOf(':', e.end(nsPair.key)) + 1, ` ${renderScalar(c.ns, e.style)}`);
      return propose(`Set metadata.namespace: ${c.ns} (${c.why})`, [edit], { preferred: i === 0 && c.why === SAME_FILE && candidates.filter((x) => x.why === SAME_FILE).length === 1 });
    });
  },
};

const SAME_FILE = 'as the other objects of this file';
const MAX = 3;
/** Objects of the folder read for their namespace at most (a fix reads a few, not the workspace). */
const MAX_FOLDER_OBJECTS = 200;

/** Namespaces the workspace shows for the policy's file, best evidenced first. */
function evidencedNamespaces(ctx: WorldFixContext): { ns: string; why: string }[] {
  const out: { ns: string; why: string }[] = [];
  const add = (ns: string | undefined, why: string) => {
    if (ns && out.length < MAX && !out.some((o) => o.ns === ns) && dns1123Label(ns).length === 0) out.push({ ns, why });
  };
  const dir = ctx.file.slice(0, Math.max(ctx.file.lastIndexOf('/'), ctx.file.lastIndexOf('\\')) + 1);
  const files = ctx.analysis.files;
  for (const o of files.find((f) => f.path === ctx.file)?.objects ?? []) if (o !== ctx.object) add(writtenNamespace(o), SAME_FILE);
  let read = 0;
  for (const f of files) {
    if (f.path === ctx.file || !f.path.startsWith(dir) || f.path.slice(dir.length).includes('/')) continue;
    for (const o of f.objects) if (read++ < MAX_FOLDER_OBJECTS) add(writtenNamespace(o), 'as the objects of this folder');
  }
  for (const ns of ctx.analysis.model.namespaces.values()) if (ns.declared) add(ns.name, 'a Namespace of the workspace');
  return out;
}
