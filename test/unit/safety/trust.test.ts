/**
 * Workspace trust over stdio. A `git` first on PATH (outside the workspace) logs every
 * run and hands over to the real git, so "git ran" is observable. A client that says
 * nothing about trust (a standalone LSP client) or says `trusted: false` gets no git: the
 * change impact compares with the last saved text. netpol/workspaceTrusted switches the
 * baseline to git HEAD (HEAD differs from the saved text here, so the impact changes);
 * `trusted: true` at initialize reads HEAD at once. The CLI, run by the user, reads git.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHANGE_IMPACT_CHANGED_NOTIFICATION, WORKSPACE_TRUSTED_NOTIFICATION, type ChangeImpactResult } from '../../../server/src/protocol';
import { LspClient } from '../lsp/lsp-client';
import { clearMarkers, git, markers, netpol, NO_RULE, POLICY, WORLD, writeFiles } from './world';

/** HEAD's version also admits an address range: against HEAD, dropping the rule closes two flows. */
const HEAD_POLICY = POLICY.replace('        - namespaceSelector:', '        - ipBlock: {cidr: 203.0.113.0/24}\n        - namespaceSelector:');

const skip = process.platform === 'win32' ? 'a POSIX shell git wrapper' : false;

function realGit(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    try {
      if (statSync(join(dir, 'git')).isFile()) return join(dir, 'git');
    } catch {
      // Not here.
    }
  }
  throw new Error('no git on PATH');
}

describe('workspace trust', { skip }, () => {
  let root: string;
  let repo: string;
  let env: NodeJS.ProcessEnv;
  let uri: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'netpol-trust-'));
    repo = join(root, 'repo');
    writeFiles(repo, { ...WORLD, 'shop/policy.yaml': HEAD_POLICY });
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'world');
    // Saved but not committed.
    writeFileSync(join(repo, 'shop/policy.yaml'), POLICY);
    uri = pathToFileURL(join(repo, 'shop/policy.yaml')).toString();
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nmkdir -p '${join(root, 'markers')}'\necho "$*" >> '${join(root, 'markers', 'git')}'\nexec '${realGit()}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    env = { ...process.env, PATH: [bin, process.env.PATH ?? ''].join(delimiter) };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Opens the policy as saved, edits it to drop its rule: the impact pushed. */
  async function dropRule(client: LspClient): Promise<ChangeImpactResult> {
    const analysed = client.nextNotification('netpol/analysisChanged');
    client.open(uri, POLICY, 1);
    await analysed;
    const pushed = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    client.change(uri, NO_RULE, 2);
    return pushed;
  }

  test('a client that says nothing about trust: no git; trust granted later: git HEAD', async () => {
    clearMarkers(root);
    const client = await LspClient.start(repo, {}, { env });
    try {
      const untrusted = await dropRule(client);
      assert.deepEqual([untrusted.baseline, untrusted.closed], ['last saved', 1]);
      assert.deepEqual(markers(root), [], 'no git ran');

      const switched = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
      void client.connection.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION);
      const trusted = await switched;
      assert.deepEqual([trusted.baseline, trusted.closed], ['git HEAD', 2], JSON.stringify(trusted.entries));
      assert.deepEqual(markers(root), ['git'], 'git ran once trusted');
    } finally {
      await client.stop();
    }
  });

  test('trusted: false is not trusted', async () => {
    clearMarkers(root);
    const client = await LspClient.start(repo, {}, { env, initializationOptions: { trusted: false, settings: {} } });
    try {
      const r = await dropRule(client);
      assert.deepEqual([r.baseline, r.closed], ['last saved', 1]);
      assert.deepEqual(markers(root), []);
    } finally {
      await client.stop();
    }
  });

  test('trusted: true reads git HEAD from the start, with the git of the PATH', async () => {
    clearMarkers(root);
    const client = await LspClient.start(repo, {}, { env, initializationOptions: { trusted: true } });
    try {
      const r = await dropRule(client);
      assert.deepEqual([r.baseline, r.closed], ['git HEAD', 2]);
      assert.deepEqual(markers(root), ['git']);
    } finally {
      await client.stop();
    }
  });

  test('the CLI, run by the user, reads git HEAD', async () => {
    clearMarkers(root);
    const r = await netpol(['diff', '--base', 'HEAD', '--format', 'json'], repo, env);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as { src: string }[];
    assert.deepEqual(entries.map((e) => e.src), ['203.0.113.0-203.0.113.255[External]'], 'HEAD admitted the range; the saved file does not');
    assert.deepEqual(markers(root), ['git']);
  });
});
