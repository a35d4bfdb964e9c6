/**
 * The house plan (docs/architecture.md), held by the imports of every source file. The
 * TypeScript pre-processor lists each import, `import type`, `export … from`, require and
 * import() alike: a type import counts, because a cycle through types is still a cycle
 * of ideas. ESLint (eslint.config.mjs) says the same per folder while one types; this
 * test is the authority.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/paths';

/**
 * The core's layers, lowest first: a file imports its own layer or lower ones. `files`
 * are the core's top-level files that make up a layer (the rest are folders of the same name).
 */
export const LAYERS: readonly { readonly name: string; readonly files?: readonly string[] }[] = [
  { name: 'base' },
  { name: 'yaml' },
  { name: 'k8s' },
  { name: 'manifest' },
  { name: 'lint' },
  { name: 'validate' },
  { name: 'model' },
  { name: 'reach' },
  { name: 'evidence' },
  { name: 'analysis' },
  { name: 'generate' },
  { name: 'rules' },
  { name: 'impact' },
  { name: 'fixes' },
  { name: 'ide' },
  { name: 'api', files: ['catalog.ts', 'workspace.ts', 'index.ts'] },
];

/** Packages the core may import: the YAML parser, nothing of the editor, the protocol or the file system. */
const CORE_PACKAGES = new Set(['yaml']);

interface SourceFile {
  /** Repository-relative, `/`-separated. */
  readonly path: string;
  readonly imports: readonly { readonly spec: string; readonly target?: string }[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string) => relative(ROOT, p).split('\\').join('/');

function load(dir: string): SourceFile[] {
  return walk(join(ROOT, dir)).map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: spec }) => {
      if (!spec.startsWith('.')) return { spec };
      const base = normalize(join(dirname(file), spec));
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((c) => c.endsWith('.ts') && existsSync(c));
      return { spec, target: target === undefined ? undefined : rel(target) };
    });
    return { path: rel(file), imports };
  });
}

const server = load('server/src');
const client = load('client/src');

/** The layer of a core file (undefined outside the core; 'unknown' for a file the table does not place). */
function layerOf(path: string): number | undefined {
  const m = /^server\/src\/core\/(.+)$/.exec(path);
  if (!m) return undefined;
  const [head, ...rest] = m[1].split('/');
  const i = rest.length === 0 ? LAYERS.findIndex((l) => l.files?.includes(head)) : LAYERS.findIndex((l) => l.name === head && !l.files);
  return i < 0 ? -1 : i;
}

test('every core file belongs to a layer of the table', () => {
  const core = server.filter((f) => f.path.startsWith('server/src/core/'));
  assert.ok(core.length > 100, `found ${core.length} core files`);
  assert.deepEqual(core.filter((f) => layerOf(f.path) === -1).map((f) => f.path), []);
});

test('the core imports its own layer or lower ones, type imports included', () => {
  const offenders: string[] = [];
  for (const f of server) {
    const from = layerOf(f.path);
    if (from === undefined) continue;
    for (const i of f.imports) {
      if (i.target === undefined) {
        if (!i.spec.startsWith('.') && !CORE_PACKAGES.has(i.spec)) offenders.push(`${f.path}: package ${i.spec}`);
        else if (i.spec.startsWith('.')) offenders.push(`${f.path}: ${i.spec} does not resolve`);
        continue;
      }
      const to = layerOf(i.target);
      if (to === undefined) offenders.push(`${f.path}: ${i.target} is outside the core`);
      else if (to > from) offenders.push(`${f.path} (${LAYERS[from].name}) imports ${i.target} (${LAYERS[to].name})`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('outside the core, only core/index.ts is imported; the LSP, the CLI and node/ keep to their own', () => {
  const offenders: string[] = [];
  for (const f of server) {
    if (f.path.startsWith('server/src/core/')) continue;
    const area = /^server\/src\/([^/]+)\//.exec(f.path)?.[1] ?? f.path;
    for (const i of f.imports) {
      const t = i.target;
      if (t?.startsWith('server/src/core/') && t !== 'server/src/core/index.ts') offenders.push(`${f.path} imports ${t}`);
      // lsp/ is the only folder that knows LSP; the CLI and the file system adapters do not know each other.
      if (area !== 'lsp' && /^vscode-(languageserver|jsonrpc)/.test(i.spec)) offenders.push(`${f.path} imports ${i.spec}`);
      if (area === 'cli' && t?.startsWith('server/src/lsp/')) offenders.push(`${f.path} imports ${t}`);
      if (area === 'lsp' && t?.startsWith('server/src/cli/')) offenders.push(`${f.path} imports ${t}`);
      if (area === 'node' && t !== undefined && !t.startsWith('server/src/node/') && t !== 'server/src/core/index.ts') offenders.push(`${f.path} imports ${t}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('protocol.ts imports nothing', () => {
  const protocol = server.find((f) => f.path === 'server/src/protocol.ts');
  assert.ok(protocol, 'server/src/protocol.ts');
  assert.deepEqual(protocol.imports.map((i) => i.spec), []);
});

test('the client imports vscode, its language client and node, and of the server protocol.ts alone', () => {
  const offenders: string[] = [];
  for (const f of client) {
    for (const i of f.imports) {
      if (i.target === undefined) {
        if (!/^(vscode|vscode-languageclient(\/.*)?|node:.+)$/.test(i.spec)) offenders.push(`${f.path}: package ${i.spec}`);
      } else if (!i.target.startsWith('client/src/') && i.target !== 'server/src/protocol.ts') {
        offenders.push(`${f.path} imports ${i.target}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('no import cycles in the server or the client', () => {
  const files = [...server, ...client];
  const edges = new Map(files.map((f) => [f.path, f.imports.flatMap((i) => (i.target ? [i.target] : []))]));
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f.path)) visit(f.path);
  assert.deepEqual(cycles, []);
});
