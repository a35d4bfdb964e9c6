import { clusterRuleCovers, clusterRuleKeySpan, clusterRulePeers } from './support/cluster';
import type { ClusterPolicy, ClusterRule } from '../model/types';
import { resolvePorts } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import { walkTier, type CompiledClusterPolicy, type CompiledClusterRule, type CompiledTiers } from '../reach/tiers';
import { propose } from '../lint/fix';
import type { WorkspaceRule } from './types';

/** An Admin-tier rule that decides nothing: every connection it matches is decided before it. */
interface Shadowed {
  readonly policy: ClusterPolicy;
  readonly rule: ClusterRule;
  /** The earlier deciders (policies of higher priority, or this policy for its earlier rules), in evaluation order. */
  readonly by: readonly ClusterPolicy[];
}


/**
 * An Admin-tier rule (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) that matches
 * traffic in the workspace but never decides any of it: a higher-priority policy, or an
 * earlier rule of its own policy, decides (or passes) every connection it matches first.
 */
export const shadowedAdminRule: WorkspaceRule<FixData> = {
  meta: {
    id: 'shadowed-admin-rule',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'An Admin-tier rule whose traffic a higher-priority policy or an earlier rule always decides first.',
    // Removing the rule changes no verdict of the workspace, but it is a removal (and pods
    // deployed from elsewhere may still meet it): offered, never applied unasked.
    fix: 'unsafe',
  },
  check(ctx) {
    const { reach } = ctx.analysis;
    if (reach.tiers.admin.length < 1) return;
    for (const s of shadowedOf(reach)) {
      const at = clusterRuleKeySpan(s.policy, s.rule);
      if (!at) continue;
      const names = s.by.map((p) => (p === s.policy ? 'an earlier rule of this policy' : `${p.kind} ${p.name}${p.priority === undefined ? '' : ` (priority ${p.priority})`}`)).join(', ');
      const dir = s.rule.direction.toLowerCase();
      ctx.report({
        message: `This ${dir} rule (${s.rule.action}) never decides anything: every connection it matches in the workspace is decided first by ${names}, so its action never applies. ${todo(s)} This is judged on the workloads of the workspace.`,
        span: at.span,
        path: at.path,
        data: { direction: s.rule.direction, index: s.rule.index },
      });
    }
  },
  fix(data, ctx) {
    const r = ctx.object.reader;
    const key = data.direction === 'Ingress' ? 'ingress' : 'egress';
    const seq = r.seq(r.get(r.map(r.get(ctx.object.map, 'spec')), key));
    const edit = seq && ctx.editor.removeItem(seq, data.index);
    // Fixes keep comments: a rule with a comment inside is left to the user.
    if (!edit || ctx.text.slice(edit.start, edit.end).includes('#')) return [];
    return propose(`Remove this ${key} rule (it never decides anything in the workspace)`, [edit], { unsafe: true });
  },
};

/** Which rule of the policy's YAML: its direction and index. */
interface FixData {
  readonly direction: 'Ingress' | 'Egress';
  readonly index: number;
}

function todo(s: Shadowed): string {
  const others = s.by.filter((p) => p !== s.policy);
  if (others.length === 0) return 'Move it above the rules that decide first, or remove it.';
  return `Give this policy a lower priority number than ${others.map((p) => p.name).join(' and ')} if its rule should win, or remove the rule.`;
}

const cache = new WeakMap<CompiledTiers, readonly Shadowed[]>();

function shadowedOf(reach: Reachability): readonly Shadowed[] {
  let found = cache.get(reach.tiers);
  if (!found) {
    found = compute(reach);
    cache.set(reach.tiers, found);
  }
  return found;
}

function compute(reach: Reachability): Shadowed[] {
  const out: Shadowed[] = [];
  const t = reach.tiers;
  const classes = reach.table.classes;
  for (const cp of t.admin) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = direction === 'Ingress' ? cp.ingress : cp.egress;
      const adminOf = direction === 'Ingress' ? t.adminIngressOf : t.adminEgressOf;
      for (const r of rules) {
        const reached = clusterRulePeers(reach, r, cp.subject.length, true);
        if (!reached) continue;
        const { classes: peers, ranges } = reached;
        const by = new Set<CompiledClusterPolicy>();
        let matched = false;
        let decides = false;
        const judge = (c: number, matches: (x: CompiledClusterRule) => boolean, dst: (typeof classes)[number] | undefined) => {
          const ports = resolvePorts(r.ports, dst);
          if (ports.isEmpty()) return;
          matched = true;
          const earlier = new Set<CompiledClusterPolicy>();
          walkTier(adminOf[c], direction, matches, dst, ports, (p, x) => {
            if (x === r) decides = true;
            else earlier.add(p);
          });
          for (const p of earlier) by.add(p);
        };
        for (const c of cp.subject) {
          if (classes[c].virtual) continue;
          for (const oc of peers) {
            if (oc !== c) judge(c, (x) => x.classes.has(oc), direction === 'Ingress' ? classes[c] : classes[oc]);
            if (decides) break;
          }
          for (const range of ranges) {
            judge(c, (x) => clusterRuleCovers(x, range), undefined);
            if (decides) break;
          }
          if (decides) break;
        }
        if (matched && !decides && by.size > 0) out.push({ policy: cp.policy, rule: r.rule, by: t.admin.filter((p) => by.has(p)).map((p) => p.policy) });
      }
    }
  }
  return out;
}
