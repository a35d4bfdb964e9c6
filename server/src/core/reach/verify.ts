import { classKeyOf } from './classes';
import type { CompiledPolicies } from './compile';
import { Reachability } from './engine';

/**
 * The debug check of incrementality: the reachability as the editor's edits made it
 * (a class table patched edit after edit, compiled policies carried over) against a
 * fresh build of the same model. Class ids may differ between the two (a patched table
 * keeps the ids of the classes that stayed), so classes are compared by what they are
 * (their key: namespace, labels, ports, hostNetwork, addresses). Returns the differences,
 * none when the two answer alike. For tests; it costs a full build.
 */
export function checkIncremental(reach: Reachability): string[] {
  const fresh = new Reachability(reach.model, reach.options);
  const out: string[] = [];
  const keyA = (id: number) => classKeyOf(reach.table, id);
  const keyB = (id: number) => classKeyOf(fresh.table, id);
  const set = (ids: Iterable<number>, key: (id: number) => string) => [...ids].map(key).sort().join(' ; ');
  const same = (what: string, a: string, b: string) => {
    if (a !== b) out.push(`${what}: incremental [${a}], fresh [${b}]`);
  };

  same('classes', set(reach.table.classes.map((c) => c.id), keyA), set(fresh.table.classes.map((c) => c.id), keyB));
  reach.table.classes.forEach((c) => {
    if (c.id !== reach.table.classes.indexOf(c)) out.push(`class ${keyA(c.id)} sits at another index than its id`);
  });
  const workloadsOf = (r: Reachability, key: (id: number) => string) => new Map(r.table.classes.map((c) => [key(c.id), `${c.workloads.join(',')} ${c.namespace} ${c.virtual}`]));
  const wa = workloadsOf(reach, keyA);
  for (const [k, v] of workloadsOf(fresh, keyB)) same(`workloads of class ${k}`, wa.get(k) ?? '', v);
  same('ingress controller class', keyA(reach.ingressControllerClass), keyB(fresh.ingressControllerClass));
  reach.model.workloads.forEach((w, i) => same(`classes of workload ${w.namespace}/${w.name}`, set(reach.table.workloadClasses[i], keyA), set(fresh.table.workloadClasses[i], keyB)));
  for (const [ns, ids] of fresh.table.byNamespace) same(`classes of namespace ${ns}`, set(reach.table.byNamespace.get(ns) ?? [], keyA), set(ids, keyB));
  same('namespaces', [...reach.table.namespaces.keys()].sort().join(','), [...fresh.table.namespaces.keys()].sort().join(','));

  const policies = (c: CompiledPolicies, key: (id: number) => string) =>
    c.policies.map((cp) => {
      const rules = [...cp.ingress, ...cp.egress].map((r) => `${r.rule.direction}${r.rule.index} all=${r.allPeers} [${set(r.classes.members, key)}] ips=${[...r.ips.values()].map(String).join('|')} ports=${r.ports.fixed.toString()}/${r.ports.named.map((p) => p.name).join(',')}`);
      return `${cp.index} ${cp.policy.namespace}/${cp.policy.name} selected [${set(cp.selected, key)}] ${rules.join(' ')}`;
    });
  const pa = policies(reach.compiled, keyA);
  const pb = policies(fresh.compiled, keyB);
  same('policy count', String(pa.length), String(pb.length));
  pb.forEach((p, i) => same(`compiled policy ${i}`, pa[i] ?? '', p));
  reach.compiled.policies.forEach((cp, i) => {
    if (cp.index !== i) out.push(`compiled policy ${cp.policy.namespace}/${cp.policy.name} has index ${cp.index} at position ${i}`);
    if (!sorted(cp.selected)) out.push(`compiled policy ${cp.policy.namespace}/${cp.policy.name}: selected not in ascending order`);
  });
  const lists = (r: Reachability, key: (id: number) => string) => {
    const m = new Map<string, string>();
    r.table.classes.forEach((c) => m.set(key(c.id), `in ${r.compiled.ingressOf[c.id].map((cp) => cp.index).join(',')} out ${r.compiled.egressOf[c.id].map((cp) => cp.index).join(',')}`));
    return m;
  };
  same('class list lengths', `${reach.compiled.ingressOf.length}/${reach.compiled.egressOf.length}`, `${reach.table.classes.length}/${reach.table.classes.length}`);
  const la = lists(reach, keyA);
  for (const [k, v] of lists(fresh, keyB)) same(`isolating policies of class ${k}`, la.get(k) ?? '', v);
  same('ingress ipBlocks', reach.compiled.ingressIpSets.map(String).join('|'), fresh.compiled.ingressIpSets.map(String).join('|'));
  same('egress ipBlocks', reach.compiled.egressIpSets.map(String).join('|'), fresh.compiled.egressIpSets.map(String).join('|'));
  same('source ranges', reach.sourceRanges.map((r) => `${r.start}-${r.end}`).join(','), fresh.sourceRanges.map((r) => `${r.start}-${r.end}`).join(','));
  same('destination ranges', reach.destinationRanges.map((r) => `${r.start}-${r.end}`).join(','), fresh.destinationRanges.map((r) => `${r.start}-${r.end}`).join(','));
  return out;
}

function sorted(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1] >= list[i]) return false;
  return true;
}
