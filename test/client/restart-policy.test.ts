import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { DEFAULT_MAX_RESTARTS, DEFAULT_RESTART_WINDOW_MS, RestartPolicy } from '../../client/src/connection/restart-policy';

/** A policy on a clock the test moves. */
function policy() {
  let now = 1_000_000;
  const p = new RestartPolicy({ now: () => now });
  return { p, advance: (ms: number) => (now += ms) };
}

test('the bound is stated: 4 restarts in 3 minutes (what vscode-languageclient does by default)', () => {
  assert.equal(DEFAULT_MAX_RESTARTS, 4);
  assert.equal(DEFAULT_RESTART_WINDOW_MS, 180_000);
});

test('crashes restart the server, the first one is told once, the fifth within 3 minutes gives up with one error', () => {
  const { p, advance } = policy();
  const decisions = Array.from({ length: 5 }, () => {
    advance(10_000);
    return p.closed();
  });
  assert.deepEqual(decisions.map((d) => d.restart), [true, true, true, true, false]);
  assert.deepEqual(decisions.map((d) => d.notice?.level), ['warning', undefined, undefined, undefined, 'error']);
  assert.match(decisions[0].notice!.message, /stopped unexpectedly and was restarted/);
  assert.match(decisions[4].notice!.message, /stopped 5 times in 3 minutes and is not restarted again.*NetPol: Restart Server/);
  for (const d of decisions) assert.ok(d.log.length > 0, 'every crash is logged');
  assert.match(decisions[2].log, /3 of at most 4 restarts in 3 minutes/);
});

test('crashes spread over more than the window keep being restarted, and told only once', () => {
  const { p, advance } = policy();
  const decisions = Array.from({ length: 12 }, () => {
    advance(60_000);
    return p.closed();
  });
  assert.ok(decisions.every((d) => d.restart), 'at most 3 crashes in any 3 minutes');
  assert.equal(decisions.filter((d) => d.notice).length, 1);
});

test('a manual restart starts a fresh count, and the next crash is told again', () => {
  const { p, advance } = policy();
  for (let i = 0; i < 5; i++) p.closed();
  assert.equal(p.closed().restart, false);
  p.reset();
  advance(1);
  const next = p.closed();
  assert.equal(next.restart, true);
  assert.equal(next.notice?.level, 'warning');
});

test('connection errors: continue for the first three, then shut down', () => {
  const { p } = policy();
  assert.deepEqual([1, 2, 3, 4, undefined].map((c) => p.error(c)), ['continue', 'continue', 'continue', 'shutdown', 'shutdown']);
});

test('the extension hands the policy to the language client as its error handler', () => {
  const src = readFileSync(resolve(__dirname, '../../../client/src/connection/language-client.ts'), 'utf8');
  assert.match(src, /errorHandler: errorHandler\(deps\)/);
  assert.match(src, /restartPolicy\.(closed|error)\(/);
  const extension = readFileSync(resolve(__dirname, '../../../client/src/extension.ts'), 'utf8');
  assert.match(extension, /restartPolicy\.reset\(\)/, 'the restart command resets the count');
  // The policy module is pure (unit-tested here, no editor).
  const imports = ts.preProcessFile(readFileSync(resolve(__dirname, '../../../client/src/connection/restart-policy.ts'), 'utf8'), true, true).importedFiles;
  assert.deepEqual(imports, []);
});
