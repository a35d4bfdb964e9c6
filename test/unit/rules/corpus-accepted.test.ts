/**
 * No false errors: every NetworkPolicy of the netpol-analyzer corpus comes from real
 * clusters or upstream tests and is accepted by the API server, so `netpol check` must
 * report no error on any of them (warnings are fine: that is what lints are for).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { readManifestFiles } from '../../../server/src/node/read-files';
import { loadCorpus } from '../../corpus/corpus';

test('no error finding on the accepted manifests of the corpus', () => {
  const errors: string[] = [];
  let policies = 0;
  for (const c of loadCorpus()) {
    const analysis = analyze(readManifestFiles([c.inputDir]).files);
    policies += analysis.model.policies.length;
    for (const f of runRules(analysis)) if (f.severity === 'error') errors.push(`${c.name}: ${f.span.file}: ${f.rule}: ${f.message}`);
  }
  assert.ok(policies > 50, `the corpus has policies (${policies})`);
  assert.deepEqual(errors, []);
});
