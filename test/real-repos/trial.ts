/**
 * The real-repository trial (issue 20): `netpol check` on copies of public repositories
 * (test/real-repos/<name>/repo/), every finding matched to a verdict a person gave it in
 * test/real-repos/<name>/verdicts.yaml. The test (real-repos.test.ts) and the judging
 * script (judge.ts) share this module.
 *
 * A finding is keyed by what survives edits of the rules' wording and of the files'
 * line numbers: the file (relative to repo/), the object it is about (kind/namespace/name
 * as written, `-` for an unset namespace), the rule id and the YAML path. Two findings
 * with the same key (rare) are told apart by their order: `#2`, `#3`…
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isMap, parseAllDocuments, parse } from 'yaml';
import { CLI, ROOT } from '../helpers/paths';

export const CORPUS = resolve(ROOT, 'test/real-repos');
export const FLOOR_FILE = join(CORPUS, 'floor.json');

export type Verdict = 'true' | 'debatable' | 'false';
export const VERDICTS: readonly Verdict[] = ['true', 'debatable', 'false'];

/** What `netpol check --format json` prints per finding (the fields the trial reads). */
interface CliFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly rule: string;
  readonly message: string;
  readonly path: string;
}

export interface TrialFinding {
  readonly file: string;
  readonly object: string;
  readonly rule: string;
  readonly path: string;
  /** 1 for the first finding with this key, 2 for the second… */
  readonly occurrence: number;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly message: string;
}

export interface VerdictEntry {
  readonly file: string;
  readonly object: string;
  readonly rule: string;
  readonly path: string;
  readonly occurrence?: number;
  /** The severity when it was judged: a change is printed as a note, the verdict may rest on it. */
  readonly severity?: string;
  readonly verdict: Verdict | 'unjudged';
  /** For false findings: the context the analysis missed (a short tag, e.g. operator-pods). */
  readonly cause?: string;
  readonly reason: string;
}

export interface RepoTrial {
  readonly name: string;
  /** The `netpol check` arguments (paths and options), run in repo/. */
  readonly args: readonly string[];
  readonly findings: readonly TrialFinding[];
  readonly verdicts: readonly VerdictEntry[];
}

export function keyOf(f: { file: string; object: string; rule: string; path: string; occurrence?: number }): string {
  const n = f.occurrence ?? 1;
  return `${f.file} | ${f.object} | ${f.rule} | ${f.path}${n > 1 ? ` | #${n}` : ''}`;
}

export function repoNames(): string[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CORPUS, d.name, 'verdicts.yaml')))
    .map((d) => d.name)
    .sort();
}

interface VerdictFile {
  readonly check?: readonly string[];
  readonly findings?: readonly VerdictEntry[] | null;
}

export function readVerdictFile(name: string): { args: string[]; verdicts: VerdictEntry[] } {
  const file = join(CORPUS, name, 'verdicts.yaml');
  const data = (parse(readFileSync(file, 'utf8')) ?? {}) as VerdictFile;
  const args = [...(data.check ?? ['.'])].map(String);
  const verdicts = [...(data.findings ?? [])].map((v) => ({ ...v, verdict: String(v.verdict) as VerdictEntry['verdict'], reason: String(v.reason ?? '') }));
  return { args, verdicts };
}

/** kind/namespace/name of the document holding `offset`, as the file writes them. */
function objectsOf(text: string): { start: number; end: number; object: string }[] {
  return parseAllDocuments(text, { uniqueKeys: false }).flatMap((doc) => {
    if (!('contents' in doc)) return [];
    const c = doc.contents;
    const get = (...p: string[]): string => {
      const v = isMap(c) ? doc.getIn(p) : undefined;
      return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    };
    const object = `${get('kind') || '?'}/${get('metadata', 'namespace') || '-'}/${get('metadata', 'name') || '?'}`;
    return [{ start: doc.range[0], end: doc.range[2], object }];
  });
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset + column - 1;
}

/** Runs `netpol check --format json ARGS` in the repository copy; the findings with their keys. */
export function runCheck(name: string, args: readonly string[]): TrialFinding[] {
  const repo = join(CORPUS, name, 'repo');
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'error', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`netpol check in ${name} exited ${r.status}: ${r.stderr}`);
  const raw = JSON.parse(r.stdout) as CliFinding[];
  const texts = new Map<string, { text: string; objects: ReturnType<typeof objectsOf> }>();
  const seen = new Map<string, number>();
  return raw.map((f) => {
    const file = relative(repo, resolve(repo, f.file)).split(sep).join('/');
    let t = texts.get(file);
    if (!t) {
      const text = readFileSync(join(repo, file), 'utf8');
      t = { text, objects: objectsOf(text) };
      texts.set(file, t);
    }
    const at = offsetOf(t.text, f.line, f.column);
    const object = t.objects.find((o) => o.start <= at && at <= o.end)?.object ?? '-';
    const base = { file, object, rule: f.rule, path: f.path };
    const occurrence = (seen.get(keyOf(base)) ?? 0) + 1;
    seen.set(keyOf(base), occurrence);
    return { ...base, occurrence, line: f.line, column: f.column, severity: f.severity, message: f.message };
  });
}

export function runTrial(name: string): RepoTrial {
  const { args, verdicts } = readVerdictFile(name);
  return { name, args, findings: runCheck(name, args), verdicts };
}

export interface Judged {
  readonly trial: RepoTrial;
  /** Each finding with its verdict entry (undefined: not judged yet, or `unjudged`). */
  readonly judged: readonly { finding: TrialFinding; entry: VerdictEntry | undefined }[];
  /** Verdicts whose finding no longer occurs. */
  readonly stale: readonly VerdictEntry[];
}

export function match(trial: RepoTrial): Judged {
  const byKey = new Map(trial.verdicts.map((v) => [keyOf(v), v]));
  const found = new Set<string>();
  const judged = trial.findings.map((finding) => {
    const key = keyOf(finding);
    found.add(key);
    const entry = byKey.get(key);
    return { finding, entry: entry && entry.verdict !== 'unjudged' ? entry : undefined };
  });
  const stale = trial.verdicts.filter((v) => !found.has(keyOf(v)));
  return { trial, judged, stale };
}

export interface Summary {
  readonly findings: number;
  readonly repos: number;
  readonly true: number;
  readonly debatable: number;
  readonly false: number;
  readonly unjudged: number;
  /** (true + debatable) / judged, in %. */
  readonly precision: number;
  readonly warnings: number;
  readonly warningsTrue: number;
  /** true / (warnings and errors), in %. */
  readonly warningPrecision: number;
}

const pct = (n: number, d: number): number => (d === 0 ? 100 : Math.round((1000 * n) / d) / 10);

export function summarize(all: readonly Judged[]): Summary {
  const rows = all.flatMap((j) => j.judged);
  const count = (v: Verdict): number => rows.filter((r) => r.entry?.verdict === v).length;
  const t = count('true');
  const d = count('debatable');
  const f = count('false');
  const loud = rows.filter((r) => r.finding.severity === 'warning' || r.finding.severity === 'error');
  const loudTrue = loud.filter((r) => r.entry?.verdict === 'true').length;
  return {
    findings: rows.length,
    repos: all.length,
    true: t,
    debatable: d,
    false: f,
    unjudged: rows.length - t - d - f,
    precision: pct(t + d, t + d + f),
    warnings: loud.length,
    warningsTrue: loudTrue,
    warningPrecision: pct(loudTrue, loud.length),
  };
}

export function summaryLine(s: Summary): string {
  return (
    `real repos: ${s.findings} findings in ${s.repos} repos: ${s.true} true, ${s.debatable} debatable, ${s.false} false` +
    `${s.unjudged > 0 ? `, ${s.unjudged} unjudged` : ''}; precision (true+debatable) ${s.precision} %; ` +
    `warnings/errors: ${s.warnings}, true ${s.warningPrecision} %`
  );
}

/** The issue's targets, printed beside the figures (the floor, not the targets, is asserted). */
export const TARGETS = 'targets (issue 20): precision >= 95 %, nothing false known, warnings/errors true >= 90 %';

/** The ratchet: figures the corpus may not fall below (raised with `npm run real-repos -- --raise-floor`). */
export interface Floor {
  readonly precision: number;
  readonly warningPrecision: number;
}

export function readFloor(): Floor {
  return JSON.parse(readFileSync(FLOOR_FILE, 'utf8')) as Floor;
}

/** A verdicts.yaml entry, as the judging script appends it (verdict: unjudged, the message as a comment). */
export function skeleton(f: TrialFinding): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    `  # ${f.file}:${f.line}:${f.column} ${f.severity}: ${f.message.replace(/\s+/g, ' ')}`,
    `  - file: ${q(f.file)}`,
    `    object: ${q(f.object)}`,
    `    rule: ${f.rule}`,
    `    path: ${q(f.path)}`,
    ...(f.occurrence > 1 ? [`    occurrence: ${f.occurrence}`] : []),
    `    severity: ${f.severity}`,
    `    verdict: unjudged`,
    `    reason: ''`,
    '',
  ].join('\n');
}
