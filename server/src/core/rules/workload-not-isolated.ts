import { formatLabels, hostNetworkMode, workloadLabel, workloadNameLocation } from './support/isolation';
import type { Workload } from '../model/types';
import { selectorMatches } from '../reach/selectors';
import { propose } from '../lint/fix';
import type { YValue } from '../yaml/render';
import { freePolicyName, labelText, metadataBeside, portEntries } from './support/fix';
import type { WorkspaceRule } from './types';
import { apiServerPorts, type ApiServerPort } from './support/api-server';
import { foreignPoliciesNote } from './support/foreign-policies';

/** The workload no policy isolates. */
interface Data {
  readonly workload: Workload;
}

export const workloadNotIsolated: WorkspaceRule<Data> = {
  meta: {
    id: 'workload-not-isolated',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'A workload that no NetworkPolicy selects for Ingress (and Egress, with requireEgress) accepts traffic from anywhere.',
    fix: 'unsafe',
  },
  check(ctx) {
    const { model, reach } = ctx.analysis;
    const mode = hostNetworkMode(reach);
    const requireEgress = ctx.options.requireEgress;
    model.workloads.forEach((w, wi) => {
      // Most workloads of a large workspace are isolated: told without building a list (this runs on every keystroke).
      let anyOpen = false;
      for (const c of reach.table.workloadClasses[wi]) {
        if (mode === 'node' && reach.classes[c].hostNetwork) continue;
        if (!reach.isIngressIsolated(c) || (requireEgress && !reach.isEgressIsolated(c))) {
          anyOpen = true;
          break;
        }
      }
      if (!anyOpen) return;
      // With hostNetwork `node`, such pods use the node's network: no policy can isolate
      // them, so "add a policy" would be advice that cannot work.
      const classes = reach.table.workloadClasses[wi].filter((c) => !(mode === 'node' && reach.classes[c].hostNetwork));
      if (classes.length === 0) return;
      const openIngress = classes.filter((c) => !reach.isIngressIsolated(c));
      const openEgress = ctx.options.requireEgress ? classes.filter((c) => !reach.isEgressIsolated(c)) : [];
      if (openIngress.length === 0 && openEgress.length === 0) return;
      const open = openIngress.length > 0 ? openIngress : openEgress;
      // Pods of one workload may differ (Pods of one owner): then only some are open.
      const some = open.length < classes.length;
      const who = some ? `Some pods of ${workloadLabel(w)} (labels ${formatLabels(reach.classes[open[0]].labels)}) are` : `${workloadLabel(w)} is`;
      const it = some ? 'them' : 'it';
      const dirs = [openIngress.length > 0 ? 'Ingress' : '', openEgress.length > 0 ? 'Egress' : ''].filter((d) => d !== '');
      const effects: string[] = [];
      // Cluster-level policies may decide in-cluster traffic for it; never ingress from outside.
      if (openIngress.length > 0) {
        effects.push(
          openIngress.some((c) => reach.hasClusterIngress(c))
            ? `every address outside the cluster may connect to ${it}, on any port (cluster-level policies decide only what pods of the cluster may)`
            : `every pod of the cluster and every address outside it may connect to ${it}, on any port`,
        );
      }
      if (openEgress.length > 0) {
        effects.push(openEgress.some((c) => reach.hasClusterEgress(c)) ? `${some ? 'they' : 'it'} may connect to whatever the cluster-level policies leave open` : `${some ? 'they' : 'it'} may connect to any destination, on any port`);
      }
      const labels = formatLabels(reach.classes[open[0]].labels);
      const message =
        `${who} not isolated: no NetworkPolicy selects ${it} for ${dirs.join(' or ')}, so ${effects.join('; and ')}. ` +
        `Add a NetworkPolicy in namespace ${w.namespace} whose podSelector matches ${some ? 'their' : 'its'} labels (${labels}) with policyTypes [${dirs.join(', ')}] and rules for what ${some ? 'they need' : 'it needs'}, or a default-deny policy for the namespace.` +
        apiServerNote(classes.flatMap((c) => apiServerPorts(reach).get(c) ?? [])) +
        foreignPoliciesNote(model, w.namespace, `isolate ${it}`);
      const at = workloadNameLocation(w);
      ctx.report({ message, span: at.span, path: at.path, data: { workload: w } });
    });
  },
  /**
   * Adds a NetworkPolicy that selects exactly this workload (its pods' labels) and admits
   * its container ports from its own namespace, as a new document after the workload's
   * (with the workload's namespace when the workload writes one: never the assumed default).
   */
  fix({ workload: w }, ctx) {
    const { model, reach } = ctx.analysis;
    const wi = model.workloads.indexOf(w);
    // Only the ingress side: the fix does nothing for a workload open for egress only.
    if ((reach.table.workloadClasses[wi] ?? []).every((c) => reach.isIngressIsolated(c))) return [];
    const labels = w.pods[0]?.labels ?? {};
    if (Object.keys(labels).length === 0 || w.pods.some((p) => !selectorMatches(sel(labels), p.labels))) return [];
    // Exactly this workload: no other workload of the namespace has pods with these labels.
    if (model.workloads.some((o) => o !== w && o.namespace === w.namespace && o.pods.some((p) => selectorMatches(sel(labels), p.labels)))) return [];
    // Ports the API server calls (webhooks, APIServices) stay open to every source: it is
    // no pod of the namespace, and "from namespace X only" would cut it off.
    const served = new Set<string>();
    for (const c of reach.table.workloadClasses[wi] ?? []) for (const p of apiServerPorts(reach).get(c) ?? []) served.add(`${p.protocol}/${p.port}`);
    const all = w.pods.flatMap((p) => p.ports);
    const ports = portEntries(all.filter((p) => !served.has(`${p.protocol}/${p.port}`)));
    const apiPorts = portEntries(all.filter((p) => served.has(`${p.protocol}/${p.port}`)));
    const name = freePolicyName(ctx, w.namespace, w.name);
    const rule: { [key: string]: YValue } = { from: [{ podSelector: {} }] };
    if (ports.length > 0) rule.ports = ports;
    const rules: YValue[] = apiPorts.length > 0 ? (ports.length > 0 ? [rule, { ports: apiPorts }] : [{ ports: apiPorts }]) : [rule];
    const doc: { [key: string]: YValue } = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadataBeside(ctx.object, name, w.namespace),
      spec: { podSelector: { matchLabels: { ...labels } }, policyTypes: ['Ingress'], ingress: rules },
    };
    const api = apiPorts.length > 0 ? `, the API server's port${apiPorts.length > 1 ? 's' : ''} ${apiPorts.map((p) => p.port).join(', ')} from anywhere` : '';
    const title = `Add NetworkPolicy ${name} selecting ${labelText(labels)}: ${ports.length > 0 ? 'its ports' : apiPorts.length > 0 ? 'nothing else' : 'ingress'} from namespace ${w.namespace} only${api}`;
    return propose(title, [ctx.editor.insertDocumentsAfter(ctx.object.span.start, [doc])], { preferred: true });
  },
};

const sel = (labels: Readonly<Record<string, string>>) => ({ matchLabels: labels, matchExpressions: [], valid: true });

/** What a policy for a webhook or APIService backend must keep open, when the pods are one. */
function apiServerNote(ports: readonly ApiServerPort[]): string {
  if (ports.length === 0) return '';
  const list = [...new Set(ports.map((p) => `${p.protocol} ${p.port}`))].join(', ');
  const by = [...new Set(ports.map((p) => p.by))].slice(0, 3).join(', ');
  return ` The API server calls ${list} (${by}): it is no pod, so admit ${ports.length > 1 ? 'these ports' : 'this port'} from every source (a rule with ports only).`;
}
