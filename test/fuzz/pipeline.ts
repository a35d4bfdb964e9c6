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
import { applyEdits, isCreateFile, type TextEdit } from '../../server/src/core/base/edits';
import { fixAllInFile } from '../../server/src/core/fixes/fix-all';
import { fixesFor } from '../../server/src/core/fixes/fixes';
import { formatConnlist, CONNLIST_FORMATS } from '../../server/src/core/ide/formats/connlist';
import { formatFindingsText, locateFindings } from '../../server/src/core/ide/formats/findings';
import { hoverAt } from '../../server/src/core/ide/hover/hover';
import { codeLenses } from '../../server/src/core/ide/lenses';
import { loadFile } from '../../server/src/core/manifest/load';
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
import type { SourceFile } from '../../server/src/core/manifest/types';

export interface PipelineResult {
  /** What went wrong, one line each (stage: error). */
  readonly failures: string[];
  readonly ms: number;
  /** Milliseconds per stage, all its operations together (for the slowest inputs). */
  readonly stages: Readonly<Record<string, number>>;
  /**
   * The longest single operation, as a user meets one: a CLI run, a keystroke's
   * analysis, one completion, hover or code-action request, one fix-all.
   */
  readonly slowest: { readonly op: string; readonly ms: number };
}

/** Findings that mean a boundary caught a bug of ours. */
const BUG_RULES = new Set(['document-skipped', 'rule-failed']);
/** A parser that crashed (reported as the document's YAML error) is a bug too. */
const PARSER_CRASH = /Maximum call stack size exceeded|RangeError|TypeError|ReferenceError/;

type Stage = <T>(name: string, f: () => T) => T | undefined;

/**
 * Runs the pipeline over `files`, of which `files[target]` is the mutated one;
 * `original` is its text before the mutation (the baseline of the change impact).
 */
export function runPipeline(files: readonly SourceFile[], target: number, original: string, rng: Rng): PipelineResult {
  const failures: string[] = [];
  const stages: Record<string, number> = {};
  let slowest = { op: '', ms: 0 };
  const t0 = performance.now();
  /** One operation: timed, and an exception in it is a failure. */
  const stage: Stage = (name, f) => {
    const s = performance.now();
    try {
      return f();
    } catch (e) {
      failures.push(`${name}: ${(e as Error)?.stack ?? String(e)}`);
      return undefined;
    } finally {
      const ms = performance.now() - s;
      stages[name] = (stages[name] ?? 0) + ms;
      if (ms > slowest.ms) slowest = { op: name, ms };
    }
  };
  const file = files[target];
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const bugs = (where: string, findings: readonly Finding[] | undefined) => {
    for (const f of findings ?? []) {
      if (BUG_RULES.has(f.rule) || PARSER_CRASH.test(f.message)) failures.push(`${where}: ${f.rule}: ${f.message}`);
    }
  };

  // The CLI: `netpol check` (one batch pass, every rule), then every output format.
  const cli = stage('check', () => {
    const analysis = analyze(files);
    return { analysis, findings: runRules(analysis) };
  });
  // The server's code actions re-analyse edited texts with a cache of their own: only
  // the edited document is parsed again.
  const whatIf = new ParseCache(5_000);
  if (cli) {
    const { analysis: batch, findings } = cli;
    bugs('rules', findings);
    stage('format', () => {
      formatFindingsText(locateFindings(findings, (p) => texts.get(p) ?? ''));
      const conns = allConnections(batch.reach);
      for (const format of CONNLIST_FORMATS) formatConnlist(conns, format);
    });
    fixes(batch, findings, file, texts, rng, stage, bugs, whatIf);
    stage('fix-all', () =>
      fixAllInFile({
        file: file.path,
        text: file.text,
        maxRounds: 1,
        evaluate: (text) => {
          // As the server's code actions: the current text is the analysis at hand.
          if (text === file.text) return { analysis: batch, findings, text: (p) => texts.get(p) };
          const next = files.map((f) => (f.path === file.path ? { path: f.path, text } : f));
          const analysis = analyze(next, {}, whatIf);
          return { analysis, findings: runRules(analysis), text: (p) => next.find((f) => f.path === p)?.text };
        },
      }),
    );
    stage('explain', () => explainSome(batch, rng));
  }

  // The language server: a cache that keeps the trees, its limits; requests; then a
  // keystroke back to the original text (incremental model, reachability and rules),
  // and the change impact.
  const cache = new ParseCache();
  const options = { maxLength: 4 * 1024 * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH };
  const open = stage('server open', () => {
    const loaded = files.map((f) => loadFile(f, cache, options));
    const model = buildModel(loaded);
    const analysis: Analysis = { files: loaded, model, reach: new Reachability(model) };
    bugs('server rules', runRules(analysis));
    return analysis;
  });
  if (open) {
    editorRequests(open, file, rng, stage);
    const after = stage('server keystroke', () => {
      const back = files.map((f, i) => (i === target ? loadFile({ path: f.path, text: original }, cache, options) : open.files[i]));
      const model = buildModel(back, {}, open.model);
      const analysis: Analysis = { files: back, model, reach: new Reachability(model, {}, open.reach) };
      bugs('server rules after edit', runRules(analysis));
      return analysis;
    });
    if (after) stage('change impact', () => runChangeRules(changeImpact(open.reach, after)));
  }
  return { failures, ms: performance.now() - t0, stages, slowest };
}

/** Completion and hover at random places (line ends and starts included), and the code lenses: each a request. */
function editorRequests(analysis: Analysis, file: SourceFile, rng: Rng, stage: Stage): void {
  const text = file.text;
  const idx = new LineIndex(text);
  const offsets = [0, text.length];
  for (let i = 0; i < 8; i++) offsets.push(Math.floor(rng() * (text.length + 1)));
  const line = Math.floor(rng() * idx.lineCount);
  offsets.push(idx.offsetAt({ line, character: 0 }), idx.offsetAt({ line, character: 1e9 }));
  for (const offset of offsets) {
    const trigger = [undefined, ' ', ':', '-'][Math.floor(rng() * 4)];
    stage('completion', () => complete(text, offset, analysis.model, { triggerCharacter: trigger }));
    stage('hover', () => hoverAt({ analysis, file: file.path, text, offset, locate: (span) => ({ uri: span.file, line: idx.positionAt(span.start).line }) }));
  }
  stage('code lenses', () => codeLenses(analysis, file.path));
}

/** Every fix of every finding (up to a bound; a request each), applied; one of them analysed again. */
function fixes(
  analysis: Analysis,
  findings: readonly Finding[],
  file: SourceFile,
  texts: ReadonlyMap<string, string>,
  rng: Rng,
  stage: Stage,
  bugs: (where: string, findings: readonly Finding[] | undefined) => void,
  cache: ParseCache,
): void {
  let reanalysed = false;
  for (const finding of findings.slice(0, 300)) {
    const offered = stage('code actions', () => fixesFor(finding, { analysis, text: (p) => texts.get(p) })) ?? [];
    for (const fix of offered) {
      const next = stage('apply fix', () => {
        const byFile = new Map<string, TextEdit[]>();
        const out = new Map(texts);
        for (const e of fix.edits) {
          if (isCreateFile(e)) out.set(e.file, e.text);
          else byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
        }
        for (const [path, edits] of byFile) out.set(path, applyEdits(texts.get(path) ?? '', edits));
        return out;
      });
      if (next && !reanalysed && (finding.span.file === file.path || rng() < 0.2)) {
        reanalysed = true;
        const after = stage('fix re-check', () => {
          const a = analyze([...next].map(([path, text]) => ({ path, text })), {}, cache);
          return runRules(a);
        });
        bugs(`fix ${fix.title}`, after);
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
