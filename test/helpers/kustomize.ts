/**
 * Shared by the kustomize tests: the fixtures under test/fixtures/kustomize read as the core
 * gets files (paths relative to the fixture folder), and `kubectl kustomize` run as a process
 * on one of their folders (plugins, Helm and network off; never on a fixture with a remote
 * reference: the tests check that first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './paths';
import type { KustomizeInputFile } from '../../server/src/core/manifest/kustomize';

export const KUSTOMIZE_FIXTURES = resolve(ROOT, 'test/fixtures/kustomize');

/** The YAML files (and `Kustomization` files) under `dir`, with paths relative to `dir`. */
export function fixtureFiles(dir: string): KustomizeInputFile[] {
  const out: KustomizeInputFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name) || name === 'Kustomization') out.push({ path: relative(dir, p).split('\\').join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

/** The absolute path of kubectl on PATH, or undefined. */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, process.platform === 'win32' ? 'kubectl.exe' : 'kubectl');
    if (existsSync(p)) return p;
  }
  return undefined;
}

export type KubectlResult = { readonly ok: true; readonly objects: Record<string, unknown>[] } | { readonly ok: false; readonly error: string };

/** `kubectl kustomize DIR`, its objects parsed. */
export function kubectlKustomize(kubectl: string, dir: string): KubectlResult {
  try {
    const out = execFileSync(kubectl, ['kustomize', '--enable-alpha-plugins=false', '--enable-helm=false', '--load-restrictor=LoadRestrictionsRootOnly', '--network=false', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      // A kubectl that asks a cluster for its version (gcloud's dispatcher) finds none, without a socket.
      env: { ...process.env, HOME: isolatedHome(), KUBECONFIG: join(isolatedHome(), 'kubeconfig') },
    });
    const objects = parseAllDocuments(out).map((d) => d.toJS() as Record<string, unknown>).filter((o) => o !== null);
    return { ok: true, objects };
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    return { ok: false, error: String(err.stderr || err.message).trim().split('\n').pop() ?? '' };
  }
}

let home: string | undefined;

/** A home folder with a kubeconfig whose cluster is unreachable without any network use. */
function isolatedHome(): string {
  if (!home) {
    home = mkdtempSync(join(tmpdir(), 'netpol-kubectl-home-'));
    writeFileSync(join(home, 'kubeconfig'), 'apiVersion: v1\nkind: Config\nclusters:\n  - name: none\n    cluster:\n      server: unix:///netpol-no-cluster\ncontexts:\n  - name: none\n    context:\n      cluster: none\ncurrent-context: none\n');
    process.on('exit', () => {
      try {
        rmSync(home!, { recursive: true, force: true });
      } catch {
        // Best effort.
      }
    });
  }
  return home;
}

/** Deep copy with sorted keys, for comparing objects regardless of key order or prototypes. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
