import type { ContainerPort } from '../../model/types';
import { asMap, fix, pairOf, policyOf, portEntries, portsText, rulePath, step } from '../support';
import type { FixProvider } from '../types';

/**
 * Adds `ports:` with the container ports of the pods on the receiving end: the selected
 * pods (ingress) or the rule's destination pods (egress), by name where they are named.
 */
export const ruleWithoutPortsFix: FixProvider = {
  rule: 'rule-without-ports',
  fixesFor(finding, ctx) {
    const rule = rulePath(finding.path);
    const ruleMap = asMap(rule && step(ctx, rule.path)?.node);
    const peersPair = pairOf(ruleMap, rule?.direction === 'Ingress' ? 'from' : 'to');
    const found = policyOf(ctx);
    if (!rule || !ruleMap || !peersPair || !found?.compiled) return [];
    const { compiled } = found;
    const reach = ctx.analysis.reach;
    const classes = rule.direction === 'Ingress' ? compiled.selected : (compiled.egress[rule.index]?.classes.members ?? []);
    const declared: ContainerPort[] = [];
    for (const c of classes) if (!reach.classes[c].virtual) declared.push(...reach.classes[c].ports);
    const entries = portEntries(declared);
    if (entries.length === 0) return [];
    const whose = rule.direction === 'Ingress' ? 'the selected pods' : 'the destination pods';
    const title = `Add ports: ${portsText(entries)} (the container ports of ${whose})`;
    const e = ctx.editor;
    const existing = pairOf(ruleMap, 'ports');
    const edit = existing ? e.replacePair(ruleMap, existing, entries) : e.insertPairs(ruleMap, { ports: entries }, { after: peersPair });
    return fix(title, [edit], { preferred: true });
  },
};
