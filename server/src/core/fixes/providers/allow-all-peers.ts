import type { Labels, Workload } from '../../model/types';
import { asMap, fix, labelText, namespaceNames, namespaceSelectorFor, pairOf, policyOf, rulePath, step } from '../support';
import type { Fix, FixContext, FixProvider } from '../types';
import type { YValue } from '../../yaml/edit';
import { own } from '../../base/own';

/** At most this many label sets, and namespaces, are offered. */
const MAX_LABEL_SETS = 10;
const MAX_NAMESPACES = 20;

/**
 * A rule without from/to -> restrict it: to the pods of the policy's namespace
 * (`podSelector: {}`), to the pods of one workload label set there (one fix per
 * distinct set), or to one namespace (one fix per namespace).
 */
export const allowAllPeersFix: FixProvider = {
  rule: 'allow-all-peers',
  fixesFor(finding, ctx) {
    const rule = rulePath(finding.path);
    const ruleMap = asMap(rule && step(ctx, rule.path)?.node);
    const found = policyOf(ctx);
    if (!rule || !ruleMap || !found) return [];
    const key = rule.direction === 'Ingress' ? 'from' : 'to';
    const ns = found.policy.namespace;
    const e = ctx.editor;
    const existing = pairOf(ruleMap, key);
    const edit = (peers: YValue[]) => (existing ? e.replacePair(ruleMap, existing, peers) : e.insertPairs(ruleMap, { [key]: peers }, 'start'));
    const dir = rule.direction === 'Ingress' ? 'from' : 'to';
    const out: Fix[] = [...fix(`Allow only ${dir} pods of namespace ${ns} (podSelector: {})`, [edit([{ podSelector: {} }])])];
    for (const labels of labelSets(ctx, ns)) {
      out.push(...fix(`Allow only ${dir} pods labelled ${labelText(labels)} in namespace ${ns}`, [edit([{ podSelector: { matchLabels: { ...labels } } }])]));
    }
    for (const name of namespaceNames(ctx).slice(0, MAX_NAMESPACES)) {
      out.push(...fix(`Allow only ${dir} namespace ${name}`, [edit([{ namespaceSelector: namespaceSelectorFor(name) }])]));
    }
    return out;
  },
};

/** The distinct label sets of the workloads of a namespace: their selector's labels, else their pods'. */
function labelSets(ctx: FixContext, ns: string): Labels[] {
  const seen = new Map<string, Labels>();
  for (const w of ctx.analysis.model.workloads) {
    if (w.namespace !== ns) continue;
    const labels = identityLabels(w);
    const keys = Object.keys(labels).sort();
    if (keys.length === 0) continue;
    const k = keys.map((x) => `${x}=${labels[x]}`).join(',');
    if (!seen.has(k)) seen.set(k, labels);
    if (seen.size >= MAX_LABEL_SETS) break;
  }
  return [...seen.values()];
}

/**
 * The labels that identify a workload's pods: its spec.selector.matchLabels (stable
 * across versions) when its pods carry them, else the pods' labels.
 */
export function identityLabels(w: Workload): Labels {
  const pod = w.pods[0]?.labels ?? {};
  const src = w.sources[0];
  if (src && src.kind !== 'Pod' && src.kind !== 'CronJob' && src.kind !== 'Job') {
    const r = src.reader;
    const selector = r.stringMap(r.get(r.map(r.get(r.map(r.get(src.map, 'spec')), 'selector')), 'matchLabels'));
    const keys = Object.keys(selector);
    if (keys.length > 0 && keys.every((k) => w.pods.every((p) => own(p.labels, k) === selector[k]))) return selector;
  }
  return pod;
}
