import { effectiveRules, peersKeyOf } from './support/isolation';
import type { Labels, Workload } from '../model/types';
import { own } from '../base/own';
import { propose, type FixProposal } from '../lint/fix';
import type { PolicyRuleAst } from '../lint/policy-ast';
import type { YValue } from '../yaml/render';
import { pairOf } from '../yaml/nodes';
import { labelText, namespaceNames, namespaceSelectorFor } from './support/fix';
import type { PolicyContext, WorkspaceRule, WorldFixContext } from './types';
import type { Service } from '../model/types';
import type { NodeReader } from '../yaml/nodes';
import { selectorMatches } from '../reach/selectors';

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
    description: 'A rule without from/to (or with an empty list) admits every source or destination, in and outside the cluster (info for an explicit {} or a port a LoadBalancer/NodePort Service or Ingress exposes).',
    fix: 'unsafe',
  },
  // The world decides one case: a ports-only ingress rule on ports a Service of type
  // LoadBalancer or NodePort, or an Ingress, exposes is the open door it looks like.
  checkPolicyInWorld(ast, ctx, report) {
    const r = ast.reader;
    let exposed: ExposedPorts | undefined;
    for (const rule of effectiveRules(ast)) {
      // A rule item that is not a mapping (`- ` alone) decodes as the empty rule too, but
      // has no key to point at; it is rare enough to leave to the reader.
      if (!rule.node) continue;
      const key = peersKeyOf(rule.direction);
      // Same reading as the model: a missing, null or empty list means every peer.
      if (r.items(r.get(rule.node, key)).length > 0) continue;
      const first = rule.node.items[0];
      const span = first ? r.span(first.key) : r.span(rule.node);
      const explicit = rule.node.items.length === 0;
      const how = r.has(rule.node, key) ? `an empty "${key}"` : `no "${key}"`;
      const hasPorts = r.items(r.get(rule.node, 'ports')).length > 0;
      const ports = hasPorts ? 'on the ports it lists' : 'on every port and protocol';
      if (explicit) {
        // `- {}` says "everything" in so many words: a choice, stated (info, not a warning).
        const message =
          rule.direction === 'Ingress'
            ? 'This ingress rule is an explicit allow-all ({}): it admits traffic from every source on every port, every pod of every namespace and every address outside the cluster. ' +
              'Written this way it reads as deliberate; if it is not, list the allowed sources under from: and the ports under ports:.'
            : 'This egress rule is an explicit allow-all ({}): the selected pods may connect to every destination on every port, every pod of every namespace and every address outside the cluster. ' +
              'Written this way it reads as deliberate; if it is not, list the allowed destinations under to: and the ports under ports: (keeping DNS).';
        report({ message, span, path: rule.path, data: { rule }, severity: 'info' });
        continue;
      }
      if (rule.direction === 'Ingress' && hasPorts) {
        exposed ??= exposedPorts(ctx);
        const via = exposedBy(r, rule, exposed);
        if (via) {
          const message =
            `This ingress rule has ${how}, so it admits traffic from every source on the ports it lists; ${via} exposes these ports outside the cluster, so the open door is the design. ` +
            'If only some clients should reach them, list those sources under from: (ipBlock for addresses outside the cluster).';
          report({ message, span, path: rule.path, data: { rule }, severity: 'info' });
          continue;
        }
      }
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
    const e = ctx.editor;
    const existing = pairOf(ruleMap, key);
    const edit = (peers: YValue[]) => (existing ? e.replacePair(ruleMap, existing, peers) : e.insertPairs(ruleMap, { [key]: peers }, 'start'));
    const dir = rule.direction === 'Ingress' ? 'from' : 'to';
    const out: FixProposal[] = [...propose(`Allow only ${dir} pods of namespace ${ns} (podSelector: {})`, [edit([{ podSelector: {} }])])];
    for (const labels of labelSets(ctx, ns)) {
      out.push(...propose(`Allow only ${dir} pods labelled ${labelText(labels)} in namespace ${ns}`, [edit([{ podSelector: { matchLabels: { ...labels } } }])]));
    }
    for (const name of namespaceNames(ctx).slice(0, MAX_NAMESPACES)) {
      out.push(...propose(`Allow only ${dir} namespace ${name}`, [edit([{ namespaceSelector: namespaceSelectorFor(name) }])]));
    }
    return out;
  },
};

/** Per container port of the policy's pods (`number/protocol`, and `name/protocol` for a named one): what exposes it outside the cluster. */
type ExposedPorts = Map<string, string>;

/**
 * The container ports of the pods the policy selects that a Service of type LoadBalancer
 * or NodePort, or a Service an Ingress (or Route) routes to, delivers to.
 */
function exposedPorts(ctx: PolicyContext): ExposedPorts {
  const out: ExposedPorts = new Map();
  const policy = ctx.policy;
  if (!policy) return out;
  const { model } = ctx.analysis;
  const pods = model.workloads.filter((w) => w.namespace === policy.namespace).flatMap((w) => w.pods.filter((p) => selectorMatches(policy.podSelector, p.labels)));
  if (pods.length === 0) return out;
  const routed = new Map<string, string>();
  for (const ing of model.ingresses) {
    if (ing.namespace !== policy.namespace) continue;
    for (const b of ing.backends) if (!routed.has(b.service)) routed.set(b.service, `${ing.kind} ${ing.namespace}/${ing.name}`);
  }
  for (const svc of model.services) {
    if (svc.namespace !== policy.namespace || !svc.selector) continue;
    const type = serviceType(svc);
    const by = type === 'LoadBalancer' || type === 'NodePort' ? `Service ${svc.namespace}/${svc.name} (type ${type})` : routed.get(svc.name);
    if (!by) continue;
    const selector = { matchLabels: svc.selector, matchExpressions: [], valid: true };
    for (const pod of pods) {
      if (!selectorMatches(selector, pod.labels)) continue;
      for (const sp of svc.ports) {
        const target = sp.targetPort ?? sp.port;
        const port = typeof target === 'number' ? target : pod.ports.find((cp) => cp.name === target && cp.protocol === sp.protocol)?.port;
        if (port === undefined) continue;
        if (!out.has(`${port}/${sp.protocol}`)) out.set(`${port}/${sp.protocol}`, by);
        // A rule may name the port: the container port's name stands for it too.
        const name = pod.ports.find((cp) => cp.port === port && cp.protocol === sp.protocol)?.name;
        if (name !== undefined && !out.has(`${name}/${sp.protocol}`)) out.set(`${name}/${sp.protocol}`, by);
      }
    }
  }
  return out;
}

function serviceType(svc: Service): string | undefined {
  if (!svc.source) return undefined;
  const r = svc.source.reader;
  return r.string(r.get(r.map(r.get(svc.source.map, 'spec')), 'type'));
}

/**
 * What exposes every port of a ports-only rule (its first exposer), or undefined when one
 * of them is not exposed: a named port counts when a selected pod's port of that name is.
 */
function exposedBy(r: NodeReader, rule: PolicyRuleAst, exposed: ExposedPorts): string | undefined {
  if (exposed.size === 0 || rule.ports.length === 0) return undefined;
  let first: string | undefined;
  for (const { node } of rule.ports) {
    const protocol = r.string(r.get(node, 'protocol')) ?? 'TCP';
    const value = r.scalar(r.get(node, 'port'))?.value;
    const end = r.scalar(r.get(node, 'endPort'))?.value;
    let by: string | undefined;
    if (typeof value === 'number' && (end === undefined || end === value)) by = exposed.get(`${value}/${protocol}`);
    else if (typeof value === 'string') by = exposed.get(`${value}/${protocol}`);
    if (!by) return undefined;
    first ??= by;
  }
  return first;
}

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
