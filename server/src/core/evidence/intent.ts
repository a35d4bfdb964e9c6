import { PROTOCOLS, type Protocol } from '../base/ports';

/**
 * The value of `netpol.studio/allow-from` / `allow-to`: endpoints, then `;` and the
 * reason, which is required (a declared flow nobody can explain is the over-allowing
 * the annotation exists to avoid):
 *
 *     netpol.studio/allow-to: "billing/payments:8443, external:443; settlement callbacks (ticket OPS-12)"
 *
 * An endpoint is `[namespace/]workload[:port[/protocol]]` or `external[:port[/protocol]]`.
 */
export interface Intent {
  readonly endpoints: readonly IntentEndpoint[];
  readonly reason: string;
}

export interface IntentEndpoint {
  readonly namespace?: string;
  readonly name: string;
  readonly port?: number;
  readonly protocol: Protocol;
}

const ENDPOINT = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/)?([a-z0-9]([-.a-z0-9]*[a-z0-9])?)(?::(\d{1,5})(?:\/([A-Z]+))?)?$/;

export function parseIntent(text: string): Intent | { readonly error: string } {
  const semi = text.indexOf(';');
  const reason = semi < 0 ? '' : text.slice(semi + 1).trim();
  if (reason.length === 0) return { error: 'a reason is required after ";" (e.g. "billing/payments:8443; settlement callbacks"): the declared flow is ignored until it has one.' };
  const endpoints: IntentEndpoint[] = [];
  for (const raw of text.slice(0, semi).split(',')) {
    const item = raw.trim();
    if (item.length === 0) continue;
    const m = ENDPOINT.exec(item);
    const port = m?.[5] !== undefined ? Number(m[5]) : undefined;
    const protocol = (m?.[6] ?? 'TCP') as Protocol;
    if (!m || (port !== undefined && (port < 1 || port > 65535)) || !(PROTOCOLS as readonly string[]).includes(protocol)) {
      return { error: `"${item}" is not [namespace/]workload[:port[/protocol]] or external[:port]: the declared flows are ignored.` };
    }
    endpoints.push({ ...(m[1] !== undefined ? { namespace: m[1] } : {}), name: m[3], ...(port !== undefined ? { port } : {}), protocol });
  }
  if (endpoints.length === 0) return { error: 'no endpoint before ";": nothing is declared.' };
  return { endpoints, reason };
}
