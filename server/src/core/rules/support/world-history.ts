import { NAMESPACE_NAME_LABEL } from '../../k8s/cluster';
import type { LabelSelector, NetworkPolicy } from '../../model/types';
import type { CompiledPolicy } from '../../reach/compile';
import type { Reachability, WorldStep } from '../../reach/engine';

/**
 * The namespaces a per-policy verdict against the world (checkPolicyInWorld) may read:
 * the policy's own (its pods, Services, Ingresses, custom resources), those of every class
 * it selects or its rules admit (their workloads, ports, Services), and those its
 * namespaceSelectors name (`kubernetes.io/metadata.name`: whether they are declared,
 * their labels, whether they hold workloads). What lies elsewhere changes no verdict of
 * these rules: a selector that would match something new there is compiled again
 * (WorldStep.recompiled), and pods found by address end the history.
 */
const footprints = new WeakMap<CompiledPolicy, ReadonlySet<string>>();

function footprint(reach: Reachability, cp: CompiledPolicy): ReadonlySet<string> {
  let out = footprints.get(cp) as Set<string> | undefined;
  if (out) return out;
  out = new Set<string>([cp.policy.namespace]);
  const classes = reach.classes;
  // A carried-over compiled policy holds only classes that kept their id and namespace.
  for (const c of cp.selected) out.add(classes[c].namespace);
  for (const r of [...cp.ingress, ...cp.egress]) for (const c of r.classes.members) out.add(classes[c].namespace);
  for (const rule of [...cp.policy.ingress, ...cp.policy.egress]) {
    for (const peer of rule.peers ?? []) if (peer.type === 'selector' && peer.namespaceSelector) for (const n of namedNamespaces(peer.namespaceSelector)) out.add(n);
  }
  footprints.set(cp, out);
  return out;
}

function namedNamespaces(sel: LabelSelector): string[] {
  const out: string[] = [];
  const byLabel = sel.matchLabels[NAMESPACE_NAME_LABEL];
  if (typeof byLabel === 'string') out.push(byLabel);
  for (const req of sel.matchExpressions) if (req.key === NAMESPACE_NAME_LABEL) out.push(...req.values);
  return out;
}

/**
 * The step of reach's world history that starts at `world`, when the policy's verdicts
 * computed against that world still hold: the policy was not compiled again since, and
 * nothing changed in a namespace it reads.
 */
export function unchangedFor(reach: Reachability, world: object | undefined, cp: CompiledPolicy | undefined, policy: NetworkPolicy | undefined): boolean {
  if (world === undefined || cp === undefined || policy === undefined || cp.policy !== policy) return false;
  const step: WorldStep | undefined = reach.worldHistory.find((s) => s.from === world);
  return step !== undefined && untouched(reach, step, cp);
}

/** unchangedFor for every policy of a list (a file's). */
export function allUnchangedFor(reach: Reachability, world: object | undefined, cps: readonly CompiledPolicy[]): boolean {
  if (world === undefined) return false;
  const step: WorldStep | undefined = reach.worldHistory.find((s) => s.from === world);
  return step !== undefined && cps.every((cp) => untouched(reach, step, cp));
}

function untouched(reach: Reachability, step: WorldStep, cp: CompiledPolicy): boolean {
  if (step.recompiled.has(cp.policy)) return false;
  const reads = footprint(reach, cp);
  for (const ns of step.namespaces) if (reads.has(ns)) return false;
  return true;
}
