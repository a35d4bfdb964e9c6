import type { Workload } from '../../model/types';
import { isEmptySelector } from '../../reach/selectors';
import type { Rule, RuleContext } from '../types';
import { hostNetworkMode, valueOrKeySpan } from './isolation-support';

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
    const denyIngress = new Set<string>();
    const denyEgress = new Set<string>();
    for (const p of model.policies) {
      // A rejected policy never reaches the cluster; a non-empty selector leaves some
      // (and every future unlabelled) pod open.
      if (p.rejected.length > 0 || !isEmptySelector(p.podSelector)) continue;
      if (p.policyTypes.includes('Ingress') && p.ingress.length === 0) denyIngress.add(p.namespace);
      if (p.policyTypes.includes('Egress') && p.egress.length === 0) denyEgress.add(p.namespace);
    }
    for (const [ns, w] of firstWorkload) {
      const missIngress = !denyIngress.has(ns);
      const missEgress = ctx.options.requireEgress && !denyEgress.has(ns);
      if (!missIngress && !missEgress) continue;
      const types = [missIngress ? 'Ingress' : '', missEgress ? 'Egress' : ''].filter((t) => t !== '');
      const what = types.map((t) => t.toLowerCase()).join(' or ');
      const effects: string[] = [];
      if (missIngress) effects.push('pods that no NetworkPolicy selects for Ingress accept connections from anywhere');
      if (missEgress) effects.push('pods that no NetworkPolicy selects for Egress may connect anywhere');
      const rules = types.map((t) => `${t === 'Ingress' ? 'ingress' : 'egress'} rules`).join(' or ');
      const dns = missEgress ? ' (with egress denied, also allow DNS)' : '';
      const message =
        `Namespace ${ns} has workloads but no default-deny ${what} NetworkPolicy: ${effects.join(', and ')}, and new workloads start open. ` +
        `Add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no ${rules}, then allow what each workload needs${dns}.`;
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
