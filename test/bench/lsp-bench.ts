/**
 * Editor latency: didChange → publishDiagnostics over stdio, as an editor sees it.
 *  (a) one file of ~800 documents (~34k lines), one document edited per change;
 *  (b) a workspace of 10,000 workloads in 100 files: its cold start (initialized → first
 *      diagnostics, with the progress reports), then one policy edited per change;
 *  (c) hostile inputs (issue 18): a 50 MB file, a 1 MB single line, a 1 MB flow line,
 *      1,400 rules aliasing one peer list, 20,000 policies of one name: open, a keystroke
 *      in the longest line, hover, completion and code actions there;
 *  (d) a cluster dump (one kubectl List, issue 15 §3) in the workspace and a policy file
 *      edited beside it.
 * yaml-language-server (no schema) runs on (a) in the same run for comparison.
 * Prints figures; asserts nothing.
 *
 *   node out/test/bench/lsp-bench.js [--edits=40] [--cold-runs=2] [--skip-b] [--skip-c] [--skip-d] [--only-c | --only-d] [--dump-pods=10000] [--skip-yls]
 *   [--cold-only]: (b)'s cold starts only (with --skip-c --skip-d)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { editDocument, editPolicyPort, generateMultiDocFile, generateWorkspace } from './generate';
import { anchoredPeerRules, flowLinePolicy, hugeFile, sameNamePolicies, singleLinePolicy } from './hostile';
import { generateClusterDump } from './cluster-dump';
import { yaml } from '../helpers/manifests';

const ROOT = resolve(__dirname, '../../..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const EDITS = Number(arg('edits') ?? 40);
/** Cold starts of (b)'s workspace measured (each in a fresh server). */
const COLD_RUNS = Number(arg('cold-runs') ?? 2);
/** The server measured: NETPOL_BENCH_SERVER names another build (a copy of dist/server.js, to compare before and after). */
const SERVER = process.env.NETPOL_BENCH_SERVER ? resolve(process.env.NETPOL_BENCH_SERVER) : join(ROOT, 'dist/server.js');

interface Server {
  readonly name: string;
  readonly conn: MessageConnection;
  readonly child: ChildProcess;
  kill(): void;
}

function startServer(name: string, command: string[], settings: unknown): Server {
  const child = spawn(process.execPath, [...(process.env.NETPOL_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...command], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  // As an editor does when the message is dismissed.
  conn.onRequest('window/showMessageRequest', () => null);
  conn.onNotification(() => undefined);
  conn.listen();
  // With node flags (--cpu-prof writes its profile at exit), the server is asked to exit
  // as an editor asks it; otherwise it is killed.
  const graceful = (process.env.NETPOL_BENCH_NODE_FLAGS ?? '') !== '';
  const kill = () => {
    if (!graceful) return void child.kill();
    const timer = setTimeout(() => child.kill(), 10_000);
    void conn.sendRequest('shutdown').then(() => conn.sendNotification('exit'), () => child.kill());
    child.once('exit', () => clearTimeout(timer));
  };
  return { name, conn, child, kill };
}

async function initialize(s: Server, folder: string | null, window?: { workDoneProgress: boolean }): Promise<void> {
  await s.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folder,
    workspaceFolders: folder ? [{ uri: folder, name: 'bench' }] : null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } }, ...(window ? { window } : {}) },
  });
  await s.conn.sendNotification('initialized', {});
}

/**
 * Cold start (issue 15 item 4): `initialized` → the first publishDiagnostics of any file,
 * no document open, the client showing work-done progress as VS Code does; with how
 * many progress reports came and when the first one did.
 */
async function coldStart(dir: string): Promise<void> {
  const s = startServer('netpol', [SERVER, '--stdio'], {});
  try {
    const reports: { at: number; kind: string; message?: string }[] = [];
    let t0 = 0;
    let ended: () => void = () => undefined;
    const end = new Promise<void>((resolveP) => (ended = resolveP));
    s.conn.onUnhandledProgress((p: { value: { kind: string; message?: string } }) => {
      reports.push({ at: performance.now() - t0, kind: p.value.kind, message: p.value.message });
      if (p.value.kind === 'end') ended();
    });
    const first = new Promise<number>((resolveP) => {
      const d = s.conn.onNotification('textDocument/publishDiagnostics', () => {
        d.dispose();
        resolveP(performance.now());
      });
    });
    await s.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } }, window: { workDoneProgress: true } },
    });
    t0 = performance.now();
    await s.conn.sendNotification('initialized', {});
    const ms = (await first) - t0;
    const atFirst = rssOf(s.child.pid);
    const cpu = cpuOf(s.child.pid);
    // The progress ends once every file's diagnostics are out.
    await end;
    const all = reports[reports.length - 1].at;
    const atEnd = rssOf(s.child.pid);
    const cpuEnd = cpuOf(s.child.pid);
    const indexing = reports.filter((r) => r.message?.startsWith('indexing '));
    const last = indexing[indexing.length - 1];
    console.log(
      `    netpol: initialized → first diagnostics ${ms.toFixed(0)} ms (cold start; ${reports.length} progress reports, the first at ${reports[0]?.at.toFixed(0) ?? '-'} ms, "${last?.message ?? '-'}" at ${last?.at.toFixed(0) ?? '-'} ms); peak RSS ${atFirst?.peak.toFixed(0) ?? '?'} MB, CPU ${cpu?.toFixed(1) ?? '?'} s (all threads: the collector's helpers too)`,
    );
    console.log(`    netpol: initialized → every file's diagnostics (progress end) ${all.toFixed(0)} ms; peak RSS ${atEnd?.peak.toFixed(0) ?? '?'} MB, CPU ${cpuEnd?.toFixed(1) ?? '?'} s`);
  } finally {
    s.kill();
  }
}

/** Waits for the next publishDiagnostics for `uri` (after `since`). */
function nextPublish(s: Server, uri: string): Promise<number> {
  return new Promise((resolveP) => {
    const d = s.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
      if (p.uri !== uri) return;
      d.dispose();
      resolveP(p.diagnostics.length);
    });
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measureEdits(s: Server, uri: string, texts: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const published = nextPublish(s, uri);
    const t0 = performance.now();
    void s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: texts[i] }] });
    await published;
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * didChange → publishDiagnostics and → netpol/changeImpactChanged, for edits that change
 * what a policy allows: the latency of the change impact (computed before the
 * diagnostics are published, its findings are among them). The baseline is the last
 * saved text (the bench folder is not a git repository). `texts` alternate between an
 * edit and the saved text, so each one changes the impact (pending / none): a
 * notification is matched to its edit by that, not by arrival (earlier edits may still
 * have one in flight).
 */
async function measureImpactEdits(s: Server, uri: string, texts: string[], saved: string, firstVersion: number): Promise<{ diagnostics: number[]; impact: number[]; flows: string }> {
  let waiting: { pending: boolean; resolve: (r: { opened: number; closed: number }) => void } | undefined;
  const sub = s.conn.onNotification('netpol/changeImpactChanged', (r: { files: string[]; opened: number; closed: number }) => {
    if (waiting && r.files.length > 0 === waiting.pending) waiting.resolve(r);
  });
  const impactOf = (pending: boolean) => new Promise<{ opened: number; closed: number }>((resolve) => (waiting = { pending, resolve }));
  const diagnostics: number[] = [];
  const impact: number[] = [];
  const changedFlows: number[] = [];
  try {
    for (let i = 0; i < texts.length; i++) {
      const published = nextPublish(s, uri);
      const pushed = impactOf(texts[i] !== saved);
      const t0 = performance.now();
      void s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: firstVersion + i }, contentChanges: [{ text: texts[i] }] });
      void pushed.then((r) => {
        impact.push(performance.now() - t0);
        if (texts[i] !== saved) changedFlows.push(r.opened + r.closed);
      });
      await published;
      diagnostics.push(performance.now() - t0);
      await pushed;
    }
  } finally {
    sub.dispose();
  }
  const changing = changedFlows.filter((n) => n > 0).length;
  const flows = `${changing} of ${changedFlows.length} edits open or close flows, up to ${Math.max(0, ...changedFlows)}`;
  return { diagnostics, impact, flows };
}

function report(label: string, times: number[], extra = ''): void {
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(`${label.padEnd(44)} p50 ${f(percentile(times, 50))} ms  p95 ${f(percentile(times, 95))} ms  max ${f(Math.max(...times))} ms  (${times.length} edits)${extra}`);
}

/** Edits that each change one document (rename its metadata.name) of a `---` file. */
function editsOf(text: string, docIndexes: number[]): string[] {
  return docIndexes.map((d, i) => editDocument(text, d, `-e${i}`));
}

async function benchA(withYls: boolean): Promise<void> {
  const { file, documents, lines } = generateMultiDocFile(800);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-a-'));
  const path = join(dir, 'all-in-one.yaml');
  writeFileSync(path, file.text);
  const uri = pathToFileURL(path).toString();
  console.log(`(a) one file: ${documents} documents, ${lines} lines, ${(file.text.length / 1e6).toFixed(2)} MB`);
  const docIndexes = Array.from({ length: EDITS }, (_, i) => 1 + ((i * 97) % (documents - 2)));
  const texts = editsOf(file.text, docIndexes);
  const servers: [string, string[], unknown][] = [['netpol', [SERVER, '--stdio'], {}]];
  if (withYls) {
    servers.push([
      'yaml-language-server',
      [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio'],
      { validate: true, hover: false, completion: false, schemaStore: { enable: false }, schemas: {}, format: { enable: false } },
    ]);
  }
  const results: Record<string, number> = {};
  for (const [name, cmd, settings] of servers) {
    const s = startServer(name, cmd, settings);
    try {
      await initialize(s, pathToFileURL(dir).toString());
      if (name === 'yaml-language-server') void s.conn.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: settings } });
      const first = nextPublish(s, uri);
      const t0 = performance.now();
      void s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: file.text } });
      const n = await first;
      console.log(`    ${name}: open → first diagnostics ${(performance.now() - t0).toFixed(0)} ms (${n} diagnostics)`);
      const times = await measureEdits(s, uri, texts);
      results[name] = percentile(times, 95);
      report(`    ${name}: didChange → publishDiagnostics`, times);
      if (name === 'netpol') await reportImpact(s, uri, file.text, policyDocsOf(file.text), 2 + texts.length);
    } finally {
      s.kill();
    }
  }
  if (results['yaml-language-server'] !== undefined) {
    console.log(`    p95 speed-up over yaml-language-server: ${(results['yaml-language-server'] / results.netpol).toFixed(1)}×`);
  }
  rmSync(dir, { recursive: true, force: true });
}

async function benchB(): Promise<void> {
  const ws = generateWorkspace({ namespaces: 100, workloadsPerNamespace: 100, files: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-b-'));
  for (const f of ws.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
  const c = ws.counts;
  console.log(`(b) workspace: ${c.workloads} workloads, ${c.policies} policies, ${c.files} files, ${(c.bytes / 1e6).toFixed(1)} MB`);
  const target = ws.files.find((f) => f.text.includes('kind: NetworkPolicy')) ?? ws.files[0];
  const docs = target.text.split(/^---\n/m);
  // editDocument(text, k) edits the document after the k-th `---` (0-based), i.e. split item k + 1.
  const policyDocs = docs.map((d, i) => (d.includes('kind: NetworkPolicy') ? i - 1 : -1)).filter((i) => i >= 0);
  const texts = editsOf(target.text, Array.from({ length: EDITS }, (_, i) => policyDocs[(i * 7) % policyDocs.length]));
  const uri = pathToFileURL(join(dir, target.path)).toString();
  for (let run = 0; run < COLD_RUNS; run++) await coldStart(dir);
  if (process.argv.includes('--cold-only')) return void rmSync(dir, { recursive: true, force: true });
  const s = startServer('netpol', [SERVER, '--stdio'], {});
  try {
    const t0 = performance.now();
    await initialize(s, pathToFileURL(dir).toString());
    const first = nextPublish(s, uri);
    void s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: target.text } });
    const n = await first;
    console.log(`    netpol: initial scan + analysis → first diagnostics ${(performance.now() - t0).toFixed(0)} ms (${n} diagnostics in the edited file)`);
    report('    netpol: didChange → publishDiagnostics', await measureEdits(s, uri, texts));
    await reportImpact(s, uri, target.text, policyDocs, 2 + texts.length);
    const rss = rssOf(s.child.pid);
    console.log(`    netpol: server RSS ${rss?.now.toFixed(0)} MB, peak ${rss?.peak.toFixed(0)} MB`);
  } finally {
    s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Indexes (for editDocument) of the NetworkPolicy documents of a `---` file. */
function policyDocsOf(text: string): number[] {
  return text
    .split(/^---\n/m)
    .map((d, i) => (d.includes('kind: NetworkPolicy') ? i - 1 : -1))
    .filter((i) => i >= 0);
}

/** Edits that change a policy's port, each against the saved text: the change impact's latency. */
async function reportImpact(s: Server, uri: string, text: string, policyDocs: number[], firstVersion: number): Promise<void> {
  const texts = Array.from({ length: EDITS }, (_, i) => editPolicyPort(text, policyDocs[(i * 13) % policyDocs.length], `-p${i}`));
  // Back to the saved text first (the previous series left an edit), then alternate.
  const sequence = [text, ...texts.flatMap((t) => [t, text])];
  const { diagnostics, impact, flows } = await measureImpactEdits(s, uri, sequence, text, firstVersion);
  report('    netpol: policy edit → publishDiagnostics', diagnostics, ' with change impact');
  report('    netpol: policy edit → changeImpactChanged', impact, ` (${flows})`);
}

/** Line and character of an offset (UTF-16), as LSP counts them. */
function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The middle of the longest line (where a 1 MB line is). */
function middleOfLongestLine(text: string): number {
  let best = { start: 0, length: 0 };
  let start = 0;
  for (const line of text.split('\n')) {
    if (line.length > best.length) best = { start, length: line.length };
    start += line.length + 1;
  }
  return best.start + (best.length >> 1);
}

async function timed<T>(f: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/**
 * (c) One hostile file open in the editor: open → diagnostics, then per round a keystroke
 * in the middle of its longest line (→ diagnostics), a hover, a completion and the code
 * actions there. The figures are the median of the rounds.
 */
async function benchC(): Promise<void> {
  const cases: [string, () => string][] = [
    ['50 MB file (800 documents x 45)', () => hugeFile(50 * 1024 * 1024)],
    ['1 MB single-line JSON policy', () => singleLinePolicy(1_000_000)],
    ['1 MB flow line in a block policy', () => flowLinePolicy(1_000_000)],
    ['1,400 rules aliasing 400 peers', () => anchoredPeerRules(1400, 400)],
    ['1,400 rules aliasing 2 peers', () => anchoredPeerRules(1400, 2)],
    ['20,000 policies named alike', () => sameNamePolicies(20_000)[0].text],
  ];
  console.log('(c) hostile inputs, one open file (median of 5 rounds; ms): open = didOpen → diagnostics; then in the middle of the longest line');
  const rows: string[] = [];
  for (const [label, make] of cases) {
    const text = make();
    const dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-c-'));
    const path = join(dir, 'input.yaml');
    writeFileSync(path, text);
    const uri = pathToFileURL(path).toString();
    const s = startServer('netpol', [SERVER, '--stdio'], {});
    try {
      await initialize(s, pathToFileURL(dir).toString());
      const first = nextPublish(s, uri);
      const open = await timed(async () => {
        void s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
        await first;
      });
      const at = middleOfLongestLine(text);
      const times: Record<'edit' | 'hover' | 'completion' | 'codeAction', number[]> = { edit: [], hover: [], completion: [], codeAction: [] };
      let current = text;
      for (let round = 0; round < 5; round++) {
        const pos = positionOf(current, at);
        const published = nextPublish(s, uri);
        times.edit.push(
          await timed(async () => {
            void s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: round + 2 }, contentChanges: [{ range: { start: pos, end: pos }, text: ' ' }] });
            await published;
          }),
        );
        current = `${current.slice(0, at)} ${current.slice(at)}`;
        const where = { textDocument: { uri }, position: pos };
        times.hover.push(await timed(() => s.conn.sendRequest('textDocument/hover', where)));
        times.completion.push(await timed(() => s.conn.sendRequest('textDocument/completion', where)));
        times.codeAction.push(await timed(() => s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: pos, end: pos }, context: { diagnostics: [] } })));
      }
      const med = (xs: number[]) => percentile(xs, 50).toFixed(0).padStart(6);
      rows.push(`    ${label.padEnd(34)} open ${open.toFixed(0).padStart(6)}  keystroke → diagnostics ${med(times.edit)}  hover ${med(times.hover)}  completion ${med(times.completion)}  code actions ${med(times.codeAction)}`);
      console.log(rows[rows.length - 1]);
    } finally {
      s.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** CPU time a process has used so far, all its threads (Linux), in seconds. */
function cpuOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (in parentheses, which may hold spaces): utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Peak and current RSS of a process (Linux), in MB. */
function rssOf(pid: number | undefined): { peak: number; now: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
    return { peak: kb('VmHWM'), now: kb('VmRSS') };
  } catch {
    return undefined;
  }
}

/**
 * (d) A cluster dump in the workspace (issue 15 §3): the one-file kubectl List of
 * test/bench/cluster-dump.ts (read from disk by the server's scan, as a file VS Code
 * would not open: it syncs no file over 50 MB to an extension) beside a policy file the
 * user edits. The file bounds are raised in the settings (the dump is past the 4 MB and
 * 128 MB defaults). First diagnostics of the policy file, then policy edits; the server's
 * peak RSS. `--dump-pods=N` (default 10,000); a run that dies or passes `--dump-timeout=S`
 * (default 300 s) says so.
 */
async function benchD(pods: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-d-'));
  const chunks: string[] = [];
  const counts = generateClusterDump({ pods }, (c) => chunks.push(c));
  writeFileSync(join(dir, 'cluster.yaml'), chunks.join(''));
  chunks.length = 0;
  const policy = (port: number) => yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: allow-api-from-web
      namespace: tenant-0010
    spec:
      podSelector:
        matchLabels:
          app: api-1
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  tier: frontend
          ports:
            - port: ${port}
  `;
  mkdirSync(join(dir, 'team'));
  writeFileSync(join(dir, 'team/policy.yaml'), policy(8080));
  const uri = pathToFileURL(join(dir, 'team/policy.yaml')).toString();
  console.log(`(d) cluster dump: ${counts.pods} pods, ${counts.namespaces} namespaces, ${counts.policies} policies in one ${(counts.bytes / 1048576).toFixed(0)} MB List, and a policy file edited`);
  const s = startServer('netpol', [SERVER, '--stdio'], { maxFileSizeKB: 600 * 1024, maxTotalMB: 1024 });
  const timeout = Number(arg('dump-timeout') ?? 300) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const dead = new Promise<string>((resolveD) => {
    s.child.on('exit', (code, signal) => resolveD(`the server exited (${signal ?? `code ${code}`})`));
    timer = setTimeout(() => resolveD(`no diagnostics after ${timeout / 1000} s`), timeout);
  });
  try {
    const t0 = performance.now();
    await initialize(s, pathToFileURL(dir).toString());
    const first = nextPublish(s, uri);
    void s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: policy(8080) } });
    const outcome = await Promise.race([first.then((n) => n), dead]);
    if (typeof outcome === 'string') {
      console.log(`    netpol: ${outcome}; peak RSS ${rssOf(s.child.pid)?.peak.toFixed(0) ?? 'unknown (gone)'} MB`);
      return;
    }
    console.log(`    netpol: initial scan + analysis → first diagnostics ${(performance.now() - t0).toFixed(0)} ms (${outcome} diagnostics); RSS ${rssOf(s.child.pid)?.now.toFixed(0)} MB`);
    const texts = Array.from({ length: Math.min(EDITS, 20) }, (_, i) => policy(i % 2 === 0 ? 9000 + i : 8080));
    report('    netpol: didChange → publishDiagnostics', await measureEdits(s, uri, texts));
    const rss = rssOf(s.child.pid);
    console.log(`    netpol: server RSS ${rss?.now.toFixed(0)} MB, peak ${rss?.peak.toFixed(0)} MB`);
  } finally {
    clearTimeout(timer);
    s.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only-c') || process.argv.includes('--only-d');
  if (!only && !process.argv.includes('--cold-only')) await benchA(!process.argv.includes('--skip-yls'));
  if (!only && !process.argv.includes('--skip-b')) await benchB();
  if (!process.argv.includes('--only-d') && !process.argv.includes('--skip-c')) await benchC();
  if (!process.argv.includes('--only-c') && !process.argv.includes('--skip-d')) await benchD(Number(arg('dump-pods') ?? 10_000));
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
