/**
 * The fuzzer in `npm test`: a short fixed-seed slice of `npm run fuzz`, and every input
 * that ever crashed (test/fixtures/fuzz/) through the whole pipeline (test/fuzz/pipeline.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rng } from '../bench/generate';
import { loadSeeds, runInput } from './fuzz';
import { runPipeline } from './pipeline';

const FIXTURES = resolve(__dirname, '../../../test/fixtures/fuzz');

for (const name of readdirSync(FIXTURES).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  test(`fuzz regression: ${name}`, () => {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const { failures } = runPipeline([{ path: name, text }], 0, text.replace(/\n[^\n]*$/, '\n'), rng(1));
    assert.deepEqual(failures, []);
  });
}

test('fuzz slice: 150 mutated manifests through the whole pipeline, no crash', () => {
  const seeds = loadSeeds();
  const crashes: string[] = [];
  for (let i = 0; i < 150; i++) {
    const { input, result } = runInput(seeds, 18, i);
    if (result.failures.length > 0) crashes.push(`input ${i} (${input.from}; ${input.ops.join(', ')}): ${result.failures[0].split('\n')[0]}`);
  }
  assert.deepEqual(crashes, [], 'replay one with: npm run fuzz -- --seed 18 --from I --count 1 --save');
});
