/**
 * Engine benchmark: load+parse, model, reachability, full connectivity on generated
 * workspaces, the per-document parse cache on one 800-document file, and a growth
 * check. Prints figures only; nothing here fails on timing.
 *
 *   node out/test/bench/bench.js [--only=<label>] [--skip-growth] [--skip-editor] [--cpu-prof]
 *
 * Each measurement runs in a fresh child process (fork) so its peak RSS
 * (`process.resourceUsage().maxRSS`) belongs to that size alone and the first run is
 * as cold as a CLI invocation. The parent generates the workspace and writes it to a
 * temporary directory; the child reads the files (as the CLI would), so generator
 * garbage does not count towards the child's peak.
 */
import { fork } from 'child_process';
import { PerformanceObserver, performance } from 'perf_hooks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadFile } from '../../server/src/core/manifest/load';
import { buildModel, prepareObject } from '../../server/src/core/model/build';
import { Reachability, type ReachOptions } from '../../server/src/core/reach/engine';
import {
  allConnections,
  externalConnections,
  ingressControllerConnections,
  sortConnections,
  workloadConnections,
} from '../../server/src/core/reach/connections';
import type { Model } from '../../server/src/core/model/types';
import { formatConnlist } from '../../server/src/core/ide/formats/connlist';
import { ParseCache, parseYamlDocument } from '../../server/src/core/yaml/parse';
import { splitDocuments } from '../../server/src/core/yaml/split';
import { editDocument, generateMultiDocFile, generateWorkspace, type WorkspaceCounts, type WorkspaceSpec } from './generate';
import type { SourceFile } from '../../server/src/core/manifest/types';

/** The cluster's ingress controller is the generated ingress-nginx Deployment. */
const REACH_OPTIONS: ReachOptions = { ingressController: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } } };

interface SizeJob {
  readonly type: 'size';
  readonly label: string;
  readonly dir: string;
  readonly paths: readonly string[];
  /**
   * full: then a second pipeline run in the same process (warm JIT, cold cache) with
   * the connectivity split into its parts. growth: then the engine three times on the
   * first run's model (fastest of each part kept).
   */
  readonly mode: 'full' | 'growth';
}

interface EditorJob {
  readonly type: 'editor';
}

type Job = SizeJob | EditorJob;

interface MemSample {
  readonly rss: number;
  readonly heap: number;
}

/** reachability build, then allConnections' parts: workload pairs, external ranges, ingress controller, filter+sort. */
interface EngineParts {
  readonly reachMs: number;
  readonly pairsMs: number;
  readonly externalMs: number;
  readonly ingressMs: number;
  readonly sortMs: number;
  readonly lines: number;
}

interface SizeResult {
  readonly type: 'size';
  readonly loadMs: number;
  readonly modelMs: number;
  readonly reachMs: number;
  readonly connMs: number;
  readonly formatMs: number;
  readonly totalMs: number;
  /** GC pauses within load, model, reach, conn. */
  readonly gcMs: readonly number[];
  readonly warmTotalMs?: number;
  /** The warm run's engine (full), or the fastest of three (growth). */
  readonly engine?: EngineParts;
  /** Full re-analysis after a one-document edit, warm parse cache (full mode). */
  readonly afterEdit?: { loadMs: number; modelMs: number; engineMs: number; hits: number; misses: number };
  readonly lines: number;
  readonly classes: number;
  readonly policies: number;
  readonly workloads: number;
  readonly notes: number;
  readonly baseline: MemSample;
  readonly afterStage: readonly MemSample[];
  readonly maxRssMb: number;
}

interface EditorResult {
  readonly type: 'editor';
  readonly documents: number;
  readonly lines: number;
  readonly bytes: number;
  readonly splitMs: number;
  readonly coldMs: readonly number[];
  readonly coldMisses: number;
  readonly warm: readonly { doc: number; ms: number; hits: number; misses: number; oneDocParseMs: number }[];
  readonly unchangedMs: number;
  readonly unchangedHits: number;
  readonly unchangedMisses: number;
  readonly pipelineAfterEditMs: number;
}

type Result = SizeResult | EditorResult;

const MB = 1024 * 1024;

function sample(): MemSample {
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: m.heapUsed / MB };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

// ---------------------------------------------------------------------------
// Child side

/** GC pauses, attributed to pipeline stages afterwards by their start time. */
const gcPauses: { start: number; duration: number }[] = [];

function observeGc(): PerformanceObserver {
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  return obs;
}

/** Sum of GC pauses that started in [from, to) (performance.now() times). */
function gcBetween(from: number, to: number): number {
  return gcPauses.filter((g) => g.start >= from && g.start < to).reduce((n, g) => n + g.duration, 0);
}

/**
 * `cache`: a batch cache, as the CLI's `analyze` uses (keeps no syntax tree once the model
 * has read it), or a server's (`new ParseCache()`, keeps every tree).
 */
function runPipeline(files: readonly SourceFile[], onStage: () => void, cache: ParseCache) {
  const marks = [performance.now()];
  let t = process.hrtime.bigint();
  // (As analyze() loads: a batch cache lets each document's tree go once the model has read its objects.)
  const loaded = files.map((f) => loadFile(f, cache, { prepare: prepareObject }));
  const loadMs = ms(t);
  marks.push(performance.now());
  onStage();
  t = process.hrtime.bigint();
  const model = buildModel(loaded);
  const modelMs = ms(t);
  marks.push(performance.now());
  onStage();
  t = process.hrtime.bigint();
  const reach = new Reachability(model, REACH_OPTIONS);
  const reachMs = ms(t);
  marks.push(performance.now());
  onStage();
  t = process.hrtime.bigint();
  const conns = allConnections(reach);
  const connMs = ms(t);
  marks.push(performance.now());
  onStage();
  t = process.hrtime.bigint();
  const text = formatConnlist(conns, 'text');
  const formatMs = ms(t);
  return { loadMs, modelMs, reachMs, connMs, formatMs, model, reach, conns, textLength: text.length, marks };
}

/** The engine again, with allConnections split into its parts (same list, same order). */
function engineParts(model: Model): EngineParts {
  let t = process.hrtime.bigint();
  const reach = new Reachability(model, REACH_OPTIONS);
  const reachMs = ms(t);
  t = process.hrtime.bigint();
  const pairs = workloadConnections(reach);
  const pairsMs = ms(t);
  t = process.hrtime.bigint();
  const external = externalConnections(reach);
  const externalMs = ms(t);
  t = process.hrtime.bigint();
  const ingress = ingressControllerConnections(reach);
  const ingressMs = ms(t);
  t = process.hrtime.bigint();
  // allConnections' default: self-pairs left out, then sorted by endpoint names.
  const list = sortConnections(
    [...pairs, ...external, ...ingress].filter((c) => !(c.src.type === 'workload' && c.dst.type === 'workload' && c.src.index === c.dst.index)),
  );
  const sortMs = ms(t);
  return { reachMs, pairsMs, externalMs, ingressMs, sortMs, lines: list.length };
}

function minParts(runs: readonly EngineParts[]): EngineParts {
  const min = (f: (p: EngineParts) => number) => Math.min(...runs.map(f));
  return {
    reachMs: min((p) => p.reachMs),
    pairsMs: min((p) => p.pairsMs),
    externalMs: min((p) => p.externalMs),
    ingressMs: min((p) => p.ingressMs),
    sortMs: min((p) => p.sortMs),
    lines: runs[0].lines,
  };
}

async function runSize(job: SizeJob): Promise<SizeResult> {
  const files: SourceFile[] = job.paths.map((p) => ({ path: p, text: fs.readFileSync(path.join(job.dir, p), 'utf8') }));
  gc();
  const baseline = sample();
  const afterStage: MemSample[] = [];
  const obs = observeGc();
  // The CLI's pipeline; growth keeps the trees alive, as in the server (see below).
  const firstCache = job.mode === 'growth' ? new ParseCache() : ParseCache.batch();
  let r: ReturnType<typeof runPipeline> | undefined = runPipeline(files, () => afterStage.push(sample()), firstCache);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  const gcMs = [1, 2, 3, 4].map((k) => gcBetween(r?.marks[k - 1] ?? 0, r?.marks[k] ?? 0));
  const result: SizeResult = {
    type: 'size',
    loadMs: r.loadMs,
    modelMs: r.modelMs,
    reachMs: r.reachMs,
    connMs: r.connMs,
    formatMs: r.formatMs,
    totalMs: r.loadMs + r.modelMs + r.reachMs + r.connMs,
    gcMs,
    lines: r.conns.length,
    classes: r.reach.classes.length,
    policies: r.model.policies.length,
    workloads: r.model.workloads.length,
    notes: r.model.notes.length,
    baseline,
    afterStage,
    maxRssMb,
  };
  if (job.mode === 'growth') {
    // Only the model is kept: the engine is timed three times on it (warm JIT, the
    // parsed ASTs still alive as in the server), and the fastest of each part is kept.
    const model = r.model;
    r = undefined;
    gc();
    return { ...result, engine: minParts([engineParts(model), engineParts(model), engineParts(model)]) };
  }
  // Drop the first run's ASTs, model, reachability and list before the second run.
  r = undefined;
  gc();
  let t = process.hrtime.bigint();
  const batch = ParseCache.batch();
  const loaded = files.map((f) => loadFile(f, batch, { prepare: prepareObject }));
  const loadMs = ms(t);
  t = process.hrtime.bigint();
  const model = buildModel(loaded);
  const modelMs = ms(t);
  const parts = engineParts(model);
  const warmTotalMs = loadMs + modelMs + parts.reachMs + parts.pairsMs + parts.externalMs + parts.ingressMs + parts.sortMs;
  if (parts.lines !== result.lines) console.error(`  warning: ${job.label}: parts give ${parts.lines} lines, allConnections ${result.lines}`);

  // The server after a keystroke: one document of one file changed, everything re-run
  // with the warm parse cache (a server's, which keeps the trees; primed untimed).
  const cache = new ParseCache();
  buildModel(files.map((f) => loadFile(f, cache)));
  const target = Math.min(1, files.length - 1);
  const editedFiles = files.map((f, i) => (i === target ? { path: f.path, text: editDocument(f.text, 2, '-edited') } : f));
  const h0 = cache.hits;
  const m0 = cache.misses;
  t = process.hrtime.bigint();
  const reloaded = editedFiles.map((f) => loadFile(f, cache));
  const editLoadMs = ms(t);
  t = process.hrtime.bigint();
  const editedModel = buildModel(reloaded);
  const editModelMs = ms(t);
  t = process.hrtime.bigint();
  allConnections(new Reachability(editedModel, REACH_OPTIONS));
  const editEngineMs = ms(t);
  const afterEdit = { loadMs: editLoadMs, modelMs: editModelMs, engineMs: editEngineMs, hits: cache.hits - h0, misses: cache.misses - m0 };
  return { ...result, warmTotalMs, engine: parts, afterEdit };
}

function runEditor(): EditorResult {
  const { file, documents, lines } = generateMultiDocFile(800);
  let t = process.hrtime.bigint();
  const chunks = splitDocuments(file.text);
  const splitMs = ms(t);
  if (chunks.length !== documents) throw new Error(`split found ${chunks.length} documents, expected ${documents}`);

  // Cold: a fresh cache each time. The first run also pays for JIT warm-up.
  const coldMs: number[] = [];
  let coldMisses = 0;
  for (let i = 0; i < 4; i++) {
    const cache = new ParseCache();
    t = process.hrtime.bigint();
    loadFile(file, cache);
    coldMs.push(ms(t));
    coldMisses = cache.misses;
  }

  // Warm: prime once, then edit one document at a time (cumulative, as in an editor).
  const cache = new ParseCache();
  let text = file.text;
  loadFile({ path: file.path, text }, cache);
  t = process.hrtime.bigint();
  const before = { hits: cache.hits, misses: cache.misses };
  loadFile({ path: file.path, text }, cache);
  const unchangedMs = ms(t);
  const unchangedHits = cache.hits - before.hits;
  const unchangedMisses = cache.misses - before.misses;

  const warm: { doc: number; ms: number; hits: number; misses: number; oneDocParseMs: number }[] = [];
  const edited = [5, 101, 250, 399, 400, 555, 640, 777, 798, 13];
  edited.forEach((doc, n) => {
    text = editDocument(text, doc, `-e${n}`);
    const h0 = cache.hits;
    const m0 = cache.misses;
    const t0 = process.hrtime.bigint();
    loadFile({ path: file.path, text }, cache);
    const loadMs = ms(t0);
    const hits = cache.hits - h0;
    const misses = cache.misses - m0;
    // The same edited document parsed alone, for comparison (its text is new to this
    // parser call too; the result is not cached anywhere).
    const docText = splitDocuments(text)[doc].text;
    const t1 = process.hrtime.bigint();
    parseYamlDocument(docText);
    warm.push({ doc, ms: loadMs, hits, misses, oneDocParseMs: ms(t1) });
  });

  // What the server does after an edit: warm load, then model, reachability, connectivity.
  text = editDocument(text, 321, '-final');
  t = process.hrtime.bigint();
  const loaded = loadFile({ path: file.path, text }, cache);
  allConnections(new Reachability(buildModel([loaded]), REACH_OPTIONS));
  const pipelineAfterEditMs = ms(t);

  return { type: 'editor', documents, lines, bytes: file.text.length, splitMs, coldMs, coldMisses, warm, unchangedMs, unchangedHits, unchangedMisses, pipelineAfterEditMs };
}

async function child(jobFile: string): Promise<void> {
  const job = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as Job;
  const result: Result = job.type === 'size' ? await runSize(job) : runEditor();
  process.send?.(result, () => process.exit(0));
}

// ---------------------------------------------------------------------------
// Parent side

interface Options {
  readonly only?: string;
  readonly skipGrowth: boolean;
  readonly skipEditor: boolean;
  readonly cpuProf: boolean;
}

let tmpRoot = '';
/** Where `--cpu-prof` writes one .cpuprofile per child (open in Chrome DevTools or VS Code). */
const PROFILE_DIR = path.join(os.tmpdir(), 'netpol-bench-profiles');

function runChild(job: Job, opts: Options, name: string): Promise<Result> {
  const jobFile = path.join(tmpRoot, `${name}.job.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  const execArgv = ['--expose-gc'];
  if (opts.cpuProf) execArgv.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`);
  return new Promise((resolve, reject) => {
    const cp = fork(__filename, ['--child', jobFile], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: Result | undefined;
    cp.on('message', (m) => (result = m as Result));
    cp.on('error', reject);
    cp.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${name}: child exited with ${code} and no result`))));
  });
}

function writeWorkspace(name: string, spec: WorkspaceSpec): { job: SizeJob; counts: WorkspaceCounts; genMs: number } {
  const t = process.hrtime.bigint();
  const ws = generateWorkspace(spec);
  const genMs = ms(t);
  const dir = path.join(tmpRoot, name);
  for (const f of ws.files) {
    const p = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.text);
  }
  return { job: { type: 'size', label: name, dir, paths: ws.files.map((f) => f.path), mode: 'full' }, counts: ws.counts, genMs };
}

const PART_HEADERS = ['reach', 'pairs', 'external', 'ingress ctrl', 'sort', 'engine'];

function partCells(e: EngineParts): string[] {
  const engine = e.reachMs + e.pairsMs + e.externalMs + e.ingressMs + e.sortMs;
  return [e.reachMs, e.pairsMs, e.externalMs, e.ingressMs, e.sortMs, engine].map((x) => fmt(x));
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

interface SizeDef {
  readonly label: string;
  readonly spec: WorkspaceSpec;
}

const SIZES: readonly SizeDef[] = [
  { label: '10x10', spec: { namespaces: 10, workloadsPerNamespace: 10, policies: 100 } },
  { label: '100x10', spec: { namespaces: 100, workloadsPerNamespace: 10, policies: 1_000 } },
  { label: '100x100', spec: { namespaces: 100, workloadsPerNamespace: 100, policies: 10_000 } },
  { label: '1000x10', spec: { namespaces: 1_000, workloadsPerNamespace: 10, policies: 10_000 } },
  // The same 10,000 workloads and 10,000 policies in ~100 files instead of 2 per namespace.
  { label: '100x100/100f', spec: { namespaces: 100, workloadsPerNamespace: 100, policies: 10_000, files: 100 } },
  // The same with 50 cluster-level policies (Admin and Baseline tiers).
  { label: '100x100+50c', spec: { namespaces: 100, workloadsPerNamespace: 100, policies: 10_000, clusterPolicies: 50 } },
];

/** Growth series: (A) both scale, (B) policies scale at fixed classes, (C) classes scale at fixed policies. */
const GROWTH: readonly SizeDef[] = [
  ...[125, 250, 500, 1_000].map((n) => ({ label: `A ${n}x10 P=${n * 10}`, spec: { namespaces: n, workloadsPerNamespace: 10, policies: n * 10 } })),
  ...[1_000, 2_000, 4_000, 8_000].map((p) => ({ label: `B 100x20 P=${p}`, spec: { namespaces: 100, workloadsPerNamespace: 20, policies: p } })),
  ...[5, 10, 20, 40].map((w) => ({ label: `C 100x${w} P=2000`, spec: { namespaces: 100, workloadsPerNamespace: w, policies: 2_000 } })),
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opts: Options = {
    only: args.find((a) => a.startsWith('--only='))?.slice('--only='.length),
    skipGrowth: args.includes('--skip-growth'),
    skipEditor: args.includes('--skip-editor'),
    cpuProf: args.includes('--cpu-prof'),
  };
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-'));
  try {
    console.log(`NetPol Studio engine benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${fmt(os.totalmem() / MB)} MB RAM`);
    console.log('Each size runs in a fresh child process; times are of the first (cold-JIT, cold-cache) run,');
    console.log("loading as the CLI does (ParseCache.batch(): no syntax tree kept once the model has read it).\n");

    const sizes = SIZES.filter((s) => !opts.only || s.label === opts.only);
    const rows: string[][] = [];
    const memRows: string[][] = [];
    const partRows: string[][] = [];
    const editRows: string[][] = [];
    for (const [k, s] of sizes.entries()) {
      const { job, counts, genMs } = writeWorkspace(`size-${k}`, s.spec);
      const r = (await runChild(job, opts, `size-${k}`)) as SizeResult;
      rows.push([
        s.label,
        fmt(counts.files),
        fmt(counts.documents),
        fmt(counts.lines),
        fmt(r.workloads),
        fmt(r.policies),
        fmt(r.classes),
        fmt(r.loadMs),
        fmt(r.modelMs),
        fmt(r.reachMs),
        fmt(r.connMs),
        fmt(r.totalMs),
        fmt(r.gcMs.reduce((a, b) => a + b, 0)),
        fmt(r.warmTotalMs ?? NaN),
        fmt(r.formatMs),
        fmt(r.lines),
      ]);
      memRows.push([
        s.label,
        fmt(counts.bytes / MB, 1),
        fmt(counts.bytes / MB / (r.loadMs / 1000), 2),
        fmt(genMs),
        fmt(r.baseline.rss),
        ...r.afterStage.map((m) => fmt(m.rss)),
        fmt(Math.max(...r.afterStage.map((m) => m.heap))),
        fmt(r.maxRssMb),
      ]);
      if (r.engine) partRows.push([s.label, ...partCells(r.engine)]);
      const e = r.afterEdit;
      if (e) {
        editRows.push([s.label, fmt(e.loadMs), fmt(e.modelMs), fmt(e.engineMs), fmt(e.loadMs + e.modelMs + e.engineMs), fmt(e.hits), fmt(e.misses)]);
      }
      if (r.notes > 0) console.log(`  note: ${s.label} produced ${r.notes} load notes`);
      fs.rmSync(job.dir, { recursive: true, force: true });
    }
    if (rows.length > 0) {
      console.log('Pipeline per size (ms; total = load+model+reach+conn; of it GC = GC pauses within those stages;');
      console.log('warm = the same again in the same process (warm JIT, cold cache); text = formatConnlist to text, not in total)');
      console.log(table(['size', 'files', 'docs', 'yaml lines', 'workloads', 'policies', 'classes', 'load+parse', 'model', 'reach', 'conn', 'total', 'of it GC', 'warm', 'text', 'conn lines'], rows));
      console.log('\nMemory per size (MB; rss sampled after each stage; heap = max heapUsed sampled; peak = maxRSS of the child)');
      console.log(table(['size', 'yaml MB', 'load MB/s', 'gen ms', 'rss base', 'rss load', 'rss model', 'rss reach', 'rss conn', 'heap max', 'peak RSS'], memRows));
      console.log('Target: 10,000 workloads + 10,000 policies end to end < 2,000 ms and < 500 MB.');
      console.log('\nWhere the engine time goes (warm run; ms): reach = new Reachability; allConnections = pairs + external + ingress ctrl + sort');
      console.log(table(['size', ...PART_HEADERS], partRows));
      console.log('\nRe-analysis after editing one document (warm parse cache; ms): load = loadFile of every file, engine = reach + allConnections');
      console.log(table(['size', 'load', 'model', 'engine', 'total', 'cache hits', 'misses'], editRows));
    }

    if (!opts.skipEditor && !opts.only) {
      const e = (await runChild({ type: 'editor' }, opts, 'editor')) as EditorResult;
      console.log(`\nEditor: one file, ${fmt(e.documents)} documents, ${fmt(e.lines)} lines, ${fmt(e.bytes / 1024)} KB`);
      console.log(`  split into documents:           ${fmt(e.splitMs, 2)} ms`);
      console.log(`  cold loadFile (fresh cache):    first ${fmt(e.coldMs[0], 1)} ms (cold JIT), then median ${fmt(median(e.coldMs.slice(1)), 1)} ms; ${fmt(e.coldMisses)} misses`);
      console.log(`  warm loadFile, no change:       ${fmt(e.unchangedMs, 2)} ms; hits ${e.unchangedHits}, misses ${e.unchangedMisses}`);
      console.log(table(
        ['  edited doc', 'warm loadFile ms', 'hits', 'misses', 'that doc parsed alone ms'],
        e.warm.map((w) => [`  #${w.doc}`, fmt(w.ms, 2), fmt(w.hits), fmt(w.misses), fmt(w.oneDocParseMs, 2)]),
      ));
      console.log(`  median warm re-load after a one-document edit: ${fmt(median(e.warm.map((w) => w.ms)), 2)} ms vs cold ${fmt(median(e.coldMs.slice(1)), 1)} ms`);
      console.log(`  warm load + model + reach + connectivity after an edit: ${fmt(e.pipelineAfterEditMs, 1)} ms`);
    }

    if (!opts.skipGrowth && !opts.only) {
      const growthRows: string[][] = [];
      for (const [k, s] of GROWTH.entries()) {
        const { job } = writeWorkspace(`growth-${k}`, s.spec);
        const r = (await runChild({ ...job, mode: 'growth' }, opts, `growth-${k}`)) as SizeResult;
        fs.rmSync(job.dir, { recursive: true, force: true });
        const e = r.engine;
        if (!e) continue;
        const engine = e.reachMs + e.pairsMs + e.externalMs + e.ingressMs + e.sortMs;
        const pc = r.policies * r.classes;
        growthRows.push([
          s.label,
          fmt(r.classes),
          fmt(r.policies),
          fmt(pc / 1e6, 2),
          fmt(e.lines),
          fmt(r.loadMs),
          ...partCells(e),
          fmt((engine * 1e6) / pc, 1),
          fmt((engine * 1e3) / (r.policies + r.classes + e.lines), 2),
          fmt(r.maxRssMb),
        ]);
      }
      console.log('\nGrowth (A: classes and policies both scale; B: policies only; C: classes only).');
      console.log('load = cold first run; engine parts = fastest of 3 warm runs on the same model (ms)');
      console.log(table(['series', 'classes C', 'policies P', 'P*C (M)', 'conn lines', 'load', ...PART_HEADERS, 'ns/(P*C)', 'us/(P+C+lines)', 'peak RSS'], growthRows));
      console.log('Linear in input + output: us/(P+C+lines) stays flat. Proportional to P*C: ns/(P*C) stays flat.');
    }
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
}

const fail = (e: unknown) => {
  console.error(e);
  process.exit(1);
};
if (process.argv[2] === '--child') child(process.argv[3]).catch(fail);
else main().catch(fail);
