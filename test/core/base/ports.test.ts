import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_PORTS,
  ConnSet,
  MAX_PORT,
  NO_PORTS,
  formatPorts,
  intersectPorts,
  isAllPorts,
  portRange,
  portsContain,
  subtractPorts,
  unionPorts,
  type PortRanges,
} from '../../../server/src/core/base/ports';

describe('port range sets', () => {
  test('union merges overlapping, touching and nested ranges, keeps gaps', () => {
    assert.deepEqual(unionPorts([80, 80], [81, 90]), [80, 90], 'touching ranges merge (integer sets)');
    assert.deepEqual(unionPorts([81, 90], [80, 80]), [80, 90], 'order of operands does not matter');
    assert.deepEqual(unionPorts([80, 80], [82, 90]), [80, 80, 82, 90], 'a one-port gap stays');
    assert.deepEqual(unionPorts([1, 10, 20, 30], [5, 25]), [1, 30]);
    assert.deepEqual(unionPorts([1, 100], [20, 30]), [1, 100]);
    assert.deepEqual(unionPorts([10, 20, 40, 50], [21, 39]), [10, 50], 'a range that fills a hole exactly');
    assert.deepEqual(unionPorts(NO_PORTS, [7, 9]), [7, 9]);
    assert.deepEqual(unionPorts([1, 65534], [65535, 65535]), [1, 65535]);
  });

  test('intersect keeps only the common ports, including single-port overlaps', () => {
    assert.deepEqual(intersectPorts([1, 10, 20, 30], [5, 25]), [5, 10, 20, 25]);
    assert.deepEqual(intersectPorts([80, 90], [90, 100]), [90, 90], 'ranges sharing one end port');
    assert.deepEqual(intersectPorts([80, 89], [90, 100]), [], 'touching but disjoint ranges');
    assert.deepEqual(intersectPorts(ALL_PORTS, [53, 53, 8080, 8090]), [53, 53, 8080, 8090]);
    assert.deepEqual(intersectPorts([1, 5, 7, 9, 11, 20], [3, 12]), [3, 5, 7, 9, 11, 12]);
    assert.deepEqual(intersectPorts(NO_PORTS, ALL_PORTS), []);
  });

  test('subtract cuts holes, handles edges and ranges spanning several intervals', () => {
    assert.deepEqual(subtractPorts(ALL_PORTS, [80, 80]), [1, 79, 81, 65535]);
    assert.deepEqual(subtractPorts(ALL_PORTS, [1, 1]), [2, 65535]);
    assert.deepEqual(subtractPorts(ALL_PORTS, [65535, 65535]), [1, 65534]);
    assert.deepEqual(subtractPorts([10, 20], [10, 20]), []);
    assert.deepEqual(subtractPorts([10, 20, 30, 40], [15, 35]), [10, 14, 36, 40], 'one hole across two intervals');
    assert.deepEqual(subtractPorts([10, 20], [1, 5, 12, 13, 15, 15, 30, 40]), [10, 11, 14, 14, 16, 20]);
    assert.deepEqual(subtractPorts([10, 20], [21, 30]), [10, 20], 'adjacent hole removes nothing');
    assert.deepEqual(subtractPorts(NO_PORTS, [1, 2]), []);
  });

  test('portRange clamps to 1-65535 and all-ports is recognised', () => {
    assert.deepEqual(portRange(80), [80, 80]);
    assert.deepEqual(portRange(0, 10), [1, 10]);
    assert.deepEqual(portRange(65530, 70000), [65530, MAX_PORT]);
    assert.deepEqual(portRange(10, 9), []);
    assert.ok(isAllPorts(unionPorts([1, 1000], [1001, 65535])));
    assert.ok(!isAllPorts([1, 65534]));
    assert.ok(portsContain([10, 20, 30, 40], 30));
    assert.ok(!portsContain([10, 20, 30, 40], 25));
    assert.equal(formatPorts([53, 53, 8000, 8090]), '53,8000-8090');
  });

  test('randomized: union/intersect/subtract agree with a naive Set<number> model', () => {
    // A small universe (ports 1-40) makes overlaps, touches and edge cases frequent.
    const U = 40;
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const toSet = (r: PortRanges) => {
      const s = new Set<number>();
      for (let i = 0; i < r.length; i += 2) for (let p = r[i]; p <= r[i + 1]; p++) s.add(p);
      return s;
    };
    const fromSet = (s: Set<number>): number[] => {
      const out: number[] = [];
      for (let p = 1; p <= U; p++) {
        if (!s.has(p)) continue;
        if (out.length > 0 && out[out.length - 1] === p - 1) out[out.length - 1] = p;
        else out.push(p, p);
      }
      return out;
    };
    const randomRanges = (): PortRanges => {
      let r: PortRanges = NO_PORTS;
      for (let k = rand(5); k > 0; k--) {
        const a = 1 + rand(U);
        r = unionPorts(r, portRange(a, Math.min(U, a + rand(8))));
      }
      return r;
    };
    for (let iter = 0; iter < 2000; iter++) {
      const x = randomRanges();
      const y = randomRanges();
      const sx = toSet(x);
      const sy = toSet(y);
      // Every result must be canonical: sorted, disjoint, non-touching.
      for (const [op, got, want] of [
        ['union', unionPorts(x, y), fromSet(new Set([...sx, ...sy]))],
        ['intersect', intersectPorts(x, y), fromSet(new Set([...sx].filter((p) => sy.has(p))))],
        ['subtract', subtractPorts(x, y), fromSet(new Set([...sx].filter((p) => !sy.has(p))))],
      ] as const) {
        assert.deepEqual([...got], want, `${op}(${JSON.stringify(x)}, ${JSON.stringify(y)})`);
      }
      for (let p = 1; p <= U; p++) assert.equal(portsContain(x, p), sx.has(p));
    }
  });
});

describe('ConnSet', () => {
  const tcp = (a: number, b = a) => ConnSet.forProtocol('TCP', portRange(a, b));
  const udp = (a: number, b = a) => ConnSet.forProtocol('UDP', portRange(a, b));
  const sctp = (a: number, b = a) => ConnSet.forProtocol('SCTP', portRange(a, b));

  test('toString: All Connections, per-protocol lists ordered SCTP < TCP < UDP', () => {
    assert.equal(ConnSet.ALL.toString(), 'All Connections');
    assert.equal(ConnSet.NONE.toString(), 'No Connections');
    assert.equal(udp(53).union(tcp(8080)).toString(), 'TCP 8080,UDP 53');
    assert.equal(tcp(80).union(tcp(8000, 8090)).union(sctp(9000)).toString(), 'SCTP 9000,TCP 80,8000-8090');
    const everythingBut = ConnSet.ALL.subtract(tcp(80)).subtract(udp(53)).subtract(sctp(9003));
    assert.equal(everythingBut.toString(), 'SCTP 1-9002,9004-65535,TCP 1-79,81-65535,UDP 1-52,54-65535');
  });

  test('a union that covers every port of every protocol is All Connections', () => {
    const all = tcp(1, 65535).union(udp(1, 100)).union(udp(101, 65535)).union(sctp(1, 65535));
    assert.ok(all.isAll());
    assert.equal(all.toString(), 'All Connections');
    assert.equal(tcp(1, 65535).toString(), 'TCP 1-65535', 'all TCP ports alone is not All Connections');
  });

  test('intersect and subtract work per protocol', () => {
    const a = tcp(80, 90).union(udp(53));
    const b = tcp(85, 100).union(sctp(1, 10));
    assert.equal(a.intersect(b).toString(), 'TCP 85-90');
    assert.ok(udp(53).intersect(tcp(53)).isEmpty(), 'same number, different protocol');
    assert.equal(a.subtract(b).toString(), 'TCP 80-84,UDP 53');
    assert.ok(a.intersect(ConnSet.NONE).isEmpty());
    assert.ok(a.intersect(ConnSet.ALL).equals(a));
  });

  test('allows and equals', () => {
    const c = tcp(8080).union(udp(53));
    assert.ok(c.allows('TCP', 8080));
    assert.ok(!c.allows('UDP', 8080));
    assert.ok(c.allows('UDP', 53));
    assert.ok(!c.allows('SCTP', 53));
    assert.ok(c.equals(udp(53).union(tcp(8080))));
    assert.ok(!c.equals(tcp(8080)));
    assert.ok(ConnSet.ALL.subtract(ConnSet.ALL).isEmpty());
  });
});

describe('ConnSet.subtract', () => {
  test('the general case, and the shortcuts give the same sets as the general case would', () => {
    const tcp80 = ConnSet.forProtocol('TCP', portRange(80, 80));
    const tcpAll = ConnSet.forProtocol('TCP', portRange(1, MAX_PORT));
    assert.equal(tcpAll.subtract(tcp80).toString(), 'TCP 1-79,81-65535');
    assert.equal(ConnSet.ALL.subtract(tcp80).toString(), 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    assert.equal(tcp80.subtract(tcp80), ConnSet.NONE);
    assert.equal(tcp80.subtract(ConnSet.forProtocol('TCP', portRange(80, 80))), ConnSet.NONE);
    assert.equal(tcp80.subtract(ConnSet.ALL), ConnSet.NONE);
    assert.equal(ConnSet.ALL.subtract(ConnSet.ALL), ConnSet.NONE);
    assert.equal(ConnSet.NONE.subtract(tcp80), ConnSet.NONE);
    assert.equal(tcp80.subtract(ConnSet.NONE), tcp80);
  });
});
