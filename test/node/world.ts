/**
 * A small workspace for the safety tests: a web Deployment behind a Service in `shop`, a
 * client in `client`, and a policy admitting the client on the Service's target port.
 * Dropping the rule (NO_RULE) closes that routed flow: one closed flow, whatever the
 * baseline (git HEAD or the last saved text, both POLICY).
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/paths';

export { ROOT };
export const CLI = join(ROOT, 'dist/cli.js');

const deployment = (ns: string, app: string, port?: number) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers:
        - name: c
          image: nginx${port === undefined ? '' : `\n          ports: [{name: http, containerPort: ${port}}]`}
`;

export const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: client}}
      ports:
        - {protocol: TCP, port: 8080}
`;

export const NO_RULE = POLICY.slice(0, POLICY.indexOf('  ingress:')) + '  ingress: []\n';

/** The workspace without its policy (the policy's place differs between fixtures). */
export const WORLD: Readonly<Record<string, string>> = {
  'shop/web.yaml': deployment('shop', 'web', 8080),
  'shop/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - {port: 80, targetPort: http}
`,
  'client/app.yaml': deployment('client', 'app'),
};

export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Runs the real git for setting a fixture up (never through NetPol); throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A program that leaves a marker file `markers/<name>` (its arguments inside) when anything
 * runs it, then fails. Written as `path` (default: `tools/<name>` under `root`).
 */
export function markerProgram(root: string, name: string, path = join(root, 'tools', name)): string {
  mkdirSync(dirname(path), { recursive: true });
  mkdirSync(join(root, 'markers'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\nmkdir -p '${join(root, 'markers')}'\necho "$0 $*" >> '${join(root, 'markers', name)}'\nexit 1\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Forgets the markers left so far. */
export function clearMarkers(root: string): void {
  for (const name of markers(root)) rmSync(join(root, 'markers', name));
}

/** The markers left so far (names of the programs that ran). */
export function markers(root: string): string[] {
  try {
    return readdirSync(join(root, 'markers')).sort();
  } catch {
    return [];
  }
}

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long a CLI run may take before the test fails (it is killed, and `signal` says so). */
export const CLI_LIMIT_MS = 20_000;

/**
 * Runs `node dist/cli.js ARGS` as a process, asynchronously (a test's own HTTP server keeps
 * answering meanwhile); killed after CLI_LIMIT_MS.
 */
export function netpol(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env, timeout: CLI_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolvePromise({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** Asynchronous git for the "armed" checks (a naive call, as NetPol's old code made it). */
export function naiveGit(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolvePromise) => {
    execFile('git', args, { cwd, env, timeout: CLI_LIMIT_MS, killSignal: 'SIGKILL' }, () => resolvePromise());
  });
}
