import type { Analysis } from '../../analysis/analyze';
import type { NetworkPolicy, PolicyPort, PolicyRule, SelectorPeer, IpBlockPeer } from '../../model/types';
import { ConnSet, formatPorts, portRange } from '../../base/ports';
import { endpointName } from '../../reach/connections';
import { ipBlockSet, resolvePorts, type CompiledPolicy, type CompiledRule } from '../../reach/compile';
import type { PodClass } from '../../reach/classes';
import { selectorMatches } from '../../reach/selectors';
import { compiledPolicy, workloadName, workloadsOfClasses } from '../../reach/lookups';
import { capLines, code, plural, shortName, summarize, text } from './format';
import { parseIp, type IpSet } from '../../base/ip';
import { cniProfile } from '../../k8s/cni';

/** `ingress rule #1 of \`shop/web\`` (1-based, as `netpol explain` counts). */
function ruleTitle(policy: NetworkPolicy, rule: PolicyRule): string {
  return `${rule.direction.toLowerCase()} rule #${rule.index + 1} of ${code(`${policy.namespace}/${policy.name}`)}`;
}

/** Why the rules of a policy do nothing, if they do nothing. */
function inert(policy: NetworkPolicy, cp: CompiledPolicy | undefined, direction?: 'Ingress' | 'Egress'): string | undefined {
  if (policy.rejected.length > 0) return `The API server would reject this NetworkPolicy, so it is never applied (it isolates and allows nothing): ${text(policy.rejected[0])}`;
  if (!cp) return 'This NetworkPolicy is not part of the analysis.';
  if (direction && !policy.policyTypes.includes(direction)) return `policyTypes omits ${direction}: this rule has no effect.`;
  return undefined;
}

/** spec.podSelector (or the policy's kind/name): the workloads it selects. */
export function policySelectionHover(analysis: Analysis, policy: NetworkPolicy): string {
  const { reach, model } = analysis;
  const cp = compiledPolicy(reach, policy);
  const title = `**NetworkPolicy** ${code(`${policy.namespace}/${policy.name}`)}`;
  const why = inert(policy, cp);
  if (why || !cp) return `${title}\n\n${why}`;
  const selected = workloadsOfClasses(reach, cp.selected).map((i) => model.workloads[i]);
  const out = [title, ''];
  if (selected.length === 0) out.push(`Selects no workload in namespace ${code(policy.namespace)}.`);
  else out.push(`Selects ${plural(selected.length, 'workload')} in namespace ${code(policy.namespace)}: ${summarize(selected.map((w) => code(shortName(w))))}`);
  out.push('', `Isolates ${selected.length === 1 ? 'it' : 'them'} for ${policy.policyTypes.join(' and ')}.`);
  return out.join('\n');
}

function compiledRule(cp: CompiledPolicy | undefined, rule: PolicyRule): CompiledRule | undefined {
  return (rule.direction === 'Ingress' ? cp?.ingress : cp?.egress)?.find((r) => r.rule === rule);
}

/** A peer of a rule: the workloads (by namespace) and namespaces a selector peer matches, or an ipBlock's ranges. */
export function peerHover(analysis: Analysis, policy: NetworkPolicy, rule: PolicyRule, peerIndex: number): string | undefined {
  const peer = rule.peers?.[peerIndex];
  if (!peer) return undefined;
  const { reach, model } = analysis;
  const cp = compiledPolicy(reach, policy);
  const where = ruleTitle(policy, rule);
  if (peer.type === 'ipBlock') return ipBlockHover(analysis, where, rule, peer, compiledRule(cp, rule));
  const title = `**Peer** ${code(`${rule.direction === 'Ingress' ? 'from' : 'to'}[${peerIndex}]`)} of ${where}`;
  const why = inert(policy, cp, rule.direction);
  const cr = compiledRule(cp, rule);
  if (why || !cr) return `${title}\n\n${why ?? 'This rule is not part of the analysis.'}`;
  if (!peer.podSelector && !peer.namespaceSelector) return `${title}\n\nAn empty peer is rejected by the API server: it matches nothing.`;
  const { classes, namespaces } = peerMatch(analysis, policy, cr, peer);
  const workloads = workloadsOfClasses(reach, classes).map((i) => model.workloads[i]);
  const controller = classes.includes(reach.ingressControllerClass);
  const out = [title, ''];
  const nsCount = new Set(workloads.map((w) => w.namespace)).size;
  if (workloads.length > 0) out.push(`Matches ${plural(workloads.length, 'workload')} in ${plural(nsCount, 'namespace')}:`);
  else out.push(controller ? 'Matches no workload.' : 'Matches no workload (and not the ingress controller).');
  const byNs = new Map<string, string[]>();
  for (const w of workloads) byNs.set(w.namespace, [...(byNs.get(w.namespace) ?? []), code(shortName(w))]);
  const lines = [...byNs].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([ns, names]) => `- ${code(ns)}: ${summarize(names)}`);
  if (lines.length > 0) out.push('', ...capLines(lines, (n) => `- and ${plural(n, 'more namespace')}`));
  if (controller) out.push('', `Matches the ingress controller ${code('{ingress-controller}')}.`);
  const nsText = peer.namespaceSelector ? (namespaces.length === 0 ? 'none' : summarize(namespaces.map(code), 10)) : `${code(policy.namespace)} (the policy's own)`;
  out.push('', `Namespaces: ${nsText}`);
  return out.join('\n');
}

/**
 * The classes one selector peer matches: the members of its compiled rule (the core's
 * peer evaluation, hostNetwork mode included) that this peer's selectors select.
 */
function peerMatch(analysis: Analysis, policy: NetworkPolicy, rule: CompiledRule, peer: SelectorPeer): { classes: number[]; namespaces: string[] } {
  const { reach } = analysis;
  const nsSel = peer.namespaceSelector;
  const inNs = (name: string) => (nsSel ? selectorMatches(nsSel, reach.table.namespaces.get(name)?.labels ?? {}) : name === policy.namespace);
  // A hostNetwork pod that a sibling ipBlock matches by its node address is not one the
  // selectors match (--host-network node).
  const byNode = reach.options.hostNetwork !== 'pod';
  const classes = rule.classes.members.filter((c) => {
    const cls = reach.table.classes[c];
    return !(byNode && cls.hostNetwork) && inNs(cls.namespace) && (!peer.podSelector || selectorMatches(peer.podSelector, cls.labels));
  });
  // The table's namespaces: the workspace's, and the one the ingress controller runs in.
  const namespaces = nsSel ? [...reach.table.namespaces.keys()].filter(inNs).sort() : [policy.namespace];
  return { classes, namespaces };
}

function ipBlockHover(analysis: Analysis, where: string, rule: PolicyRule, peer: IpBlockPeer, cr: CompiledRule | undefined): string {
  const except = peer.except.length > 0 ? ` except ${summarize(peer.except.map(code))}` : '';
  const title = `**Peer** ipBlock ${code(peer.cidr)}${except} of ${where}`;
  const set = ipBlockSet(peer.cidr, peer.except);
  if (!set) return `${title}\n\nThe CIDR is invalid: the API server rejects the policy.`;
  const { reach, model } = analysis;
  const ranges = rule.direction === 'Ingress' ? reach.sourceRanges : reach.destinationRanges;
  const covered = ranges.filter((r) => r.family === set.family && set.containsRange(r.start, r.end)).map((range) => `- ${code(endpointName({ type: 'ip', range }))}`);
  const out = [title, '', 'Matches addresses outside the cluster:', '', ...capLines(covered, (n) => `- and ${plural(n, 'more address range')}`)];
  // The pods of known address (status.podIP, a hostNetwork pod's hostIP) in the block:
  // matched when the CNI profile says this direction's ipBlocks match pods.
  const profile = cniProfile(reach.options.cni);
  const within = reach.table.classes.filter((c) => c.ips?.some((ip) => inSet(set, ip))).map((c) => c.id);
  if (within.length === 0) {
    out.push('', 'No pod of the workspace has a known address (status.podIP) in it: pods are matched by selectors.');
    return out.join('\n');
  }
  // What the engine decided: the compiled rule's members are the pods the profile lets it match.
  const matched = within.filter((c) => cr?.classes.has(c));
  const unmatched = within.filter((c) => !cr?.classes.has(c));
  const list = (ids: number[]) => capLines(workloadsOfClasses(reach, ids).map((i) => `- ${code(workloadName(model.workloads[i]))}`), (n) => `- and ${plural(n, 'more workload')}`);
  if (matched.length > 0) out.push('', `Matches pods by their address (status.podIP; a hostNetwork pod's node address), under ${profile.title}:`, '', ...list(matched));
  if (unmatched.length > 0) out.push('', `Holds the address of pods that ${profile.title} does not match by ipBlock in ${rule.direction.toLowerCase()} rules:`, '', ...list(unmatched));
  return out.join('\n');
}

function inSet(set: IpSet, text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && ip.family === set.family && set.containsRange(ip.value, ip.value);
}

/** A port of a rule: what it resolves to on each selected (ingress) or destination (egress) pod. */
export function portHover(analysis: Analysis, policy: NetworkPolicy, rule: PolicyRule, portIndex: number): string | undefined {
  const port = rule.ports?.[portIndex];
  if (!port) return undefined;
  const { reach, model } = analysis;
  const cp = compiledPolicy(reach, policy);
  const what = port.port === undefined ? `all ${port.protocol} ports` : typeof port.port === 'number' ? `${port.protocol} ${formatPorts(numericRange(port))}` : `${code(port.port)} (${port.protocol})`;
  const profile = cniProfile(analysis.reach.options.cni);
  const endPort = profile.endPort;
  const title = `**Port** ${what} of ${ruleTitle(policy, rule)}`;
  if (port.port === '') return `${title}\n\nThe protocol is invalid: the API server rejects the policy.`;
  const why = inert(policy, cp, rule.direction);
  const cr = compiledRule(cp, rule);
  if (why || !cp || !cr) return `${title}\n\n${why ?? 'This rule is not part of the analysis.'}`;
  const ingress = rule.direction === 'Ingress';
  const classes = ingress ? cp.selected : cr.allPeers ? reach.table.classes.filter((c) => !c.virtual).map((c) => c.id) : cr.classes.members.filter((c) => !reach.table.classes[c].virtual);
  const inScope = new Set(classes);
  const lines: string[] = [];
  for (const wi of workloadsOfClasses(reach, classes)) {
    const texts = new Set<string>();
    for (const c of reach.table.workloadClasses[wi]) if (inScope.has(c)) texts.add(resolveOn(port, reach.table.classes[c], endPort));
    lines.push(`- ${code(workloadName(model.workloads[wi]))}: ${[...texts].join('; ')}`);
  }
  const out = [title, ''];
  // What the CNI profile does to this entry (k8s/cni.ts): the verdicts read it the same way.
  if (typeof port.port === 'number' && port.endPort !== undefined && port.endPort > port.port && !endPort) {
    out.push(`${profile.title} (the ${profile.name} profile) ignores endPort: this entry covers ${port.protocol} ${port.port} only.`, '');
  }
  if (port.protocol === 'SCTP' && !profile.sctp) out.push(`${profile.title} (the ${profile.name} profile) does not support SCTP in NetworkPolicies: this entry allows nothing.`, '');
  out.push(lines.length === 0 ? (ingress ? 'The policy selects no pod.' : 'No destination pod.') : ingress ? 'On the selected pods:' : 'On the destination pods:');
  if (lines.length > 0) out.push('', ...capLines(lines, (n) => `- and ${plural(n, 'more workload')}`, 10));
  if (!ingress && (cr.allPeers || cr.ips.size > 0)) {
    const outside =
      port.port === undefined ? `all ${port.protocol} ports` : typeof port.port === 'number' ? `${port.protocol} ${formatPorts(numericRange(port, endPort))}` : 'nothing (named ports never match outside the cluster)';
    out.push('', `Outside the cluster: ${outside}`);
  }
  return out.join('\n');
}

/** A numeric port entry's range; a single port when the CNI profile ignores endPort (as the verdicts read it). */
function numericRange(p: PolicyPort, endPort = true): readonly number[] {
  const start = p.port as number;
  return portRange(start, endPort && p.endPort !== undefined && p.endPort >= start ? p.endPort : start);
}

/** What one policy port means on one pod class, through the core's port resolution. */
function resolveOn(port: PolicyPort, cls: PodClass, endPort: boolean): string {
  if (port.port === undefined) return `all ${port.protocol} ports`;
  if (typeof port.port === 'string') {
    const conn = resolvePorts({ fixed: ConnSet.NONE, named: [{ name: port.port, protocol: port.protocol }] }, cls);
    if (conn.isEmpty()) return `nothing: no ${port.protocol} container port named ${code(port.port)}`;
    return conn.toString();
  }
  const range = numericRange(port, endPort);
  const text = `${port.protocol} ${formatPorts(range)}`;
  const declared = cls.ports.filter((cp) => cp.protocol === port.protocol && cp.port >= range[0] && cp.port <= range[1]);
  if (declared.length === 0) return `${text}: no container declares it`;
  if (range[0] === range[1]) return `${text} (container port${declared[0].name ? ` ${code(declared[0].name)}` : ''})`;
  return `${text} (container ports ${declared.map((d) => (d.name ? `${d.port} ${code(d.name)}` : `${d.port}`)).join(', ')})`;
}
