import type { LabelSelector, PolicyRule, SelectorOperator, SelectorPeer } from '../model/types';
import { isAllPorts } from '../base/ports';
import type { CompiledRule, RulePorts } from '../reach/compile';
import { acceptedPolicy, modelRule, ruleEntries, type RuleEntry } from './support/traffic';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import type { WorkspaceRule } from './types';

/**
 * A rule is shadowed when another rule of the same policy and direction allows
 * everything it allows. The comparison does not depend on which pods exist (a
 * workspace rarely holds every pod of the cluster): selector peers are compared by
 * what their selectors require (if every requirement of B follows from A's, every pod
 * A matches, B matches too), ipBlocks as address sets, ports as port sets, named ports
 * by name and protocol. That is exact for what it reports and may miss a coverage
 * that only holds for the pods at hand — the conservative side.
 */
export const shadowedRule: WorkspaceRule = {
  meta: {
    id: 'shadowed-rule',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'A rule that allows nothing beyond another rule of the same policy and direction.',
  },
  // The comparison reads the policy alone (its namespace, for peers without a
  // namespaceSelector, may be the default namespace: an analysis option).
  policyScope: 'options',
  checkPolicyInWorld(ast, ctx, report) {
    const entry = acceptedPolicy(ast, ctx);
    if (!entry) return;
    const r = entry.ast.reader;
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules: Compared[] = [];
      for (const e of ruleEntries(entry)) {
        // A direction that policyTypes omits has no effect at all (another matter).
        if (e.ast.direction !== direction || !e.compiled) continue;
        const model = modelRule(entry.policy, direction, e.index);
        if (model) rules.push(compared(e, e.compiled, model, entry.policy.namespace));
      }
      const candidates = candidatesOf(rules);
      rules.forEach((a, i) => {
        const j = candidates(i).find((k) => k !== i && covers(rules[k], a) && (k < i || !covers(a, rules[k])));
        if (j === undefined) return;
        const b = rules[j];
        const node = a.entry.ast.node;
        if (!node) return;
        // The rule item spans lines; its first key (or a flow `{}`) marks it on one.
        const first = node.items[0]?.key;
        const span = r.span(first ?? node);
        const other = `${b.entry.ast.path} of this policy`;
        const dir = direction === 'Ingress' ? 'ingress' : 'egress';
        const message = covers(a, b)
          ? `This ${dir} rule allows exactly what ${other} allows: it is a duplicate. Remove it.`
          : `This ${dir} rule allows nothing beyond ${other} (every peer and port it allows, that rule allows too), so readers may take it for a restriction that does not exist. Remove it, or narrow ${b.entry.ast.path} if it was meant to be stricter.`;
        report({ message, span, path: a.entry.ast.path });
      });
    }
  },
};

/** Up to this many rules in a direction, every pair is compared. */
const MAX_PAIRWISE = 200;

/**
 * The rules (by index) that may cover rule i: every rule, in a direction of up to
 * MAX_PAIRWISE rules; past that, those with the same ports and those that allow every
 * port (each pair costs peers × peers, and 1,400 rules made 2 million pairs): a
 * coverage across different port lists is then missed, the conservative side.
 */
function candidatesOf(rules: readonly Compared[]): (i: number) => readonly number[] {
  const all = rules.map((_, k) => k);
  if (rules.length <= MAX_PAIRWISE) return () => all;
  const byPorts = new Map<string, number[]>();
  const everyPort: number[] = [];
  rules.forEach((r, k) => {
    const key = portsKey(r.compiled.ports);
    if (r.compiled.ports.fixed.isAll()) everyPort.push(k);
    const list = byPorts.get(key);
    if (list) list.push(k);
    else byPorts.set(key, [k]);
  });
  return (i) => {
    const same = byPorts.get(portsKey(rules[i].compiled.ports)) ?? [];
    return everyPort.length === 0 ? same : [...new Set([...same, ...everyPort])].sort((x, y) => x - y);
  };
}

function portsKey(p: RulePorts): string {
  return `${p.fixed.toString()}|${p.named.map((n) => `${n.name}/${n.protocol}`).sort().join(',')}`;
}

interface Requirement {
  readonly key: string;
  readonly op: SelectorOperator;
  readonly values: readonly string[];
}

interface NormalPeer {
  readonly namespaces: readonly Requirement[];
  readonly pods: readonly Requirement[];
}

interface Compared {
  readonly entry: RuleEntry;
  readonly compiled: CompiledRule;
  /** Selector peers; ipBlocks are compared through compiled.ips. */
  readonly peers: readonly NormalPeer[];
}

function compared(entry: RuleEntry, compiled: CompiledRule, model: PolicyRule, namespace: string): Compared {
  const peers = (model.peers ?? [])
    .filter((p): p is SelectorPeer => p.type === 'selector')
    .map((p) => ({
      // No namespaceSelector = the policy's namespace, which is exactly the namespaces
      // whose automatic name label is that name (the label is set and kept by the API server).
      namespaces: p.namespaceSelector ? requirements(p.namespaceSelector) : [{ key: NAMESPACE_NAME_LABEL, op: 'In' as const, values: [namespace] }],
      pods: p.podSelector ? requirements(p.podSelector) : [],
    }));
  return { entry, compiled, peers };
}

function requirements(sel: LabelSelector): Requirement[] {
  const out: Requirement[] = Object.entries(sel.matchLabels).map(([key, v]) => ({ key, op: 'In', values: [v] }));
  for (const e of sel.matchExpressions) out.push({ key: e.key, op: e.operator, values: e.values });
  return out;
}

/** Whether rule b allows everything rule a allows, whatever the pods. */
function covers(b: Compared, a: Compared): boolean {
  return peersCover(b, a) && portsCover(b.compiled.ports, a.compiled.ports);
}

function peersCover(b: Compared, a: Compared): boolean {
  if (b.compiled.allPeers) return true;
  if (a.compiled.allPeers) return false;
  for (const [family, set] of a.compiled.ips) {
    const outer = b.compiled.ips.get(family);
    if (!set.isEmpty() && (!outer || !set.subtract(outer).isEmpty())) return false;
  }
  return a.peers.every((p) => b.peers.some((q) => selectorCovers(q.namespaces, p.namespaces) && selectorCovers(q.pods, p.pods)));
}

/** Every object matching `inner` matches `outer`: each requirement of outer follows from one of inner. */
function selectorCovers(outer: readonly Requirement[], inner: readonly Requirement[]): boolean {
  return outer.every((req) => inner.some((given) => given.key === req.key && implies(given, req)));
}

function implies(given: Requirement, req: Requirement): boolean {
  const inReq = (v: string) => req.values.includes(v);
  switch (req.op) {
    case 'In':
      return given.op === 'In' && given.values.every(inReq);
    case 'NotIn':
      return (given.op === 'In' && !given.values.some(inReq)) || given.op === 'DoesNotExist' || (given.op === 'NotIn' && req.values.every((v) => given.values.includes(v)));
    case 'Exists':
      return given.op === 'In' || given.op === 'Exists';
    case 'DoesNotExist':
      return given.op === 'DoesNotExist';
  }
}

/** Port sets, independent of the pods: named ports count by name and protocol only. */
function portsCover(b: RulePorts, a: RulePorts): boolean {
  if (!a.fixed.subtract(b.fixed).isEmpty()) return false;
  return a.named.every((n) => isAllPorts(b.fixed.ports(n.protocol)) || b.named.some((m) => m.name === n.name && m.protocol === n.protocol));
}
