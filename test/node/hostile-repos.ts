/**
 * Hostile git repositories, built in a temporary folder: each one makes a naive git read
 * of a file's HEAD version (what NetPol did: `git rev-parse`, `git show HEAD:path`) run a
 * program the repository names. Every such program is a marker program (world.ts): if
 * it runs, a marker file appears. `arm()` proves each fixture is live by running the
 * naive git once.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, unlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { git, markerProgram, naiveGit, POLICY, WORLD, writeFiles } from './world';

export interface Hostile {
  readonly root: string;
  /** The workspace folder the server opens. */
  readonly workspace: string;
  /** The policy file opened and edited. */
  readonly policy: string;
  /** Where `netpol diff --base HEAD PATHS…` runs. */
  readonly cliCwd: string;
  readonly cliPaths: readonly string[];
  /** Environment of the CLI and the server (a PATH of the fixture's). */
  readonly env: NodeJS.ProcessEnv;
  /** Runs the naive git once: it must leave a marker. */
  arm(): Promise<void>;
  /** The change impact's baseline in a trusted workspace. */
  readonly serverBaseline: 'git HEAD' | 'last saved';
  /** The CLI reads HEAD (`diff`, with an optional note on stderr) or refuses the repository. */
  readonly cli: { readonly kind: 'diff'; readonly note?: RegExp } | { readonly kind: 'refused'; readonly message: RegExp };
  dispose(): Promise<void>;
}

/** git before 2.44 cannot be told not to fetch: NetPol refuses partial clones then. */
export function gitRefusesPartialClones(): boolean {
  const m = /git version (\d+)\.(\d+)/.exec(git(tmpdir(), '--version'));
  return !m || Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 44);
}

/** The world and its policy committed in a fresh repository `root/repo`. */
function baseRepo(prefix: string): { root: string; repo: string } {
  const root = mkdtempSync(join(tmpdir(), `netpol-hostile-${prefix}-`));
  const repo = join(root, 'repo');
  writeFiles(repo, { ...WORLD, 'shop/policy.yaml': POLICY });
  git(repo, 'init', '-q');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'world');
  return { root, repo };
}

const plain = (root: string, repo: string) => ({
  root,
  workspace: repo,
  policy: join(repo, 'shop/policy.yaml'),
  cliCwd: repo,
  cliPaths: [] as string[],
  env: process.env,
  dispose: async () => rmSync(root, { recursive: true, force: true }),
});

export type Transport = 'ext' | 'file' | 'ssh' | 'git' | 'http';

/**
 * A partial clone whose HEAD version of the policy is missing: git fetches it from the
 * promisor remote, through a transport the repository configures to run a program.
 */
export async function partialClone(transport: Transport): Promise<Hostile> {
  const { root, repo } = baseRepo(`partial-${transport}`);
  const blob = git(repo, 'rev-parse', 'HEAD:shop/policy.yaml').trim();
  unlinkSync(join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
  const config = (key: string, value: string) => git(repo, 'config', key, value);
  config('core.repositoryformatversion', '1');
  config('extensions.partialClone', 'origin');
  config('remote.origin.promisor', 'true');
  config('remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*');
  config('protocol.allow', 'always');
  let server: Server | undefined;
  if (transport === 'ext') {
    config('remote.origin.url', `ext::${markerProgram(root, 'ext-remote')} %S`);
    config('protocol.ext.allow', 'always');
  } else if (transport === 'file') {
    config('remote.origin.url', `file://${join(root, 'nowhere')}`);
    config('remote.origin.uploadpack', markerProgram(root, 'uploadpack'));
  } else if (transport === 'ssh') {
    config('remote.origin.url', 'ssh://example.invalid/x');
    config('core.sshCommand', markerProgram(root, 'ssh-command'));
  } else if (transport === 'git') {
    config('remote.origin.url', 'git://example.invalid/x');
    config('core.gitProxy', markerProgram(root, 'git-proxy'));
  } else {
    // An HTTP remote that asks for credentials: the credential helper and askpass run.
    server = createServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    config('remote.origin.url', `http://127.0.0.1:${port}/x`);
    config('credential.helper', `!${markerProgram(root, 'credential-helper')}`);
    config('core.askPass', markerProgram(root, 'askpass'));
  }
  const refused = gitRefusesPartialClones();
  const base = plain(root, repo);
  return {
    ...base,
    arm: () => naiveGit(repo, ['show', 'HEAD:shop/policy.yaml']),
    serverBaseline: 'last saved',
    cli: refused ? { kind: 'refused', message: /is a partial clone \(.*\): git \d+\.\d+ would fetch its missing objects/ } : { kind: 'diff', note: /not readable/ },
    dispose: async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await base.dispose();
    },
  };
}

/**
 * In `repo`, makes HEAD's `path` a gitlink to a commit of the repository that carries a
 * (fake) signature and changes a `.txt` file with a textconv driver: `git show HEAD:path`
 * prints that commit with its patch, running gpg.program and the textconv program.
 */
function gitlinkTo(root: string, repo: string, path: string, programs: string): void {
  writeFileSync(join(repo, 'notes.txt'), 'one\n');
  writeFileSync(join(repo, '.gitattributes'), '*.txt diff=evil\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'notes');
  const parent = git(repo, 'rev-parse', 'HEAD').trim();
  writeFileSync(join(repo, 'notes.txt'), 'two\n');
  git(repo, 'commit', '-q', '-am', 'notes two');
  const tree = git(repo, 'rev-parse', 'HEAD^{tree}').trim();
  const signed = join(root, 'signed-commit');
  writeFileSync(
    signed,
    `tree ${tree}\nparent ${parent}\nauthor t <t@example.com> 0 +0000\ncommitter t <t@example.com> 0 +0000\n` +
      'gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----\n\nsigned\n',
  );
  const commit = git(repo, 'hash-object', '-t', 'commit', '-w', signed).trim();
  git(repo, 'rm', '-q', '--cached', '--ignore-unmatch', path);
  git(repo, 'update-index', '--add', '--cacheinfo', `160000,${commit},${path}`);
  git(repo, 'commit', '-q', '-m', 'gitlink');
  git(repo, 'config', 'diff.evil.textconv', markerProgram(root, `${programs}-textconv`));
  git(repo, 'config', 'gpg.program', markerProgram(root, `${programs}-gpg`));
  git(repo, 'config', 'log.showSignature', 'true');
}

/** HEAD's entry at the policy's path is a gitlink (mode 160000) to a signed commit of the repository. */
export async function gitlinkAtPolicy(): Promise<Hostile> {
  const { root, repo } = baseRepo('gitlink');
  gitlinkTo(root, repo, 'shop/policy.yaml', 'gitlink');
  // The working tree keeps a real policy file there.
  writeFileSync(join(repo, 'shop/policy.yaml'), POLICY);
  return {
    ...plain(root, repo),
    arm: () => naiveGit(repo, ['show', 'HEAD:shop/policy.yaml']),
    serverBaseline: 'last saved',
    cli: { kind: 'diff', note: /HEAD:shop\/policy\.yaml: a submodule \(gitlink\), not a file: skipped/ },
  };
}

/**
 * An ordinary repository that commits a folder `evil/` laid out as a bare repository
 * (HEAD, objects/, refs/, a config with core.worktree=. naming textconv, GPG, fsmonitor
 * and hooks programs), the policy inside it. git run in `evil/` discovers that folder as
 * the repository.
 */
export async function embeddedBareRepository(): Promise<Hostile> {
  const root = mkdtempSync(join(tmpdir(), 'netpol-hostile-embedded-'));
  const source = join(root, 'source');
  writeFiles(source, { 'placeholder.txt': 'x\n' });
  git(source, 'init', '-q');
  git(source, 'add', '.');
  git(source, 'commit', '-q', '-m', 'source');
  gitlinkTo(root, source, 'policy.yaml', 'embedded');
  const repo = join(root, 'repo');
  const evil = join(repo, 'evil');
  mkdirSync(evil, { recursive: true });
  for (const part of ['HEAD', 'objects', 'refs']) cpSync(join(source, '.git', part), join(evil, part), { recursive: true });
  const hooks = join(root, 'embedded-hooks');
  for (const hook of ['pre-commit', 'post-checkout', 'post-index-change', 'reference-transaction']) markerProgram(root, `embedded-hook-${hook}`, join(hooks, hook));
  writeFileSync(
    join(evil, 'config'),
    '[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n' +
      `\tfsmonitor = ${markerProgram(root, 'embedded-fsmonitor')}\n\thooksPath = ${hooks}\n\tpager = ${markerProgram(root, 'embedded-pager')}\n` +
      `[diff "evil"]\n\ttextconv = ${markerProgram(root, 'embedded-textconv')}\n` +
      `[gpg]\n\tprogram = ${markerProgram(root, 'embedded-gpg')}\n[log]\n\tshowSignature = true\n`,
  );
  writeFiles(repo, { ...WORLD, 'evil/policy.yaml': POLICY });
  git(repo, 'init', '-q');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'a clone with a bare repository inside');
  return {
    root,
    workspace: repo,
    policy: join(evil, 'policy.yaml'),
    cliCwd: evil,
    cliPaths: ['..'],
    env: process.env,
    arm: () => naiveGit(evil, ['show', 'HEAD:policy.yaml']),
    serverBaseline: 'git HEAD',
    cli: { kind: 'diff' },
    dispose: async () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The repository's config names an fsmonitor hook program (run by git status and the like). */
export async function fsmonitorHook(): Promise<Hostile> {
  const { root, repo } = baseRepo('fsmonitor');
  git(repo, 'config', 'core.fsmonitor', markerProgram(root, 'fsmonitor'));
  return { ...plain(root, repo), arm: () => naiveGit(repo, ['status']), serverBaseline: 'git HEAD', cli: { kind: 'diff' } };
}

const HOOKS = ['pre-commit', 'post-commit', 'post-checkout', 'post-merge', 'post-index-change', 'reference-transaction', 'pre-auto-gc', 'fsmonitor-watchman', 'post-rewrite'];

/** Hooks everywhere: in core.hooksPath (a committed folder) and in .git/hooks; a pager too. */
export async function hooksEverywhere(): Promise<Hostile> {
  const { root, repo } = baseRepo('hooks');
  // Committed first (a reference-transaction hook that fails would stop the commit).
  for (const hook of HOOKS) markerProgram(root, `hooks-path-${hook}`, join(repo, '.githooks', hook));
  git(repo, 'add', '.githooks');
  git(repo, 'commit', '-q', '-m', 'hooks');
  for (const hook of HOOKS) markerProgram(root, `git-dir-hook-${hook}`, join(repo, '.git', 'hooks', hook));
  git(repo, 'config', 'core.hooksPath', '.githooks');
  git(repo, 'config', 'core.pager', markerProgram(root, 'pager'));
  git(repo, 'config', 'diff.external', markerProgram(root, 'external-diff'));
  return {
    ...plain(root, repo),
    arm: () => naiveGit(repo, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'x']),
    serverBaseline: 'git HEAD',
    cli: { kind: 'diff' },
  };
}

/**
 * A `git` program in the workspace, found first through relative PATH entries (`.`,
 * `bin`) and an absolute one inside the workspace.
 */
export async function gitInWorkspace(): Promise<Hostile> {
  const { root, repo } = baseRepo('path');
  markerProgram(root, 'workspace-git', join(repo, 'git'));
  markerProgram(root, 'workspace-bin-git', join(repo, 'bin', 'git'));
  markerProgram(root, 'workspace-abs-git', join(repo, 'tools', 'git'));
  const env = { ...process.env, PATH: ['.', 'bin', join(repo, 'tools'), process.env.PATH ?? ''].join(delimiter) };
  return { ...plain(root, repo), env, arm: () => naiveGit(repo, ['rev-parse', '--show-toplevel'], env), serverBaseline: 'git HEAD', cli: { kind: 'diff' } };
}
