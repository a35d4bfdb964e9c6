import type { PolicyType, Workload } from '../model/types';
import { isEmptySelector } from '../reach/selectors';
import { perFile } from './support/model-index';
import type { RuleContext } from './types';
import { hostNetworkMode, summarize, valueOrKeySpan } from './support/isolation';
import { perWorld } from './support/world-cache';
import type { WorkspaceRule } from './types';

export const namespaceWithoutDefaultDeny: WorkspaceRule = {
  meta: {
    id: 'namespace-without-default-deny',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A namespace with workloads should have a default-deny ingress policy (and egress, with requireEgress).',
  },
  check(ctx) {
    const { model, reach } = ctx.analysis;
    // The first workload of each namespace that a policy could isolate: with the `node`
    // hostNetwork mode, a namespace of only hostNetwork pods gains nothing from a default deny.
    const firstWorkload = perWorld(reach, 'namespace-without-default-deny', () => {
      const mode = hostNetworkMode(reach);
      const out = new Map<string, Workload>();
      for (const w of model.workloads) {
        if (mode === 'node' && w.pods.every((p) => p.hostNetwork)) continue;
        if (!out.has(w.namespace)) out.set(w.namespace, w);
      }
      return out;
    });
    const deny = { Ingress: new Set<string>(), Egress: new Set<string>() };
    // Namespace-wide policies with rules: they isolate every pod, but as a baseline
    // allowance for all of them, not a deny.
    const wide = { Ingress: new Map<string, string[]>(), Egress: new Map<string, string[]>() };
    // Per file, its namespace-wide policies (cached: only edited files are read again).
    const namespaceWide = perFile(ctx.analysis, 'namespace-without-default-deny', (policies) => {
      const out: { namespace: string; type: PolicyType; deny: boolean; name: string }[] = [];
      for (const p of policies) {
        // A rejected policy never reaches the cluster; a non-empty selector leaves some
        // (and every future unlabelled) pod open.
        if (p.rejected.length > 0 || !isEmptySelector(p.podSelector)) continue;
        for (const t of p.policyTypes) out.push({ namespace: p.namespace, type: t, deny: (t === 'Ingress' ? p.ingress : p.egress).length === 0, name: p.name });
      }
      return out;
    });
    for (const list of namespaceWide) {
      for (const { namespace, type: t, deny: isDeny, name } of list) {
        if (isDeny) deny[t].add(namespace);
        else wide[t].set(namespace, [...(wide[t].get(namespace) ?? []), name]);
      }
    }
    for (const [ns, w] of firstWorkload) {
      const types = (['Ingress', 'Egress'] as const).filter((t) => !deny[t].has(ns) && (t === 'Ingress' || ctx.options.requireEgress));
      if (types.length === 0) continue;
      const what = types.map((t) => t.toLowerCase()).join(' or ');
      const effects = types.map((t) => {
        const policies = wide[t].get(ns);
        if (policies) {
          const names = summarize(policies.map((n) => `${ns}/${n}`));
          return `${names} ${policies.length === 1 ? 'selects' : 'select'} every pod for ${t}, but ${policies.length === 1 ? 'its' : 'their'} ${t.toLowerCase()} rules are a baseline allowance for every pod, present and future`;
        }
        return t === 'Ingress'
          ? 'pods that no NetworkPolicy selects for Ingress accept connections from anywhere, and new workloads start open'
          : 'pods that no NetworkPolicy selects for Egress may connect anywhere, and new workloads start open';
      });
      const rules = types.map((t) => `${t.toLowerCase()} rules`).join(' or ');
      const narrow = types.some((t) => wide[t].has(ns)) ? ' (narrowing the namespace-wide rules to the workloads that need them)' : '';
      const dns = types.includes('Egress') ? ' (with egress denied, also allow DNS)' : '';
      const message =
        `Namespace ${ns} has workloads but no default-deny ${what} NetworkPolicy: ${effects.join('; and ')}. ` +
        `Add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no ${rules}, then allow what each workload needs${narrow}${dns}.`;
      report(ctx, ns, w, message);
    }
  },
};

function report(ctx: RuleContext, ns: string, w: Workload, message: string): void {
  const declared = ctx.analysis.model.namespaces.get(ns);
  if (declared?.declared && declared.source) {
    const r = declared.source.reader;
    const metadata = r.map(r.get(declared.source.map, 'metadata'));
    ctx.report({ message, span: valueOrKeySpan(r, r.pair(metadata, 'name')), path: 'metadata.name' });
    return;
  }
  const src = w.sources[0];
  const r = src.reader;
  const metadata = r.map(r.get(src.map, 'metadata'));
  const nsPair = r.pair(metadata, 'namespace');
  // A namespace that is written points at itself; a defaulted one at the object that lands there.
  if (nsPair && r.text(nsPair.value)) ctx.report({ message, span: valueOrKeySpan(r, nsPair), path: 'metadata.namespace' });
  else ctx.report({ message, span: valueOrKeySpan(r, r.pair(metadata, 'name')), path: 'metadata.name' });
}
