/**
 * The language server's process dies (killed here, as an out-of-memory kill or a crash
 * would end it): the client starts it again, bounded, and tells the user once. Runs
 * last (`z-`): it kills the server the other suites talk to.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { State, type LanguageClient, type StateChangeEvent } from 'vscode-languageclient/node';
import type { NetPolApi } from '../../client/src/extension';

const EXTENSION_ID = 'netpol-studio.netpol-studio';

/** The NetPol servers this extension host started: its child processes running dist/server.js (Linux /proc). */
function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`: the command may hold spaces and parentheses; the last `)` ends it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => a.endsWith('dist/server.js'))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Resolves once the client has been stopped and is running again (its state events; a deadline turns a hang into a failure). */
function restarted(client: LanguageClient, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopped = false;
    const sub = client.onDidChangeState((e: StateChangeEvent) => {
      if (e.newState !== State.Running) stopped = true;
      else if (stopped) {
        sub.dispose();
        clearTimeout(timer);
        resolve();
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the client did not come back within ${timeoutMs} ms (state ${client.state})`));
    }, timeoutMs);
  });
}

suite('the server comes back after a crash', () => {
  test('killed twice: restarted each time, answering again, and the user told once', async () => {
    const ext = vscode.extensions.getExtension<NetPolApi>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    const client = api.client();
    assert.ok(client);
    if (client.state !== State.Running) await client.start();
    const noticesBefore = api.crashNotices().length;
    for (let round = 1; round <= 2; round++) {
      const [pid, ...others] = serverPids();
      assert.ok(pid !== undefined && others.length === 0, `one server process (found ${[pid, ...others].join(', ')})`);
      const back = restarted(client);
      process.kill(pid, 'SIGKILL');
      await back;
      const now = serverPids();
      assert.equal(now.length, 1, `round ${round}: one server again`);
      assert.notEqual(now[0], pid, `round ${round}: a new process`);
      // It serves: the workspace's workloads, read again from the disk by the new server.
      const workloads = await client.sendRequest<{ id: string }[]>('netpol/workloads', {});
      assert.ok(workloads.length > 0, `round ${round}: workloads after the restart`);
    }
    assert.deepEqual(api.crashNotices().slice(noticesBefore), ['The NetPol language server stopped unexpectedly and was restarted. See Output › NetPol for what happened.']);
  });
});
