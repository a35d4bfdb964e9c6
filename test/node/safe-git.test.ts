/**
 * The hardened git runner's own decisions, in process: which repository a file belongs to
 * (the nearest `.git`, a worktree's `.git` file; never a folder that merely looks like a
 * repository), where git may come from (absolute PATH entries outside the workspace and
 * the current directory), HEAD read from .git, and reading a linked worktree's HEAD
 * through GitBaselines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { GitBaselines } from '../../server/src/node/git-baselines';
import { findGit, findRepository, parseGitVersion, readHead, safePathDirs } from '../../server/src/node/safe-git';
import { git, POLICY } from './world';

describe('safe git', () => {
  let root: string;
  let repo: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'netpol-safe-git-'));
    repo = join(root, 'repo');
    mkdirSync(join(repo, 'shop'), { recursive: true });
    writeFileSync(join(repo, 'shop/policy.yaml'), POLICY);
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the repository is the nearest .git; a folder laid out like a repository is not one', () => {
    assert.deepEqual(findRepository(join(repo, 'shop')), { top: repo, gitDir: join(repo, '.git'), commonDir: join(repo, '.git') });
    // HEAD, objects/ and refs/ in a committed folder: git would discover it; NetPol does not.
    const bare = join(repo, 'shop', 'bare');
    mkdirSync(join(bare, 'objects'), { recursive: true });
    mkdirSync(join(bare, 'refs'), { recursive: true });
    writeFileSync(join(bare, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(bare, 'config'), '[core]\n\tworktree = .\n');
    assert.equal(findRepository(bare)?.top, repo);
    assert.equal(findRepository(tmpdir() === '/' ? '/nonexistent' : join(root, 'elsewhere')), undefined);
    // A .git that is not a usable repository stops the search: nothing further up is used.
    const broken = join(repo, 'shop', 'broken');
    mkdirSync(join(broken, '.git'), { recursive: true });
    assert.equal(findRepository(broken), undefined);
  });

  test('a linked worktree (a .git file): its own HEAD, the main refs and objects', () => {
    const wt = join(root, 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'other', wt);
    writeFileSync(join(wt, 'shop/policy.yaml'), `${POLICY}# other\n`);
    git(wt, 'commit', '-q', '-am', 'other');
    const found = findRepository(join(wt, 'shop'));
    assert.ok(found);
    assert.equal(found.top, wt);
    assert.equal(found.commonDir, join(repo, '.git'));
    assert.equal(readHead(found), git(wt, 'rev-parse', 'HEAD').trim());
    const baselines = new GitBaselines();
    assert.equal(baselines.gitHead(join(wt, 'shop/policy.yaml')), `${POLICY}# other\n`);
    assert.equal(baselines.gitHead(join(repo, 'shop/policy.yaml')), POLICY);
    assert.equal(baselines.gitHead(join(repo, 'shop/none.yaml')), undefined);
  });

  test('HEAD from packed refs; a ref that climbs out of .git is not followed', () => {
    const packed = join(root, 'packed');
    mkdirSync(packed);
    git(packed, 'init', '-q');
    writeFileSync(join(packed, 'a.yaml'), POLICY);
    git(packed, 'add', '.');
    git(packed, 'commit', '-q', '-m', 'one');
    git(packed, 'pack-refs', '--all');
    const r = findRepository(packed);
    assert.ok(r);
    assert.equal(readHead(r), git(packed, 'rev-parse', 'HEAD').trim());
    writeFileSync(join(r.gitDir, 'HEAD'), 'ref: refs/../../../../etc/hostname\n');
    assert.equal(readHead(r), undefined);
  });

  test('no trust, no git: GitBaselines reads nothing while not trusted', () => {
    let trusted = false;
    const baselines = new GitBaselines({ trusted: () => trusted });
    assert.equal(baselines.gitHead(join(repo, 'shop/policy.yaml')), undefined);
    trusted = true;
    assert.equal(baselines.gitHead(join(repo, 'shop/policy.yaml')), POLICY);
  });

  test('git only from absolute PATH entries outside the workspace and the current directory', { skip: process.platform === 'win32' && 'POSIX executables' }, () => {
    const outside = join(root, 'outside-bin');
    const inside = join(repo, 'bin');
    for (const dir of [outside, inside]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'git'), '#!/bin/sh\n');
      chmodSync(join(dir, 'git'), 0o755);
    }
    const env = { PATH: ['.', 'bin', '', inside, join(repo, 'shop', '..', 'bin'), process.cwd(), outside].join(delimiter) };
    const dirs = safePathDirs([repo], env);
    assert.deepEqual(dirs, [outside]);
    assert.equal(findGit(dirs), join(outside, 'git'));
    assert.equal(findGit(safePathDirs([repo, outside], env)), undefined);
  });

  test('git versions', () => {
    assert.deepEqual(parseGitVersion('git version 2.39.5\n'), [2, 39]);
    assert.deepEqual(parseGitVersion('git version 2.45.1.windows.1'), [2, 45]);
    assert.equal(parseGitVersion('hello'), undefined);
  });
});
