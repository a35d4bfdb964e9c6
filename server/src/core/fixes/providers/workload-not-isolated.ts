import { selectorMatches } from '../../reach/selectors';
import { fix, freePolicyName, labelText, portEntries, workloadOf } from '../support';
import type { FixProvider } from '../types';
import type { YValue } from '../../yaml/edit';

/**
 * Adds a NetworkPolicy that selects exactly this workload (its pods' labels) and admits
 * its container ports from its own namespace, as a new document after the workload's.
 */
export const workloadNotIsolatedFix: FixProvider = {
  rule: 'workload-not-isolated',
  fixesFor(_finding, ctx) {
    const w = workloadOf(ctx);
    const { model, reach } = ctx.analysis;
    if (!w) return [];
    const wi = model.workloads.indexOf(w);
    // Only the ingress side: the fix does nothing for a workload open for egress only.
    if ((reach.table.workloadClasses[wi] ?? []).every((c) => reach.isIngressIsolated(c))) return [];
    const labels = w.pods[0]?.labels ?? {};
    if (Object.keys(labels).length === 0 || w.pods.some((p) => !selectorMatches(sel(labels), p.labels))) return [];
    // Exactly this workload: no other workload of the namespace has pods with these labels.
    if (model.workloads.some((o) => o !== w && o.namespace === w.namespace && o.pods.some((p) => selectorMatches(sel(labels), p.labels)))) return [];
    const ports = portEntries(w.pods.flatMap((p) => p.ports));
    const name = freePolicyName(ctx, w.namespace, w.name);
    const rule: { [key: string]: YValue } = { from: [{ podSelector: {} }] };
    if (ports.length > 0) rule.ports = ports;
    const doc: { [key: string]: YValue } = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: w.namespace },
      spec: { podSelector: { matchLabels: { ...labels } }, policyTypes: ['Ingress'], ingress: [rule] },
    };
    const title = `Add NetworkPolicy ${name} selecting ${labelText(labels)}: ${ports.length > 0 ? 'its ports' : 'ingress'} from namespace ${w.namespace} only`;
    return fix(title, [ctx.editor.insertDocumentsAfter(ctx.object.span.start, [doc])], { preferred: true });
  },
};

const sel = (labels: Readonly<Record<string, string>>) => ({ matchLabels: labels, matchExpressions: [], valid: true });
