import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import { evaluate } from '../../helpers/evaluate';
import { ROOT } from '../../helpers/paths';

const DIR = join(ROOT, 'test/rules/and-or-pitfall');

test('and-or-pitfall: the merge into one peer is offered, never as the preferred fix (the OR may be meant)', () => {
  const text = readFileSync(join(DIR, 'bad.yaml'), 'utf8');
  const { analysis, findings } = evaluate([{ path: 'bad.yaml', text }]);
  const mine = findings.filter((f) => f.rule === 'and-or-pitfall');
  assert.equal(mine.length, 4);
  let offered = 0;
  for (const f of mine) {
    const fixes = fixesFor(f, { analysis, text: () => text });
    offered += fixes.length;
    for (const fix of fixes) assert.notEqual(fix.isPreferred, true, fix.title);
  }
  assert.ok(offered >= 3, 'the block, flow and mixed shapes get the merge');
});

test('and-or-pitfall: the "and my own namespace" idiom and OR lists with an ipBlock give nothing (kubeflow, Kubernetes docs)', () => {
  const text = readFileSync(join(DIR, 'good.yaml'), 'utf8');
  const { findings } = evaluate([{ path: 'good.yaml', text }]);
  assert.deepEqual(findings.filter((f) => f.rule === 'and-or-pitfall'), []);
});
