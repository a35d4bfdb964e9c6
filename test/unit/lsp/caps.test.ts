import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
