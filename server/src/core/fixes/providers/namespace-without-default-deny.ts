import type { PolicyType } from '../../model/types';
import { isEmptySelector } from '../../reach/selectors';
import { asMap, dnsEgressRule, fix, freeFileBeside, freePolicyName, pairOf, scalarText, workloadOf } from '../support';
import type { Fix, FixContext, FixProvider } from '../types';
import { renderDocuments, type YValue } from '../../yaml/edit';

/**
 * Adds a default-deny NetworkPolicy (podSelector: {}, no rules) for the namespace: as a
 * new document at the end of the file the finding is in (the Namespace's, or the
 * workload's when the namespace is not declared), or as a new file beside it. A deny of
 * egress comes with an allow-dns policy, or every lookup in the namespace would fail.
 */
export const namespaceWithoutDefaultDenyFix: FixProvider = {
  rule: 'namespace-without-default-deny',
  fixesFor(finding, ctx) {
    const ns = namespaceOf(ctx);
    if (!ns) return [];
    const types = missingTypes(ctx, ns);
    if (types.length === 0) return [];
    const name = freePolicyName(ctx, ns, types.length === 2 ? 'default-deny' : `default-deny-${types[0].toLowerCase()}`);
    const docs: { [key: string]: YValue }[] = [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: ns },
        spec: { podSelector: {}, policyTypes: types },
      },
    ];
    let dns = '';
    if (types.includes('Egress') && !allowsDns(ctx, ns)) {
      const dnsName = freePolicyName(ctx, ns, 'allow-dns');
      docs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: dnsName, namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(ctx)] },
      });
      dns = ` (and ${dnsName}, allowing DNS)`;
    }
    const what = `default-deny ${types.map((t) => t.toLowerCase()).join(' and ')} NetworkPolicy${dns} for namespace ${ns}`;
    const newFile = freeFileBeside(ctx, finding.span.file, `default-deny-${ns}`);
    const base = newFile.slice(Math.max(newFile.lastIndexOf('/'), newFile.lastIndexOf('\\')) + 1);
    const out: Fix[] = [
      ...fix(`Add a ${what} to this file`, [ctx.editor.appendDocuments(docs)], { preferred: true }),
      ...fix(`Create ${base} with a ${what}`, [{ file: newFile, create: true, text: renderDocuments(docs, ctx.editor.newFileStyle) }]),
    ];
    return out;
  },
};

/** The namespace a finding is about: the Namespace object's name, or the workload's namespace. */
function namespaceOf(ctx: FixContext): string | undefined {
  if (ctx.object.kind === 'Namespace') return scalarText(pairOf(asMap(pairOf(ctx.object.map, 'metadata')?.value), 'name')?.value);
  return workloadOf(ctx)?.namespace;
}

/** The policy types without a default deny in the namespace (as the rule reads them). */
function missingTypes(ctx: FixContext, ns: string): PolicyType[] {
  const deny = new Set<PolicyType>();
  for (const p of ctx.analysis.model.policies) {
    if (p.namespace !== ns || p.rejected.length > 0 || !isEmptySelector(p.podSelector)) continue;
    for (const t of p.policyTypes) if ((t === 'Ingress' ? p.ingress : p.egress).length === 0) deny.add(t);
  }
  return (['Ingress', 'Egress'] as const).filter((t) => !deny.has(t) && (t === 'Ingress' || ctx.options.requireEgress));
}

/** A namespace-wide policy of the namespace already has an egress rule on port 53 (an allow-dns of its own). */
function allowsDns(ctx: FixContext, ns: string): boolean {
  return ctx.analysis.model.policies.some(
    (p) =>
      p.namespace === ns &&
      p.rejected.length === 0 &&
      isEmptySelector(p.podSelector) &&
      p.policyTypes.includes('Egress') &&
      p.egress.some((r) => (r.ports ?? []).some((port) => port.port === 53 || (typeof port.port === 'number' && port.endPort !== undefined && port.port <= 53 && 53 <= port.endPort))),
  );
}
