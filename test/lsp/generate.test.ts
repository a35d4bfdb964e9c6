/**
 * Generation over LSP (the real server over stdio): workspace/executeCommand
 * `netpol.server.generatePolicies` answers what `netpol generate` prints, and a workload
 * that no policy isolates offers "Generate least-privilege policy from evidence", which
 * runs the client command with that workload.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { GENERATE_POLICIES_COMMAND, GENERATE_POLICIES_SERVER_COMMAND, type GeneratePoliciesResult } from '../../server/src/protocol';
import { ROOT } from '../helpers/paths';
import { LspClient } from './lsp-client';

let dir: string;
let client: LspClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-generate-'));
  cpSync(join(ROOT, 'test/fixtures/cli/generate/shop'), dir, { recursive: true });
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

const execute = (args: unknown) => client.connection.sendRequest<GeneratePoliciesResult>('workspace/executeCommand', { command: GENERATE_POLICIES_SERVER_COMMAND, arguments: [args] });

test('executeCommand netpol.server.generatePolicies: the policies of a namespace as netpol generate prints them, and its notes', async () => {
  const cli = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'generate', '.', '--namespace', 'shop'], { cwd: dir, encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const r = await execute({ namespace: 'shop' });
  assert.equal(r.policies, 2);
  // The same policies, the evidence named by its path in the workspace folder.
  assert.equal(r.text, cli.stdout);
  assert.match(r.text, /name: web-least-privilege\n {2}namespace: shop\n/);
  const closed = r.notes.filter((n) => n.severity === 'info');
  assert.equal(closed.length, 1);
  assert.match(closed[0].message, /^stays closed: shop\/web → shop\/recommender:9000/);
  assert.deepEqual(closed[0].location, { uri: pathToFileURL(join(dir, 'web.yaml')).toString(), line: 25 });
  const one = await execute({ namespace: 'data', workloads: ['data/postgres'], ingressOnly: true });
  assert.equal(one.policies, 1);
  assert.match(one.text, /policyTypes:\n {4}- Ingress\n {2}ingress:/);
});

test('executeCommand netpol.server.generatePolicies: the flows allowed today that applying the policies would close, never an evidenced one', async () => {
  const r = await execute({ namespace: 'shop' });
  assert.equal(r.closedCount, r.closed.length);
  // No policy isolates anything today: what no manifest shows is open, and closes.
  assert.ok(r.closed.includes('shop/web[Deployment] → data/postgres[StatefulSet] on All Connections'), r.closed.join('\n'));
  assert.ok(r.closed.includes('shop/catalog[Deployment] → shop/web[Deployment] on All Connections'), r.closed.join('\n'));
  // The evidenced flows stay open: web → catalog on 8081 (CATALOG_URL), catalog → postgres on 5432 (DATABASE_URL).
  assert.ok(r.closed.includes('shop/web[Deployment] → shop/catalog[Deployment] on SCTP 1-65535,TCP 1-8080,8082-65535,UDP 1-65535'), r.closed.join('\n'));
  assert.ok(r.closed.includes('shop/catalog[Deployment] → data/postgres[StatefulSet] on SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535'), r.closed.join('\n'));
  // Only flows of the namespace's workloads: none between two others.
  for (const c of r.closed) assert.match(c, /shop\//);
  // One workload's ingress: only flows into it close.
  const one = await execute({ namespace: 'data', workloads: ['data/postgres'], ingressOnly: true });
  assert.ok(one.closed.length > 0);
  for (const c of one.closed) assert.match(c, / → data\/postgres\[StatefulSet\] on /);
});

test('a workload no policy isolates offers "Generate least-privilege policy from evidence" (the client command with the workload)', async () => {
  const uri = pathToFileURL(join(dir, 'postgres.yaml')).toString();
  client.open(uri, readFileSync(join(dir, 'postgres.yaml'), 'utf8'));
  const diagnostics = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'workload-not-isolated'));
  const target = diagnostics.filter((d: Diagnostic) => d.code === 'workload-not-isolated');
  const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: target[0].range, context: { diagnostics: target } });
  const generate = actions.find((a) => a.title === 'Generate least-privilege policy from evidence');
  assert.ok(generate, actions.map((a) => a.title).join(', '));
  assert.deepEqual(generate.command, { title: 'Generate least-privilege policy from evidence', command: GENERATE_POLICIES_COMMAND, arguments: [{ namespace: 'data', workloads: ['data/postgres'] }] });
});

test('executeCommand with an unknown command is an error, not a crash', async () => {
  await assert.rejects(client.connection.sendRequest('workspace/executeCommand', { command: 'netpol.nope', arguments: [] }));
  const r = await execute({ namespace: 'shop' });
  assert.equal(r.policies, 2);
});
