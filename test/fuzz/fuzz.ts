/**
 * The fuzzer: mutates real manifests (examples/, test/fixtures/, the shared
 * netpol-analyzer corpus) and runs the whole engine on each variant (pipeline.ts).
 *
 *   npm run fuzz -- --seed S --count N [--from I] [--limit-ms 1000] [--quiet] [--save]
 *
 * Input I of seed S is the same bytes on every machine (mulberry32 from test/bench),
 * so `--seed S --from I --count 1` replays one. A crash (an exception, or a finding of
 * document-skipped or rule-failed) is saved under out/fuzz/ with its error; so is the
 * slowest input (`--save`: every input, in out/fuzz/input-S-I/). The time limit is per
 * YAML document: the longest single operation on an input (a CLI run, a keystroke's
 * analysis, a completion, hover or code-action request, a fix-all), divided by the
 * number of documents of its mutated file (an input of 2,500 copies of a manifest may
 * take longer than one; a document that makes anything superlinear does not); the whole
 * pipeline on an input must end within 10 s. Ends with the counts and the slowest
 * input; exits 1 on a crash or an input over the limits.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { splitDocuments } from '../../server/src/core/yaml/split';
import { rng as mulberry32 } from '../bench/generate';
import { CORPUS_DIR } from '../corpus/corpus';
import { mutate } from './mutate';
import { runPipeline, type PipelineResult } from './pipeline';
import type { SourceFile } from '../../server/src/core/manifest/types';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'out/fuzz');

export interface Seed {
  /** As the analysis names it (relative to the project, or corpus/…). */
  readonly path: string;
  readonly text: string;
  /** The other files of its folder (a corpus case, an example workspace): context, unmutated. */
  readonly siblings: readonly SourceFile[];
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|json)$/.test(name) && !name.endsWith('options.json') && st.size < 256 * 1024) out.push(p);
  }
  return out;
}

/** The seed files, in a stable order. */
export function loadSeeds(): Seed[] {
  const paths = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test/fixtures')), ...yamlFiles(CORPUS_DIR)];
  const name = (p: string) => (p.startsWith(CORPUS_DIR) ? `corpus/${relative(CORPUS_DIR, p)}` : relative(ROOT, p));
  const texts = new Map(paths.map((p) => [p, readFileSync(p, 'utf8')]));
  const byDir = new Map<string, string[]>();
  for (const p of paths) byDir.set(dirname(p), [...(byDir.get(dirname(p)) ?? []), p]);
  return paths.map((p) => ({
    path: name(p),
    text: texts.get(p)!,
    siblings: (byDir.get(dirname(p)) ?? []).filter((q) => q !== p).slice(0, 8).map((q) => ({ path: name(q), text: texts.get(q)! })),
  }));
}

export interface FuzzInput {
  readonly seed: number;
  readonly index: number;
  readonly from: string;
  readonly ops: readonly string[];
  readonly files: readonly SourceFile[];
  /** Index of the mutated file in `files`. */
  readonly target: number;
  readonly original: string;
}

/** Input `index` of `seed`: deterministic. */
export function makeInput(seeds: readonly Seed[], seed: number, index: number): { input: FuzzInput; rng: () => number } {
  const rng = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0);
  const s = seeds[Math.floor(rng() * seeds.length)];
  const { text, ops } = mutate(s.text, rng, () => seeds[Math.floor(rng() * seeds.length)].text);
  const files: SourceFile[] = rng() < 0.5 ? [{ path: s.path, text }, ...s.siblings] : [{ path: s.path, text }];
  return { input: { seed, index, from: s.path, ops, files, target: 0, original: s.text }, rng };
}

export interface FuzzRun {
  readonly input: FuzzInput;
  readonly result: PipelineResult;
  /** YAML documents of the mutated file, and the longest operation's time per document. */
  readonly documents: number;
  readonly msPerDocument: number;
}

export function runInput(seeds: readonly Seed[], seed: number, index: number): FuzzRun {
  const { input, rng } = makeInput(seeds, seed, index);
  const result = runPipeline(input.files, input.target, input.original, rng);
  const documents = Math.max(1, splitDocuments(input.files[input.target].text).length);
  return { input, result, documents, msPerDocument: result.slowest.ms / documents };
}

/** No input may take longer than this, whatever its number of documents. */
const MAX_INPUT_MS = 10_000;

function save(dir: string, input: FuzzInput, result: PipelineResult): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'input.yaml'), input.files[input.target].text);
  const about = [
    `seed ${input.seed} input ${input.index}: ${input.from} after ${input.ops.join(', ')}`,
    `replay: npm run fuzz -- --seed ${input.seed} --from ${input.index} --count 1`,
    `context files: ${input.files.filter((_, i) => i !== input.target).map((f) => f.path).join(', ') || 'none'}`,
    `time: ${result.ms.toFixed(0)} ms (${Object.entries(result.stages).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}); longest operation: ${result.slowest.op} ${result.slowest.ms.toFixed(0)} ms`,
    '',
    ...result.failures,
  ];
  writeFileSync(join(dir, 'about.txt'), about.join('\n') + '\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function main(): number {
  const seed = Number(arg('seed') ?? 1);
  const count = Number(arg('count') ?? 1000);
  const from = Number(arg('from') ?? 0);
  const limitMs = Number(arg('limit-ms') ?? 1000);
  const quiet = process.argv.includes('--quiet');
  const saveAll = process.argv.includes('--save');
  const seeds = loadSeeds();
  console.log(`fuzz: seed ${seed}, inputs ${from}..${from + count - 1}, ${seeds.length} seed files`);
  let crashes = 0;
  let slow = 0;
  let slowest: FuzzRun | undefined;
  let longest: FuzzRun | undefined;
  const kinds = new Map<string, number>();
  const started = performance.now();
  for (let i = from; i < from + count; i++) {
    const run = runInput(seeds, seed, i);
    const { input, result } = run;
    if (saveAll) save(join(OUT, `input-${seed}-${i}`), input, result);
    if (result.failures.length > 0) {
      crashes++;
      const kind = result.failures[0].split('\n')[0].slice(0, 160);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      save(join(OUT, `crash-${seed}-${i}`), input, result);
      if (!quiet) console.log(`  crash at input ${i} (${input.from}; ${input.ops.join(', ')}): ${kind}`);
    }
    if (run.msPerDocument > limitMs || result.ms > MAX_INPUT_MS) {
      slow++;
      save(join(OUT, `slow-${seed}-${i}`), input, result);
      if (!quiet) console.log(`  slow input ${i}: ${result.slowest.op} ${result.slowest.ms.toFixed(0)} ms (all ${result.ms.toFixed(0)} ms) for ${run.documents} documents (${input.from}; ${input.ops.join(', ')})`);
    }
    if (!slowest || run.msPerDocument > slowest.msPerDocument) slowest = run;
    if (!longest || result.ms > longest.result.ms) longest = run;
    if (!quiet && (i - from + 1) % 1000 === 0) {
      const s = (performance.now() - started) / 1000;
      console.log(`  ${i - from + 1} inputs in ${s.toFixed(0)} s: ${crashes} crashes, ${slow} documents over ${limitMs} ms`);
    }
  }
  for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${n}× ${kind}`);
  const describe = (run: FuzzRun, dir: string) => {
    save(join(OUT, dir), run.input, run.result);
    const st = Object.entries(run.result.stages).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ');
    const { input } = run;
    return `${run.msPerDocument.toFixed(0)} ms per document (${run.result.slowest.op} ${run.result.slowest.ms.toFixed(0)} ms; all operations ${run.result.ms.toFixed(0)} ms; ${run.documents} documents, ${(input.files[input.target].text.length / 1024).toFixed(0)} KB), input ${input.index}: ${input.from} after ${input.ops.join(', ')}; ${st}; saved in out/fuzz/${dir}/`;
  };
  if (slowest) console.log(`slowest input: ${describe(slowest, `slowest-${seed}`)}`);
  if (longest && longest !== slowest) console.log(`longest input: ${describe(longest, `longest-${seed}`)}`);
  const s = (performance.now() - started) / 1000;
  console.log(`fuzz: ${count} inputs in ${s.toFixed(0)} s, ${crashes} crashes, ${slow} documents over ${limitMs} ms`);
  return crashes > 0 || slow > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
