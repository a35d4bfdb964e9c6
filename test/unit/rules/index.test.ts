import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../../server/src/core/catalog';

test('docs/rules/README.md lists every rule with its default severity', () => {
  const index = readFileSync(resolve(__dirname, '../../../../docs/rules/README.md'), 'utf8');
  for (const r of RULES) {
    assert.match(index, new RegExp(`^\\| \\[${r.meta.id}\\]\\(${r.meta.id}\\.md\\) \\| ${r.meta.category} \\| ${r.meta.defaultSeverity} \\|`, 'm'), r.meta.id);
  }
  const listed = [...index.matchAll(/^\| \[([a-z0-9-]+)\]/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), RULES.map((r) => r.meta.id).sort(), 'no stale entries');
});
