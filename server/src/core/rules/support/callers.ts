import type { Service, Workload } from '../../model/types';

/**
 * Which workloads call which Services, as far as the manifests say: a container's env
 * values, args or command naming the Service's DNS name (`web`, `web.shop`,
 * `web.shop.svc`, `web.shop.svc.cluster.local`, as a host: `http://web:8080`,
 * `web.shop:5432`). Evidence for ranking fixes, never a verdict: clients configured
 * elsewhere (ConfigMaps, service discovery) are not seen.
 */

const stringsByWorkload = new WeakMap<Workload, readonly string[]>();

/** The env values, args and command of a workload's containers. */
function containerStrings(w: Workload): readonly string[] {
  let out = stringsByWorkload.get(w);
  if (out) return out;
  const found: string[] = [];
  for (const src of w.sources) {
    const r = src.reader;
    const path = src.kind === 'Pod' ? ['spec'] : src.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
    let node = r.map(src.map);
    for (const key of path) node = r.map(r.get(node, key));
    for (const list of ['initContainers', 'containers']) {
      for (const c of r.items(r.get(node, list))) {
        const container = r.map(c);
        for (const e of r.items(r.get(container, 'env'))) {
          const v = r.string(r.get(r.map(e), 'value'));
          if (v) found.push(v);
        }
        for (const key of ['args', 'command']) for (const a of r.items(r.get(container, key))) {
          const v = r.string(a);
          if (v) found.push(v);
        }
      }
    }
  }
  out = found;
  stringsByWorkload.set(w, out);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The workloads whose containers name one of the Services as a host. */
export function callersOf(workloads: readonly Workload[], services: readonly Service[]): Workload[] {
  if (services.length === 0) return [];
  const patterns = services.map((svc) => ({
    namespace: svc.namespace,
    // `name` alone resolves in the Service's own namespace; `name.ns…` anywhere.
    short: new RegExp(`(^|[/@=,\\s"'])${escape(svc.name)}(?=$|[:/,\\s"'])`),
    long: new RegExp(`(^|[/@=,\\s"'])${escape(svc.name)}\\.${escape(svc.namespace)}(\\.svc(\\.cluster\\.local)?)?(?=$|[:/,\\s"'.])`),
  }));
  return workloads.filter((w) => {
    const strings = containerStrings(w);
    return patterns.some((p) => strings.some((s) => p.long.test(s) || (w.namespace === p.namespace && p.short.test(s))));
  });
}
