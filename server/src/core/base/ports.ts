/**
 * Port-range sets and per-protocol connection sets.
 *
 * Connectivity is kept as sorted, disjoint, merged inclusive intervals, never as
 * enumerated ports: "all ports" is one interval, and a union of a thousand rules
 * stays small.
 */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Flat list [a1, b1, a2, b2, ...] of inclusive, sorted, non-touching intervals. */
export type PortRanges = readonly number[];

export const NO_PORTS: PortRanges = Object.freeze([]);
export const ALL_PORTS: PortRanges = Object.freeze([MIN_PORT, MAX_PORT]);

export function portRange(from: number, to: number = from): PortRanges {
  const a = Math.max(MIN_PORT, from);
  const b = Math.min(MAX_PORT, to);
  return a > b ? NO_PORTS : [a, b];
}

export function isAllPorts(r: PortRanges): boolean {
  return r.length === 2 && r[0] === MIN_PORT && r[1] === MAX_PORT;
}

export function unionPorts(x: PortRanges, y: PortRanges): PortRanges {
  if (x.length === 0 || isAllPorts(y)) return y;
  if (y.length === 0 || isAllPorts(x)) return x;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    let a: number;
    let b: number;
    if (j >= y.length || (i < x.length && x[i] <= y[j])) {
      a = x[i];
      b = x[i + 1];
      i += 2;
    } else {
      a = y[j];
      b = y[j + 1];
      j += 2;
    }
    const n = out.length;
    // Touching intervals (80-80 and 81-90) merge: the sets are of integers.
    if (n > 0 && a <= out[n - 1] + 1) {
      if (b > out[n - 1]) out[n - 1] = b;
    } else {
      out.push(a, b);
    }
  }
  return out;
}

export function intersectPorts(x: PortRanges, y: PortRanges): PortRanges {
  if (x.length === 0 || y.length === 0) return NO_PORTS;
  if (isAllPorts(x)) return y;
  if (isAllPorts(y)) return x;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = Math.max(x[i], y[j]);
    const b = Math.min(x[i + 1], y[j + 1]);
    if (a <= b) out.push(a, b);
    if (x[i + 1] < y[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

export function subtractPorts(x: PortRanges, y: PortRanges): PortRanges {
  if (x.length === 0 || y.length === 0) return x;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < x.length; i += 2) {
    let a = x[i];
    const b = x[i + 1];
    while (j < y.length && y[j + 1] < a) j += 2;
    let k = j;
    while (k < y.length && y[k] <= b) {
      if (y[k] > a) out.push(a, y[k] - 1);
      a = Math.max(a, y[k + 1] + 1);
      k += 2;
    }
    if (a <= b) out.push(a, b);
  }
  return out;
}

export function portsEqual(x: PortRanges, y: PortRanges): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export function portsContain(r: PortRanges, port: number): boolean {
  for (let i = 0; i < r.length; i += 2) {
    if (port < r[i]) return false;
    if (port <= r[i + 1]) return true;
  }
  return false;
}

/** `80`, `8000-8090`, joined with `,`: netpol-analyzer's notation. */
export function formatPorts(r: PortRanges): string {
  const parts: string[] = [];
  for (let i = 0; i < r.length; i += 2) parts.push(r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`);
  return parts.join(',');
}

/** Allowed ports per protocol. Immutable; the shared ALL/NONE instances avoid allocation. */
export class ConnSet {
  static readonly NONE = new ConnSet(NO_PORTS, NO_PORTS, NO_PORTS);
  static readonly ALL = new ConnSet(ALL_PORTS, ALL_PORTS, ALL_PORTS);

  private constructor(
    readonly tcp: PortRanges,
    readonly udp: PortRanges,
    readonly sctp: PortRanges,
  ) {}

  static of(tcp: PortRanges, udp: PortRanges, sctp: PortRanges): ConnSet {
    const c = new ConnSet(tcp, udp, sctp);
    if (c.isEmpty()) return ConnSet.NONE;
    if (c.isAll()) return ConnSet.ALL;
    return c;
  }

  static forProtocol(protocol: Protocol, ports: PortRanges): ConnSet {
    return ConnSet.of(
      protocol === 'TCP' ? ports : NO_PORTS,
      protocol === 'UDP' ? ports : NO_PORTS,
      protocol === 'SCTP' ? ports : NO_PORTS,
    );
  }

  ports(protocol: Protocol): PortRanges {
    return protocol === 'TCP' ? this.tcp : protocol === 'UDP' ? this.udp : this.sctp;
  }

  isEmpty(): boolean {
    return this.tcp.length === 0 && this.udp.length === 0 && this.sctp.length === 0;
  }

  isAll(): boolean {
    return isAllPorts(this.tcp) && isAllPorts(this.udp) && isAllPorts(this.sctp);
  }

  union(o: ConnSet): ConnSet {
    if (this === o || o.isEmpty() || this === ConnSet.ALL) return this;
    if (this.isEmpty() || o === ConnSet.ALL) return o;
    return ConnSet.of(unionPorts(this.tcp, o.tcp), unionPorts(this.udp, o.udp), unionPorts(this.sctp, o.sctp));
  }

  intersect(o: ConnSet): ConnSet {
    if (this === o || o === ConnSet.ALL) return this;
    if (this === ConnSet.ALL) return o;
    if (this.isEmpty() || o.isEmpty()) return ConnSet.NONE;
    return ConnSet.of(intersectPorts(this.tcp, o.tcp), intersectPorts(this.udp, o.udp), intersectPorts(this.sctp, o.sctp));
  }

  subtract(o: ConnSet): ConnSet {
    if (o.isEmpty() || this.isEmpty()) return this;
    // A rule that takes everything still undecided (the cluster tiers' walk): nothing left.
    if (this === o || o === ConnSet.ALL) return ConnSet.NONE;
    return ConnSet.of(subtractPorts(this.tcp, o.tcp), subtractPorts(this.udp, o.udp), subtractPorts(this.sctp, o.sctp));
  }

  equals(o: ConnSet): boolean {
    return this === o || (portsEqual(this.tcp, o.tcp) && portsEqual(this.udp, o.udp) && portsEqual(this.sctp, o.sctp));
  }

  allows(protocol: Protocol, port: number): boolean {
    return portsContain(this.ports(protocol), port);
  }

  /**
   * netpol-analyzer's connection string: `All Connections`, or `PROTO ports` items
   * sorted by protocol name (SCTP < TCP < UDP) joined with `,`.
   */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const items: string[] = [];
    for (const p of ['SCTP', 'TCP', 'UDP'] as const) {
      const r = this.ports(p);
      if (r.length > 0) items.push(`${p} ${formatPorts(r)}`);
    }
    return items.join(',');
  }
}
