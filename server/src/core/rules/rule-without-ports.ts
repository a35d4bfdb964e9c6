import type { ContainerPort, NetworkPolicy, Peer } from '../model/types';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import { selectorMatches } from '../reach/selectors';
import type { CompiledPolicy } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import type { PolicyAst, PolicyRuleAst } from '../lint/policy-ast';
import { effectiveRules, flowYaml, peersKeyOf, summarize } from './support/isolation';
import { propose } from '../lint/fix';
import { pairOf } from '../yaml/nodes';
import type { YValue } from '../yaml/render';
import { portEntries, portsText } from './support/fix';
import type { WorkspaceRule, WorldFixContext } from './types';
import { evidenceOf, evidenceOptionsOf } from '../analysis/evidence';
import { DEFAULT_INGRESS_CONTROLLER } from '../k8s/cluster';

/** The rule without ports: its mapping, direction and position. */
interface Data {
  readonly rule: PolicyRuleAst;
}

export const ruleWithoutPorts: WorkspaceRule<Data> = {
  meta: {
    id: 'rule-without-ports',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'A rule with peers but without ports opens every port and protocol to those peers.',
    fix: 'unsafe',
  },
  checkPolicyInWorld(ast, ctx, report) {
    // The rules with peers but without ports (from the YAML alone, once per policy).
    const open = ast.memo('rule-without-ports', rulesWithoutPorts);
    if (open.length === 0) return;
    const { reach } = ctx.analysis;
    const r = ast.reader;
    for (const { rule, key } of open) {
      const declared = destinationPorts(reach, ctx.compiled, rule.direction, rule.index);
      // An egress rule whose destinations include the cluster DNS: the example keeps 53 (UDP and
      // TCP), or following it would cut DNS (k8spatterns' egress to every pod of the cluster).
      const dns = rule.direction === 'Egress' && ctx.policy !== undefined && reachesDns(ctx.policy.egress[rule.index]?.peers ?? [], ctx.policy.namespace, ctx.options.dns);
      const first = declared.slice(0, 1).map((p) => ({ port: p.port, protocol: p.protocol }));
      const dnsPorts = dns ? [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] : [];
      const example = declared.length > 0 || dns ? flowYaml([...first, ...dnsPorts]) : '[{port: <port>, protocol: TCP}]';
      const hint =
        declared.length > 0
          ? ` (the ${rule.direction === 'Ingress' ? 'selected pods' : 'destination pods'} declare containerPorts ${summarize(declared.map((p) => `${p.protocol} ${p.port}`), 6)})`
          : '';
      const who = rule.direction === 'Ingress' ? 'sources' : 'destinations';
      report({
        message:
          `This ${rule.direction.toLowerCase()} rule lists ${who} but no ports, so every port and protocol is open between them and the selected pods. ` +
          `Add the ports that are needed${hint}, e.g. ports: ${example}${dns ? ' (these destinations include the cluster DNS: keep 53 over UDP and TCP)' : ''}.`,
        span: r.span(r.pair(rule.node, key)?.key),
        path: `${rule.path}.${key}`,
        data: { rule },
      });
    }
  },
  /**
   * Adds `ports:` with the container ports of the pods on the receiving end, by name where
   * they are named: the selected pods (ingress) or the rule's destination pods (egress).
   * Only where the workspace knows those pods: every selected pod declares its ports
   * (ingress); every peer is a selector whose pods are in the workspace and declare their
   * ports, in namespaces it names (egress). A peer that is the cluster DNS keeps 53 UDP and
   * TCP. Otherwise the ports would close what the analysis cannot see: no such fix.
   * First, when the evidence shows flows between the rule's peers and the selected pods,
   * exactly their ports (least privilege; the fix engine re-checks what it closes).
   */
  fix({ rule }, ctx) {
    const ruleMap = rule.node;
    const peersPair = pairOf(ruleMap, rule.direction === 'Ingress' ? 'from' : 'to');
    const found = ctx.policy();
    const compiled = found?.compiled;
    if (!ruleMap || !peersPair || !found || !compiled) return [];
    const e = ctx.editor;
    const existing = pairOf(ruleMap, 'ports');
    const write = (entries: YValue[]) => (existing ? e.replacePair(ruleMap, existing, entries) : e.insertPairs(ruleMap, { ports: entries }, { after: peersPair }));
    // Least privilege first: the ports the evidence shows the rule's peers use.
    const evidenced = evidencedPorts(ctx, compiled, rule.direction, rule.index);
    const first = evidenced ? propose(`Add ports: ${portsText(evidenced.entries)} (the ports the evidence shows are used: ${evidenced.by})`, [write(evidenced.entries)], { preferred: true }) : [];
    const declaredFix = declaredPortsFix(ctx, found.policy, compiled, rule.direction, rule.index);
    if (!declaredFix || (evidenced && JSON.stringify(declaredFix.entries) === JSON.stringify(evidenced.entries))) return first;
    return [...first, ...propose(declaredFix.title, [write(declaredFix.entries)], { preferred: !evidenced })];
  },
};

/** The container ports of the pods on the receiving end as port entries, when the workspace knows every one of them. */
function declaredPortsFix(ctx: WorldFixContext, policy: NetworkPolicy, compiled: CompiledPolicy, direction: 'Ingress' | 'Egress', index: number): { title: string; entries: { port: number | string; protocol: string }[] } | undefined {
  const reach = ctx.analysis.reach;
  const declared: ContainerPort[] = [];
  if (direction === 'Ingress') {
    const classes = compiled.selected.map((c) => reach.classes[c]).filter((c) => !c.virtual);
    if (classes.length === 0 || classes.some((c) => c.ports.length === 0)) return undefined;
    for (const c of classes) declared.push(...c.ports);
  } else {
    const peers = policy.egress[index]?.peers ?? [];
    if (peers.length === 0) return undefined;
    for (const peer of peers) {
      const ports = knownPeerPorts(ctx, policy, peer);
      if (!ports) return undefined;
      declared.push(...ports);
    }
  }
  const entries = portEntries(declared);
  if (entries.length === 0) return undefined;
  const whose = direction === 'Ingress' ? 'the selected pods' : 'the destination pods';
  return { title: `Add ports: ${portsText(entries)} (the container ports of ${whose})`, entries };
}

/**
 * The ports of the evidenced flows between the rule's peers and the selected pods (by the
 * destination pods' port names where they name them), with the evidence in words;
 * undefined when the evidence shows none.
 */
function evidencedPorts(ctx: WorldFixContext, compiled: CompiledPolicy, direction: 'Ingress' | 'Egress', index: number): { entries: { port: number | string; protocol: string }[]; by: string } | undefined {
  const reach = ctx.analysis.reach;
  const compiledRule = direction === 'Ingress' ? compiled.ingress[index] : compiled.egress[index];
  if (!compiledRule) return undefined;
  const evidence = evidenceOf(ctx.analysis, evidenceOptionsOf({ ingressController: reach.options.ingressController ?? DEFAULT_INGRESS_CONTROLLER, dns: ctx.options.dns }, { dns: false }));
  const selected = new Set(compiled.selected);
  const ports: ContainerPort[] = [];
  const by: string[] = [];
  for (const f of evidence.flows) {
    const self = direction === 'Ingress' ? f.dst : f.src;
    const other = direction === 'Ingress' ? f.src : f.dst;
    if (self.type !== 'workload' || other.type !== 'workload') continue;
    if (!reach.table.workloadClasses[self.index].some((c) => selected.has(c))) continue;
    const peerClasses = reach.table.workloadClasses[other.index];
    if (!compiledRule.allPeers && !peerClasses.some((c) => compiledRule.classes.has(c))) continue;
    // The destination pods' name for the port, when they give it one.
    const dstClasses = reach.table.workloadClasses[f.dst.type === 'workload' ? f.dst.index : self.index];
    const named = dstClasses.flatMap((c) => reach.classes[c].ports).find((p) => p.port === f.port && p.protocol === f.protocol);
    ports.push(named ?? { port: f.port, protocol: f.protocol });
    if (!by.includes(f.what)) by.push(f.what);
  }
  const entries = portEntries(ports);
  if (entries.length === 0) return undefined;
  return { entries, by: by.length <= 2 ? by.join(', ') : `${by.slice(0, 2).join(', ')} and ${by.length - 2} more` };
}

const DNS_PORTS: readonly ContainerPort[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

/**
 * The ports of an egress peer's pods when the workspace knows them: a selector peer whose
 * namespaces are named (its own, or kubernetes.io/metadata.name) and whose pods there all
 * declare ports; the cluster DNS (53 UDP and TCP, in the workspace or not). Undefined for
 * an ipBlock, a namespace picked by other labels, or pods the workspace does not show.
 */
function knownPeerPorts(ctx: WorldFixContext, policy: NetworkPolicy, peer: Peer): readonly ContainerPort[] | undefined {
  if (peer.type !== 'selector' || (peer.podSelector && !peer.podSelector.valid)) return undefined;
  const { dns } = ctx.options;
  let namespaces: string[];
  if (!peer.namespaceSelector) namespaces = [policy.namespace];
  else {
    const ml = peer.namespaceSelector.matchLabels;
    const keys = Object.keys(ml);
    if (peer.namespaceSelector.matchExpressions.length > 0 || keys.length !== 1 || keys[0] !== NAMESPACE_NAME_LABEL) return undefined;
    namespaces = [ml[NAMESPACE_NAME_LABEL]];
  }
  // The peer holds the DNS pods: 53 UDP and TCP stay open to them, declared or not.
  const dnsPods = namespaces.includes(dns.namespace) && (!peer.podSelector || selectorMatches(peer.podSelector, dns.labels));
  const classes = ctx.analysis.reach.classes.filter((c) => !c.virtual && namespaces.includes(c.namespace) && (!peer.podSelector || selectorMatches(peer.podSelector, c.labels)));
  // Only DNS pods, named by a podSelector: nothing else there to know.
  if (classes.length === 0) return dnsPods && peer.podSelector ? DNS_PORTS : undefined;
  if (classes.some((c) => c.ports.length === 0)) return undefined;
  return [...classes.flatMap((c) => c.ports), ...(dnsPods ? DNS_PORTS : [])];
}

/**
 * Whether an egress rule's peers may include the cluster DNS pods (the options' namespace and
 * labels): a namespaceSelector that is empty or names that namespace, or none in the policy's
 * own namespace when that is the DNS namespace, with a podSelector that is absent, empty or
 * matches the DNS labels.
 */
function reachesDns(peers: readonly Peer[], policyNamespace: string, dns: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> }): boolean {
  const dnsNamespace = { [NAMESPACE_NAME_LABEL]: dns.namespace };
  return peers.some((peer) => {
    if (peer.type !== 'selector') return false;
    const ns = peer.namespaceSelector;
    const inNamespace = ns ? ns.valid && Object.keys(ns.matchLabels).every((k) => k === NAMESPACE_NAME_LABEL) && ns.matchExpressions.length === 0 && selectorMatches(ns, dnsNamespace) : policyNamespace === dns.namespace;
    return inNamespace && (!peer.podSelector || selectorMatches(peer.podSelector, dns.labels));
  });
}

function rulesWithoutPorts(ast: PolicyAst): { rule: PolicyRuleAst; key: 'from' | 'to' }[] {
  const r = ast.reader;
  const out: { rule: PolicyRuleAst; key: 'from' | 'to' }[] = [];
  for (const rule of effectiveRules(ast)) {
    if (!rule.node) continue;
    const key = peersKeyOf(rule.direction);
    // Without peers it is allow-all-peers' finding; with ports, nothing to say.
    if (r.items(r.get(rule.node, key)).length === 0 || r.items(r.get(rule.node, 'ports')).length > 0) continue;
    out.push({ rule, key });
  }
  return out;
}

/**
 * The container ports of the pods on the receiving end of a rule: the policy's selected
 * pods for ingress, the rule's peer pods for egress. Ports are a hint, not a limit: a
 * pod may listen on ports it does not declare.
 */
function destinationPorts(reach: Reachability, compiled: CompiledPolicy | undefined, direction: 'Ingress' | 'Egress', ruleIndex: number): ContainerPort[] {
  if (!compiled) return [];
  const classes = direction === 'Ingress' ? compiled.selected : (compiled.egress[ruleIndex]?.classes.members ?? []);
  const seen = new Map<string, ContainerPort>();
  for (const c of classes) {
    const cls = reach.classes[c];
    if (cls.virtual) continue;
    for (const p of cls.ports) {
      const k = `${p.protocol}/${p.port}`;
      if (!seen.has(k)) seen.set(k, p);
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}
