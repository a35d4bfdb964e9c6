import { effectiveRules, peersKeyOf } from './support/isolation';
import type { Labels, PolicyPort, Workload } from '../model/types';
import type { CompiledPolicy } from '../reach/compile';
import { apiServerPorts } from './support/api-server';
import { own } from '../base/own';
import { propose, type FixProposal } from '../lint/fix';
import type { PolicyRuleAst } from '../lint/policy-ast';
import type { YValue } from '../yaml/render';
import { pairOf } from '../yaml/nodes';
import { labelText, namespaceNames, namespaceSelectorFor } from './support/fix';
import type { WorkspaceRule, WorldFixContext } from './types';

/** At most this many label sets, and namespaces, are offered. */
const MAX_LABEL_SETS = 10;
const MAX_NAMESPACES = 20;

/** The rule without peers. */
interface Data {
  readonly rule: PolicyRuleAst;
}

export const allowAllPeers: WorkspaceRule<Data> = {
  meta: {
    id: 'allow-all-peers',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A rule without from/to (or with an empty list) admits every source or destination, in and outside the cluster.',
    fix: 'unsafe',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      // A rule item that is not a mapping (`- ` alone) decodes as the empty rule too, but
      // has no key to point at; it is rare enough to leave to the reader.
      if (!rule.node) continue;
      const key = peersKeyOf(rule.direction);
      // Same reading as the model: a missing, null or empty list means every peer.
      if (r.items(r.get(rule.node, key)).length > 0) continue;
      const first = rule.node.items[0];
      const span = first ? r.span(first.key) : r.span(rule.node);
      const how = r.has(rule.node, key) ? `an empty "${key}"` : `no "${key}"`;
      const ports = r.items(r.get(rule.node, 'ports')).length > 0 ? 'on the ports it lists' : 'on every port and protocol';
      const message =
        rule.direction === 'Ingress'
          ? `This ingress rule has ${how}, so it admits traffic from every source, ${ports}: every pod of every namespace and every address outside the cluster. ` +
            'List the allowed sources under from: (podSelector, namespaceSelector or ipBlock).'
          : `This egress rule has ${how}, so the selected pods may connect to every destination, ${ports}: every pod of every namespace and every address outside the cluster. ` +
            'List the allowed destinations under to: (podSelector, namespaceSelector or ipBlock).';
      report({ message, span, path: rule.path, data: { rule } });
    }
  },
  /**
   * A rule without from/to -> restrict it: to the pods of the policy's namespace
   * (`podSelector: {}`), to the pods of one workload label set there (one fix per
   * distinct set), or to one namespace (one fix per namespace).
   */
  fix({ rule }, ctx) {
    const ruleMap = rule.node;
    const found = ctx.policy();
    if (!ruleMap || !found) return [];
    const key = rule.direction === 'Ingress' ? 'from' : 'to';
    const ns = found.policy.namespace;
    // A port the API server calls (a webhook, an APIService) must stay open to it, and it
    // is no pod: restricting the sources to pods or namespaces would cut it off.
    if (rule.direction === 'Ingress' && servesApiServer(ctx, found.compiled, found.policy.ingress[rule.index]?.ports)) return [];
    const e = ctx.editor;
    const existing = pairOf(ruleMap, key);
    const edit = (peers: YValue[]) => (existing ? e.replacePair(ruleMap, existing, peers) : e.insertPairs(ruleMap, { [key]: peers }, 'start'));
    const dir = rule.direction === 'Ingress' ? 'from' : 'to';
    const out: FixProposal[] = [...propose(`Allow only ${dir} pods of namespace ${ns} (podSelector: {})`, [edit([{ podSelector: {} }])])];
    for (const labels of labelSets(ctx, ns)) {
      out.push(...propose(`Allow only ${dir} pods labelled ${labelText(labels)} in namespace ${ns}`, [edit([{ podSelector: { matchLabels: { ...labels } } }])]));
    }
    const model = ctx.analysis.model;
    // The default namespace stands in for "not set" unless a Namespace declares it: not written.
    const names = namespaceNames(ctx).filter((n) => n !== model.defaultNamespace || model.namespaces.get(n)?.declared);
    for (const name of names.slice(0, MAX_NAMESPACES)) {
      out.push(...propose(`Allow only ${dir} namespace ${name}`, [edit([{ namespaceSelector: namespaceSelectorFor(name) }])]));
    }
    return out;
  },
};

/** The distinct label sets of the workloads of a namespace: their selector's labels, else their pods'. */
function labelSets(ctx: WorldFixContext, ns: string): Labels[] {
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
function identityLabels(w: Workload): Labels {
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

/** Whether pods the policy selects serve the API server on a port the rule admits. */
function servesApiServer(ctx: WorldFixContext, compiled: CompiledPolicy | undefined, ports: readonly PolicyPort[] | undefined): boolean {
  if (!compiled) return false;
  const served = apiServerPorts(ctx.analysis.reach);
  return compiled.selected.some((c) =>
    (served.get(c) ?? []).some((s) => ports === undefined || ports.some((p) => p.protocol === s.protocol && (p.port === undefined || p.port === s.port || typeof p.port === 'string' || (typeof p.port === 'number' && p.endPort !== undefined && p.port <= s.port && s.port <= p.endPort)))),
  );
}
