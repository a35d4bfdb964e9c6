/**
 * The inputs that once made the engine quadratic or froze the editor (issue 18), timed
 * in process: a batch analysis with every rule (the CLI), the language server's path
 * (kept trees, its bound for the full YAML parser), and a completion in the middle of
 * the longest line. Prints figures; asserts nothing (test/core/limits.test.ts
 * asserts what these inputs yield).
 *
 *   node out/test/bench/hostile-bench.js
 */
import { analyze } from '../../server/src/core/analysis/analyze';
import { complete } from '../../server/src/core/ide/complete/complete';
import { fixAllInFile } from '../../server/src/core/fixes/fix-all';
import { fixesFor } from '../../server/src/core/fixes/fixes';
import { runRules } from '../../server/src/core/rules/run';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from '../../server/src/core/yaml/limits';
import { ParseCache } from '../../server/src/core/yaml/parse';
import { anchoredPeerRules, flowLinePolicy, sameNamePolicies, singleLinePolicy } from './hostile';
import type { SourceFile } from '../../server/src/core/manifest/types';

interface Case {
  readonly label: string;
  /** What it cost before issue 18 (the CLI's `check`, or the request named), for comparison. */
  readonly before: string;
  readonly files: () => SourceFile[];
}

const one = (text: string): SourceFile[] => [{ path: 'input.yaml', text }];
const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join(', ');

const CASES: readonly Case[] = [
  { label: '1,400 rules aliasing 400 peers (81 KB)', before: 'over 900 s (43 KB: 37 s)', files: () => one(anchoredPeerRules(1400, 400)) },
  { label: '1,400 rules aliasing 2 peers (60 KB)', before: '50 s', files: () => one(anchoredPeerRules(1400, 2)) },
  { label: '20,000 policies named alike (2.4 MB)', before: '29 s', files: () => sameNamePolicies(20_000) },
  { label: '1 MB single-line JSON policy', before: '0.4 s (server: 9-12 s)', files: () => one(singleLinePolicy(1_000_000)) },
  { label: '1 MB flow line in a block policy', before: 'completion 0.9 s', files: () => one(flowLinePolicy(1_000_000)) },
  { label: '125,000-key flow map and a tab (1.3 MB)', before: '155 s', files: () => one(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {${keys(125_000)}}\n\t\n`) },
  { label: 'a line of 1,000,000 commas', before: '7.4 s, 1.1 GB', files: () => one(`apiVersion: v1\nkind: ConfigMap\ndata: [${','.repeat(1_000_000)}]\n`) },
  { label: '1,000,000 open brackets', before: '3.5 s, 940 MB', files: () => one(`apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(1_000_000)}\n`) },
];

function ms(start: number): number {
  return performance.now() - start;
}

/** The middle of the longest line of the first file (where a 1 MB line is). */
function middleOfLongestLine(text: string): number {
  let best = { start: 0, length: 0 };
  let start = 0;
  for (const line of text.split('\n')) {
    if (line.length > best.length) best = { start, length: line.length };
    start += line.length + 1;
  }
  return best.start + (best.length >> 1);
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

function main(): void {
  const rows: string[][] = [];
  for (const c of CASES) {
    const files = c.files();
    // The CLI: one batch pass and every rule.
    let t = performance.now();
    const batch = analyze(files);
    const analyzeMs = ms(t);
    t = performance.now();
    const findings = runRules(batch);
    const rulesMs = ms(t);
    // The language server: its cache, its bound; then a keystroke in the longest line.
    const cache = new ParseCache();
    const options = { maxLength: 4 * 1024 * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH };
    t = performance.now();
    runRules(analyze(files, options, cache));
    const serverMs = ms(t);
    const at = middleOfLongestLine(files[0].text);
    const edited = [{ path: files[0].path, text: `${files[0].text.slice(0, at)} ${files[0].text.slice(at)}` }, ...files.slice(1)];
    t = performance.now();
    const after = analyze(edited, options, cache);
    runRules(after);
    const editMs = ms(t);
    t = performance.now();
    complete(edited[0].text, at + 1, after.model);
    const completeMs = ms(t);
    const byRule = new Map<string, number>();
    for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    const what = [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([r, n]) => `${n} ${r}`).join(', ') || 'no finding';
    rows.push([c.label, fmt(analyzeMs), fmt(rulesMs), fmt(serverMs), fmt(editMs), fmt(completeMs), c.before, what]);
  }
  const headers = ['input', 'analyze ms', 'rules ms', 'server ms', 'edit ms', 'complete ms', 'before issue 18', 'findings'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((x, i) => (i === 0 || i >= 6 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log('\nHostile inputs (issue 18), in process: analyze + rules = the CLI; server = load, model, reach and rules with the');
  console.log("server's cache and bounds; edit = the same after a keystroke in the longest line; complete = completion there.");
  console.log([line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
  fixAllBench();
  fixesBench();
}

/** Fix-all (the editor's source.fixAll on save) on one file of 3,000 documents with a safe fix each. */
function fixAllBench(): void {
  const doc = (i: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: shop}\nspec:\n  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: 10.${i % 250}.0.1/16}}]\n`;
  const text = Array.from({ length: 3000 }, (_, i) => doc(i)).join('---\n');
  const cache = new ParseCache();
  const t = performance.now();
  const result = fixAllInFile({
    file: 'many.yaml',
    text,
    maxRounds: 1,
    evaluate: (x) => {
      const analysis = analyze([{ path: 'many.yaml', text: x }], {}, cache);
      return { analysis, findings: runRules(analysis), text: () => undefined };
    },
  });
  console.log(`Fix-all on one file of 3,000 documents, each with a safe fix: ${fmt(ms(t))} ms, ${result.applied.length} fixes (before: 7.7 s, the file's style summed again for each finding)`);
}

/**
 * The code actions of every finding of a file (what fix-all asks): each finding's object
 * and the file's style by key were found by a scan per finding.
 */
function fixesBench(): void {
  const cases = [
    {
      label: '8,000 documents of 10 unknown fields',
      before: '38 s, a scan of the objects per finding',
      doc: (i: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: shop}\nspec:\n  podSelector: {${Array.from({ length: 10 }, (_, j) => `x${j}: 1`).join(', ')}}\n`,
      count: 8000,
    },
    {
      label: '1,000 documents of 10 distinct keys',
      before: "110 s, the file's style by key built per finding",
      doc: (i: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: shop}\nspec:\n  podSelector:\n${Array.from({ length: 10 }, (_, j) => `    x${i}_${j}: {a: b}`).join('\n')}\n`,
      count: 1000,
    },
  ];
  for (const c of cases) {
    const text = Array.from({ length: c.count }, (_, i) => c.doc(i)).join('---\n');
    const analysis = analyze([{ path: 'a.yaml', text }]);
    const findings = runRules(analysis);
    const t = performance.now();
    for (const f of findings) fixesFor(f, { analysis, text: () => text });
    console.log(`Code actions for every finding of ${c.label} (${findings.length} findings): ${fmt(ms(t))} ms (before: ${c.before})`);
  }
}

main();
