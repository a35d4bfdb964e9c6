import type { Analysis } from '../analysis/analyze';
import { isCreateFile, type TextEdit } from '../base/edits';
import { fixesFor } from '../fixes/fixes';
import type { Workload } from '../model/types';
import { isEmptySelector } from '../reach/selectors';
import type { RuleOptions } from '../rules/types';
import { namespaceWithoutDefaultDeny } from '../rules/namespace-without-default-deny';

/**
 * "Create Default-Deny for Namespace": the quick fix of namespace-without-default-deny
 * ("add a default-deny policy to this file"), asked for on the namespace's Namespace
 * object, or its first workload when the Namespace is not declared in the workspace: a
 * new `---` document at the end of that file. The error says why there is nothing to add.
 */
export function defaultDenyEdit(analysis: Analysis, text: (file: string) => string | undefined, options: RuleOptions, namespace: string, egress: boolean): { readonly edits: readonly TextEdit[] } | { readonly error: string } {
  const { model } = analysis;
  const ns = model.namespaces.get(namespace);
  const workload: Workload | undefined = model.workloads.find((w) => w.namespace === namespace && w.sources.length > 0);
  const anchor = ns?.declared && ns.source ? ns.source : workload?.sources[0];
  if (!anchor) {
    return {
      error: ns
        ? `namespace ${namespace} has no Namespace object and no workload in the workspace: there is no file to add the policy to`
        : `no namespace ${namespace} in the workspace`,
    };
  }
  const types = egress ? ['Ingress', 'Egress'] : ['Ingress'];
  const missing = types.filter(
    (t) =>
      !model.policies.some(
        (p) => p.namespace === namespace && p.rejected.length === 0 && isEmptySelector(p.podSelector) && p.policyTypes.includes(t as 'Ingress') && (t === 'Ingress' ? p.ingress : p.egress).length === 0,
      ),
  );
  if (missing.length === 0) return { error: `namespace ${namespace} already has a default-deny ${types.map((t) => t.toLowerCase()).join(' and ')} NetworkPolicy` };
  // A finding of the rule on the anchor, as the rule would report it: its fix does the rest.
  const finding = { rule: namespaceWithoutDefaultDeny.meta.id, severity: 'warning' as const, message: '', span: anchor.span, path: 'metadata.name', data: { namespace } };
  const fixes = fixesFor(finding, { analysis, text, options: { ...options, requireEgress: egress } });
  const append = fixes.find((f) => f.edits.length > 0 && f.edits.every((e) => !isCreateFile(e)));
  if (!append) return { error: `cannot add a default-deny policy to ${anchor.span.file} (a JSON file, or the file changed)` };
  return { edits: append.edits.filter((e): e is TextEdit => !isCreateFile(e)) };
}
