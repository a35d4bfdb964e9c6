import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRule } from '../../helpers/traffic';
import { ROOT } from '../../helpers/paths';

const BAD = readFileSync(resolve(ROOT, 'test/rules/endport-ignored/bad.yaml'), 'utf8');

test('the message names the profile and what the rule really allows', () => {
  const [found] = runRule('endport-ignored', BAD, { analyze: { cni: 'cilium-1.15' } });
  assert.match(found.message, /^endPort 30100 is ignored by Cilium 1\.15 and earlier \(the cilium-1\.15 profile\): this rule allows TCP 30000 only, not 30000-30100,/);
});

test('silent under every profile that supports endPort', () => {
  for (const cni of ['default', 'calico', 'cilium', 'kube-router'] as const) assert.deepEqual(runRule('endport-ignored', BAD, { analyze: { cni } }), [], cni);
});
