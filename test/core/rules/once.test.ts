/**
 * A run that asks nothing later (the CLI: RunOptions.once) lets go of each policy's syntax
 * tree once its per-policy verdicts are in; its findings are those of a run that keeps them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { analyzeOnce } from '../../../server/src/core';
import { generateWorkspace } from '../../bench/generate';

const where = (findings: readonly { rule: string; severity: string; message: string; path: string; span: { file: string; start: number; end: number } }[]) =>
  findings.map((f) => `${f.rule} ${f.severity} ${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`);

test('once: the same findings, and each policy\'s tree let go', () => {
  const { files } = generateWorkspace({ namespaces: 6, workloadsPerNamespace: 5, seed: 7 });
  const kept = runRules(analyze(files));
  const analysis = analyze(files);
  const policies = analysis.files.flatMap((f) => f.objects.filter((o) => o.kind === 'NetworkPolicy'));
  assert.ok(policies.length > 5, 'the generated workspace has policies');
  const trees = policies.map((p) => p.map);
  const once = runRules(analysis, { once: true });
  assert.ok(kept.length > 0, 'the generated workspace has findings');
  assert.deepEqual(where(once), where(kept));
  // Let go (parsed again when asked), and asked again the runner answers the same.
  assert.ok(policies.every((p, i) => p.map !== trees[i]));
  assert.deepEqual(where(runRules(analysis)), where(kept));
});

test('the CLI\'s snapshot (analyzeOnce) runs the rules once: the findings of an editor-style run', () => {
  const { files } = generateWorkspace({ namespaces: 4, workloadsPerNamespace: 4, seed: 11 });
  assert.deepEqual(where(analyzeOnce(files).ruleFindings()), where(runRules(analyze(files))));
});
