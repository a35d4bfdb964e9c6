/**
 * "Fix all safe problems in this file": test/core/fixes/fix-all/<case>.yaml ->
 * <case>.fixed.yaml, in several rounds (a fix may reveal the next problem; overlapping
 * fixes wait for the next round). Also: composing the edits of several rounds into
 * edits of the original text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyEdits, composeEdits, type TextEdit } from '../../../server/src/core/base/edits';
import { fixAllInFile } from '../../../server/src/core/fixes/fix-all';
import { Workspace } from '../../../server/src/core/workspace';
import { PARSE_OPTIONS } from '../../../server/src/core/yaml/parse';
import { evaluate } from '../../helpers/evaluate';
import { rng } from '../../bench/generate';
import { ROOT } from '../../helpers/paths';

const DIR = resolve(ROOT, 'test/core/fixes/fix-all');
const UPDATE = process.env.NETPOL_UPDATE_GOLDENS === '1';

for (const name of readdirSync(DIR).filter((n) => n.endsWith('.yaml') && !n.endsWith('.fixed.yaml'))) {
  test(`fix all: ${name}`, () => {
    const path = `fix-all/${name}`;
    const text = readFileSync(join(DIR, name), 'utf8');
    const goldenPath = join(DIR, name.replace(/\.yaml$/, '.fixed.yaml'));
    for (const fast of [true, false]) {
      PARSE_OPTIONS.fastPath = fast;
      try {
        const result = fixAllInFile({
          file: path,
          text,
          evaluate: (t) => {
            const { analysis, findings } = evaluate([{ path, text: t }]);
            return { analysis, findings, text: () => undefined };
          },
        });
        if (UPDATE) writeFileSync(goldenPath, result.text);
        assert.ok(existsSync(goldenPath), `add ${goldenPath}`);
        assert.equal(result.text, readFileSync(goldenPath, 'utf8'));
        // The composed edits, applied to the original text at once, give the same text.
        assert.equal(applyEdits(text, result.edits), result.text);
        assert.ok(result.edits.length >= result.applied.length - 2, 'edits stay separate, not one big replacement');
        assert.ok(result.applied.every((f) => f.safe));
        assert.ok(result.rounds >= 2, 'the renamed protocol key is upper-cased in a later round');
        const after = evaluate([{ path, text: result.text }]);
        assert.deepEqual(after.yamlErrors, []);
        assert.deepEqual(after.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.path}`), []);
        // Nothing safe is left to do.
        const again = fixAllInFile({ file: path, text: result.text, evaluate: (t) => ({ ...evaluate([{ path, text: t }]), text: () => undefined }) });
        assert.deepEqual(again.edits, []);
      } finally {
        PARSE_OPTIONS.fastPath = true;
      }
    }
  });
}

/** Random non-overlapping edits of a text. */
function randomEdits(text: string, rand: () => number): TextEdit[] {
  const out: TextEdit[] = [];
  let at = 0;
  while (at <= text.length) {
    at += Math.floor(rand() * 6);
    if (at > text.length) break;
    const len = Math.min(text.length - at, Math.floor(rand() * 4));
    const words = ['', 'x', 'yy', 'zzz\n'];
    out.push({ file: 'f', start: at, end: at + len, newText: words[Math.floor(rand() * words.length)] });
    at += len + 1;
  }
  return out;
}

test('composeEdits: two rounds of edits as edits of the original text', () => {
  const rand = rng(42);
  for (let i = 0; i < 500; i++) {
    const original = 'abcdefghij\nklmnopqrst\nuvwxyz'.slice(0, 5 + Math.floor(rand() * 25));
    const first = randomEdits(original, rand);
    const middle = applyEdits(original, first);
    const second = randomEdits(middle, rand);
    const expected = applyEdits(middle, second);
    const composed = composeEdits(original, first, second);
    assert.equal(applyEdits(original, composed), expected, JSON.stringify({ original, first, second, composed }));
    for (let j = 1; j < composed.length; j++) assert.ok(composed[j - 1].end <= composed[j].start, 'composed edits do not overlap');
  }
});

test('fix all on a file of 3,000 documents: every one fixed, in one round (the file style is summed once, not per finding)', () => {
  const doc = (i: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p${i}, namespace: shop}
spec:
  podSelector: {}
  egress:
  - to: [{ipBlock: {cidr: 10.${i % 250}.0.1/16}}]
`;
  const text = Array.from({ length: 3000 }, (_, i) => doc(i)).join('---\n');
  const result = fixAllInFile({
    file: 'many.yaml',
    text,
    maxRounds: 1,
    evaluate: (t) => {
      const { analysis, findings } = evaluate([{ path: 'many.yaml', text: t }]);
      return { analysis, findings, text: () => undefined };
    },
  });
  assert.equal(result.applied.filter((f) => /10\.\d+\.0\.0\/16/.test(f.title)).length, 3000);
  assert.equal((result.text.match(/cidr: 10\.\d+\.0\.0\/16/g) ?? []).length, 3000);
});

test('fix all never applies together fixes that clash: two misspelled keys of one mapping are not both renamed to matchLabels (found by the fuzzer)', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector:
    matchLabelx: {app: a}
    matchLabely: {app: b}
  policyTypes: [Ingress]
`;
  const ws = new Workspace();
  ws.applyChange({ kind: 'open', uri: 'file:///x.yaml', text });
  const snapshot = ws.snapshot();
  assert.deepEqual(snapshot.findings().map((f) => f.rule), ['unknown-field', 'unknown-field']);
  const r = ws.fixAll(snapshot, 'file:///x.yaml');
  assert.ok(r);
  // One of them is renamed; the other would make a duplicate key, a YAML error: left to the user.
  assert.equal(r.text.match(/matchLabels:/g)?.length, 1, r.text);
  assert.match(r.text, /matchLabely: \{app: b\}/);
  ws.applyChange({ kind: 'open', uri: 'file:///x.yaml', text: r.text });
  assert.ok(!ws.snapshot().analysis.files[0].notes.some((n) => n.severity === 'error'), 'no YAML error');
});
