/**
 * No false errors: the NetworkPolicies of the netpol-analyzer corpus come from real
 * clusters or upstream tests and are accepted by the API server (but one, with an
 * invalid name, and four AdminNetworkPolicy cases, see DOCUMENTED_DIFFERENCES), so `netpol check` must report no other error on any of them
 * (warnings are fine: that is what lints are for).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { readManifestFiles } from '../../../server/src/node/read-files';
import { DOCUMENTED_DIFFERENCES, loadCorpus } from '../../corpus/corpus';

test('no error finding on the accepted manifests of the corpus', () => {
  const errors: string[] = [];
  let policies = 0;
  for (const c of loadCorpus()) {
    const analysis = analyze(readManifestFiles([c.inputDir]).files);
    policies += analysis.model.policies.length;
    for (const f of runRules(analysis)) if (f.severity === 'error') errors.push(`${c.name}: ${f.span.file}: ${f.rule}: ${f.message}`);
  }
  assert.ok(policies > 50, `the corpus has policies (${policies})`);
  // The manifests the API server would reject are documented differences; each must be
  // flagged, where it is wrong: the NetworkPolicy on its name, the AdminNetworkPolicies
  // on the missing podSelector or the named port beside an address peer.
  const documented = errors.filter((e) => Object.keys(DOCUMENTED_DIFFERENCES).some((name) => e.startsWith(`${name}: `)));
  for (const name of Object.keys(DOCUMENTED_DIFFERENCES)) assert.ok(documented.some((e) => e.startsWith(`${name}: `)), `${name} is flagged`);
  for (const e of documented) {
    if (e.startsWith('example_pods_w_same_owner_and_labels_gap_with_good_match_expression: ')) assert.match(e, /netpol\.yaml: invalid-name: .*"use_common_labels_same_values"/);
    else assert.match(e, /: invalid-cluster-policy: (Required field podSelector is missing|A namedPort cannot be combined with a networks)/);
  }
  assert.deepEqual(errors.filter((e) => !documented.includes(e)), []);
});
