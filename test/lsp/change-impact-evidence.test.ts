/**
 * The change impact over stdio and the evidence (issue 21 §2): an edit that closes a flow
 * the manifests show is needed (checkout's PAYMENTS_URL) reports it on the closed entry,
 * with the evidence's place, and counts it; a revert clears it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/paths';
import { LspClient } from './lsp-client';
import { CHANGE_IMPACT_CHANGED_NOTIFICATION, type ChangeImpactResult } from '../../server/src/protocol';

describe('change impact: breaks an evidenced flow', () => {
  let dir: string;
  let client: LspClient;
  let uri: string;
  let text: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-impact-evidence-'));
    copyFileSync(join(ROOT, 'test/fixtures/cli/upgrade/before/shop.yaml'), join(dir, 'shop.yaml'));
    text = readFileSync(join(dir, 'shop.yaml'), 'utf8');
    uri = pathToFileURL(join(dir, 'shop.yaml')).toString();
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the closed entry names the evidence and where it is; the result counts it', async () => {
    client.open(uri, text, 1);
    await client.nextNotification('netpol/analysisChanged');
    const pushed = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    const edited = text.replace('ports: [{port: 8443}]', 'ports: [{port: 8080}]');
    assert.notEqual(edited, text);
    client.change(uri, edited, 2);
    const r = await pushed;
    assert.equal(r.breaksEvidence, 1);
    assert.deepEqual(
      r.entries.map((e) => [e.src, e.dst, e.lost, e.evidence]),
      [['shop/checkout[Deployment]', 'shop/payments[Deployment]', 'TCP 8443', [{ text: 'TCP 8443: env PAYMENTS_URL', location: { uri, line: 14 } }]]],
    );
    const cleared = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    client.change(uri, text, 3);
    assert.deepEqual((await cleared).entries, []);
  });
});
