/**
 * `netpol/export` over LSP (the real server over stdio): the connections of
 * `netpol/reachability` in each of `netpol reach`'s formats, byte for byte what the CLI
 * prints; a subset (what a filtered view shows) as the same formatter writes it; and
 * a clear error for a question it cannot answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { EXPORT_FORMATS, type ExportResult, type ReachabilityResult } from '../../server/src/protocol';
import { LspClient } from './lsp-client';
import { netpol, writeWorkspace } from './reach-fixture';

let dir: string;
let client: LspClient;

before(async () => {
  dir = writeWorkspace('netpol-lsp-export-');
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

const exported = async (format: string, connections: unknown): Promise<string> => (await client.connection.sendRequest<ExportResult>('netpol/export', { format, connections })).content;

test('every format of `netpol reach` is what the CLI prints for the same connections', async () => {
  const reach = await client.connection.sendRequest<ReachabilityResult>('netpol/reachability', {});
  assert.ok(reach.connections.length > 10, `${reach.connections.length} connections`);
  assert.deepEqual([...EXPORT_FORMATS], ['csv', 'dot', 'mermaid', 'md', 'json']);
  for (const format of EXPORT_FORMATS) assert.equal(await exported(format, reach.connections), netpol('reach', dir, '--format', format), format);
});

test('a subset is written as the same formatter writes it', async () => {
  const rows = [
    { src: 'shop/frontend[Deployment]', dst: '{ingress-controller}', conn: 'TCP 80,UDP 53' },
    { src: 'a/"q"[Pod]', dst: 'shop/frontend[Deployment]', conn: 'All Connections' },
  ];
  assert.equal(await exported('csv', rows), 'src,dst,conn\nshop/frontend[Deployment],{ingress-controller},"TCP 80,UDP 53"\n"a/""q""[Pod]",shop/frontend[Deployment],All Connections\n');
  assert.match(await exported('dot', rows), /^ {2}n1 \[label="\{ingress-controller\}", shape=hexagon\];$/m);
  assert.equal(await exported('mermaid', rows.slice(1)), 'flowchart LR\n  n0["a/#quot;q#quot;[Pod]"]\n  n1["shop/frontend[Deployment]"]\n  n0 -->|"All Connections"| n1\n');
  assert.equal(await exported('md', []), '| src | dst | conn |\n|-----|-----|------|\n');
  assert.deepEqual(JSON.parse(await exported('json', rows)), rows);
});

test('a format it does not write, or connections that are not rows, are invalid params', async () => {
  for (const params of [{ format: 'png', connections: [] }, { format: 'csv' }, { format: 'csv', connections: [{ src: 'a', dst: 1, conn: 'x' }] }, { format: 'csv', connections: [null] }, null]) {
    await assert.rejects(client.connection.sendRequest('netpol/export', params), (e: { code?: number; message?: string }) => {
      assert.equal(e.code, -32602, JSON.stringify(params));
      assert.match(e.message ?? '', /netpol\/export needs `format` \(csv, dot, mermaid, md, json\) and `connections`/);
      return true;
    });
  }
});
