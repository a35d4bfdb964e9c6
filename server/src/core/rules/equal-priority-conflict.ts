import { ConnSet } from '../base/ports';
import type { ClusterPolicy, PolicyType } from '../model/types';
import type { Reachability } from '../reach/engine';
import { walkTier, type CompiledClusterPolicy, type CompiledClusterRule, type CompiledTiers, type TierOutcome } from '../reach/tiers';
import { isScalar } from 'yaml';
import { propose, type FixProposal } from '../lint/fix';
import { clusterPrioritySpan, clusterRangeText, clusterRuleCovers } from './support/cluster';
import { workloadList } from './support/traffic';
import type { WorkspaceRule } from './types';

/** Two policies of one tier and priority that decide one connection differently. */
interface Conflict {
  readonly a: ClusterPolicy;
  readonly b: ClusterPolicy;
  /** One connection set where they disagree, for the message. */
  readonly example: { readonly direction: PolicyType; readonly subject: number; readonly peer: string; readonly conn: ConnSet; readonly actionA: string; readonly actionB: string };
}

/** Above this many (subject class × peer) pairs per group of tied policies and direction, the check leaves the group alone. */
const MAX_PAIRS = 20_000;

/**
 * Two cluster policies of one tier (AdminNetworkPolicy and ClusterNetworkPolicy `tier:
 * Admin`; ClusterNetworkPolicy `tier: Baseline`) with the same priority whose rules
 * decide some connection of the workspace differently (one allows, the other denies or
 * passes). The API: "the implementation can apply any of the matching policies to the
 * connection, and there is no way for the user to reliably determine which one it will
 * choose". Our engine applies ties in name order (tiers.ts, clusterOrder); the cluster
 * may not. Policies of higher precedence are applied first: a connection they decide is
 * no conflict.
 *
 * Its fixes are unsafe (offered, never applied unasked): which policy should win is the
 * author's intent, not something the workspace shows, so both orders are offered, each
 * moving this policy by one (priority N-1: checked before the others; N+1: after them).
 * Neither is offered when the new number is out of range or another policy of the tier
 * already has it (the move would make a new tie or jump over that policy). Picking the
 * order the analysis already applies writes nothing of ours: the user chooses it.
 */
export const equalPriorityConflict: WorkspaceRule<FixData> = {
  meta: {
    id: 'equal-priority-conflict',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'Two cluster policies of one tier at the same priority decide some connection differently: the API leaves which one applies to the implementation.',
    fix: 'unsafe',
  },
  check(ctx) {
    const { reach } = ctx.analysis;
    if (reach.tiers.empty) return;
    const conflicts = conflictsOf(reach);
    for (const policy of [...reach.tiers.admin, ...reach.tiers.baseline].map((cp) => cp.policy)) {
      const mine = conflicts.filter((c) => c.a === policy || c.b === policy);
      if (mine.length === 0) continue;
      const at = clusterPrioritySpan(policy);
      if (!at) continue;
      const others = mine.map((c) => (c.a === policy ? c.b : c.a));
      const first = mine[0];
      const e = first.example;
      const [mineAction, otherAction] = first.a === policy ? [e.actionA, e.actionB] : [e.actionB, e.actionA];
      const other = first.a === policy ? first.b : first.a;
      const subject = workloadList(reach, [e.subject], 1);
      const flow = e.direction === 'Ingress' ? `from ${e.peer} to ${subject}` : `from ${subject} to ${e.peer}`;
      const tied = [policy, ...others].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      ctx.report({
        message:
          `${policy.kind} ${policy.name} has priority ${policy.priority} in the ${policy.tier} tier, like ${others.map((p) => `${p.kind} ${p.name}`).join(' and ')}, and they decide some connections differently: ` +
          `${e.conn.toString()} ${flow} (${e.direction.toLowerCase()}) is ${verb(mineAction)} by ${policy.name} and ${verb(otherAction)} by ${other.name}. ` +
          `The API leaves it to the implementation which of two policies of equal priority applies ("there is no way for the user to reliably determine which one it will choose"); ` +
          `this analysis applies them in name order (${tied.map((p) => p.name).join(', then ')}), which the cluster's implementation may not follow. ` +
          'Give the policy that should win a lower priority number than the other. This is judged on the workloads of the workspace.',
        span: at.span,
        path: at.path,
        data: { priority: at.node },
      });
    }
  },
  fix(data, ctx) {
    const reach = ctx.analysis.reach;
    const me = [...reach.tiers.admin, ...reach.tiers.baseline].find((cp) => cp.policy.source === ctx.object)?.policy;
    if (!me || me.priority === undefined || !isScalar(data.priority)) return [];
    const others = conflictsOf(reach)
      .filter((c) => c.a === me || c.b === me)
      .map((c) => (c.a === me ? c.b : c.a).name);
    if (others.length === 0) return [];
    const tier = me.tier === 'Admin' ? reach.tiers.admin : reach.tiers.baseline;
    const taken = new Set(tier.map((cp) => cp.policy.priority));
    const n = me.priority;
    const names = others.join(' and ');
    const out: FixProposal[] = [];
    if (n - 1 >= 0 && !taken.has(n - 1)) out.push(...propose(`Check ${me.name} before ${names}: priority ${n} → ${n - 1}`, [ctx.editor.replaceScalar(data.priority, n - 1)], { unsafe: true }));
    if (n + 1 <= 1000 && !taken.has(n + 1)) out.push(...propose(`Check ${names} before ${me.name}: priority ${n} → ${n + 1}`, [ctx.editor.replaceScalar(data.priority, n + 1)], { unsafe: true }));
    return out;
  },
};

/** The priority's value node in the policy's YAML. */
interface FixData {
  readonly priority: unknown;
}

function verb(action: string): string {
  return action === 'Pass' ? 'passed to the next tier' : action === 'Deny' ? 'denied' : action === 'Accept' ? 'accepted' : 'allowed';
}

const cache = new WeakMap<CompiledTiers, readonly Conflict[]>();

function conflictsOf(reach: Reachability): readonly Conflict[] {
  let found = cache.get(reach.tiers);
  if (!found) {
    found = compute(reach);
    cache.set(reach.tiers, found);
  }
  return found;
}

function compute(reach: Reachability): Conflict[] {
  const t = reach.tiers;
  const out = new Map<string, Conflict>();
  const tiers = [
    { list: t.admin, ingressOf: t.adminIngressOf, egressOf: t.adminEgressOf },
    { list: t.baseline, ingressOf: t.baselineIngressOf, egressOf: t.baselineEgressOf },
  ];
  for (const tier of tiers) {
    const byPriority = new Map<number, CompiledClusterPolicy[]>();
    for (const cp of tier.list) {
      const p = cp.policy.priority;
      if (p === undefined) continue;
      const group = byPriority.get(p);
      if (group) group.push(cp);
      else byPriority.set(p, [cp]);
    }
    for (const [priority, group] of byPriority) {
      if (group.length < 2) continue;
      for (const direction of ['Ingress', 'Egress'] as const) {
        judgeGroup(reach, priority, group, direction, direction === 'Ingress' ? tier.ingressOf : tier.egressOf, out);
      }
    }
  }
  return [...out.values()];
}

function judgeGroup(
  reach: Reachability,
  priority: number,
  group: readonly CompiledClusterPolicy[],
  direction: PolicyType,
  of: readonly (readonly CompiledClusterPolicy[])[],
  out: Map<string, Conflict>,
): void {
  const classes = reach.table.classes;
  const rulesOf = (cp: CompiledClusterPolicy): readonly CompiledClusterRule[] => (direction === 'Ingress' ? cp.ingress : cp.egress);
  const members = group.filter((cp) => rulesOf(cp).length > 0);
  if (members.length < 2) return;
  const inGroup = new Set(members);
  const subjects = new Set<number>();
  for (const cp of members) for (const c of cp.subject) if (!classes[c].virtual) subjects.add(c);
  const peers = new Set<number>();
  let networks = false;
  for (const cp of members) {
    for (const r of rulesOf(cp)) {
      for (const oc of r.classes.members) if (!classes[oc].virtual) peers.add(oc);
      if (r.ips.size > 0) networks = true;
    }
  }
  const ranges = networks && direction === 'Egress' ? reach.destinationRanges.filter((range) => members.some((cp) => rulesOf(cp).some((r) => clusterRuleCovers(r, range)))) : [];
  if (subjects.size * (peers.size + ranges.length) > MAX_PAIRS) return;
  for (const c of subjects) {
    const list = of[c];
    const tied = list.filter((cp) => inGroup.has(cp));
    if (tied.length < 2) continue;
    // Policies of higher precedence decide first: the tie only matters for what they leave.
    const before = list.filter((cp) => (cp.policy.priority ?? Infinity) < priority);
    const judge = (matches: (r: CompiledClusterRule) => boolean, dst: (typeof classes)[number] | undefined, peer: () => string) => {
      const start = before.length > 0 ? walkTier(before, direction, matches, dst, ConnSet.ALL).undecided : ConnSet.ALL;
      if (start.isEmpty()) return;
      const outcomes = tied.map((cp) => walkTier([cp], direction, matches, dst, start));
      for (let i = 0; i < tied.length; i++) {
        for (let j = i + 1; j < tied.length; j++) {
          const key = `${direction}|${tied[i].policy.kind}/${tied[i].policy.name}|${tied[j].policy.kind}/${tied[j].policy.name}`;
          if (out.has(key)) continue;
          const d = disagreement(outcomes[i], outcomes[j]);
          if (!d) continue;
          const word = (cp: CompiledClusterPolicy, v: 'Allow' | 'Deny' | 'Pass') => (v === 'Allow' && cp.policy.kind === 'ClusterNetworkPolicy' ? 'Accept' : v);
          out.set(key, {
            a: tied[i].policy,
            b: tied[j].policy,
            example: { direction, subject: c, peer: peer(), conn: d.conn, actionA: word(tied[i], d.a), actionB: word(tied[j], d.b) },
          });
        }
      }
    };
    for (const oc of peers) {
      if (oc === c) continue;
      judge((r) => r.classes.has(oc), direction === 'Ingress' ? classes[c] : classes[oc], () => workloadList(reach, [oc], 1));
    }
    for (const range of ranges) {
      judge((r) => clusterRuleCovers(r, range), undefined, () => clusterRangeText(range));
    }
  }
}

/** The first connections two outcomes decide differently (Allow, Deny and Pass are three different decisions). */
function disagreement(x: TierOutcome, y: TierOutcome): { conn: ConnSet; a: 'Allow' | 'Deny' | 'Pass'; b: 'Allow' | 'Deny' | 'Pass' } | undefined {
  const sets = { Allow: [x.allowed, y.allowed], Deny: [x.denied, y.denied], Pass: [x.passed, y.passed] } as const;
  for (const a of ['Allow', 'Deny', 'Pass'] as const) {
    for (const b of ['Allow', 'Deny', 'Pass'] as const) {
      if (a === b) continue;
      const conn = sets[a][0].intersect(sets[b][1]);
      if (!conn.isEmpty()) return { conn, a, b };
    }
  }
  return undefined;
}
