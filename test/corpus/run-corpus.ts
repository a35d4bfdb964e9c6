/**
 * Conformance over ../shared/corpus/netpol-analyzer: our connectivity list must equal
 * netpol-analyzer's expected connlist for every in-scope case. Prints one line per
 * case and ends with `corpus: N cases, M agree, K skipped`. Exit 1 on any disagreement.
 */
import { analyze } from '../../server/src/core/analyze';
import { formatConnlist } from '../../server/src/core/format/connlist';
import { allConnections } from '../../server/src/core/reach/connections';
import { GENERIC_INGRESS_CONTROLLER } from '../../server/src/core/reach/engine';
import { readManifestFiles } from '../../server/src/node/read-files';
import { basename, relative } from 'node:path';
import { DOCUMENTED_DIFFERENCES, loadCorpus, normalize, skipReason } from './corpus';

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
  for (const c of loadCorpus()) {
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
        return fix ? { path: f.path, text: f.text.split(fix[0]).join(fix[1]) } : f;
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
  console.log(`corpus: ${total} cases, ${agree} agree, ${skipped} skipped`);
  if (failures.length > 0) {
    console.log(`disagreements: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
