import { formatLabels, hostNetworkMode, workloadLabel, workloadNameLocation } from './support/isolation';
import type { WorkspaceRule } from './types';

export const workloadNotIsolated: WorkspaceRule = {
  meta: {
    id: 'workload-not-isolated',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'A workload that no NetworkPolicy selects for Ingress (and Egress, with requireEgress) accepts traffic from anywhere.',
  },
  check(ctx) {
    const { model, reach } = ctx.analysis;
    const mode = hostNetworkMode(reach);
    model.workloads.forEach((w, wi) => {
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
      if (openIngress.length > 0) effects.push(`every pod of the cluster and every address outside it may connect to ${it}, on any port`);
      if (openEgress.length > 0) effects.push(`${some ? 'they' : 'it'} may connect to any destination, on any port`);
      const labels = formatLabels(reach.classes[open[0]].labels);
      const message =
        `${who} not isolated: no NetworkPolicy selects ${it} for ${dirs.join(' or ')}, so ${effects.join('; and ')}. ` +
        `Add a NetworkPolicy in namespace ${w.namespace} whose podSelector matches ${some ? 'their' : 'its'} labels (${labels}) with policyTypes [${dirs.join(', ')}] and rules for what ${some ? 'they need' : 'it needs'}, or a default-deny policy for the namespace.`;
      const at = workloadNameLocation(w);
      ctx.report({ message, span: at.span, path: at.path });
    });
  },
};
