/**
 * Ports and protocols in the reachability view: the port filter the user types, and the
 * connection strings the server sends (netpol-analyzer's `TCP 80,8080-8090,UDP 53`).
 */
import { PROTOCOLS, type Protocol } from '../../../../server/src/protocol';

export interface PortQuery {
  readonly protocol?: Protocol;
  readonly port?: number;
}

export type PortFilter = { readonly ok: true; readonly query?: PortQuery } | { readonly ok: false; readonly message: string };

/** Parses the port filter; an empty text is no filter. */
export function parsePortFilter(text: string): PortFilter {
  const t = text.trim();
  if (t === '') return { ok: true };
  const parts = t.split(/[\s/:]+/).filter((p) => p !== '');
  let protocol: Protocol | undefined;
  let port: number | undefined;
  for (const p of parts) {
    const upper = p.toUpperCase();
    if ((PROTOCOLS as readonly string[]).includes(upper) && protocol === undefined) {
      protocol = upper as Protocol;
    } else if (/^\d+$/.test(p) && port === undefined) {
      const n = Number(p);
      if (n < 1 || n > 65535) return { ok: false, message: `port ${p} is outside 1-65535` };
      port = n;
    } else {
      return { ok: false, message: `"${text.trim()}" is not a port filter (e.g. 80, TCP, TCP 80, 53/UDP)` };
    }
  }
  return { ok: true, query: { protocol, port } };
}

export type ParsedConn = 'all' | ReadonlyMap<Protocol, readonly (readonly [number, number])[]>;

/**
 * Parses netpol-analyzer's connection string: `All Connections`, `No Connections`, or
 * `PROTO ports` items joined with `,` where ports are `N` or `A-B` (`TCP 80,8080-8090,UDP 53`).
 */
export function parseConn(conn: string): ParsedConn {
  const c = conn.trim();
  if (/^all connections$/i.test(c)) return 'all';
  const out = new Map<Protocol, [number, number][]>();
  if (/^no connections$/i.test(c) || c === '') return out;
  let current: Protocol | undefined;
  for (const raw of c.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const m = /^(TCP|UDP|SCTP)\b\s*(.*)$/i.exec(item);
    let ports = item;
    if (m) {
      current = m[1].toUpperCase() as Protocol;
      ports = m[2].trim();
      if (!out.has(current)) out.set(current, []);
      if (ports === '') {
        out.get(current)?.push([1, 65535]);
        continue;
      }
    }
    if (!current) continue;
    const r = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(ports);
    if (!r) continue;
    const lo = Number(r[1]);
    out.get(current)?.push([lo, r[2] === undefined ? lo : Number(r[2])]);
  }
  return out;
}

/** Whether a connection string admits the query (protocol and/or port). */
export function connAllows(conn: string, query: PortQuery): boolean {
  const parsed = parseConn(conn);
  if (parsed === 'all') return true;
  const protocols = query.protocol ? [query.protocol] : PROTOCOLS;
  return protocols.some((p) => {
    const ranges = parsed.get(p) ?? [];
    return query.port === undefined ? ranges.length > 0 : ranges.some(([lo, hi]) => query.port! >= lo && query.port! <= hi);
  });
}
