/**
 * Code lenses over LSP (`textDocument/codeLens`, the real server over stdio): one lens
 * above each NetworkPolicy and each workload, running `netpol.explainWorkload` with
 * `{ uri, id, kind }`; updated by edits of other files; off with
 * `netpol.codeLens.enabled: false`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { WORKSPACE } from '../core/ide/hover/fixture';
import { LspClient } from './lsp-client';
import { uriOf, writeWorkspace } from './reach-fixture';

let dir: string;
let client: LspClient;

before(async () => {
  dir = writeWorkspace('netpol-lsp-lens-');
  client = await LspClient.startWithCapabilities({ textDocument: { codeLens: {} } }, dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `line: title` of each lens (0-based line), checking the command and its argument. */
function shown(lenses: CodeLens[], uri: string): string[] {
  return lenses.map((l) => {
    assert.deepEqual(l.range.start, l.range.end);
    assert.equal(l.command?.command, 'netpol.explainWorkload');
    const [arg] = (l.command?.arguments ?? []) as { uri: string; id: string; kind: string }[];
    assert.equal(arg.uri, uri);
    return `${l.range.start.line}: ${l.command?.title} -> ${arg.kind} ${arg.id}`;
  });
}

describe('code lenses over LSP', () => {
  test('the server declares code lenses, without resolve', () => {
    const caps = (client.initializeResult as { capabilities: { codeLensProvider?: unknown } }).capabilities;
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: false });
  });

  test('above each policy and each workload, with the explain command and its target', async () => {
    const policies = uriOf(dir, 'shop/policies.yaml');
    assert.deepEqual(shown(await client.codeLenses(policies), policies), [
      '0: selects 3 workloads · denies all ingress -> policy shop/default-deny',
      '9: selects 1 workload · admits 1 source · 1 port -> policy shop/frontend-from-ingress',
      '24: selects 1 workload · admits 2 sources · 2 ports -> policy shop/backend-allow',
      '41: selects 1 workload · admits 1 source · 2 ports · allows 2 destinations · 1 port -> policy shop/db-allow',
    ]);
    const backend = uriOf(dir, 'shop/backend.yaml');
    assert.deepEqual(shown(await client.codeLenses(backend), backend), [
      '0: reachable from 2 · ingress isolated · egress isolated -> workload shop/backend',
      '18: reachable from 1 · ingress isolated · egress isolated -> workload shop/db',
    ]);
    assert.deepEqual(await client.codeLenses(uriOf(dir, 'namespaces.yaml')), []);
  });

  test("an edit of another file (an open buffer) changes a workload's lens", async () => {
    const egress = uriOf(dir, 'shop/egress.yaml');
    const changed = client.nextNotification('netpol/analysisChanged');
    client.open(egress, WORKSPACE['shop/egress.yaml'].replace('policyTypes: [Egress]', 'policyTypes: [Ingress]'), 1);
    await changed;
    const backend = uriOf(dir, 'shop/backend.yaml');
    assert.deepEqual(shown(await client.codeLenses(backend), backend)[0], '0: reachable from 2 · ingress isolated · egress open -> workload shop/backend');
    const closed = client.nextNotification('netpol/analysisChanged');
    client.close(egress);
    await closed;
    assert.deepEqual(shown(await client.codeLenses(backend), backend)[0], '0: reachable from 2 · ingress isolated · egress isolated -> workload shop/backend');
  });

  test('netpol.codeLens.enabled: false turns them off, true back on', async () => {
    const policies = uriOf(dir, 'shop/policies.yaml');
    let applied = client.nextNotification('netpol/analysisChanged');
    client.setSettings({ codeLens: { enabled: false } });
    await applied;
    assert.deepEqual(await client.codeLenses(policies), []);
    applied = client.nextNotification('netpol/analysisChanged');
    client.setSettings({ codeLens: { enabled: true } });
    await applied;
    assert.equal((await client.codeLenses(policies)).length, 4);
  });
});
