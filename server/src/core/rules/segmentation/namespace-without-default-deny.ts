import type { Workload } from '../../model/types';
import { isEmptySelector } from '../../reach/selectors';
import type { Rule, RuleContext } from '../types';
import { hostNetworkMode, summarize, valueOrKeySpan } from './isolation-support';

export const namespaceWithoutDefaultDeny: Rule = {
  meta: {
    id: 'namespace-without-default-deny',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A namespace with workloads should have a default-deny ingress policy (and egress, with requireEgress).',
  },
  check(ctx) {
    const { model, reach } = ctx.analysis;
    const mode = hostNetworkMode(reach);
    // The first workload of each namespace that a policy could isolate: with the `node`
    // hostNetwork mode, a namespace of only hostNetwork pods gains nothing from a default deny.
    const firstWorkload = new Map<string, Workload>();
    for (const w of model.workloads) {
      if (mode === 'node' && w.pods.every((p) => p.hostNetwork)) continue;
      if (!firstWorkload.has(w.namespace)) firstWorkload.set(w.namespace, w);
    }
    const deny = { Ingress: new Set<string>(), Egress: new Set<string>() };
    // Namespace-wide policies with rules: they isolate every pod, but as a baseline
    // allowance for all of them, not a deny.
    const wide = { Ingress: new Map<string, string[]>(), Egress: new Map<string, string[]>() };
    for (const p of model.policies) {
      // A rejected policy never reaches the cluster; a non-empty selector leaves some
      // (and every future unlabelled) pod open.
      if (p.rejected.length > 0 || !isEmptySelector(p.podSelector)) continue;
      for (const t of p.policyTypes) {
        const rules = t === 'Ingress' ? p.ingress : p.egress;
        if (rules.length === 0) deny[t].add(p.namespace);
        else wide[t].set(p.namespace, [...(wide[t].get(p.namespace) ?? []), p.name]);
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
