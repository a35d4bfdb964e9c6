import { effectiveRules, peersKeyOf } from './support/isolation';
import type { Labels, NetworkPolicy, PolicyPort, Workload } from '../model/types';
import type { TextEdit } from '../base/edits';
import { dns1123Label } from '../k8s/names';
import { apiServerPorts } from './support/api-server';
import { own } from '../base/own';
import { propose, type FixProposal } from '../lint/fix';
import type { PolicyRuleAst } from '../lint/policy-ast';
import type { YValue } from '../yaml/render';
import { pairOf } from '../yaml/nodes';
import { dnsEgressRule, labelText, namespaceNames, namespaceSelectorFor, portsText } from './support/fix';
import { routedByWorkload } from '../reach/routed';
import { selectorMatches } from '../reach/selectors';
import { callersOf } from './support/callers';
import { evidenceOf, evidenceOptionsOf } from '../analysis/evidence';
import { DEFAULT_INGRESS_CONTROLLER } from '../k8s/cluster';
import { readMeta } from '../model/extract/common';
import type { CompiledPolicy } from '../reach/compile';
import { ConnSet, PROTOCOLS } from '../base/ports';
import type { YAMLSeq } from 'yaml';
import type { PolicyContext, WorkspaceRule, WorldFixContext } from './types';
import type { Service } from '../model/types';
import type { NodeReader } from '../yaml/nodes';

/** At most this many label sets, and namespaces, are offered. */
const MAX_LABEL_SETS = 3;
const MAX_NAMESPACES = 3;
const MAX_CALLERS = 3;

/** The rule without peers. */
interface Data {
  readonly rule: PolicyRuleAst;
}

export const allowAllPeers: WorkspaceRule<Data> = {
  meta: {
    id: 'allow-all-peers',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A rule without from/to (or with an empty list) admits every source or destination, in and outside the cluster (info for an explicit {}, a ports-only rule, or a port a LoadBalancer/NodePort Service or Ingress exposes).',
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
      // A rule that names its ports and leaves the peers key out is a scoped, written choice:
      // the usual shape for webhook ports the API server calls (no pod selector can name it)
      // and for metrics scraped from anywhere. Said (info), not warned. An empty list
      // (`from: []`) or a rule without ports reads as unfinished: a warning.
      if (hasPorts && !r.has(rule.node, key)) {
        const message =
          rule.direction === 'Ingress'
            ? `This ingress rule lists ports but no "from", so it admits every source on those ports: every pod of every namespace and every address outside the cluster. ` +
              'A ports-only rule reads as a deliberate opening (a webhook port the API server calls, metrics scraped from anywhere); if only some clients should connect, list them under from: (podSelector, namespaceSelector or ipBlock).'
            : `This egress rule lists ports but no "to", so the selected pods may connect to every destination on those ports: every pod of every namespace and every address outside the cluster. ` +
              'A ports-only egress rule reads as a deliberate opening (HTTPS to anywhere, DNS); if only some destinations are meant, list them under to: (podSelector, namespaceSelector or ipBlock).';
        report({ message, span, path: rule.path, data: { rule }, severity: 'info' });
        continue;
      }
      if (rule.direction === 'Ingress' && !hasPorts) {
        // Pods a NodePort or LoadBalancer Service (or an Ingress) exposes outside the cluster are
        // meant to be reached by everyone: an emptied `from` there is not "nobody" misread, it is
        // the opening, as `- {}` would say. What it adds is every other port (container.training's webui).
        exposed ??= exposedPorts(ctx);
        const open = [...exposed].filter(([k]) => /^\d+\//.test(k));
        if (open.length > 0) {
          const list = open.map(([k]) => k.split('/')).map(([port, protocol]) => `{port: ${port}, protocol: ${protocol}}`);
          const message =
            `This ingress rule has ${how}, so it admits traffic from every source, on every port and protocol; ${open[0][1]} exposes ${open.length === 1 ? 'port' : 'ports'} ${open.map(([k]) => k).join(', ')} of these pods outside the cluster, so admitting every source reads as the design, ` +
            `but every other port is open to every source too. To keep the opening to what is exposed, add ports: [${list.join(', ')}].`;
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
   * A rule without from/to -> restrict it, best evidenced first (the engine checks the
   * first few and offers the first three whose result raises nothing new): to the pods of
   * the policy's namespace (`podSelector: {}`), to the namespaces whose workloads the
   * workspace shows, to one workload label set of the namespace. An egress rule keeps DNS
   * in the same edit: unless the policy already allows port 53 elsewhere, a DNS rule
   * (UDP and TCP 53 to the cluster DNS) is appended to its egress list. An ingress rule
   * without ports on pods that Services or Ingresses route to keeps those ports open to
   * every source and narrows the others (a rule with the chosen peers is appended).
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
    const dns = rule.direction === 'Egress' ? dnsEdit(ctx, found.policy) : undefined;
    if (dns === null) return [];
    const edits = (peers: YValue[]) => [existing ? e.replacePair(ruleMap, existing, peers) : e.insertPairs(ruleMap, { [key]: peers }, 'start'), ...(dns ? [dns] : [])];
    const dir = rule.direction === 'Ingress' ? 'from' : 'to';
    const andDns = dns ? ' and DNS (UDP and TCP 53)' : '';
    // Namespaces with workloads first: a peer the workspace shows pods for.
    const withPods = new Set(ctx.analysis.model.workloads.map((w) => w.namespace));
    const model = ctx.analysis.model;
    // The default namespace stands in for "not set" unless a Namespace declares it: not written.
    const names = namespaceNames(ctx).filter((n) => n !== ns && dns1123Label(n).length === 0 && (n !== model.defaultNamespace || model.namespaces.get(n)?.declared));
    const single = (list: { what: string; peer: YValue }[]) => list.map(({ what, peer }) => ({ what, peers: [peer] }));
    const evidenced = evidencedPeers(ctx, found.compiled, ns, rule.direction);
    const peers: { what: string; peers: YValue[] }[] = [
      // Least privilege first: exactly the peers the evidence shows (env, ConfigMaps, annotations).
      ...(evidenced ? [evidenced] : []),
      ...single([
        // The callers one by one would each close the others' evidenced flows: only without evidence.
        ...(rule.direction === 'Ingress' && !evidenced ? callerPeers(ctx, found.compiled, ns) : []),
        { what: `pods of namespace ${ns} (podSelector: {})`, peer: { podSelector: {} } },
        ...[...names.filter((n) => withPods.has(n)), ...names.filter((n) => !withPods.has(n))].slice(0, MAX_NAMESPACES).map((name) => ({ what: `namespace ${name}`, peer: { namespaceSelector: namespaceSelectorFor(name) } })),
        ...labelSets(ctx, ns).map((labels) => ({ what: `pods labelled ${labelText(labels)} in namespace ${ns}`, peer: { podSelector: { matchLabels: { ...labels } } } })),
      ]).filter((p) => !evidenced || JSON.stringify(p.peers) !== JSON.stringify(evidenced.peers)),
    ];
    // Pods that a Service or Ingress routes to: narrowing the sources of those ports would
    // close the flows they route (every client of the Service, the ingress controller).
    // Those ports stay open to every source; the narrowing applies to the other ports.
    const routed = rule.direction === 'Ingress' && !existing && !pairOf(ruleMap, 'ports') ? routedOfSelected(ctx, found.compiled) : undefined;
    if (routed) {
      const list = ingressList(ctx);
      const out: FixProposal[] = [];
      for (const { what, peers: chosen } of peers) {
        const keep = e.insertPairs(ruleMap, { ports: routed.entries }, 'start');
        const narrowed = list ? e.appendItems(list, [{ from: chosen }]) : undefined;
        out.push(...propose(`Keep ${routed.text} open to every source (routed by ${routed.by}); allow the other ports only from ${what}`, [keep, narrowed]));
      }
      return out;
    }
    const out: FixProposal[] = [];
    for (const { what, peers: chosen } of peers) out.push(...propose(`Allow only ${dir} ${what}${andDns}`, edits(chosen)));
    return out;
  },
};

/**
 * The edit that appends a DNS rule to the policy's egress list; undefined when the policy
 * already allows port 53 in another rule (nothing to add), null when it cannot be added.
 */
function dnsEdit(ctx: WorldFixContext, policy: NetworkPolicy): TextEdit | undefined | null {
  if (policy.egress.some((r) => r.peers !== undefined && r.peers.length > 0 && allowsPort53(r.ports))) return undefined;
  const r = ctx.object.reader;
  const list = r.seq(r.get(r.map(r.get(ctx.object.map, 'spec')), 'egress'));
  if (!list) return null;
  return ctx.editor.appendItems(list, [dnsEgressRule(ctx)]) ?? null;
}

/** The ports that Services and Ingresses route to the policy's selected pods, as port entries; undefined when none. */
function routedOfSelected(ctx: WorldFixContext, compiled: CompiledPolicy | undefined): { entries: YValue[]; text: string; by: string } | undefined {
  if (!compiled) return undefined;
  const reach = ctx.analysis.reach;
  const routed = routedByWorkload(reach);
  let ports = ConnSet.NONE;
  const by: string[] = [];
  for (const c of compiled.selected) {
    for (const wi of reach.classes[c].workloads) {
      const r = routed.get(wi);
      if (!r) continue;
      ports = ports.union(r.ports);
      for (const b of r.by) if (!by.includes(b)) by.push(b);
    }
  }
  if (ports.isEmpty() || ports.isAll()) return undefined;
  const entries: { port: number; endPort?: number; protocol: string }[] = [];
  for (const protocol of PROTOCOLS) {
    const r = ports.ports(protocol);
    for (let i = 0; i < r.length; i += 2) entries.push(r[i] === r[i + 1] ? { port: r[i], protocol } : { port: r[i], endPort: r[i + 1], protocol });
  }
  const text = `port${entries.length === 1 ? '' : 's'} ${portsText(entries.map((x) => ({ port: x.endPort ? `${x.port}-${x.endPort}` : x.port, protocol: x.protocol })))}`;
  return { entries, text, by: by.length <= 2 ? by.join(' and ') : `${by.slice(0, 2).join(', ')} and ${by.length - 2} more` };
}

/**
 * Peers for the workloads that call the Services in front of the selected pods (their
 * manifests name the Service: callers.ts), best evidence first: one peer per caller label
 * set, with its namespace when it is another.
 */
function callerPeers(ctx: WorldFixContext, compiled: CompiledPolicy | undefined, ns: string): { what: string; peer: YValue }[] {
  if (!compiled) return [];
  const { model, reach } = ctx.analysis;
  const selected = new Set<number>();
  for (const c of compiled.selected) for (const wi of reach.classes[c].workloads) selected.add(wi);
  const pods = [...selected].flatMap((wi) => model.workloads[wi].pods);
  const services = model.services.filter((svc) => svc.namespace === ns && svc.selector && pods.some((p) => selectorMatches({ matchLabels: svc.selector!, matchExpressions: [], valid: true }, p.labels)));
  const out: { what: string; peer: YValue }[] = [];
  const seen = new Set<string>();
  for (const w of callersOf(model.workloads.filter((_, i) => !selected.has(i)), services)) {
    const labels = identityLabels(w);
    if (Object.keys(labels).length === 0) continue;
    const key = `${w.namespace}/${labelText(labels)}`;
    if (seen.has(key) || out.length >= MAX_CALLERS) continue;
    seen.add(key);
    const podSelector = { matchLabels: { ...labels } };
    out.push(
      w.namespace === ns
        ? { what: `pods labelled ${labelText(labels)} (${w.name}, which calls the Service)`, peer: { podSelector } }
        : { what: `pods labelled ${labelText(labels)} in namespace ${w.namespace} (${w.name}, which calls the Service)`, peer: { namespaceSelector: namespaceSelectorFor(w.namespace), podSelector } },
    );
  }
  return out;
}

/**
 * The peers the evidence shows for the selected pods, together: the workloads that call
 * them (ingress) or that they call (egress), by their identity labels, with their
 * namespace when it is another (and written in their manifest: the default namespace is
 * an assumption, not written). Undefined when the evidence shows none, or shows a caller
 * no selector can name (outside the cluster, the ingress controller, Prometheus, the
 * control plane): narrowing to workloads would close that flow.
 */
function evidencedPeers(ctx: WorldFixContext, compiled: CompiledPolicy | undefined, ns: string, direction: 'Ingress' | 'Egress'): { what: string; peers: YValue[] } | undefined {
  if (!compiled) return undefined;
  const { reach } = ctx.analysis;
  const evidence = evidenceOf(ctx.analysis, evidenceOptionsOf({ ingressController: reach.options.ingressController ?? DEFAULT_INGRESS_CONTROLLER, dns: ctx.options.dns }, { dns: false }));
  const selected = new Set<number>();
  for (const c of compiled.selected) for (const wi of reach.classes[c].workloads) selected.add(wi);
  const peers: YValue[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of evidence.flows) {
    const self = direction === 'Ingress' ? f.dst : f.src;
    const other = direction === 'Ingress' ? f.src : f.dst;
    if (self.type !== 'workload' || !selected.has(self.index)) continue;
    if (other.type !== 'workload') {
      if (direction === 'Ingress') return undefined;
      continue;
    }
    if (selected.has(other.index)) continue;
    const w = other.workload;
    const labels = identityLabels(w);
    if (Object.keys(labels).length === 0) return undefined;
    if (w.namespace !== ns && w.sources.every((src) => readMeta(src).namespace === undefined)) return undefined;
    const key = `${w.namespace}/${labelText(labels)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const podSelector = { matchLabels: { ...labels } };
    peers.push(w.namespace === ns ? { podSelector } : { namespaceSelector: namespaceSelectorFor(w.namespace), podSelector });
    names.push(`${w.namespace === ns ? w.name : `${w.namespace}/${w.name}`} (${f.what})`);
  }
  if (peers.length === 0) return undefined;
  const shown = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return { what: `the evidenced ${direction === 'Ingress' ? 'callers' : 'destinations'}: ${shown}`, peers };
}

function ingressList(ctx: WorldFixContext): YAMLSeq | undefined {
  const r = ctx.object.reader;
  return r.seq(r.get(r.map(r.get(ctx.object.map, 'spec')), 'ingress'));
}

function allowsPort53(ports: readonly PolicyPort[] | undefined): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => p.port === undefined || p.port === 53 || (typeof p.port === 'number' && p.endPort !== undefined && p.port <= 53 && 53 <= p.endPort));
}

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

/** Whether pods the policy selects serve the API server on a port the rule admits. */
function servesApiServer(ctx: WorldFixContext, compiled: CompiledPolicy | undefined, ports: readonly PolicyPort[] | undefined): boolean {
  if (!compiled) return false;
  const served = apiServerPorts(ctx.analysis.reach);
  return compiled.selected.some((c) =>
    (served.get(c) ?? []).some((s) => ports === undefined || ports.some((p) => p.protocol === s.protocol && (p.port === undefined || p.port === s.port || typeof p.port === 'string' || (typeof p.port === 'number' && p.endPort !== undefined && p.port <= s.port && s.port <= p.endPort)))),
  );
}
