import type { Protocol } from '../../base/ports';
import type { Reachability } from '../../reach/engine';
import { selectorMatches } from '../../reach/selectors';
import { perWorld } from './world-cache';

/** A container port the API server calls, and who points it there. */
export interface ApiServerPort {
  readonly port: number;
  readonly protocol: Protocol;
  /** `ValidatingWebhookConfiguration x`, `APIService v1beta1.metrics.k8s.io`. */
  readonly by: string;
}

/**
 * Per pod class, the container ports that admission webhooks and APIServices point the
 * API server at (through their Service's targetPort). The API server is not a pod: its
 * connections come from the control plane's addresses, which no pod or namespace
 * selector matches, so a rule that admits only pods cuts it off.
 */
export function apiServerPorts(reach: Reachability): ReadonlyMap<number, readonly ApiServerPort[]> {
  return perWorld(reach, 'api-server-ports', () => {
    const model = reach.model;
    const out = new Map<number, ApiServerPort[]>();
    for (const t of model.apiServerTargets) {
      const svc = model.services.find((s) => s.namespace === t.namespace && s.name === t.name);
      const sp = svc?.ports.find((p) => p.port === t.port);
      if (!svc?.selector || !sp) continue;
      const selector = { matchLabels: svc.selector, matchExpressions: [], valid: true };
      const target = sp.targetPort ?? sp.port;
      for (const c of reach.classes) {
        if (c.virtual || c.namespace !== svc.namespace || !selectorMatches(selector, c.labels)) continue;
        const port = typeof target === 'number' ? target : c.ports.find((p) => p.name === target && p.protocol === sp.protocol)?.port;
        if (port === undefined) continue;
        const list = out.get(c.id) ?? [];
        if (!list.some((p) => p.port === port && p.protocol === sp.protocol)) list.push({ port, protocol: sp.protocol, by: t.by });
        out.set(c.id, list);
      }
    }
    return out;
  });
}
