/**
 * IP addresses, CIDRs and address sets with Kubernetes NetworkPolicy `ipBlock` semantics.
 *
 * Addresses are bigints so IPv4 (32 bits) and IPv6 (128 bits) share one code path.
 * Sets are sorted, disjoint, merged inclusive intervals, never enumerated addresses:
 * `0.0.0.0/0` is one interval and `::/0` does not explode.
 *
 * Parsing follows what the API server validates ipBlocks with (`netutils.ParseCIDRSloppy`,
 * the pre-1.17 Go parser): leading zeros in IPv4 octets and in the prefix length are
 * read as decimal and accepted. Only the StrictIPCIDRValidation feature gate rejects
 * them, so they are flagged (`leadingZeros`) for a warning, not refused.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: IpFamily;
  readonly prefix: number;
  /** The masked base address (host bits cleared). */
  readonly network: bigint;
  readonly start: bigint;
  /** Inclusive. */
  readonly end: bigint;
  /** The text named an address inside the network rather than the network itself. */
  readonly hostBitsSet: boolean;
  /** An octet or the prefix length was written with a leading zero (`010.0.0.0/08`). */
  readonly leadingZeros: boolean;
  /** The text as given. */
  readonly text: string;
}

export type Interval = readonly [bigint, bigint];

export function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function maxAddress(family: IpFamily): bigint {
  return (1n << BigInt(familyBits(family))) - 1n;
}

// ---------------------------------------------------------------------------
// Parsing

/** Why `text` is not an IPv4 address, or its value. */
function parseIpv4(text: string): bigint | string {
  const octets = text.split('.');
  if (octets.length !== 4) return 'an IPv4 address needs 4 decimal octets separated by dots';
  // Added up as a number (below 2^32, exact), made a bigint once: a cluster dump has an
  // address per pod.
  let value = 0;
  for (const octet of octets) {
    if (!isOctetText(octet)) return `octet "${octet}" is not a number from 0 to 255`;
    // Leading zeros are read as decimal, as ParseCIDRSloppy does; parseCidr flags them.
    const n = Number(octet);
    if (n > 255) return `octet "${octet}" is greater than 255`;
    value = value * 256 + n;
  }
  return BigInt(value);
}

/** One to three decimal digits (what /^[0-9]{1,3}$/ accepts). */
function isOctetText(octet: string): boolean {
  if (octet.length < 1 || octet.length > 3) return false;
  for (let i = 0; i < octet.length; i++) {
    const c = octet.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Why `text` is not an IPv6 address, or its value. */
function parseIpv6(text: string): bigint | string {
  if (text.includes('%')) return 'zone ids ("%...") are not allowed';
  if (text.startsWith('[') || text.endsWith(']')) return 'brackets are not allowed';
  const gap = text.indexOf('::');
  // `indexOf` from gap + 1 also catches ":::".
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return '"::" may appear only once';
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = gap >= 0 ? split(text.slice(0, gap)) : split(text);
  const tail = gap >= 0 ? split(text.slice(gap + 2)) : [];

  const groups: bigint[][] = [[], []];
  const parts = [head, tail];
  // Only the text's final group may be IPv4: not one before "::" ("1.2.3.4::" is invalid).
  const last = gap >= 0 ? tail : head;
  for (let p = 0; p < 2; p++) {
    for (let i = 0; i < parts[p].length; i++) {
      const group = parts[p][i];
      if (group.includes('.')) {
        // An embedded IPv4 address (::ffff:1.2.3.4) fills the last two groups only.
        if (parts[p] !== last || i !== last.length - 1) {
          return 'an embedded IPv4 address may only appear at the end';
        }
        const v4 = parseIpv4(group);
        if (typeof v4 === 'string') return `embedded IPv4 address "${group}": ${v4}`;
        groups[p].push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
        groups[p].push(BigInt('0x' + group));
      } else {
        return group === '' ? 'empty group (stray ":")' : `group "${group}" is not 1 to 4 hex digits`;
      }
    }
  }

  const count = groups[0].length + groups[1].length;
  if (gap < 0 && count !== 8) return `expected 8 groups, found ${count}`;
  if (gap >= 0 && count > 7) return '"::" must stand for at least one group of zeros';
  const zeros: bigint[] = new Array<bigint>(8 - count).fill(0n);
  return [...groups[0], ...zeros, ...groups[1]].reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseIpOrReason(text: string): IpAddress | string {
  if (text === '') return 'the address is empty';
  // Like Go: a colon means IPv6, otherwise it must be a dotted quad.
  const family: IpFamily = text.includes(':') ? 6 : 4;
  const value = family === 4 ? parseIpv4(text) : parseIpv6(text);
  return typeof value === 'string' ? value : { family, value };
}

/** Parses a single IPv4 or IPv6 address; `undefined` if it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const result = parseIpOrReason(text);
  return typeof result === 'string' ? undefined : result;
}

/** Parses `address/prefix`; the error says what is wrong, quoting the input. */
export function parseCidr(text: string): Cidr | { error: string } {
  const quoted = JSON.stringify(text);
  if (text === '') return { error: 'the CIDR is empty' };
  const slash = text.indexOf('/');
  const addressText = slash >= 0 ? text.slice(0, slash) : text;
  const address = parseIpOrReason(addressText);
  if (typeof address === 'string') {
    return { error: `${JSON.stringify(addressText)} is not a valid IP address (${address})` };
  }
  const bits = familyBits(address.family);
  if (slash < 0) {
    return { error: `${quoted}: missing "/prefix" (for a single address write "${text}/${bits}")` };
  }
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]+$/.test(prefixText)) {
    return { error: `${quoted}: prefix length ${JSON.stringify(prefixText)} is not a decimal number` };
  }
  const prefix = Number(prefixText);
  if (prefix > bits) {
    return { error: `${quoted}: prefix length must be between 0 and ${bits}` };
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const network = address.value & ~hostMask;
  return {
    family: address.family,
    prefix,
    network,
    start: network,
    end: network | hostMask,
    hostBitsSet: network !== address.value,
    leadingZeros: (prefixText.length > 1 && prefixText[0] === '0') || (address.family === 4 && /(^|\.)0\d/.test(addressText)),
    text,
  };
}

/**
 * The rule the API server applies to `ipBlock.except`: same family, inside `cidr`,
 * and strictly longer prefix (so an except equal to the cidr is rejected).
 */
export function isStrictSubset(inner: Cidr, outer: Cidr): boolean {
  return (
    inner.family === outer.family &&
    inner.prefix > outer.prefix &&
    inner.start >= outer.start &&
    inner.end <= outer.end
  );
}

// ---------------------------------------------------------------------------
// Formatting

/** Dotted quad for IPv4; RFC 5952 canonical text for IPv6. */
export function formatIp(family: IpFamily, value: bigint): string {
  if (value < 0n || value > maxAddress(family)) {
    throw new RangeError(`${value} is not an IPv${family} address`);
  }
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));

  // RFC 5952: "::" replaces the longest run of two or more zero groups, the first on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

// ---------------------------------------------------------------------------
// Address sets

const compareBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Appends [start, end] to `out` (sorted by start), merging overlap and touching neighbours. */
function pushMerged(out: Array<[bigint, bigint]>, start: bigint, end: bigint): void {
  const lastInterval = out[out.length - 1];
  // Touching intervals merge: the sets are of integers, so 1-5 and 6-9 is 1-9.
  if (lastInterval !== undefined && start <= lastInterval[1] + 1n) {
    if (end > lastInterval[1]) lastInterval[1] = end;
  } else {
    out.push([start, end]);
  }
}

/** An immutable set of addresses of one family. */
export class IpSet {
  private constructor(
    readonly family: IpFamily,
    private readonly ranges: ReadonlyArray<Interval>,
  ) {}

  /** `ranges` must already be sorted, disjoint and merged. */
  private static of(family: IpFamily, ranges: Array<[bigint, bigint]>): IpSet {
    return new IpSet(family, Object.freeze(ranges.map((r) => Object.freeze(r))));
  }

  static empty(family: IpFamily): IpSet {
    return IpSet.of(family, []);
  }

  static all(family: IpFamily): IpSet {
    return IpSet.of(family, [[0n, maxAddress(family)]]);
  }

  static fromRange(family: IpFamily, start: bigint, end: bigint): IpSet {
    checkRange(family, start, end);
    return IpSet.of(family, [[start, end]]);
  }

  static fromCidr(cidr: Cidr): IpSet {
    return IpSet.of(cidr.family, [[cidr.start, cidr.end]]);
  }

  union(other: IpSet): IpSet {
    this.checkFamily(other);
    const a = this.ranges;
    const b = other.ranges;
    const out: Array<[bigint, bigint]> = [];
    let i = 0;
    let j = 0;
    // Merge the two sorted lists by start; pushMerged coalesces as it goes.
    while (i < a.length || j < b.length) {
      const next = j >= b.length || (i < a.length && a[i][0] <= b[j][0]) ? a[i++] : b[j++];
      pushMerged(out, next[0], next[1]);
    }
    return IpSet.of(this.family, out);
  }

  intersect(other: IpSet): IpSet {
    this.checkFamily(other);
    const a = this.ranges;
    const b = other.ranges;
    const out: Array<[bigint, bigint]> = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const start = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
      const end = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
      if (start <= end) pushMerged(out, start, end);
      // The interval that ends first cannot meet anything further on the other side.
      if (a[i][1] < b[j][1]) i++;
      else j++;
    }
    return IpSet.of(this.family, out);
  }

  subtract(other: IpSet): IpSet {
    this.checkFamily(other);
    const b = other.ranges;
    const out: Array<[bigint, bigint]> = [];
    let j = 0;
    for (const [start, end] of this.ranges) {
      // Holes ending before this interval cannot touch any later interval either.
      while (j < b.length && b[j][1] < start) j++;
      let cursor = start;
      // A hole may run past `end` and also cut the next interval, so scan with k, not j.
      for (let k = j; k < b.length && b[k][0] <= end && cursor <= end; k++) {
        if (b[k][0] > cursor) pushMerged(out, cursor, b[k][0] - 1n);
        if (b[k][1] + 1n > cursor) cursor = b[k][1] + 1n;
      }
      if (cursor <= end) pushMerged(out, cursor, end);
    }
    return IpSet.of(this.family, out);
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  equals(other: IpSet): boolean {
    return (
      this.family === other.family &&
      this.ranges.length === other.ranges.length &&
      this.ranges.every((r, i) => r[0] === other.ranges[i][0] && r[1] === other.ranges[i][1])
    );
  }

  /** Whether every address in [start, end] is in the set. */
  containsRange(start: bigint, end: bigint): boolean {
    checkRange(this.family, start, end);
    // Intervals are merged, so a contained range lies inside a single interval:
    // the last one starting at or before `start`.
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid][0] <= start) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && end <= this.ranges[found][1];
  }

  intervals(): ReadonlyArray<Interval> {
    return this.ranges;
  }

  /** `start-end` per interval, joined with ","; "" for the empty set. */
  toString(): string {
    return this.ranges
      .map(([start, end]) => `${formatIp(this.family, start)}-${formatIp(this.family, end)}`)
      .join(',');
  }

  private checkFamily(other: IpSet): void {
    // Mixing families is a caller bug: the result would silently mean nothing.
    if (other.family !== this.family) {
      throw new Error(`cannot combine an IPv${this.family} set with an IPv${other.family} set`);
    }
  }
}

function checkRange(family: IpFamily, start: bigint, end: bigint): void {
  if (start < 0n || end > maxAddress(family) || start > end) {
    throw new RangeError(`[${start}, ${end}] is not a non-empty IPv${family} range`);
  }
}

/** The addresses an `ipBlock` selects: `cidr` minus its `except` entries of the same family. */
export function ipBlockRange(cidr: Cidr, excepts: Cidr[]): IpSet {
  let holes = IpSet.empty(cidr.family);
  for (const except of excepts) {
    if (except.family === cidr.family) holes = holes.union(IpSet.fromCidr(except));
  }
  return IpSet.fromCidr(cidr).subtract(holes);
}

/**
 * The coarsest partition of the whole `family` address space in which every set is a
 * union of cells: cut at every interval start and just after every interval end.
 * Each cell is then wholly inside or wholly outside every set, so a cell can stand in
 * for all of its addresses.
 */
export function splitIntoDisjoint(family: IpFamily, sets: IpSet[]): Array<[bigint, bigint]> {
  const max = maxAddress(family);
  const cuts: bigint[] = [0n];
  for (const set of sets) {
    if (set.family !== family) {
      throw new Error(`cannot partition the IPv${family} space by an IPv${set.family} set`);
    }
    for (const [start, end] of set.intervals()) cuts.push(start, end + 1n);
  }
  cuts.sort(compareBigint);
  const cells: Array<[bigint, bigint]> = [];
  for (let i = 0; i < cuts.length; i++) {
    const start = cuts[i];
    // Only the last of equal cuts starts a cell; the cut past the last address starts none.
    if (start > max || (i + 1 < cuts.length && cuts[i + 1] === start)) continue;
    const next = i + 1 < cuts.length ? cuts[i + 1] : max + 1n;
    cells.push([start, next - 1n]);
  }
  return cells;
}
