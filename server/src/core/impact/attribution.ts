/**
 * Which changed policies and rules make each flow of a change impact change: for gained
 * ports the rules that admit them now (else the policies that isolated an end before),
 * for lost ports the rules that admitted them before (else the policies that now
 * isolate an end). Uses the compiled rules of each side, as the verdicts do. Pure.
 */
import type { NetworkPolicy, PolicyRule } from '../model/types';
import { parseIp } from '../base/ip';
import { ConnSet } from '../base/ports';
import { resolvePorts, type CompiledPolicy, type CompiledRule } from '../reach/compile';
import { endpointName } from '../reach/connections';
import type { IpRange, Reachability } from '../reach/engine';
import { policyKey } from './changes';
import type { DiffEntry } from './diff';
import type { Responsible, ResponsibleRole } from './types';

const CONTROLLER = '{ingress-controller}';

/** One side of a flow, as the reachability knows it. */
type Side = { readonly classes: readonly number[] } | { readonly range: IpRange } | undefined;

/** Works out, per flow, which changed policies and rules make it change. */
export class Attribution {
  private readonly workloadsBefore: Map<string, number>;
  private readonly workloadsAfter: Map<string, number>;

  constructor(
    private readonly before: Reachability,
    private readonly after: Reachability,
    private readonly onlyBefore: ReadonlySet<CompiledPolicy>,
    private readonly onlyAfter: ReadonlySet<CompiledPolicy>,
    private readonly currentByKey: ReadonlyMap<string, NetworkPolicy>,
  ) {
    this.workloadsBefore = indexByName(before);
    this.workloadsAfter = before.table === after.table ? this.workloadsBefore : indexByName(after);
  }

  of(e: DiffEntry): Responsible[] {
    const out: Responsible[] = [];
    if (!e.gained.isEmpty()) {
      const allows = this.rules(this.after, this.workloadsAfter, e, e.gained, this.onlyAfter, 'allows');
      out.push(...(allows.length > 0 ? allows : this.isolating(this.before, this.workloadsBefore, e, this.onlyBefore, 'no-longer-isolates')));
    }
    if (!e.lost.isEmpty()) {
      const allowed = this.rules(this.before, this.workloadsBefore, e, e.lost, this.onlyBefore, 'no-longer-allows');
      out.push(...(allowed.length > 0 ? allowed : this.isolating(this.after, this.workloadsAfter, e, this.onlyAfter, 'isolates')));
    }
    return out;
  }

  /** Rules of `changed` policies, on either side of the flow, that admit some of `ports`. */
  private rules(reach: Reachability, byName: Map<string, number>, e: DiffEntry, ports: ConnSet, changed: ReadonlySet<CompiledPolicy>, role: ResponsibleRole): Responsible[] {
    const src = this.side(reach, byName, e.src);
    const dst = this.side(reach, byName, e.dst);
    const out: Responsible[] = [];
    for (const [direction, self, other] of [['Ingress', dst, src], ['Egress', src, dst]] as const) {
      if (!self || !('classes' in self)) continue;
      for (const c of self.classes) {
        const policies = direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c];
        for (const cp of policies) {
          if (!changed.has(cp)) continue;
          for (const r of direction === 'Ingress' ? cp.ingress : cp.egress) {
            const allowed = ruleAllows(reach, r, direction, c, other);
            if (allowed && !allowed.intersect(ports).isEmpty() && !out.some((o) => o.rule === r.rule)) out.push(this.item(role, cp.policy, r.rule));
          }
        }
      }
    }
    return out;
  }

  /** `changed` policies that isolate either end of the flow. */
  private isolating(reach: Reachability, byName: Map<string, number>, e: DiffEntry, changed: ReadonlySet<CompiledPolicy>, role: ResponsibleRole): Responsible[] {
    const out: Responsible[] = [];
    for (const [direction, name] of [['Ingress', e.dst], ['Egress', e.src]] as const) {
      const self = this.side(reach, byName, name);
      if (!self || !('classes' in self)) continue;
      for (const c of self.classes) {
        for (const cp of direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c]) {
          if (changed.has(cp) && !out.some((o) => o.policy === cp.policy)) out.push(this.item(role, cp.policy));
        }
      }
    }
    return out;
  }

  private item(role: ResponsibleRole, policy: NetworkPolicy, rule?: PolicyRule): Responsible {
    const current = role === 'allows' || role === 'isolates' ? policy : this.currentByKey.get(policyKey(policy));
    return { role, policy, ...(rule ? { rule } : {}), ...(current ? { current } : {}) };
  }

  private side(reach: Reachability, byName: Map<string, number>, name: string): Side {
    if (name === CONTROLLER) return { classes: [reach.ingressControllerClass] };
    if (name.endsWith('[External]')) return rangeOf(name);
    const wi = byName.get(name);
    return wi === undefined ? undefined : { classes: reach.table.workloadClasses[wi] };
  }
}

const byNameOfWorld = new WeakMap<object, Map<string, number>>();

/** Workload name -> index, the same for every reachability of one world. */
export function indexByName(reach: Reachability): Map<string, number> {
  let out = byNameOfWorld.get(reach.world);
  if (!out) {
    out = new Map<string, number>();
    for (const [i, e] of reach.index.endpoints.entries()) out.set(endpointName(e), i);
    byNameOfWorld.set(reach.world, out);
  }
  return out;
}

/** `10.0.0.0-10.255.255.255[External]` -> the range. */
function rangeOf(name: string): Side {
  const [from, to] = name.slice(0, -'[External]'.length).split('-');
  const a = parseIp(from ?? '');
  const b = parseIp(to ?? '');
  if (!a || !b || a.family !== b.family) return undefined;
  return { range: { family: a.family, start: a.value, end: b.value } };
}

/** Ports rule r admits between class `self` (the side the rule is on) and `other`, or undefined when its peers do not match. */
function ruleAllows(reach: Reachability, r: CompiledRule, direction: 'Ingress' | 'Egress', self: number, other: Side): ConnSet | undefined {
  const classes = reach.table.classes;
  if (!other) return undefined;
  if ('range' in other) {
    const set = r.ips.get(other.range.family);
    if (!r.allPeers && !(set && set.containsRange(other.range.start, other.range.end))) return undefined;
    return resolvePorts(r.ports, direction === 'Ingress' ? classes[self] : undefined);
  }
  let ports: ConnSet | undefined;
  for (const oc of other.classes) {
    if (!r.allPeers && !r.classes.has(oc)) continue;
    const dst = direction === 'Ingress' ? classes[self] : classes[oc];
    ports = (ports ?? ConnSet.NONE).union(resolvePorts(r.ports, dst));
  }
  return ports;
}
