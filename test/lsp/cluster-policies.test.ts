/**
 * Cluster-level policies over LSP (the real server over stdio, on test/fixtures/cli/tiers
 * copied to a temporary folder): the lens above each cluster policy, the tiers in a
 * workload's hover, the diagnostics of a rejected ClusterNetworkPolicy, and an edit of a
 * cluster policy reaching the workloads' lenses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/paths';
import { LspClient } from './lsp-client';
import { positionOf, uriOf } from './reach-fixture';

const FIXTURE = resolve(ROOT, 'test/fixtures/cli/tiers');
let dir: string;
let client: LspClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-tiers-'));
  cpSync(FIXTURE, dir, { recursive: true });
  client = await LspClient.startWithCapabilities({ textDocument: { codeLens: {}, hover: { contentFormat: ['markdown'] } } }, dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('cluster-level policies over LSP', () => {
  test('a lens above each cluster policy: its tier and priority, what it selects, how many flows it decides', async () => {
    const uri = uriOf(dir, 'cluster-policies.yaml');
    const lenses = await client.codeLenses(uri);
    assert.deepEqual(
      lenses.map((l) => `${l.range.start.line}: ${l.command?.title} (${l.command?.command})`),
      [
        '1: Admin tier, priority 10 · selects 1 workload in 1 namespace · decides 2 flows (netpol.showReachability)',
        '20: Baseline tier, last · selects 3 workloads in 3 namespaces · decides 4 flows (netpol.showReachability)',
      ],
    );
  });

  test("a workload's hover shows the tiers each direction goes through", async () => {
    const uri = uriOf(dir, 'workloads.yaml');
    const text = readFileSync(join(dir, 'workloads.yaml'), 'utf8');
    const hover = await client.hover(uri, positionOf(text, 'name: web', 6).line, positionOf(text, 'name: web', 6).character);
    const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(value, /- Ingress tiers: Admin \[isolate-environments\]\([^)]*cluster-policies\.yaml#L2\) \(ClusterNetworkPolicy, priority 10\) → NetworkPolicies \(isolated: they decide what the Admin tier leaves; Baseline never consulted\)/);
    assert.match(value, /\*\*Reachable from\*\* 1 source:/);
  });

  test('a rejected ClusterNetworkPolicy gets its diagnostics, and an edit that makes a policy valid reaches the lenses', async () => {
    const uri = uriOf(dir, 'cluster-policies.yaml');
    const original = readFileSync(join(dir, 'cluster-policies.yaml'), 'utf8');
    const broken = original.replace('  priority: 10\n', '  priority: 2000\n');
    client.open(uri, broken, 1);
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'invalid-cluster-policy'));
    const d = diags.find((x) => x.code === 'invalid-cluster-policy');
    assert.equal(d?.severity, 1);
    assert.deepEqual(d?.range, { start: { line: 6, character: 12 }, end: { line: 6, character: 16 } });
    assert.match(typeof d?.message === 'string' ? d.message : '', /2000 is above the maximum 1000: the API server rejects the ClusterNetworkPolicy/);
    assert.equal((await client.codeLenses(uri))[0]?.command?.title, 'rejected by the API server: not applied');
    client.change(uri, original, 2);
    await client.waitForDiagnostics(uri, (x) => !x.some((y) => y.code === 'invalid-cluster-policy'));
    assert.equal((await client.codeLenses(uri))[0]?.command?.title, 'Admin tier, priority 10 · selects 1 workload in 1 namespace · decides 2 flows');
  });

  test("a tie at one priority with different actions: the warning, and the workload's hover names the tie", async () => {
    // Open only (never on disk): a second Admin policy at priority 10 that accepts what isolate-environments denies.
    const uri = uriOf(dir, 'tie.yaml');
    const tie = [
      'apiVersion: policy.networking.k8s.io/v1alpha2',
      'kind: ClusterNetworkPolicy',
      'metadata: {name: accept-dev}',
      'spec:',
      '  tier: Admin',
      '  priority: 10',
      '  subject:',
      '    namespaces: {matchLabels: {env: prod}}',
      '  ingress:',
      '  - action: Accept',
      '    from:',
      '    - namespaces: {matchLabels: {env: dev}}',
      '',
    ].join('\n');
    client.open(uri, tie, 1);
    await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'equal-priority-conflict'));
    const workloads = uriOf(dir, 'workloads.yaml');
    const text = readFileSync(join(dir, 'workloads.yaml'), 'utf8');
    const at = positionOf(text, 'name: web', 6);
    const value = ((await client.hover(workloads, at.line, at.character))?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(
      value,
      /^- Ingress: some connections are decided by ClusterNetworkPolicy \[accept-dev\]\([^)]*tie\.yaml#L1\) \(tie with ClusterNetworkPolicy \[isolate-environments\]\([^)]*cluster-policies\.yaml#L2\) at priority 10: the API leaves the order undefined; this analysis uses name order, the cluster may not\)$/m,
    );
    client.close(uri);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    const after = ((await client.hover(workloads, at.line, at.character))?.contents as { value: string } | undefined)?.value ?? '';
    assert.doesNotMatch(after, /tie with/);
  });
});
