/**
 * The repository's .netpol-expect.yaml in the editor, over stdio against dist/server.js:
 * read by the scan at the workspace root, each expectation checked on every analysis; a
 * failing one is an expectation-failed diagnostic on its allow/deny key, a wrong entry an
 * invalid-expectation one; an edit of a policy that makes it hold clears it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/paths';
import { LspClient } from './lsp-client';

const FIXTURE = join(ROOT, 'test/fixtures/cli/expect');

describe('.netpol-expect.yaml in the editor', () => {
  let dir: string;
  let client: LspClient;
  let expect: string;
  let policies: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-expect-'));
    for (const f of ['namespaces.yaml', 'workloads.yaml', 'policies.yaml', '.netpol-expect.yaml']) cpSync(join(FIXTURE, f), join(dir, f));
    expect = pathToFileURL(join(dir, '.netpol-expect.yaml')).toString();
    policies = pathToFileURL(join(dir, 'policies.yaml')).toString();
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a failing expectation is a diagnostic on its key, with the deciding policy; it goes when a policy makes it hold', async () => {
    const diags = await client.waitForDiagnostics(expect, (d) => d.some((x) => x.code === 'expectation-failed'));
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [['expectation-failed', 2, 17, 4, 8]],
    );
    assert.equal(
      diags[0].message,
      'Expected "checkout calls no one outside": deny shop/checkout → 0.0.0.0/0 on TCP 443, but shop/checkout → 0.0.0.0/0 on TCP 443 is allowed: no NetworkPolicy isolates the egress of shop/checkout (none selects it with policyType Egress): everything is allowed. Narrow the rule that admits it (or isolate the side no policy selects), or change the expectation if the flow is now wanted.',
    );
    const egress = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: checkout-egress\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: checkout}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels: {app: payments}\n        - podSelector:\n            matchLabels: {tier: data}\n';
    client.open(policies, readFileSync(join(dir, 'policies.yaml'), 'utf8') + egress);
    await client.waitForDiagnostics(expect, (d) => !d.some((x) => x.code === 'expectation-failed'));
  });

  test('an edit of the open expectations file is checked as typed: a wrong entry is invalid-expectation on its range', async () => {
    client.open(expect, 'expectations:\n  - allow:\n      from: shop/billing\n      to: shop/paymnets\n      ports: [8443]\n  - deny: {from: shop/billing, to: shop/payments, ports: [8443]}\n');
    const diags = await client.waitForDiagnostics(expect, (d) => d.some((x) => x.code === 'invalid-expectation'));
    assert.deepEqual(
      diags.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['invalid-expectation', 3, 10, 23],
        ['expectation-failed', 5, 4, 8],
      ],
    );
    assert.match(String(diags[0].message), /^to: no workload shop\/paymnets in the workspace: the expectation cannot be checked/);
    assert.match(String(diags[1].message), /ingress rule #1 of shop\/payments-ingress admits shop\/billing on TCP 8443 \(policies\.yaml:\d+\)/);
  });
});
