import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRule } from '../../helpers/traffic';
import { ROOT } from '../../helpers/paths';

const BAD = readFileSync(resolve(ROOT, 'test/rules/sctp-unsupported/bad.yaml'), 'utf8');

test('reported under the profiles without SCTP (cilium, cilium-1.15, kube-router), naming the plugin', () => {
  for (const cni of ['cilium', 'cilium-1.15', 'kube-router'] as const) {
    const found = runRule('sctp-unsupported', BAD, { analyze: { cni } });
    assert.equal(found.length, 1, cni);
    assert.match(found[0].message, /does not support SCTP in NetworkPolicies: this ingress rule allows nothing on SCTP 3868, while the policy still isolates the pods it selects\./);
  }
});

test('silent under the default profile and the plugins with SCTP', () => {
  for (const cni of ['default', 'calico', 'ovn-kubernetes'] as const) assert.deepEqual(runRule('sctp-unsupported', BAD, { analyze: { cni } }), [], cni);
});
