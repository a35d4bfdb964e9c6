/**
 * Conformance over ../shared/corpus/netpol-analyzer: our connectivity list must equal
 * netpol-analyzer's expected connlist for every in-scope case. Prints one line per
 * case and ends with `corpus: N cases, M agree, K skipped`. Exit 1 on any disagreement.
 */
import { analyze } from '../../server/src/core/analysis/analyze';
import { formatConnlist } from '../../server/src/core/ide/formats/connlist';
import { diffConnections } from '../../server/src/core/impact/diff';
import { allConnections } from '../../server/src/core/reach/connections';
import { readManifestFiles } from '../../server/src/node/read-files';
import { basename, relative } from 'node:path';
import { DOCUMENTED_DIFFERENCES, loadCorpus, normalize, skipReason, type CorpusCase } from './corpus';
import { GENERIC_INGRESS_CONTROLLER } from '../../server/src/core/k8s/cluster';
import { formatDiff } from '../../server/src/core/ide/formats/diff';

/**
 * netpol-analyzer's modelling choices, which differ from our defaults: it treats
 * hostNetwork pods as ordinary pods, and its ingress controller as an unlabeled pod
 * in a namespace of its own.
 */
export const NETPOL_ANALYZER_OPTIONS = { hostNetwork: 'pod', ingressController: GENERIC_INGRESS_CONTROLLER } as const;

function main(): void {
  const verbose = process.argv.includes('--verbose');
  const only = process.argv.find((a) => a.startsWith('--case='))?.slice('--case='.length);
  let total = 0;
  let agree = 0;
  let skipped = 0;
  const failures: string[] = [];
  const corpus = loadCorpus();
  for (const c of corpus) {
    if (only && c.name !== only) continue;
    total++;
    const reason = skipReason(c);
    if (reason) {
      skipped++;
      console.log(`skip  ${c.name}: ${reason}`);
      continue;
    }
    let { files } = readManifestFiles([c.inputDir]);
    const documented = DOCUMENTED_DIFFERENCES[c.name];
    const expected = normalize(c.expectedConnlist);
    if (documented) {
      const asGiven = normalize(formatConnlist(allConnections(analyze(files, NETPOL_ANALYZER_OPTIONS).reach), 'text'));
      if (asGiven.join('\n') === expected.join('\n')) console.log(`NOTE  ${c.name}: documented difference no longer differs; remove it`);
      files = files.map((f) => {
        const fix = documented.correction[relative(c.inputDir, f.path)] ?? documented.correction[basename(f.path)];
        // Corrections are written with \n; some inputs have CRLF line ends.
        const eol = (t: string) => (f.text.includes('\r\n') ? t.replace(/\n/g, '\r\n') : t);
        return fix ? { path: f.path, text: f.text.split(eol(fix[0])).join(eol(fix[1])) } : f;
      });
    }
    const { reach } = analyze(files, NETPOL_ANALYZER_OPTIONS);
    const actual = normalize(formatConnlist(allConnections(reach), 'text'));
    if (actual.join('\n') === expected.join('\n')) {
      agree++;
      if (documented) console.log(`ok*   ${c.name} (${expected.length} lines) agrees once corrected; as given we differ on purpose: ${documented.why}`);
      else console.log(`ok    ${c.name} (${expected.length} lines)`);
      continue;
    }
    failures.push(c.name);
    const exp = new Set(expected);
    const act = new Set(actual);
    const missing = expected.filter((l) => !act.has(l));
    const extra = actual.filter((l) => !exp.has(l));
    console.log(`FAIL  ${c.name}: ${missing.length} missing, ${extra.length} unexpected${missing.length + extra.length === 0 ? ' (order differs)' : ''}`);
    const show = verbose ? Infinity : 5;
    for (const l of missing.slice(0, show)) console.log(`        - ${l}`);
    for (const l of extra.slice(0, show)) console.log(`        + ${l}`);
  }
  const d = runDiffPairs(corpus, only, verbose, failures);
  console.log(`diff pairs: ${d.total} pairs, ${d.agree} agree, ${d.skipped} skipped`);
  total += d.total;
  agree += d.agree;
  skipped += d.skipped;
  console.log(`corpus: ${total} cases, ${agree} agree, ${skipped} skipped`);
  if (failures.length > 0) {
    console.log(`disagreements: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

/**
 * The stored `diff --dir1 <other> --dir2 <case>` outputs: our diff of the two cases'
 * connections (same options as the connlist run) must equal the expected text.
 */
function runDiffPairs(corpus: readonly CorpusCase[], only: string | undefined, verbose: boolean, failures: string[]): { total: number; agree: number; skipped: number } {
  const byName = new Map(corpus.map((c) => [c.name, c]));
  const cache = new Map<string, { conns: ReturnType<typeof allConnections>; workloads: string[] }>();
  const connsOf = (c: CorpusCase) => {
    let r = cache.get(c.name);
    if (!r) {
      const { reach, model } = analyze(readManifestFiles([c.inputDir]).files, NETPOL_ANALYZER_OPTIONS);
      r = { conns: allConnections(reach), workloads: model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}]`) };
      cache.set(c.name, r);
    }
    return r;
  };
  let total = 0;
  let agree = 0;
  let skipped = 0;
  for (const c of corpus) {
    for (const d of c.diffs) {
      const name = `diff ${c.name} vs ${d.dir1}`;
      if (only && c.name !== only && d.dir1 !== only) continue;
      total++;
      const other = byName.get(d.dir1);
      const reason = !other ? `case ${d.dir1} is not in the corpus` : skipReason(c) ?? skipReason(other);
      if (reason || !other) {
        skipped++;
        console.log(`skip  ${name}: ${reason}`);
        continue;
      }
      const before = connsOf(other);
      const after = connsOf(c);
      const entries = diffConnections(before.conns, after.conns, { workloads: { before: before.workloads, after: after.workloads } });
      const actual = normalize(formatDiff(entries, 'text'));
      const expected = normalize(d.expectedText);
      if (actual.join('\n') === expected.join('\n')) {
        agree++;
        console.log(`ok    ${name} (${expected.length} lines)`);
        continue;
      }
      failures.push(name);
      const exp = new Set(expected);
      const act = new Set(actual);
      const missing = expected.filter((l) => !act.has(l));
      const extra = actual.filter((l) => !exp.has(l));
      console.log(`FAIL  ${name}: ${missing.length} missing, ${extra.length} unexpected${missing.length + extra.length === 0 ? ' (order differs)' : ''}`);
      const show = verbose ? Infinity : 5;
      for (const l of missing.slice(0, show)) console.log(`        - ${l}`);
      for (const l of extra.slice(0, show)) console.log(`        + ${l}`);
    }
  }
  return { total, agree, skipped };
}

main();
