import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/core/base/span';

/** The reference: a start per line, read character by character (LF, CRLF, a lone CR). */
function reference(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

/** A seeded generator: the same texts on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const PIECES = ['a', 'key: value', '', ' ', '\n', '\n', '\n', '\r\n', '\r', 'é', '\u2028'];

test('positionAt and offsetAt agree with a start per line, for LF, CRLF and lone CR texts of every length', () => {
  const next = random(7);
  for (let round = 0; round < 300; round++) {
    const lf = round % 2 === 0;
    const pieces = lf ? PIECES.filter((p) => !p.includes('\r')) : PIECES;
    let text = '';
    const length = Math.floor(next() * 400);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
    const starts = reference(text);
    const idx = new LineIndex(text);
    assert.equal(idx.lineCount, starts.length);
    for (let o = -1; o <= text.length + 1; o++) {
      const clamped = Math.max(0, Math.min(o, text.length));
      let line = 0;
      while (line + 1 < starts.length && starts[line + 1] <= clamped) line++;
      assert.deepEqual(idx.positionAt(o), { line, character: clamped - starts[line] }, `offset ${o} of ${JSON.stringify(text)}`);
    }
    for (let line = 0; line <= starts.length; line++) {
      for (const character of [0, 1, 3, 1000]) {
        const expected = line >= starts.length ? text.length : Math.min(starts[line] + character, line + 1 < starts.length ? starts[line + 1] : text.length);
        assert.equal(idx.offsetAt({ line, character }), expected, `line ${line} character ${character} of ${JSON.stringify(text)}`);
      }
    }
  }
});

test('a text without line breaks is one line; a trailing break starts an empty last line', () => {
  assert.equal(new LineIndex('').lineCount, 1);
  assert.deepEqual(new LineIndex('abc').positionAt(2), { line: 0, character: 2 });
  const idx = new LineIndex('a\nb\n');
  assert.equal(idx.lineCount, 3);
  assert.deepEqual(idx.positionAt(4), { line: 2, character: 0 });
});
