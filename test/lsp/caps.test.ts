import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lsp-client';

test('the file-count cap is announced to the user with the setting to change', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-cap-'));
  for (const n of ['a', 'b', 'c']) writeFileSync(join(dir, `${n}.yaml`), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`);
  const client = await LspClient.start(dir, { maxFiles: 2 });
  try {
    // The server scans after `initialized` and after reading the settings from us, so
    // this listener is in place before the message can arrive.
    // vscode-languageserver's showWarningMessage is a window/showMessageRequest.
    const message = await new Promise<{ type: number; message: string }>((resolve) => {
      client.connection.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
        resolve(m);
        return null;
      });
    });
    assert.equal(message.type, 2, 'a warning');
    assert.match(message.message, /more than 2 YAML files under .*; only the first 2 are analysed \(setting netpol\.maxFiles\)/);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the total-bytes bound: the scan stops with a message; a file created later past the bound is not read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-bytes-'));
  // 51 bytes each; the bound is 128 bytes (netpol.maxTotalMB = 1/8192): two fit.
  const ns = (n: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${n}}\n`;
  for (const n of ['a', 'b', 'c']) writeFileSync(join(dir, `${n}.yaml`), ns(n));
  const client = await LspClient.start(dir, { maxTotalMB: 1 / 8192 });
  const logs: string[] = [];
  client.connection.onNotification('window/logMessage', (m: { message: string }) => void logs.push(m.message));
  try {
    const message = await new Promise<{ type: number; message: string }>((resolve) => {
      client.connection.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => {
        resolve(m);
        return null;
      });
    });
    assert.equal(message.message, `NetPol: more than 128 bytes of YAML files under ${dir}; only the first 2 files (102 bytes) are analysed (setting netpol.maxTotalMB).`);
    assert.deepEqual(await client.connection.sendRequest('netpol/namespaces', {}), ['a', 'b']);

    writeFileSync(join(dir, 'd.yaml'), ns('d'));
    const analysed = client.nextNotification('netpol/analysisChanged');
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'd.yaml')).toString(), type: 1 }] });
    await analysed;
    assert.deepEqual(await client.connection.sendRequest('netpol/namespaces', {}), ['a', 'b']);
    assert.ok(logs.some((l) => l.includes('the workspace is at its bounds')), logs.join('\n'));

    // A change of a file already read is fine within the bound.
    writeFileSync(join(dir, 'b.yaml'), ns('e'));
    const again = client.nextNotification('netpol/analysisChanged');
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'b.yaml')).toString(), type: 2 }] });
    await again;
    assert.deepEqual(await client.connection.sendRequest('netpol/namespaces', {}), ['a', 'e']);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
