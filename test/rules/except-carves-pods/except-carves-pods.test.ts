import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runRule } from '../../helpers/traffic';
import { ROOT } from '../../helpers/paths';

const dir = resolve(ROOT, 'test/rules/except-carves-pods');
const BAD = readFileSync(resolve(dir, 'bad.yaml'), 'utf8');

test('names the carved pods, the pods the block still holds and the profiles on each side', () => {
  const [found] = runRule('except-carves-pods', BAD, { analyze: { cni: 'cilium' } });
  assert.match(found.message, /^except 10\.244\.1\.11\/32 singles out the pods of x\/b-rs\[ReplicaSet\] among the pods ipBlock 10\.240\.0\.0\/12 holds \(x\/a-rs\[ReplicaSet\], x\/c-rs\[ReplicaSet\]\):/);
  assert.match(found.message, /under cilium, cilium-1\.15 it admits none of these pods, and the except changes nothing\. This analysis uses the cilium profile\./);
  assert.equal(found.path, 'spec.egress[0].to[0].ipBlock.except[0]');
});

test('an except of the whole pod range (a block meant for the outside) is silent', () => {
  assert.deepEqual(runRule('except-carves-pods', readFileSync(resolve(dir, 'good.yaml'), 'utf8')), []);
});
