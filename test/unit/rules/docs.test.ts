import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../../server/src/core/catalog';

const DOCS = resolve(__dirname, '../../../../docs/rules');

test('every rule has a kebab-case id, a docs page with a wrong and a right example', () => {
  const ids = RULES.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const id of ids) {
    assert.match(id, /^[a-z]+(-[a-z0-9]+)*$/);
    const page = resolve(DOCS, `${id}.md`);
    assert.ok(existsSync(page), `docs/rules/${id}.md is missing`);
    const text = readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${id}\\n`), `${id}.md starts with its id`);
    assert.match(text, /^## Wrong$/m, `${id}.md has a Wrong example`);
    assert.match(text, /^## Right$/m, `${id}.md has a Right example`);
  }
});
