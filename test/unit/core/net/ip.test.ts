import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Cidr,
  IpFamily,
  IpSet,
  formatIp,
  ipBlockRange,
  isStrictSubset,
  parseCidr,
  parseIp,
  splitIntoDisjoint,
} from '../../../../server/src/core/base/ip';

function cidr(text: string): Cidr {
  const result = parseCidr(text);
  if ('error' in result) throw new Error(`test setup: ${result.error}`);
  return result;
}

function cidrError(text: string): string {
  const result = parseCidr(text);
  assert.ok('error' in result, `expected ${JSON.stringify(text)} to be rejected`);
  return result.error;
}

function ip(text: string): bigint {
  const result = parseIp(text);
  if (result === undefined) throw new Error(`test setup: bad address ${text}`);
  return result.value;
}

function formatCells(family: IpFamily, cells: Array<[bigint, bigint]>): string[] {
  return cells.map(([s, e]) => `${formatIp(family, s)}-${formatIp(family, e)}`);
}

// ---------------------------------------------------------------------------
// parseIp

test('parseIp: IPv4 dotted quads', () => {
  assert.deepEqual(parseIp('0.0.0.0'), { family: 4, value: 0n });
  assert.deepEqual(parseIp('255.255.255.255'), { family: 4, value: 0xffffffffn });
  assert.deepEqual(parseIp('10.1.2.3'), { family: 4, value: 0x0a010203n });
  assert.deepEqual(parseIp('192.168.0.1'), { family: 4, value: 0xc0a80001n });
});

test('parseIp: rejects malformed IPv4', () => {
  for (const bad of [
    '', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.300',
    '1..2.3', '1.2.3.', '.1.2.3', '+1.2.3.4', '-1.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '0x1.2.3.4',
    'a.b.c.d', '1.2.3.4/8', '1234.1.1.1', '１.2.3.4',
  ]) {
    assert.equal(parseIp(bad), undefined, JSON.stringify(bad));
  }
});

test('parseIp: IPv6 standard forms', () => {
  assert.deepEqual(parseIp('::'), { family: 6, value: 0n });
  assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
  assert.deepEqual(parseIp('1::'), { family: 6, value: 1n << 112n });
  assert.deepEqual(parseIp('fe80::1'), { family: 6, value: (0xfe80n << 112n) | 1n });
  assert.deepEqual(parseIp('2001:db8:0:0:0:0:0:1'), parseIp('2001:db8::1'));
  assert.deepEqual(parseIp('2001:0DB8:0000:0000:0000:0000:0000:0001'), parseIp('2001:db8::1'));
  assert.equal(ip('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), (1n << 128n) - 1n);
  assert.equal(ip('1:2:3:4:5:6:7::'), ip('1:2:3:4:5:6:7:0'));
  assert.equal(ip('::2:3:4:5:6:7:8'), ip('0:2:3:4:5:6:7:8'));
  assert.equal(ip('1:2:3::6:7:8'), ip('1:2:3:0:0:6:7:8'));
});

test('parseIp: IPv6 with embedded IPv4', () => {
  assert.deepEqual(parseIp('::ffff:1.2.3.4'), { family: 6, value: 0xffff01020304n });
  assert.equal(ip('::1.2.3.4'), 0x01020304n);
  assert.equal(ip('1:2:3:4:5:6:1.2.3.4'), ip('1:2:3:4:5:6:102:304'));
  assert.equal(ip('64:ff9b::192.0.2.33'), ip('64:ff9b::c000:221'));
});

test('parseIp: rejects malformed IPv6', () => {
  for (const bad of [
    ':', ':::', '1:::2', '1::2::3', ':1::2', '1::2:', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', '1:2:3:4::5:6:7:8', '12345::', 'g::1', '::-1',
    'fe80::1%eth0', '[::1]', '::ffff:1.2.3', '::ffff:1.2.3.256', '1.2.3.4::',
    '::1.2.3.4:5', '1:2:3:4:5:6:7:1.2.3.4', ' ::1', '::1 ', '0x1::',
  ]) {
    assert.equal(parseIp(bad), undefined, JSON.stringify(bad));
  }
});

// ---------------------------------------------------------------------------
// parseCidr

test('parseCidr: a plain IPv4 network', () => {
  assert.deepEqual(parseCidr('10.0.0.0/8'), {
    family: 4,
    prefix: 8,
    network: 0x0a000000n,
    start: 0x0a000000n,
    end: 0x0affffffn,
    hostBitsSet: false,
    leadingZeros: false,
    text: '10.0.0.0/8',
  });
});

test('parseCidr: host bits set are accepted and masked off', () => {
  const c = cidr('10.1.2.3/8');
  assert.equal(c.hostBitsSet, true);
  assert.equal(c.network, ip('10.0.0.0'));
  assert.equal(c.start, ip('10.0.0.0'));
  assert.equal(c.end, ip('10.255.255.255'));
  assert.equal(c.text, '10.1.2.3/8');

  const v6 = cidr('2001:db8::1/32');
  assert.equal(v6.hostBitsSet, true);
  assert.equal(v6.network, ip('2001:db8::'));
  assert.equal(v6.end, ip('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'));
});

test('parseCidr: /0, /32 and /128 edges', () => {
  const all4 = cidr('0.0.0.0/0');
  assert.equal(all4.start, 0n);
  assert.equal(all4.end, 0xffffffffn);
  assert.equal(all4.hostBitsSet, false);

  // Any address with /0 is the whole space, with host bits set.
  const alsoAll4 = cidr('1.2.3.4/0');
  assert.equal(alsoAll4.network, 0n);
  assert.equal(alsoAll4.end, 0xffffffffn);
  assert.equal(alsoAll4.hostBitsSet, true);

  const one4 = cidr('255.255.255.255/32');
  assert.equal(one4.start, 0xffffffffn);
  assert.equal(one4.end, 0xffffffffn);
  assert.equal(one4.hostBitsSet, false);

  const all6 = cidr('::/0');
  assert.equal(all6.family, 6);
  assert.equal(all6.start, 0n);
  assert.equal(all6.end, (1n << 128n) - 1n);

  const one6 = cidr('2001:db8::7/128');
  assert.equal(one6.start, one6.end);
  assert.equal(one6.start, ip('2001:db8::7'));
  assert.equal(one6.hostBitsSet, false);

  // An IPv6 CIDR may go past /32.
  assert.equal(cidr('2001:db8::/64').prefix, 64);
  assert.equal(cidr('::ffff:10.0.0.0/104').family, 6);
});

test('parseCidr: prefix length out of range', () => {
  assert.equal(cidrError('10.0.0.0/33'), '"10.0.0.0/33": prefix length must be between 0 and 32');
  assert.equal(cidrError('::/129'), '"::/129": prefix length must be between 0 and 128');
  assert.match(cidrError('10.0.0.0/99999999999999999999'), /between 0 and 32/);
});

test('parseCidr: malformed prefix length', () => {
  assert.match(cidrError('10.0.0.0/'), /prefix length "" is not a decimal number/);
  assert.match(cidrError('10.0.0.0/+8'), /prefix length "\+8" is not a decimal number/);
  assert.match(cidrError('10.0.0.0/-1'), /not a decimal number/);
  assert.match(cidrError('10.0.0.0/8.0'), /not a decimal number/);
  assert.match(cidrError('10.0.0.0/ 8'), /not a decimal number/);
  assert.match(cidrError('10.0.0.0/8/8'), /prefix length "8\/8" is not a decimal number/);
  assert.match(cidrError('10.0.0.0/0x8'), /not a decimal number/);
  // Accepted by the API server (ParseCIDRSloppy reads them as decimal), but flagged.
  const c08 = parseCidr('10.0.0.0/08');
  assert.ok(!('error' in c08) && c08.prefix === 8 && c08.leadingZeros);
  const c00 = parseCidr('10.0.0.0/00');
  assert.ok(!('error' in c00) && c00.prefix === 0 && c00.leadingZeros);
  // A lone "0" is fine.
  assert.equal(cidr('10.0.0.0/0').prefix, 0);
});

test('parseCidr: missing prefix', () => {
  const e4 = cidrError('10.0.0.1');
  assert.match(e4, /^"10\.0\.0\.1": missing "\/prefix"/);
  assert.match(e4, /10\.0\.0\.1\/32/);
  assert.match(cidrError('fe80::1'), /missing "\/prefix".*fe80::1\/128/);
});

test('parseCidr: invalid address', () => {
  assert.match(cidrError('300.1.1.1/8'), /^"300\.1\.1\.1" is not a valid IP address/);
  assert.match(cidrError('300.1.1.1/8'), /greater than 255/);
  const c010 = parseCidr('010.0.0.0/8');
  assert.ok(!('error' in c010) && c010.start === 0x0a000000n && c010.leadingZeros);
  const plain = parseCidr('10.0.0.0/8');
  assert.ok(!('error' in plain) && !plain.leadingZeros);
  assert.match(cidrError('10.0.0/8'), /"10\.0\.0" is not a valid IP address/);
  assert.match(cidrError('fe80::1%eth0/64'), /zone/);
  assert.match(cidrError('[::1]/128'), /bracket/);
  assert.match(cidrError('1::2::3/64'), /"::" may appear only once/);
  assert.match(cidrError('/8'), /"" is not a valid IP address/);
  assert.match(cidrError('example.com/8'), /not a valid IP address/);
  assert.equal(cidrError(''), 'the CIDR is empty');
  // No address, no prefix: the address is what's wrong.
  assert.match(cidrError('banana'), /"banana" is not a valid IP address/);
});

// ---------------------------------------------------------------------------
// isStrictSubset

test('isStrictSubset: follows the Kubernetes except rule', () => {
  assert.equal(isStrictSubset(cidr('10.1.0.0/16'), cidr('10.0.0.0/8')), true);
  assert.equal(isStrictSubset(cidr('10.1.2.3/32'), cidr('10.0.0.0/8')), true);
  assert.equal(isStrictSubset(cidr('10.0.0.0/9'), cidr('0.0.0.0/0')), true);
  assert.equal(isStrictSubset(cidr('2001:db8:1::/48'), cidr('2001:db8::/32')), true);
  // Host bits do not matter, the masked ranges do.
  assert.equal(isStrictSubset(cidr('10.1.9.9/16'), cidr('10.7.7.7/8')), true);
});

test('isStrictSubset: equal, wider, disjoint and other-family CIDRs are not', () => {
  assert.equal(isStrictSubset(cidr('10.0.0.0/8'), cidr('10.0.0.0/8')), false);
  assert.equal(isStrictSubset(cidr('10.0.0.0/8'), cidr('10.5.0.0/8')), false);
  assert.equal(isStrictSubset(cidr('10.0.0.0/8'), cidr('10.1.0.0/16')), false);
  assert.equal(isStrictSubset(cidr('11.0.0.0/16'), cidr('10.0.0.0/8')), false);
  assert.equal(isStrictSubset(cidr('9.255.0.0/16'), cidr('10.0.0.0/8')), false);
  assert.equal(isStrictSubset(cidr('::/128'), cidr('0.0.0.0/0')), false);
  assert.equal(isStrictSubset(cidr('10.0.0.0/32'), cidr('::/0')), false);
  assert.equal(isStrictSubset(cidr('::/0'), cidr('::/0')), false);
});

// ---------------------------------------------------------------------------
// formatIp

test('formatIp: IPv4', () => {
  assert.equal(formatIp(4, 0n), '0.0.0.0');
  assert.equal(formatIp(4, 0xffffffffn), '255.255.255.255');
  assert.equal(formatIp(4, ip('172.21.0.1')), '172.21.0.1');
});

test('formatIp: IPv6 in RFC 5952 canonical form', () => {
  const canon = (text: string): string => formatIp(6, ip(text));
  assert.equal(canon('0:0:0:0:0:0:0:0'), '::');
  assert.equal(canon('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(canon('1:0:0:0:0:0:0:0'), '1::');
  assert.equal(canon('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  // The longest zero run is compressed...
  assert.equal(canon('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1');
  // ...and the first one on a tie.
  assert.equal(canon('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  // A single zero group is never compressed.
  assert.equal(canon('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
  assert.equal(canon('1:2:3:4:5:6:7:0'), '1:2:3:4:5:6:7:0');
  assert.equal(canon('1:0:0:4:5:6:7:8'), '1::4:5:6:7:8');
  assert.equal(canon('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  assert.equal(canon('::ffff:1.2.3.4'), '::ffff:102:304');
  assert.equal(canon('fe80::0001'), 'fe80::1');
});

test('formatIp: round-trips through parseIp', () => {
  for (const text of ['::', '::1', '1::', 'fe80::1', '2001:db8::1:0:0:1', '1:2:3:4:5:6:7:8', '0.0.0.0', '1.2.3.4']) {
    const parsed = parseIp(text);
    assert.ok(parsed);
    assert.equal(formatIp(parsed.family, parsed.value), text);
  }
});

test('formatIp: rejects values outside the family', () => {
  assert.throws(() => formatIp(4, 1n << 32n), RangeError);
  assert.throws(() => formatIp(4, -1n), RangeError);
  assert.throws(() => formatIp(6, 1n << 128n), RangeError);
});

// ---------------------------------------------------------------------------
// IpSet

test('IpSet: empty and all', () => {
  assert.equal(IpSet.empty(4).isEmpty(), true);
  assert.equal(IpSet.empty(4).toString(), '');
  assert.deepEqual(IpSet.empty(6).intervals(), []);
  assert.equal(IpSet.all(4).isEmpty(), false);
  assert.equal(IpSet.all(4).toString(), '0.0.0.0-255.255.255.255');
  assert.equal(IpSet.all(6).toString(), '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  assert.equal(IpSet.all(4).family, 4);
  assert.equal(IpSet.all(6).family, 6);
  assert.ok(IpSet.all(4).equals(IpSet.fromCidr(cidr('0.0.0.0/0'))));
  assert.ok(IpSet.all(6).equals(IpSet.fromCidr(cidr('::/0'))));
  assert.ok(!IpSet.empty(4).equals(IpSet.empty(6)));
});

test('IpSet: fromRange validates its bounds', () => {
  assert.equal(IpSet.fromRange(4, 5n, 5n).toString(), '0.0.0.5-0.0.0.5');
  assert.throws(() => IpSet.fromRange(4, 6n, 5n), RangeError);
  assert.throws(() => IpSet.fromRange(4, -1n, 5n), RangeError);
  assert.throws(() => IpSet.fromRange(4, 0n, 1n << 32n), RangeError);
  assert.doesNotThrow(() => IpSet.fromRange(6, 0n, (1n << 128n) - 1n));
});

test('IpSet: union merges overlapping and touching intervals', () => {
  const a = IpSet.fromCidr(cidr('10.0.0.0/25'));
  const b = IpSet.fromCidr(cidr('10.0.0.128/25'));
  assert.equal(a.union(b).toString(), '10.0.0.0-10.0.0.255');
  assert.ok(a.union(b).equals(IpSet.fromCidr(cidr('10.0.0.0/24'))));

  const c = IpSet.fromCidr(cidr('10.0.2.0/24'));
  assert.equal(a.union(c).toString(), '10.0.0.0-10.0.0.127,10.0.2.0-10.0.2.255');
  assert.equal(c.union(a).toString(), '10.0.0.0-10.0.0.127,10.0.2.0-10.0.2.255');
  // Filling the gap joins everything into one interval.
  const all = a.union(c).union(IpSet.fromRange(4, ip('10.0.0.100'), ip('10.0.1.255')));
  assert.equal(all.toString(), '10.0.0.0-10.0.2.255');
  assert.equal(all.intervals().length, 1);
  assert.ok(a.union(IpSet.empty(4)).equals(a));
  assert.ok(a.union(IpSet.all(4)).equals(IpSet.all(4)));
});

test('IpSet: intersect', () => {
  const a = IpSet.fromCidr(cidr('10.0.0.0/8'));
  const b = IpSet.fromCidr(cidr('10.20.0.0/16')).union(IpSet.fromCidr(cidr('11.0.0.0/8')));
  assert.equal(a.intersect(b).toString(), '10.20.0.0-10.20.255.255');
  assert.ok(a.intersect(IpSet.empty(4)).isEmpty());
  assert.ok(a.intersect(IpSet.all(4)).equals(a));
  assert.ok(IpSet.fromCidr(cidr('10.0.0.0/8')).intersect(IpSet.fromCidr(cidr('11.0.0.0/8'))).isEmpty());
  // Single-address overlap at the edges.
  const x = IpSet.fromRange(4, 0n, 10n);
  const y = IpSet.fromRange(4, 10n, 20n);
  assert.deepEqual(x.intersect(y).intervals(), [[10n, 10n]]);
});

test('IpSet: subtract', () => {
  const a = IpSet.fromCidr(cidr('10.0.0.0/8'));
  const hole = IpSet.fromCidr(cidr('10.1.0.0/16'));
  assert.equal(a.subtract(hole).toString(), '10.0.0.0-10.0.255.255,10.2.0.0-10.255.255.255');
  assert.ok(a.subtract(a).isEmpty());
  assert.ok(a.subtract(IpSet.all(4)).isEmpty());
  assert.ok(a.subtract(IpSet.empty(4)).equals(a));
  assert.ok(hole.subtract(a).isEmpty());
  // Holes at both ends of the range.
  const edges = IpSet.fromCidr(cidr('10.0.0.0/24'))
    .union(IpSet.fromCidr(cidr('10.255.255.0/24')));
  assert.equal(a.subtract(edges).toString(), '10.0.1.0-10.255.254.255');
  // One hole spanning the gap between two intervals cuts both.
  const two = IpSet.fromRange(4, 0n, 10n).union(IpSet.fromRange(4, 20n, 30n));
  assert.deepEqual(two.subtract(IpSet.fromRange(4, 5n, 25n)).intervals(), [[0n, 4n], [26n, 30n]]);
  // Many holes in one interval.
  const holes = IpSet.fromRange(4, 2n, 3n).union(IpSet.fromRange(4, 6n, 6n)).union(IpSet.fromRange(4, 9n, 12n));
  assert.deepEqual(IpSet.fromRange(4, 0n, 10n).subtract(holes).intervals(), [[0n, 1n], [4n, 5n], [7n, 8n]]);
});

test('IpSet: subtract at the top of the IPv4 and IPv6 spaces', () => {
  assert.equal(
    IpSet.all(4).subtract(IpSet.fromCidr(cidr('255.255.255.255/32'))).toString(),
    '0.0.0.0-255.255.255.254',
  );
  assert.equal(
    IpSet.all(6).subtract(IpSet.fromCidr(cidr('::/1'))).toString(),
    '8000::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  );
});

test('IpSet: combining families throws', () => {
  assert.throws(() => IpSet.all(4).union(IpSet.all(6)), /IPv4.*IPv6/);
  assert.throws(() => IpSet.all(4).intersect(IpSet.all(6)));
  assert.throws(() => IpSet.all(6).subtract(IpSet.all(4)));
});

test('IpSet: containsRange', () => {
  const set = IpSet.fromCidr(cidr('10.0.0.0/24')).union(IpSet.fromCidr(cidr('10.0.2.0/24')));
  assert.equal(set.containsRange(ip('10.0.0.0'), ip('10.0.0.255')), true);
  assert.equal(set.containsRange(ip('10.0.0.5'), ip('10.0.0.5')), true);
  assert.equal(set.containsRange(ip('10.0.2.0'), ip('10.0.2.255')), true);
  assert.equal(set.containsRange(ip('10.0.0.0'), ip('10.0.2.255')), false);
  assert.equal(set.containsRange(ip('10.0.1.0'), ip('10.0.1.0')), false);
  assert.equal(set.containsRange(ip('9.255.255.255'), ip('10.0.0.0')), false);
  assert.equal(set.containsRange(ip('10.0.2.255'), ip('10.0.3.0')), false);
  assert.equal(set.containsRange(0n, 0n), false);
  assert.equal(IpSet.empty(4).containsRange(0n, 0n), false);
  assert.equal(IpSet.all(6).containsRange(0n, (1n << 128n) - 1n), true);
  assert.throws(() => set.containsRange(5n, 4n), RangeError);
});

test('IpSet: is immutable', () => {
  const set = IpSet.fromCidr(cidr('10.0.0.0/8'));
  const intervals = set.intervals();
  assert.ok(Object.isFrozen(intervals));
  assert.ok(Object.isFrozen(intervals[0]));
  assert.throws(() => {
    (intervals as Array<[bigint, bigint]>).push([0n, 0n]);
  }, TypeError);
  assert.throws(() => {
    (intervals[0] as [bigint, bigint])[1] = 0n;
  }, TypeError);
  set.union(IpSet.fromCidr(cidr('11.0.0.0/8')));
  set.subtract(IpSet.fromCidr(cidr('10.0.0.0/16')));
  assert.equal(set.toString(), '10.0.0.0-10.255.255.255');
});

test('IpSet: equals', () => {
  const a = IpSet.fromCidr(cidr('10.0.0.0/24'));
  assert.ok(a.equals(IpSet.fromRange(4, ip('10.0.0.0'), ip('10.0.0.255'))));
  assert.ok(!a.equals(IpSet.fromCidr(cidr('10.0.0.0/25'))));
  assert.ok(!a.equals(a.union(IpSet.fromCidr(cidr('10.0.2.0/24')))));
  assert.ok(!IpSet.fromRange(4, 0n, 5n).equals(IpSet.fromRange(6, 0n, 5n)));
});

/** Brute force: sets of small numbers checked against a plain Set<number>. */
test('IpSet: union, intersect, subtract and containsRange agree with a brute-force model', () => {
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const size = 48;
  const randomSet = (): [IpSet, Set<number>] => {
    let set = IpSet.empty(4);
    const model = new Set<number>();
    for (let k = random(5); k > 0; k--) {
      const a = random(size);
      const b = Math.min(size - 1, a + random(8));
      set = set.union(IpSet.fromRange(4, BigInt(a), BigInt(b)));
      for (let x = a; x <= b; x++) model.add(x);
    }
    return [set, model];
  };
  const check = (set: IpSet, model: Set<number>, what: string): void => {
    const members = new Set<number>();
    let previousEnd = -2n;
    for (const [s, e] of set.intervals()) {
      assert.ok(s <= e, what);
      // Sorted, disjoint and not touching.
      assert.ok(s > previousEnd + 1n, `${what}: ${set.toString()}`);
      previousEnd = e;
      for (let x = s; x <= e; x++) members.add(Number(x));
    }
    assert.deepEqual([...members].sort((p, q) => p - q), [...model].sort((p, q) => p - q), what);
  };
  for (let round = 0; round < 300; round++) {
    const [a, ma] = randomSet();
    const [b, mb] = randomSet();
    check(a.union(b), new Set([...ma, ...mb]), 'union');
    check(a.intersect(b), new Set([...ma].filter((x) => mb.has(x))), 'intersect');
    check(a.subtract(b), new Set([...ma].filter((x) => !mb.has(x))), 'subtract');
    assert.equal(a.union(b).equals(b.union(a)), true);
    const lo = random(size);
    const hi = lo + random(6);
    let expected = true;
    for (let x = lo; x <= hi; x++) expected &&= ma.has(x);
    assert.equal(a.containsRange(BigInt(lo), BigInt(hi)), expected, `containsRange ${lo}-${hi} in ${a}`);

    // Every set is a union of partition cells, and the cells tile the space.
    const cells = splitIntoDisjoint(4, [a, b]);
    assert.equal(cells[0][0], 0n);
    assert.equal(cells[cells.length - 1][1], 0xffffffffn);
    for (let i = 1; i < cells.length; i++) assert.equal(cells[i][0], cells[i - 1][1] + 1n);
    for (const set of [a, b]) {
      let rebuilt = IpSet.empty(4);
      for (const [s, e] of cells) {
        const inside = set.containsRange(s, e);
        assert.ok(inside || set.intersect(IpSet.fromRange(4, s, e)).isEmpty(), 'cell straddles a set');
        if (inside) rebuilt = rebuilt.union(IpSet.fromRange(4, s, e));
      }
      assert.ok(rebuilt.equals(set));
    }
  }
});

// ---------------------------------------------------------------------------
// ipBlockRange

test('ipBlockRange: cidr minus excepts', () => {
  const range = ipBlockRange(cidr('10.0.0.0/8'), [cidr('10.1.0.0/16')]);
  assert.equal(range.toString(), '10.0.0.0-10.0.255.255,10.2.0.0-10.255.255.255');
  assert.equal(ipBlockRange(cidr('10.0.0.0/8'), []).toString(), '10.0.0.0-10.255.255.255');
  // Overlapping excepts are fine.
  assert.equal(
    ipBlockRange(cidr('10.0.0.0/8'), [cidr('10.0.0.0/9'), cidr('10.64.0.0/10')]).toString(),
    '10.128.0.0-10.255.255.255',
  );
});

test('ipBlockRange: IPv6 2001:db8::/32 except 2001:db8:1::/48', () => {
  const range = ipBlockRange(cidr('2001:db8::/32'), [cidr('2001:db8:1::/48')]);
  assert.equal(range.family, 6);
  assert.equal(
    range.toString(),
    '2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff,2001:db8:2::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
  );
  assert.equal(range.containsRange(ip('2001:db8:1::'), ip('2001:db8:1::')), false);
  assert.equal(range.containsRange(ip('2001:db8:2::'), ip('2001:db8:2::ffff')), true);
});

test('ipBlockRange: excepts of the other family are ignored', () => {
  const range = ipBlockRange(cidr('10.0.0.0/8'), [cidr('::/0'), cidr('10.0.0.0/16')]);
  assert.equal(range.toString(), '10.1.0.0-10.255.255.255');
  assert.ok(ipBlockRange(cidr('::/0'), [cidr('0.0.0.0/0')]).equals(IpSet.all(6)));
});

test('ipBlockRange: host bits set in cidr or except use the masked network', () => {
  assert.equal(ipBlockRange(cidr('10.9.9.9/8'), [cidr('10.1.2.3/16')]).toString(),
    '10.0.0.0-10.0.255.255,10.2.0.0-10.255.255.255');
});

// ---------------------------------------------------------------------------
// splitIntoDisjoint

test('splitIntoDisjoint: 0.0.0.0/0 except 10.0.0.0/8, 172.21.0.0/16, 172.30.0.0/16', () => {
  const set = ipBlockRange(cidr('0.0.0.0/0'), [cidr('10.0.0.0/8'), cidr('172.21.0.0/16'), cidr('172.30.0.0/16')]);
  assert.deepEqual(formatCells(4, splitIntoDisjoint(4, [set])), [
    '0.0.0.0-9.255.255.255',
    '10.0.0.0-10.255.255.255',
    '11.0.0.0-172.20.255.255',
    '172.21.0.0-172.21.255.255',
    '172.22.0.0-172.29.255.255',
    '172.30.0.0-172.30.255.255',
    '172.31.0.0-255.255.255.255',
  ]);
});

test('splitIntoDisjoint: no sets, empty sets and full sets give the whole space', () => {
  assert.deepEqual(splitIntoDisjoint(4, []), [[0n, 0xffffffffn]]);
  assert.deepEqual(splitIntoDisjoint(6, []), [[0n, (1n << 128n) - 1n]]);
  assert.deepEqual(splitIntoDisjoint(4, [IpSet.empty(4)]), [[0n, 0xffffffffn]]);
  assert.deepEqual(splitIntoDisjoint(4, [IpSet.all(4), IpSet.all(4)]), [[0n, 0xffffffffn]]);
});

test('splitIntoDisjoint: overlapping sets and shared boundaries', () => {
  const a = IpSet.fromCidr(cidr('10.0.0.0/8'));
  const b = IpSet.fromCidr(cidr('10.0.0.0/16'));
  const c = IpSet.fromCidr(cidr('10.0.0.0/8')); // duplicate boundaries collapse
  assert.deepEqual(formatCells(4, splitIntoDisjoint(4, [a, b, c])), [
    '0.0.0.0-9.255.255.255',
    '10.0.0.0-10.0.255.255',
    '10.1.0.0-10.255.255.255',
    '11.0.0.0-255.255.255.255',
  ]);
});

test('splitIntoDisjoint: single addresses at both ends of the space', () => {
  const first = IpSet.fromCidr(cidr('0.0.0.0/32'));
  const last = IpSet.fromCidr(cidr('255.255.255.255/32'));
  assert.deepEqual(formatCells(4, splitIntoDisjoint(4, [first, last])), [
    '0.0.0.0-0.0.0.0',
    '0.0.0.1-255.255.255.254',
    '255.255.255.255-255.255.255.255',
  ]);
  const last6 = IpSet.fromCidr(cidr('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'));
  assert.deepEqual(formatCells(6, splitIntoDisjoint(6, [last6])), [
    '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe',
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  ]);
});

test('splitIntoDisjoint: IPv6', () => {
  const set = ipBlockRange(cidr('2001:db8::/32'), [cidr('2001:db8:1::/48')]);
  assert.deepEqual(formatCells(6, splitIntoDisjoint(6, [set])), [
    '::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff',
    '2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:ffff',
    '2001:db8:2::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  ]);
});

test('splitIntoDisjoint: a set of the other family throws', () => {
  assert.throws(() => splitIntoDisjoint(4, [IpSet.all(6)]), /IPv4.*IPv6/);
});

test('splitIntoDisjoint: handles many boundaries', () => {
  // 20,000 single /32s spread over the space: n log n, not n².
  const parts: IpSet[] = [];
  for (let i = 0; i < 20000; i++) parts.push(IpSet.fromRange(4, BigInt(i) * 200000n, BigInt(i) * 200000n));
  const cells = splitIntoDisjoint(4, parts.reverse());
  // Each address is a cell, and so is each gap after one (the first address is 0.0.0.0).
  assert.equal(cells.length, 2 * 20000);
  assert.deepEqual(cells[1], [1n, 199999n]);
});
