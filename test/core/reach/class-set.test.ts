import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassSet } from '../../../server/src/core/reach/class-set';
import { rng } from '../../bench/generate';

test('ClassSet answers membership as a set does, small and large, with its bitmap over its own range of ids', () => {
  const rand = rng(3);
  for (let round = 0; round < 200; round++) {
    const universe = 1 + Math.floor(rand() * 5000);
    const lo = Math.floor(rand() * universe);
    const width = Math.max(1, Math.floor(rand() * (universe - lo)));
    const want = new Set<number>();
    const n = Math.floor(rand() * 120);
    for (let i = 0; i < n; i++) want.add(lo + Math.floor(rand() * width));
    const set = new ClassSet([...want].sort((a, b) => a - b), universe);
    assert.equal(set.size, want.size);
    for (let id = -2; id < universe + 40; id++) assert.equal(set.has(id), want.has(id), `round ${round}: ${id}`);
  }
});
