/**
 * Everything the engine does with a workspace, in process, as the CLI and the language
 * server do it: load (batch and cached), model, reachability, every rule, every fix of
 * every finding (applied, and one re-analysed), fix-all, completion and hover at
 * random places, code lenses, explanations, the change impact of going back to the
 * original text, and the output formats. A thrown exception is a failure, and so is a
 * finding of document-skipped or rule-failed (a bug of ours that a boundary caught).
 */
import { analyze, type Analysis } from '../../server/src/core/analysis/analyze';
import { complete } from '../../server/src/core/ide/complete/complete';
import { changeImpact } from '../../server/src/core/impact/impact';
import { applyEdits, fixAllInFile, fixesFor, isCreateFile, type TextEdit } from '../../server/src/core/fixes';
import { formatConnlist, CONNLIST_FORMATS } from '../../server/src/core/ide/formats/connlist';
import { formatFindingsText, locateFindings } from '../../server/src/core/ide/formats/findings';
import { hoverAt } from '../../server/src/core/ide/hover/hover';
import { codeLenses } from '../../server/src/core/ide/lenses';
import { loadFile, type SourceFile } from '../../server/src/core/manifest/load';
import { buildModel } from '../../server/src/core/model/build';
import { allConnections } from '../../server/src/core/reach/connections';
import { Reachability } from '../../server/src/core/reach/engine';
import { explainConnection, findWorkloads } from '../../server/src/core/reach/explain';
import { runChangeRules } from '../../server/src/core/impact/rules/run';
import { runRules } from '../../server/src/core/rules/run';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from '../../server/src/core/yaml/limits';
import { ParseCache } from '../../server/src/core/yaml/parse';
import { LineIndex } from '../../server/src/core/base/span';
import type { Rng } from './mutate';
import type { Finding } from '../../server/src/core/lint/rule';

export interface PipelineResult {
  /** What went wrong, one line each (stage: error). */
  readonly failures: string[];
  readonly ms: number;
  /** Milliseconds per stage (for the slowest inputs). */
  readonly stages: Readonly<Record<string, number>>;
}

/** Findings that mean a boundary caught a bug of ours. */
const BUG_RULES = new Set(['document-skipped', 'rule-failed']);
/** A parser that crashed (reported as the document's YAML error) is a bug too. */
const PARSER_CRASH = /Maximum call stack size exceeded|RangeError|TypeError|ReferenceError/;

/**
 * Runs the pipeline over `files`, of which `files[target]` is the mutated one;
 * `original` is its text before the mutation (the baseline of the change impact).
 */
export function runPipeline(files: readonly SourceFile[], target: number, original: string, rng: Rng): PipelineResult {
  const failures: string[] = [];
  const stages: Record<string, number> = {};
  const t0 = performance.now();
  const stage = <T>(name: string, f: () => T): T | undefined => {
    const s = performance.now();
    try {
      return f();
    } catch (e) {
      failures.push(`${name}: ${(e as Error)?.stack ?? String(e)}`);
      return undefined;
    } finally {
      stages[name] = (stages[name] ?? 0) + performance.now() - s;
    }
  };
  const file = files[target];
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const bugs = (where: string, findings: readonly Finding[]) => {
    for (const f of findings) {
      if (BUG_RULES.has(f.rule) || PARSER_CRASH.test(f.message)) failures.push(`${where}: ${f.rule}: ${f.message}`);
    }
  };

  // The CLI: one batch pass, every rule, every output.
  const batch = stage('analyze', () => analyze(files));
  // The server's code actions re-analyse edited texts with a cache of their own: only
  // the edited document is parsed again.
  const whatIf = new ParseCache(5_000);
  const findings = batch && stage('rules', () => runRules(batch));
  if (batch && findings) {
    bugs('rules', findings);
    stage('format', () => {
      formatFindingsText(locateFindings(findings, (p) => texts.get(p) ?? ''));
      const conns = allConnections(batch.reach);
      for (const format of CONNLIST_FORMATS) formatConnlist(conns, format);
    });
    stage('fixes', () => fixes(batch, findings, file, texts, rng, failures, whatIf));
    stage('fix-all', () =>
      fixAllInFile({
        file: file.path,
        text: file.text,
        maxRounds: 1,
        evaluate: (text) => {
          const next = files.map((f) => (f.path === file.path ? { path: f.path, text } : f));
          const analysis = analyze(next, {}, whatIf);
          return { analysis, findings: runRules(analysis), text: (p) => next.find((f) => f.path === p)?.text };
        },
      }),
    );
    stage('reach', () => explainSome(batch, rng));
  }

  // The language server: a cache that keeps the trees, its limits, then an edit back to
  // the original text (incremental model, reachability and rules), and the impact.
  stage('server', () => {
    const cache = new ParseCache();
    const options = { maxLength: 4 * 1024 * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH };
    const loaded = files.map((f) => loadFile(f, cache, options));
    const model = buildModel(loaded);
    const reach = new Reachability(model);
    const analysis: Analysis = { files: loaded, model, reach };
    bugs('server rules', runRules(analysis));
    editorRequests(analysis, file, rng);
    const back = files.map((f, i) => (i === target ? loadFile({ path: f.path, text: original }, cache, options) : loaded[i]));
    const model2 = buildModel(back, {}, model);
    const after: Analysis = { files: back, model: model2, reach: new Reachability(model2, {}, reach) };
    bugs('server rules after edit', runRules(after));
    runChangeRules(changeImpact(reach, after));
  });
  return { failures, ms: performance.now() - t0, stages };
}

/** Completion and hover at random places (line ends and starts included), and the code lenses. */
function editorRequests(analysis: Analysis, file: SourceFile, rng: Rng): void {
  const text = file.text;
  const idx = new LineIndex(text);
  const offsets = [0, text.length];
  for (let i = 0; i < 8; i++) offsets.push(Math.floor(rng() * (text.length + 1)));
  const line = Math.floor(rng() * idx.lineCount);
  offsets.push(idx.offsetAt({ line, character: 0 }), idx.offsetAt({ line, character: 1e9 }));
  for (const offset of offsets) {
    const trigger = [undefined, ' ', ':', '-'][Math.floor(rng() * 4)];
    complete(text, offset, analysis.model, { triggerCharacter: trigger });
    hoverAt({ analysis, file: file.path, text, offset, locate: (span) => ({ uri: span.file, line: idx.positionAt(span.start).line }) });
  }
  codeLenses(analysis, file.path);
}

/** Every fix of every finding (up to a bound), applied; one of them analysed again. */
function fixes(analysis: Analysis, findings: readonly Finding[], file: SourceFile, texts: ReadonlyMap<string, string>, rng: Rng, failures: string[], cache: ParseCache): void {
  let reanalysed = 0;
  for (const finding of findings.slice(0, 300)) {
    for (const fix of fixesFor(finding, { analysis, text: (p) => texts.get(p) })) {
      const byFile = new Map<string, TextEdit[]>();
      const next = new Map(texts);
      for (const e of fix.edits) {
        if (isCreateFile(e)) next.set(e.file, e.text);
        else byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      }
      for (const [path, edits] of byFile) next.set(path, applyEdits(texts.get(path) ?? '', edits));
      if (reanalysed < 1 && (finding.span.file === file.path || rng() < 0.2)) {
        reanalysed++;
        const after = analyze([...next].map(([path, text]) => ({ path, text })), {}, cache);
        for (const f of runRules(after)) if (BUG_RULES.has(f.rule)) failures.push(`fix ${fix.title}: ${f.rule}: ${f.message}`);
      }
    }
  }
}

/** Explanations between random workloads, and from an address; lookups by name. */
function explainSome(analysis: Analysis, rng: Rng): void {
  const { reach, model } = analysis;
  const n = model.workloads.length;
  if (n > 0) {
    for (let i = 0; i < 3; i++) {
      const a = Math.floor(rng() * n);
      const b = Math.floor(rng() * n);
      explainConnection(reach, { type: 'workload', index: a }, { type: 'workload', index: b }, { port: 80, protocol: 'TCP' });
      const w = model.workloads[a];
      findWorkloads(model.workloads, `${w.namespace}/${w.name}[${w.kind}]`, model.defaultNamespace);
    }
    const range = reach.sourceRanges[0];
    if (range) explainConnection(reach, { type: 'ip', range }, { type: 'workload', index: 0 });
  }
}
