import { resolvePorts } from '../../reach/compile';
import { selectorMatches } from '../../reach/selectors';
import { asMap, asScalar, asSeq, fix, parentPath, policyOf, rulePath, step, target } from '../support';
import type { Fix, FixProvider } from '../types';

/**
 * A rule port that is a Service's port -> the Service's targetPort on the pods (by name
 * when the targetPort is named, else the number). When the rule already allows the
 * target port, the Service port is only an extra: remove it.
 */
export const servicePortNotContainerPortFix: FixProvider = {
  rule: 'service-port-not-container-port',
  fixesFor(finding, ctx) {
    const node = asScalar(target(ctx, finding)?.node);
    const entryPath = parentPath(finding.path);
    const portMap = asMap(step(ctx, entryPath)?.node);
    const ports = asSeq(step(ctx, parentPath(entryPath))?.node);
    const rule = rulePath(finding.path);
    const found = policyOf(ctx);
    if (!node || typeof node.value !== 'number' || !portMap || !ports || !rule || !found?.compiled) return [];
    const number = node.value;
    const protocolNode = portMap.items.find((p) => asScalar(p.key)?.value === 'protocol')?.value;
    const protocol = protocolNode === undefined ? 'TCP' : asScalar(protocolNode)?.value;
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') return [];
    const { reach } = ctx.analysis;
    const compiledRule = (rule.direction === 'Ingress' ? found.compiled.ingress : found.compiled.egress)[rule.index];
    if (!compiledRule) return [];
    const dest = (rule.direction === 'Ingress' ? found.compiled.selected : compiledRule.classes.members).filter((c) => !reach.classes[c].virtual);
    const destSet = new Set(dest);
    const namespaces = new Set(dest.map((c) => reach.classes[c].namespace));
    for (const service of ctx.analysis.model.services) {
      if (!service.selector || !namespaces.has(service.namespace)) continue;
      const sp = service.ports.find((p) => p.port === number && p.protocol === protocol && p.targetPort !== undefined && p.targetPort !== p.port);
      if (!sp) continue;
      const selector = { matchLabels: service.selector, matchExpressions: [], valid: true };
      const backing = (reach.table.byNamespace.get(service.namespace) ?? []).filter((c) => destSet.has(c) && selectorMatches(selector, reach.classes[c].labels));
      const targets = new Set<number>();
      for (const c of backing) {
        const t = sp.targetPort ?? sp.port;
        const resolved = typeof t === 'number' ? t : reach.classes[c].ports.find((p) => p.name === t && p.protocol === protocol)?.port;
        if (resolved !== undefined && resolved !== number) targets.add(resolved);
      }
      if (targets.size === 0) continue;
      const list = [...targets].sort((a, b) => a - b);
      const e = ctx.editor;
      const allowed = backing.every((c) => list.every((t) => resolvePorts(compiledRule.ports, reach.classes[c]).allows(protocol, t)));
      if (allowed) {
        const index = Number(/\[(\d+)\]$/.exec(entryPath)?.[1] ?? -1);
        return fix(`Remove port ${number} (the rule already allows ${list.join('/')})`, [e.removeItem(ports, index)], { preferred: true });
      }
      const svc = `Service ${service.name}`;
      if (typeof sp.targetPort === 'string') {
        return [
          ...fix(`Use the pods' port ${sp.targetPort} (${svc}'s targetPort) instead of ${number}`, [e.replaceScalar(node, sp.targetPort)], { preferred: true, safe: true }),
          ...list.flatMap((t): Fix[] => fix(`Use the pods' port ${t} instead of ${number}`, [e.replaceScalar(node, t)])),
        ];
      }
      const only = list.length === 1;
      return list.flatMap((t): Fix[] => fix(`Use the pods' port ${t} (${svc}'s targetPort) instead of ${number}`, [e.replaceScalar(node, t)], { preferred: only, safe: only }));
    }
    return [];
  },
};
