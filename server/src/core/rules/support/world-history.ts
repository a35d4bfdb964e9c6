import { NAMESPACE_NAME_LABEL } from '../../k8s/cluster';
import type { LabelSelector, Labels, Namespace, NetworkPolicy } from '../../model/types';
import { selectorMatches } from '../../reach/selectors';
import type { CompiledPolicy } from '../../reach/compile';
import { tokenSerial, type NamespacesStep, type Reachability, type WorldStep } from '../../reach/engine';

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
  const step: WorldStep | undefined = reach.worldHistory.find((s) => s.from === tokenSerial(world));
  return step !== undefined && untouched(reach, step, cp);
}

/** unchangedFor for every policy of a list (a file's). */
export function allUnchangedFor(reach: Reachability, world: object | undefined, cps: readonly CompiledPolicy[]): boolean {
  if (world === undefined) return false;
  const step: WorldStep | undefined = reach.worldHistory.find((s) => s.from === tokenSerial(world));
  return step !== undefined && cps.every((cp) => untouched(reach, step, cp));
}

function untouched(reach: Reachability, step: WorldStep, cp: CompiledPolicy): boolean {
  if (step.recompiled.has(cp.policy)) return false;
  const reads = footprint(reach, cp);
  for (const ns of step.namespaces) if (reads.has(ns)) return false;
  return true;
}

/**
 * The rules of policyScope 'namespaces' whose verdicts are carried over a Namespace edit,
 * and what they read of the namespaces: the label keys of the declared namespaces, their
 * number and every namespace's name (unknown-namespace-label), the values of the
 * environment label and, per policy, its own namespace's labels and those of the
 * namespaces its namespaceSelectors match (cross-environment). A rule of that scope not
 * listed here is checked again on every Namespace edit.
 */
export const NAMESPACE_CARRIED_RULES: ReadonlySet<string> = new Set(['cross-environment', 'unknown-namespace-label']);

/**
 * Whether a 'namespaces'-scope verdict on this policy computed against the namespaces
 * token `token` holds now: the edits since changed none of the global facts above, and
 * no changed namespace is the policy's own or matched (before or after) by one of its
 * namespaceSelectors.
 */
export function namespacesUnchangedFor(reach: Reachability, token: object | undefined, policy: NetworkPolicy | undefined, environmentLabel: string): boolean {
  if (token === undefined || policy === undefined || policy.rejected.length > 0) return false;
  const step: NamespacesStep | undefined = reach.namespacesHistory.find((s) => s.from === tokenSerial(token));
  if (!step || !globalsUnchanged(step, environmentLabel)) return false;
  const selectors: LabelSelector[] = [];
  for (const rule of [...policy.ingress, ...policy.egress]) for (const peer of rule.peers ?? []) if (peer.type === 'selector' && peer.namespaceSelector) selectors.push(peer.namespaceSelector);
  for (const sel of selectors) if (!sel.valid) return false;
  for (const c of step.changes) {
    if (c.name === policy.namespace) return false;
    for (const sel of selectors) if ((c.before && selectorMatches(sel, c.before.labels)) || (c.after && selectorMatches(sel, c.after.labels))) return false;
  }
  return true;
}

const globals = new WeakMap<NamespacesStep, Map<string, boolean>>();

/** No namespace came or went, none became declared or not, no declared label key appeared or vanished, no environment label changed. */
function globalsUnchanged(step: NamespacesStep, environmentLabel: string): boolean {
  let byLabel = globals.get(step);
  if (!byLabel) globals.set(step, (byLabel = new Map()));
  let v = byLabel.get(environmentLabel);
  if (v === undefined) {
    v = step.changes.every((c) => c.before !== undefined && c.after !== undefined && c.before.declared === c.after.declared && sameKeys(c.before, c.after) && own(c.before.labels, environmentLabel) === own(c.after.labels, environmentLabel));
    // A key may be carried by another declared namespace too; comparing per namespace is the conservative test.
    byLabel.set(environmentLabel, v);
  }
  return v;
}

function sameKeys(a: Namespace, b: Namespace): boolean {
  const ka = Object.keys(a.labels).sort();
  const kb = Object.keys(b.labels).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function own(labels: Labels, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}
