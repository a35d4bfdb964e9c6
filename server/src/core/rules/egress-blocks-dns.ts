import type { ContainerPort, LabelSelector, NetworkPolicy, Peer, Workload } from '../model/types';
import { IpSet, parseCidr, parseIp, type Cidr } from '../base/ip';
import { ConnSet } from '../base/ports';
import type { PodClass } from '../reach/classes';
import { ipBlockSet, resolvePorts, type CompiledPolicy, type CompiledRule } from '../reach/compile';
import { isEmptySelector, selectorMatches } from '../reach/selectors';
import type { Reachability } from '../reach/engine';
import type { RuleOptions } from './types';
import { flowYaml, formatLabels, formatSelector, hostNetworkMode, summarize, valueOrKeySpan, workloadLabel } from './support/isolation';
import { perWorld } from './support/world-cache';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import { hasOwn } from '../base/own';
import { propose, type FixProposal } from '../lint/fix';
import type { YValue } from '../yaml/render';
import { asMap, asSeq, pairOf } from '../yaml/nodes';
import { dnsEgressRule, freePolicyName } from './support/fix';
import type { WorkspaceRule } from './types';
import { bundleOf } from '../model/bundles';
import { foreignPoliciesNote } from './support/foreign-policies';

/** The policy whose egress rules leave out the DNS. */
interface Data {
  readonly policy: NetworkPolicy;
}

/** CoreDNS / kube-dns container ports, so named-port rules (`port: dns`) resolve on a modelled DNS pod. */
const DNS_PORTS: readonly ContainerPort[] = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
];

/**
 * Private IPv4 space (RFC 1918), where pod and Service addresses normally are. Whether
 * an ipBlock matches pod traffic is CNI-dependent, so for an ipBlock over it, "DNS will
 * fail" would be a guess.
 */
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']
  .map((t) => parseCidr(t) as Cidr)
  .reduce((set, c) => set.union(IpSet.fromCidr(c)), IpSet.empty(4));
/** NodeLocal DNSCache's default address, inside the link-local range. */
const NODE_LOCAL_DNS = parseIp('169.254.20.10')!.value;
const LINK_LOCAL = parseCidr('169.254.0.0/16') as Cidr;

export const egressBlocksDns: WorkspaceRule<Data> = {
  meta: {
    id: 'egress-blocks-dns',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'Egress isolation without a rule to the cluster DNS on UDP and TCP port 53: DNS lookups fail.',
    fix: 'unsafe',
  },
  check(ctx) {
    const { model, reach } = ctx.analysis;
    const { dns } = ctx.options;
    // What each policy allows to the DNS, and who uses it, depend on the world and the
    // DNS options: worked out once per world, per policy and per class.
    const world = perWorld(reach, `egress-blocks-dns\u0000${JSON.stringify(dns)}`, () => dnsWorld(reach, dns));
    const { isDnsClass } = world;

    /** DNS allowed by a policy's egress rules; `cache`: only through a broad ipBlock over NodeLocal DNSCache's address. */
    const dnsConnOf = (p: CompiledPolicy): PolicyDns => {
      let out = world.byPolicy.get(p.policy);
      if (out) return out;
      let conn = ConnSet.NONE;
      let cache = ConnSet.NONE;
      const assumed: string[] = [];
      for (const r of p.egress) {
        // Named ports (`port: dns`) resolve on the DNS pod, as for any destination.
        for (const d of world.dnsTargetsOf(p.policy, r)) conn = conn.union(resolvePorts(r.ports, d));
        for (const a of world.assumedLabels(r) ?? []) if (!assumed.includes(a)) assumed.push(a);
        if (ipBlockPath(r) === 'cache') cache = cache.union(resolvePorts(r.ports, undefined));
      }
      world.byPolicy.set(p.policy, (out = { conn, cache, assumed }));
      return out;
    };

    const usersOf = (c: PodClass): number[] => {
      let users = world.users.get(c.id);
      if (!users) world.users.set(c.id, (users = c.workloads.filter((wi) => usesClusterDns(model.workloads[wi]))));
      return users;
    };

    // Per policy that isolates a class which then cannot reach DNS: the workloads and what they miss.
    // `admits`: some policy selecting an affected class admits some egress (else the pods may send nothing at all).
    const affected = new Map<CompiledPolicy, { workloads: Set<number>; udp: boolean; tcp: boolean; cache: boolean; assumed: Set<string>; admits: boolean }>();
    for (const c of reach.classes) {
      const policies = reach.compiled.egressOf[c.id];
      // The DNS server itself resolves through its upstream, not through itself.
      if (c.workloads.length === 0 || policies.length === 0 || isDnsClass.has(c.id)) continue;
      let got = world.byClass.get(c.id);
      if (got === undefined || got.list !== policies || got.tiers !== reach.tiers) {
        let conn = ConnSet.NONE;
        let cache = ConnSet.NONE;
        const assumed: string[] = [];
        for (const p of policies) {
          const d = dnsConnOf(p);
          conn = conn.union(d.conn);
          cache = cache.union(d.cache);
          for (const a of d.assumed) if (!assumed.includes(a)) assumed.push(a);
        }
        // Cluster-level policies decide before (Admin) or instead of (Pass) the NetworkPolicies:
        // what the DNS pods get is then the engine's verdict through every tier. Without DNS
        // pods in the workspace there is no pod to ask the tiers about: the NetworkPolicies' answer stands.
        if (reach.hasClusterEgress(c.id) && isDnsClass.size > 0) {
          conn = ConnSet.NONE;
          for (const d of isDnsClass) conn = conn.union(reach.egressToClass(c.id, d));
        }
        const udp = conn.allows('UDP', 53);
        const tcp = conn.allows('TCP', 53);
        // Would a node-local cache make up for what is missing?
        const viaCache = (udp || cache.allows('UDP', 53)) && (tcp || cache.allows('TCP', 53));
        world.byClass.set(c.id, (got = { list: policies, tiers: reach.tiers, udp, tcp, viaCache, assumed }));
      }
      const { udp, tcp, viaCache } = got;
      if (udp && tcp) continue;
      const users = usersOf(c);
      if (users.length === 0) continue;
      // DNS half admitted (UDP without TCP, or the reverse): the gap is in the policies whose
      // rules admit it, where the missing half goes; a deny beside them has nothing to add
      // (eks-network-policy-examples: the deny step and the UDP-only DNS step select one pod).
      const admitsDns = (p: CompiledPolicy) => {
        const { conn } = dnsConnOf(p);
        return conn.allows('UDP', 53) || conn.allows('TCP', 53);
      };
      const partial = udp || tcp ? policies.filter(admitsDns) : [];
      // Policies that admit no egress at all (and no cluster tier that may) to pods that still
      // serve (some ingress admitted): a server that may send nothing, by the policies' own
      // words. Pods that may neither send nor receive are more likely a mistake: not this case.
      // (Serving: a policy isolates them for ingress and admits something. Pods merely left open
      // for ingress are no such statement: a namespace's egress default deny that forgot DNS.)
      const serves = reach.compiled.ingressOf[c.id].some((p) => p.ingress.length > 0);
      const admits = !serves || reach.hasClusterEgress(c.id) || policies.some((p) => p.egress.length > 0);
      for (const p of partial.length > 0 ? partial : policies) {
        let a = affected.get(p);
        if (!a) affected.set(p, (a = { workloads: new Set(), udp: false, tcp: false, cache: false, assumed: new Set(), admits: false }));
        a.admits ||= admits;
        for (const w of users) a.workloads.add(w);
        for (const x of got.assumed) a.assumed.add(x);
        a.udp ||= !udp;
        a.tcp ||= !tcp;
        a.cache ||= viaCache;
      }
    }

    // Policies that select no workload declared here (a workspace of policies only, pods
    // deployed from elsewhere): what the policy admits decides for every pod it selects,
    // unless a policy that selects all of them too admits DNS.
    const undeclared = new Set<CompiledPolicy>();
    /** Of those, the deny-alls of namespaces that no policy opens (see `seals`). */
    const sealed = new Set<CompiledPolicy>();
    /**
     * Of those, the ones whose selector matches hostNetwork workloads of the workspace, which
     * policies do not isolate under `--host-network node` (so they select "no workload"): the
     * workloads, so the finding names them instead of calling the namespace empty
     * (cluster-network-operator's default-deny beside its hostNetwork operator).
     */
    const onHost = new Map<CompiledPolicy, number[]>();
    const mode = hostNetworkMode(reach);
    // The hostNetwork classes, found once (most workspaces have few): each policy above looks only at them.
    let hostClasses: typeof reach.classes | undefined;
    const dnsSelector: LabelSelector = { matchLabels: dns.labels, matchExpressions: [], valid: true };
    for (const p of reach.compiled.policies) {
      const policy = p.policy;
      if (affected.has(p) || policy.rejected.length > 0 || !policy.policyTypes.includes('Egress')) continue;
      if (p.selected.some((id) => reach.classes[id].workloads.length > 0)) continue;
      // The DNS server resolves through its upstream.
      if (policy.namespace === dns.namespace && selectorsOverlap(policy.podSelector, dnsSelector)) continue;
      let conn = ConnSet.NONE;
      let cache = ConnSet.NONE;
      const assumed = new Set<string>();
      for (const q of reach.compiled.policies) {
        if (q !== p && (q.policy.namespace !== policy.namespace || q.policy.rejected.length > 0 || !q.policy.policyTypes.includes('Egress') || !covers(q.policy.podSelector, policy.podSelector))) continue;
        const d = dnsConnOf(q);
        conn = conn.union(d.conn);
        cache = cache.union(d.cache);
        for (const a of d.assumed) assumed.add(a);
      }
      const udp = conn.allows('UDP', 53);
      const tcp = conn.allows('TCP', 53);
      if (udp && tcp) continue;
      const viaCache = (udp || cache.allows('UDP', 53)) && (tcp || cache.allows('TCP', 53));
      affected.set(p, { workloads: new Set(), udp: !udp, tcp: !tcp, cache: viaCache, assumed, admits: true });
      undeclared.add(p);
      if (seals(policy, reach.compiled.policies)) sealed.add(p);
      if (mode !== 'node') continue;
      hostClasses ??= reach.classes.filter((c) => !c.virtual && c.hostNetwork);
      const hosted = hostClasses.filter((c) => c.namespace === policy.namespace && selectorMatches(policy.podSelector, c.labels)).flatMap((c) => c.workloads);
      if (hosted.length > 0) onHost.set(p, [...new Set(hosted)].sort((x, y) => x - y));
    }

    const where = `pods ${formatLabels(dns.labels)} in namespace ${dns.namespace}`;
    const fixRule = flowYaml({
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dns.namespace } }, podSelector: { matchLabels: dns.labels } }],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    });
    /**
     * A policy that sets no namespace, outside a bundle installed with -n as a whole, goes
     * wherever kubectl points: its namespace here is an assumption. The namespaces of the
     * workspace where the policies there would admit DNS for every pod it would select
     * (eks-workshop's default-deny.yaml, applied with -n ui beside ui/allow-ui-egress), with
     * the policies that admit it. None: what it blocks holds wherever it goes.
     */
    let classesByNamespace: Map<string, PodClass[]> | undefined;
    let egressByNamespace: Map<string, CompiledPolicy[]> | undefined;
    const admittedElsewhere = (p: CompiledPolicy): { namespace: string; by: string[] }[] => {
      const policy = p.policy;
      if (!policy.defaultedNamespace || !policy.source || model.namespacelessBundles.has(bundleOf(policy.source.span.file))) return [];
      if (!classesByNamespace) {
        classesByNamespace = new Map();
        for (const c of reach.classes) {
          if (c.virtual || c.workloads.length === 0 || isDnsClass.has(c.id)) continue;
          const list = classesByNamespace.get(c.namespace);
          if (list) list.push(c);
          else classesByNamespace.set(c.namespace, [c]);
        }
        egressByNamespace = new Map();
        for (const q of reach.compiled.policies) {
          if (q.policy.rejected.length > 0 || !q.policy.policyTypes.includes('Egress')) continue;
          const list = egressByNamespace.get(q.policy.namespace);
          if (list) list.push(q);
          else egressByNamespace.set(q.policy.namespace, [q]);
        }
      }
      const own = dnsConnOf(p);
      const out: { namespace: string; by: string[] }[] = [];
      for (const ns of model.namespaces.keys()) {
        if (ns === policy.namespace) continue;
        const by = new Set<CompiledPolicy>();
        const classes = (classesByNamespace.get(ns) ?? []).filter((c) => selectorMatches(policy.podSelector, c.labels));
        if (classes.length > 0) {
          // The pods it would select there: each one that resolves through the cluster DNS must get it.
          let all = true;
          let judged = false;
          for (const c of classes) {
            if (usersOf(c).length === 0) continue;
            judged = true;
            let got = own.conn;
            for (const q of reach.compiled.egressOf[c.id]) {
              const d = dnsConnOf(q).conn;
              if (d.allows('UDP', 53) || d.allows('TCP', 53)) by.add(q);
              got = got.union(d);
            }
            if (reach.hasClusterEgress(c.id)) {
              got = ConnSet.NONE;
              for (const d of isDnsClass) got = got.union(reach.egressToClass(c.id, d));
            }
            if (!got.allows('UDP', 53) || !got.allows('TCP', 53)) all = false;
          }
          if (!judged || !all) continue;
        } else {
          // No workload there it would select: the policies there that select all it selects.
          let conn = own.conn;
          for (const q of egressByNamespace!.get(ns) ?? []) {
            if (!covers(q.policy.podSelector, policy.podSelector)) continue;
            const d = dnsConnOf(q).conn;
            if (d.allows('UDP', 53) || d.allows('TCP', 53)) by.add(q);
            conn = conn.union(d);
          }
          if (!conn.allows('UDP', 53) || !conn.allows('TCP', 53)) continue;
        }
        if (by.size > 0) out.push({ namespace: ns, by: [...by].sort((x, y) => x.index - y.index).map((q) => `${q.policy.namespace}/${q.policy.name}`) });
      }
      return out.sort((x, y) => (x.namespace < y.namespace ? -1 : x.namespace > y.namespace ? 1 : 0));
    };

    for (const [p, a] of [...affected].sort((x, y) => x[0].index - y[0].index)) {
      const names = [...a.workloads].sort((x, y) => x - y).map((wi) => workloadLabel(model.workloads[wi]));
      const who = undeclared.has(p)
        ? `the pods it selects (${isEmptySelector(p.policy.podSelector) ? 'every pod' : formatSelector(p.policy.podSelector)} in namespace ${p.policy.namespace}${p.policy.defaultedNamespace ? ', namespace not set' : ''}; no workload of this workspace, so wherever they are deployed)`
        : summarize(names);
      const them = names.length === 1 && !undeclared.has(p) ? 'it' : 'them';
      const rules = `the egress rules of the policies selecting ${them}`;
      const effect =
        a.udp && a.tcp
          ? `none of ${rules} allows port 53 (UDP or TCP) to the cluster DNS (${where}): DNS lookups will fail`
          : a.udp
            ? `${rules} allow TCP but not UDP port 53 to the cluster DNS (${where}): DNS lookups will fail, as resolvers ask over UDP first`
            : `${rules} allow UDP but not TCP port 53 to the cluster DNS (${where}): DNS lookups will fail whenever an answer is too large for UDP and the resolver retries over TCP`;
      const unless =
        (a.cache ? ' (unless the pods resolve through NodeLocal DNSCache at 169.254.20.10, which an ipBlock allows)' : '') +
        (a.assumed.size > 0
          ? ` (what is allowed takes the DNS namespace and pods to carry labels these manifests do not show, as the port-53 rules require: ${summarize([...a.assumed], 3)})`
          : '');
      const at = location(p.policy);
      if (!at) continue;
      const elsewhere = admittedElsewhere(p);
      if (elsewhere.length > 0) {
        // The verdict rests on the namespace it is applied into: said so, as info.
        const where = summarize(elsewhere.map((e) => `${e.namespace} (where ${summarize(e.by, 3)} admit${e.by.length === 1 ? 's' : ''} DNS for them)`), 3);
        ctx.report({
          message:
            `This policy sets no namespace, so which pods it isolates for egress, and whether they keep DNS, depend on the namespace it is applied into. ` +
            `Analysed in namespace ${p.policy.namespace} (an assumption), it isolates ${who}, and ${effect}${unless}. ` +
            `Applied into ${where}, the pods it selects there keep DNS. If it is meant for a namespace without such a policy, add an egress rule: - ${fixRule}.`,
          ...at,
          severity: 'info',
          data: { policy: p.policy },
        });
        continue;
      }
      const hosted = onHost.get(p);
      if (hosted) {
        // The workloads of the workspace it selects run on the host network, where policies do
        // not reach: they keep DNS, and the policy blocks it only for pod-network pods the
        // workspace does not hold. Said as info, naming them, with what to do if such pods come.
        const ns = p.policy.namespace;
        const one = hosted.length === 1;
        const host =
          `${summarize(hosted.map((wi) => workloadLabel(model.workloads[wi])))} ${one ? 'uses' : 'use'} hostNetwork, which NetworkPolicy does not isolate ` +
          `(${one ? 'its pods share' : 'their pods share'} the node's network; most network plugins, and this analysis by default, leave them out), so ${one ? 'it keeps' : 'they keep'} DNS`;
        const message = sealed.has(p)
          ? `This policy isolates every pod in namespace ${ns} for ingress and egress, and no NetworkPolicy of ${ns} admits anything: the namespace is sealed for pods on the pod network, ` +
            `and DNS (${where}) is blocked for them with everything else. The workloads of this workspace in ${ns} run on the host network: ${host}. ` +
            `If no pod on the pod network is meant to run in ${ns}, nothing is wrong. If such pods are to run there, allow what they need, DNS included: add an egress rule: - ${fixRule}.`
          : `This policy isolates the pods it selects (${isEmptySelector(p.policy.podSelector) ? 'every pod' : formatSelector(p.policy.podSelector)} in namespace ${ns}) for egress, and ${effect}${unless}. ` +
            `The workloads of this workspace it selects run on the host network: ${host}; DNS fails only for pods on the pod network it would select, none of them in this workspace. ` +
            `If it is meant for such pods, add an egress rule: - ${fixRule}.`;
        ctx.report({ message, ...at, severity: 'info', data: { policy: p.policy } });
        continue;
      }
      if (sealed.has(p)) {
        // A namespace closed both ways on purpose: DNS goes with everything else, and no pod
        // of the workspace runs there to need it. Said as info, with what to do if pods will.
        const ns = p.policy.namespace;
        ctx.report({
          message:
            `This policy isolates every pod in namespace ${ns} for ingress and egress, and no NetworkPolicy of ${ns} admits anything: the namespace is sealed, ` +
            `and DNS (${where}) is blocked with everything else. No workload of this workspace runs in ${ns}: if it is meant to stay empty ` +
            `(closed in case something is deployed into it), nothing is wrong. If pods are to run there, allow what they need, DNS included: add an egress rule: - ${fixRule}.`,
          ...at,
          severity: 'info',
          data: { policy: p.policy },
        });
        continue;
      }
      if (!a.admits && !undeclared.has(p)) {
        // The policies selecting these serving pods admit no egress at all: they may send nothing,
        // and DNS goes with everything else, as the policies say in so many words
        // (kubernetes-goof's deny-all cutting an exploited web app off). A posture, said as info;
        // a policy that admits some egress but not DNS stays a warning (what it admits by name fails).
        const one = a.workloads.size === 1;
        ctx.report({
          message:
            `This policy isolates ${who} for egress, and no policy selecting ${them} admits any egress: ${one ? 'it serves' : 'they serve'} what ${one ? 'its' : 'their'} ingress rules admit but may send nothing, DNS (${where}) included. ` +
            `If that is the intent (a server cut off from everything else), nothing is wrong. If ${one ? 'it is' : 'they are'} to reach anything, even by name, allow that, and DNS with it: add an egress rule: - ${fixRule}.` +
            foreignPoliciesNote(model, p.policy.namespace, 'allow some egress'),
          ...at,
          severity: 'info',
          data: { policy: p.policy },
        });
        continue;
      }
      // Another engine's policies (a Calico GlobalNetworkPolicy in a tier before the NetworkPolicies) may allow DNS: said, as info.
      const foreign = foreignPoliciesNote(model, p.policy.namespace, 'allow DNS before these NetworkPolicies are consulted (Calico tiers come first)');
      const message = `This policy isolates ${who} for egress, and ${foreign ? effect.replace('DNS lookups will fail', 'DNS lookups fail as far as the NetworkPolicies go') : effect}${unless}.${foreign} Add an egress rule: - ${fixRule}.`;
      ctx.report({ message, ...at, data: { policy: p.policy }, ...(foreign ? { severity: 'info' as const } : {}) });
    }
  },
  /**
   * Adds the egress rule to the cluster DNS (UDP and TCP 53 to the DNS pods, per the
   * rule options). A namespace's default-deny egress policy stays a deny: for it, the
   * preferred fix is a separate allow-dns policy beside it.
   */
  fix({ policy }, ctx) {
    const spec = asMap(pairOf(ctx.object.map, 'spec')?.value);
    if (!spec || spec.flow) return [];
    const e = ctx.editor;
    const rule = dnsEgressRule(ctx);
    const { dns } = ctx.options;
    const where = `${Object.entries(dns.labels).map(([k, v]) => `${k}=${v}`).join(', ')} in ${dns.namespace}`;
    const egressPair = pairOf(spec, 'egress');
    const rules = asSeq(egressPair?.value);
    const hasRules = rules !== undefined && rules.items.length > 0;
    const add = hasRules ? e.appendItems(rules, [rule]) : egressPair ? e.replacePair(spec, egressPair, [rule]) : e.insertPairs(spec, { egress: [rule] });
    const defaultDeny = !hasRules && isEmptySelector(policy.podSelector);
    const out: FixProposal[] = [];
    if (defaultDeny) {
      const metadata = asMap(pairOf(ctx.object.map, 'metadata')?.value);
      const written = pairOf(metadata, 'namespace') !== undefined && !policy.defaultedNamespace;
      const name = freePolicyName(ctx, policy.namespace, 'allow-dns');
      const doc: { [key: string]: YValue } = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: written ? { name, namespace: policy.namespace } : { name },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [rule] },
      };
      out.push(...propose(`Add NetworkPolicy ${name} allowing DNS (UDP and TCP 53 to ${where})`, [e.insertDocumentsAfter(ctx.object.span.start, [doc])], { preferred: true }));
    }
    out.push(...propose(`Add an egress rule for DNS (UDP and TCP 53 to ${where})`, [add], { preferred: !defaultDeny }));
    return out;
  },
};

interface DnsWorld {
  /** The class ids of the DNS pods of the workspace. */
  readonly isDnsClass: ReadonlySet<number>;
  /** The DNS pods (one class each) that a rule lets the selected pods reach. */
  readonly dnsTargetsOf: (policy: NetworkPolicy, r: CompiledRule) => readonly PodClass[];
  /** The label requirements a rule reaches the modelled DNS pods by that the manifests do not show (asked after dnsTargetsOf). */
  readonly assumedLabels: (r: CompiledRule) => readonly string[] | undefined;
  /** DNS allowed per policy (the same model object compiles the same way in one world). */
  readonly byPolicy: WeakMap<NetworkPolicy, PolicyDns>;
  /** Class id -> its workloads that resolve through the cluster DNS. */
  readonly users: Map<number, number[]>;
  /**
   * Class id -> what DNS the class gets, with the policy list and tiers it was worked out
   * from: a keystroke in one policy changes the lists of the classes it selects only.
   */
  readonly byClass: Map<number, ClassDns>;
}

/** DNS over UDP and TCP for one class, and whether a NodeLocal DNSCache ipBlock would make up for what is missing. */
interface ClassDns {
  readonly list: readonly CompiledPolicy[];
  readonly tiers: object;
  readonly udp: boolean;
  readonly tcp: boolean;
  readonly viaCache: boolean;
  /** Labels of the DNS namespace and pods the verdict takes for granted (see peerMayMatchModelled). */
  readonly assumed: readonly string[];
}

/** What one policy's egress rules allow to the DNS (see dnsConnOf). */
interface PolicyDns {
  readonly conn: ConnSet;
  readonly cache: ConnSet;
  readonly assumed: readonly string[];
}

function dnsWorld(reach: Reachability, dns: RuleOptions['dns']): DnsWorld {
  const model = reach.model;
  const mode = hostNetworkMode(reach);
  const dnsSelector: LabelSelector = { matchLabels: dns.labels, matchExpressions: [], valid: true };
  // The DNS pods of the workspace that selectors can reach (hostNetwork ones, with `node`, cannot be).
  const dnsClasses = reach.classes.filter(
    (c) => !c.virtual && c.namespace === dns.namespace && selectorMatches(dnsSelector, c.labels) && !(mode === 'node' && c.hostNetwork),
  );
  const isDnsClass = new Set(dnsClasses.map((c) => c.id));
  // Without DNS pods in the workspace, one is modelled from the options.
  const modelled: PodClass = { id: -1, namespace: dns.namespace, labels: dns.labels, ports: DNS_PORTS, hostNetwork: false, workloads: [], virtual: true };
  const dnsNamespace = model.namespaces.get(dns.namespace);
  const dnsNamespaceLabels = dnsNamespace?.labels ?? { [NAMESPACE_NAME_LABEL]: dns.namespace };
  // What the manifests show of the DNS namespace's labels (all of them when it is declared,
  // else only the name label the API server sets) and of the modelled DNS pods' (the options').
  const knownNamespaceKeys = dnsNamespace?.declared ? undefined : new Set([NAMESPACE_NAME_LABEL]);
  const knownPodKeys = new Set(Object.keys(dns.labels));
  const assumed = new WeakMap<CompiledRule, string[]>();
  const dnsTargetsOf = (policy: NetworkPolicy, r: CompiledRule): readonly PodClass[] => {
    if (r.allPeers || ipBlockPath(r) === 'maybe') return [dnsClasses[0] ?? modelled];
    if (dnsClasses.length > 0) return dnsClasses.filter((d) => r.classes.has(d.id));
    // A rule that names port 53 is meant for the DNS: labels of the DNS namespace and pods that
    // the manifests do not show may be there (AKS labels kube-system and CoreDNS
    // kubernetes.io/cluster-service=true); labels they show must agree.
    const forDns = namesDnsPort(r);
    for (const peer of r.rule.peers ?? []) {
      if (peerMatchesModelled(policy, peer, dns.namespace, dnsNamespaceLabels, dns.labels)) return [modelled];
      if (!forDns) continue;
      const unknown = peerMayMatchModelled(policy, peer, dns.namespace, dnsNamespaceLabels, knownNamespaceKeys, dns.labels, knownPodKeys);
      if (unknown) {
        assumed.set(r, unknown);
        return [modelled];
      }
    }
    return [];
  };
  return { isDnsClass, dnsTargetsOf, assumedLabels: (r) => assumed.get(r), byPolicy: new WeakMap(), users: new Map(), byClass: new Map() };
}

/**
 * Whether a policy seals its namespace: a deny-all for both directions (every pod, no rules)
 * with a written namespace, where no other valid policy of that namespace has a rule either.
 * Nothing may come in or go out, so blocking DNS is part of what the namespace's policies
 * say, not an omission (openshift/console-operator's `openshift-console-user-settings`, which
 * runs no pods and is closed in case something is deployed there). An egress-only deny, or a
 * namespace where some policy admits traffic, is not sealed: pods there are meant to work.
 */
function seals(policy: NetworkPolicy, policies: readonly CompiledPolicy[]): boolean {
  const noRules = (q: NetworkPolicy): boolean => q.ingress.length === 0 && q.egress.length === 0;
  if (policy.defaultedNamespace || !isEmptySelector(policy.podSelector) || !noRules(policy)) return false;
  if (!policy.policyTypes.includes('Ingress') || !policy.policyTypes.includes('Egress')) return false;
  // A policy that sets no namespace is analysed there by assumption only: it does not open the namespace.
  return policies.every((q) => q.policy.namespace !== policy.namespace || q.policy.rejected.length > 0 || noRules(q.policy) || q.policy.defaultedNamespace);
}

/**
 * Whether a workload's pods resolve names through the cluster DNS: `dnsPolicy: Default`
 * (the node's resolver) and `None` (own dnsConfig) do not.
 */
function usesClusterDns(w: Workload): boolean {
  return w.sources.some((src) => {
    const r = src.reader;
    const path = src.kind === 'Pod' ? ['spec'] : src.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
    let node = r.map(src.map);
    for (const key of path) node = r.map(r.get(node, key));
    const policy = r.string(r.get(node, 'dnsPolicy'));
    return policy !== 'Default' && policy !== 'None';
  });
}

/** The policyTypes `Egress` entry when written, else the `egress` key. */
function location(policy: NetworkPolicy): { span: ReturnType<typeof valueOrKeySpan>; path: string } | undefined {
  const src = policy.source;
  if (!src) return undefined;
  const r = src.reader;
  const spec = r.map(r.get(src.map, 'spec'));
  const types = r.seq(r.get(spec, 'policyTypes'))?.items ?? [];
  for (let i = 0; i < types.length; i++) {
    if (r.string(types[i]) === 'Egress') return { span: r.span(r.resolve(types[i])), path: `spec.policyTypes[${i}]` };
  }
  return { span: r.span(r.pair(spec, 'egress')?.key), path: 'spec.egress' };
}

/**
 * What a rule's ipBlocks say about DNS. `maybe`: they may cover the DNS pods (private IPv4
 * space, any IPv6 block) or deliberately target a node-local cache (a link-local block
 * holding 169.254.20.10); `cache`: only a broad block that happens to hold 169.254.20.10.
 */
function ipBlockPath(r: CompiledRule): 'maybe' | 'cache' | 'none' {
  let out: 'cache' | 'none' = 'none';
  for (const peer of r.rule.peers ?? []) {
    if (peer.type !== 'ipBlock') continue;
    const set = ipBlockSet(peer.cidr, peer.except);
    if (!set || set.isEmpty()) continue;
    if (set.family === 6 || !set.intersect(PRIVATE_V4).isEmpty()) return 'maybe';
    if (!set.containsRange(NODE_LOCAL_DNS, NODE_LOCAL_DNS)) continue;
    const cidr = parseCidr(peer.cidr);
    if (!('error' in cidr) && cidr.family === 4 && cidr.prefix >= LINK_LOCAL.prefix && cidr.start >= LINK_LOCAL.start && cidr.end <= LINK_LOCAL.end) return 'maybe';
    out = 'cache';
  }
  return out;
}

/** Whether a selector peer matches the modelled DNS pod (same semantics as the compiler's peers). */
/** Whether a rule names DNS's port: 53 over UDP or TCP, or the CoreDNS port names. */
function namesDnsPort(r: CompiledRule): boolean {
  const fixed = r.ports.fixed;
  return (fixed !== ConnSet.ALL && (fixed.allows('UDP', 53) || fixed.allows('TCP', 53))) || r.ports.named.some((n) => n.name === 'dns' || n.name === 'dns-tcp');
}

/**
 * Whether a peer may select the modelled DNS pods once the labels the manifests do not show
 * are allowed any value: the requirements on unknown keys (`knownNamespaceKeys` undefined:
 * every key of the namespace is known) as text, or undefined when a known label rules it out
 * (or nothing was unknown: peerMatchesModelled answers that).
 */
function peerMayMatchModelled(
  policy: NetworkPolicy,
  peer: Peer,
  ns: string,
  nsLabels: Record<string, string>,
  knownNamespaceKeys: ReadonlySet<string> | undefined,
  labels: Record<string, string>,
  knownPodKeys: ReadonlySet<string>,
): string[] | undefined {
  if (peer.type !== 'selector' || (!peer.podSelector && !peer.namespaceSelector)) return undefined;
  const out: string[] = [];
  if (peer.namespaceSelector) {
    // `name: kube-system` is the classic slip for the automatic kubernetes.io/metadata.name label
    // (unknown-namespace-label says so): a label whose value is the namespace's name is not taken for granted.
    const unknown = unknownRequirements(peer.namespaceSelector, nsLabels, knownNamespaceKeys, ns);
    if (!unknown) return undefined;
    for (const u of unknown) out.push(`namespace ${ns}: ${u}`);
  } else if (policy.namespace !== ns) return undefined;
  if (peer.podSelector) {
    const unknown = unknownRequirements(peer.podSelector, labels, knownPodKeys);
    if (!unknown) return undefined;
    for (const u of unknown) out.push(`its DNS pods: ${u}`);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The selector's requirements on keys not known (as text) when every requirement on a known
 * key holds; undefined when one does not, or when an unknown label would have to carry the
 * value `notAssumed` (a namespace's name under another key than the automatic one).
 */
function unknownRequirements(sel: LabelSelector, labels: Record<string, string>, known: ReadonlySet<string> | undefined, notAssumed?: string): string[] | undefined {
  if (!sel.valid) return undefined;
  const out: string[] = [];
  const isKnown = (k: string) => known === undefined || known.has(k);
  for (const [k, v] of Object.entries(sel.matchLabels)) {
    if (isKnown(k)) {
      if (!hasOwn(labels, k) || labels[k] !== v) return undefined;
    } else if (v === notAssumed) {
      return undefined;
    } else out.push(`${k}=${v}`);
  }
  for (const e of sel.matchExpressions) {
    if (isKnown(e.key)) {
      if (!selectorMatches({ matchLabels: {}, matchExpressions: [e], valid: true }, labels)) return undefined;
    } else if (e.operator === 'In' && notAssumed !== undefined && e.values.includes(notAssumed)) {
      return undefined;
    } else out.push(`${e.key} ${e.operator}${e.values.length > 0 ? ` (${e.values.join(', ')})` : ''}`);
  }
  return out;
}

function peerMatchesModelled(policy: NetworkPolicy, peer: Peer, ns: string, nsLabels: Record<string, string>, labels: Record<string, string>): boolean {
  if (peer.type !== 'selector' || (!peer.podSelector && !peer.namespaceSelector)) return false;
  const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, nsLabels) : policy.namespace === ns;
  return nsOk && (!peer.podSelector || selectorMatches(peer.podSelector, labels));
}

/**
 * Whether `outer` selects every pod `inner` selects, as far as the selectors show: an
 * empty selector, or requirements that are a subset of inner's.
 */
function covers(outer: LabelSelector, inner: LabelSelector): boolean {
  if (!outer.valid) return false;
  if (isEmptySelector(outer)) return true;
  if (!inner.valid) return false;
  for (const [k, v] of Object.entries(outer.matchLabels)) if (!hasOwn(inner.matchLabels, k) || inner.matchLabels[k] !== v) return false;
  const innerExpressions = new Set(inner.matchExpressions.map((e) => JSON.stringify([e.key, e.operator, [...e.values].sort()])));
  return outer.matchExpressions.every((e) => innerExpressions.has(JSON.stringify([e.key, e.operator, [...e.values].sort()])));
}

/** Whether two selectors' matchLabels can both hold (expressions aside): the DNS pods may be among those selected. */
function selectorsOverlap(a: LabelSelector, b: LabelSelector): boolean {
  return Object.entries(a.matchLabels).every(([k, v]) => !hasOwn(b.matchLabels, k) || b.matchLabels[k] === v);
}
