/**
 * Hostile repositories (hostile-repos.ts): reading a policy's git HEAD version must run
 * none of the programs they name. Each fixture is first proven live (a naive git leaves
 * a marker), then the language server (a real process over stdio, trusted workspace: git
 * allowed) opens and edits the policy until the change impact is pushed, and
 * `netpol diff --base HEAD` runs as a real process on dist/cli.js. No marker may appear;
 * the normal case still reads HEAD (baseline `git HEAD`, the closed flow shown).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CHANGE_IMPACT_CHANGED_NOTIFICATION, type ChangeImpactResult } from '../../../server/src/protocol';
import { LspClient } from '../lsp/lsp-client';
import { embeddedBareRepository, fsmonitorHook, gitInWorkspace, gitlinkAtPolicy, hooksEverywhere, partialClone, type Hostile } from './hostile-repos';
import { clearMarkers, markers, netpol, NO_RULE, POLICY } from './world';

const FIXTURES: { name: string; build: () => Promise<Hostile> }[] = [
  { name: 'a partial clone fetching over ext:: (a command of the repository)', build: () => partialClone('ext') },
  { name: 'a partial clone fetching with remote.origin.uploadpack', build: () => partialClone('file') },
  { name: 'a partial clone fetching with core.sshCommand', build: () => partialClone('ssh') },
  { name: 'a partial clone fetching through core.gitProxy', build: () => partialClone('git') },
  { name: 'a partial clone fetching over HTTP with credential.helper and core.askPass', build: () => partialClone('http') },
  { name: 'a gitlink at the policy path (textconv, gpg.program with log.showSignature)', build: gitlinkAtPolicy },
  { name: 'a committed bare repository folder with core.worktree=.', build: embeddedBareRepository },
  { name: 'a core.fsmonitor program', build: fsmonitorHook },
  { name: 'hooks in core.hooksPath and .git/hooks, a pager, an external diff', build: hooksEverywhere },
  { name: 'a git program in the workspace, first on PATH (relative and absolute entries)', build: gitInWorkspace },
];

const skip = process.platform === 'win32' ? 'POSIX shell marker programs' : false;

for (const { name, build } of FIXTURES) {
  describe(name, { skip }, () => {
    let h: Hostile;
    before(async () => {
      h = await build();
      await h.arm();
      assert.notDeepEqual(markers(h.root), [], 'the fixture is live: a naive git runs its program');
      clearMarkers(h.root);
    });
    after(async () => {
      await h.dispose();
    });

    test('the language server reads the baseline and runs nothing of the repository', async () => {
      const client = await LspClient.start(h.workspace, {}, { initializationOptions: { trusted: true }, env: h.env, cwd: h.cliCwd });
      const logs: string[] = [];
      client.connection.onNotification('window/logMessage', (m: { message: string }) => void logs.push(m.message));
      try {
        const uri = pathToFileURL(h.policy).toString();
        const analysed = client.nextNotification('netpol/analysisChanged');
        client.open(uri, POLICY, 1);
        await analysed;
        const pushed = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
        client.change(uri, NO_RULE, 2);
        const r = await pushed;
        assert.deepEqual(markers(h.root), [], 'no program of the repository ran');
        assert.equal(r.baseline, h.serverBaseline);
        assert.deepEqual([r.closed, r.entries[0]?.src, r.entries[0]?.dst], [1, 'client/app[Deployment]', 'shop/web[Deployment]']);
        if (h.cli.kind === 'refused') assert.ok(logs.some((l) => /is a partial clone/.test(l) && /compares with the last saved text/.test(l)), logs.join('\n'));
      } finally {
        await client.stop();
      }
      assert.deepEqual(markers(h.root), [], 'nothing ran later either');
    });

    test('netpol diff --base HEAD reads blobs only and runs nothing of the repository', async () => {
      writeFileSync(h.policy, NO_RULE);
      const r = await netpol(['diff', '--base', 'HEAD', '--format', 'json', ...h.cliPaths], h.cliCwd, h.env);
      assert.equal(r.signal, null, `killed after the time limit: ${r.stderr}`);
      assert.deepEqual(markers(h.root), [], 'no program of the repository ran');
      if (h.cli.kind === 'refused') {
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, /^netpol: git: /);
        assert.match(r.stderr, h.cli.message);
        return;
      }
      assert.equal(r.code, 0, r.stderr);
      const entries = JSON.parse(r.stdout) as { src: string; dst: string; lost: string }[];
      assert.ok(
        entries.some((e) => e.src === 'client/app[Deployment]' && e.dst === 'shop/web[Deployment]' && /TCP 8080|All Connections/.test(e.lost)),
        r.stdout,
      );
      if (h.cli.note) assert.match(r.stderr, h.cli.note);
      assert.doesNotMatch(r.stderr, /internal error/);
    });
  });
}
