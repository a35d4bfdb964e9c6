import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { exportConnections, toCsv, toDot, toMermaid } from '../../../../client/src/views/reachability/export';
import type { ReachConnection } from '../../../../server/src/protocol';

const ROOT = resolve(__dirname, '../../../../..');

test('exports are exactly what `netpol reach --format csv|dot|mermaid` prints', () => {
  const cli = (format: string) => {
    const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'reach', 'examples', '--format', format, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const rows = JSON.parse(cli('json')) as ReachConnection[];
  assert.ok(rows.length > 10);
  assert.equal(toCsv(rows), cli('csv'));
  assert.equal(toDot(rows), cli('dot'));
  assert.equal(toMermaid(rows), cli('mermaid'));
});

test('export formats carry their language and file extension', () => {
  const c = [{ src: 'a/b[Pod]', dst: '{ingress-controller}', conn: 'TCP 80,UDP 53' }];
  assert.deepEqual(
    (['mermaid', 'dot', 'csv'] as const).map((f) => [exportConnections(c, f).language, exportConnections(c, f).extension]),
    [['mermaid', 'mmd'], ['dot', 'dot'], ['csv', 'csv']],
  );
  assert.equal(toCsv(c), 'src,dst,conn\na/b[Pod],{ingress-controller},"TCP 80,UDP 53"\n');
  assert.match(toDot(c), /n1 \[label="\{ingress-controller\}", shape=hexagon\];/);
  assert.equal(toMermaid([{ src: 'a/"q"[Pod]', dst: 'a/b[Pod]', conn: 'TCP 1' }]), 'flowchart LR\n  n0["a/#quot;q#quot;[Pod]"]\n  n1["a/b[Pod]"]\n  n0 -->|"TCP 1"| n1\n');
});
