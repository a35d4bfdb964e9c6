import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatRuleTable, RULES } from '../../server/src/core';
import { ROOT } from '../helpers/paths';

test('docs/rules/README.md is the rule catalog as npm run docs writes it', () => {
  const file = readFileSync(resolve(ROOT, 'docs/rules/README.md'), 'utf8');
  assert.ok(file === formatRuleTable(RULES), 'docs/rules/README.md is stale: run npm run docs');
  // The table itself: one row per rule, in the catalog's order.
  const listed = [...file.matchAll(/^\| \[([a-z0-9-]+)\]\(\1\.md\) \| /gm)].map((m) => m[1]);
  assert.deepEqual(listed, RULES.map((r) => r.meta.id));
});

test('a rule has a fix exactly when its meta says how safe it is', () => {
  for (const r of RULES) assert.equal(typeof (r as { fix?: unknown }).fix === 'function', r.meta.fix !== undefined, r.meta.id);
});
