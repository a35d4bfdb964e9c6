import type { Reachability } from '../../reach/engine';

const cache = new WeakMap<object, Map<string, unknown>>();

/**
 * A value derived from the world alone (workloads, namespaces, Services, Ingresses and
 * the analysis options: what `reach.world` stands for), built once per world token, so
 * the per-policy checks of one rule share it and later edits to policies reuse it.
 * `key` names the value and carries whatever else it depends on (a rule option). The
 * value must not keep what changes with the policies (the model's policy list, the
 * compiled policies, isolation verdicts).
 */
export function perWorld<T>(reach: Reachability, key: string, build: () => T): T {
  let values = cache.get(reach.world);
  if (!values) cache.set(reach.world, (values = new Map()));
  if (values.has(key)) return values.get(key) as T;
  const value = build();
  values.set(key, value);
  return value;
}
