/**
 * `netpol generate` on the 10,000-workload workspace (issue 21 §4: evidence and
 * generation < 5 s): the analysis as the CLI takes it, the evidence, then generation,
 * on the workspace with its 10,000 policies (most workloads covered or partly covered)
 * and without any policy (a policy for every workload). Prints figures; asserts nothing.
 *
 *   node out/test/bench/generate-bench.js
 */
import { analyzeOnce, DEFAULTS } from '../../server/src/core';
import { generatedStream } from '../../server/src/core/generate/generate';
import { generateWorkspace } from './generate';

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function run(label: string, policies: number): void {
  const ws = generateWorkspace({ namespaces: 100, workloadsPerNamespace: 100, policies });
  let t = process.hrtime.bigint();
  const snapshot = analyzeOnce(ws.files, DEFAULTS);
  const analyzeMs = ms(t);
  t = process.hrtime.bigint();
  const evidence = snapshot.evidence();
  const evidenceMs = ms(t);
  t = process.hrtime.bigint();
  const result = snapshot.generate();
  const generateMs = ms(t);
  t = process.hrtime.bigint();
  const text = generatedStream(result);
  const streamMs = ms(t);
  const written = result.files.reduce((n, f) => n + f.policies.length, 0);
  console.log(
    `  ${label.padEnd(26)} ${fmt(ws.counts.workloads)} workloads, ${fmt(ws.counts.policies)} policies: analysis ${fmt(analyzeMs)} ms, evidence ${fmt(evidenceMs)} ms (${fmt(evidence.flows.length)} flows), generate ${fmt(generateMs)} ms -> ${fmt(written)} policies in ${result.files.length} files, ${fmt(text.length / 1024)} KB (+${fmt(streamMs)} ms), ${fmt(result.notes.length)} notes; evidence + generate ${fmt(evidenceMs + generateMs)} ms`,
  );
}

console.log('netpol generate on 100 namespaces x 100 workloads (target: evidence + generation < 5,000 ms):');
run('with 10,000 policies', 10_000);
run('without policies', 0);
