import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments } from '../../../server/src/core/yaml/split';
import { parseYamlDocument } from '../../../server/src/core/yaml/parse';
import { parseAllDocuments } from 'yaml';

test('splits at --- lines and keeps every byte in exactly one chunk', () => {
  const text = 'a: 1\n---\nb: 2\n--- # comment\nc: 3\n';
  const chunks = splitDocuments(text);
  assert.deepEqual(chunks.map((c) => c.text), ['a: 1\n', '---\nb: 2\n', '--- # comment\nc: 3\n']);
  assert.equal(chunks.map((c) => c.text).join(''), text);
  for (const c of chunks) assert.equal(text.slice(c.start, c.end), c.text);
});

test('a leading --- does not create an empty first chunk', () => {
  assert.deepEqual(splitDocuments('---\na: 1\n').map((c) => c.text), ['---\na: 1\n']);
});

test('--- inside a block scalar is not a boundary unless at column 0', () => {
  const text = 'a: |\n  ---\n  x\nb: 1\n';
  assert.equal(splitDocuments(text).length, 1);
});

test('---foo is not a marker; ... ends a document', () => {
  assert.equal(splitDocuments('a: ---foo\n---foo: 1\n').length, 1);
  assert.deepEqual(splitDocuments('a: 1\n...\nb: 2\n').map((c) => c.text), ['a: 1\n...\n', 'b: 2\n']);
});

test('CRLF files split the same way', () => {
  const chunks = splitDocuments('a: 1\r\n---\r\nb: 2\r\n');
  assert.deepEqual(chunks.map((c) => c.text), ['a: 1\r\n', '---\r\nb: 2\r\n']);
});

test('chunks parse to the same documents as the whole stream', () => {
  const text = [
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
    '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    note: |\n      --- not a marker here\n',
    '--- !!map\nx: [1, 2]\n',
    '---\n# only a comment\n',
  ].join('');
  const whole = parseAllDocuments(text);
  assert.ok(Array.isArray(whole));
  const parts = splitDocuments(text).map((c) => parseYamlDocument(c.text).doc?.toJS() ?? null);
  assert.deepEqual(parts, whole.map((d) => d.toJS()));
});

test('empty text is one empty chunk', () => {
  assert.deepEqual(splitDocuments(''), [{ start: 0, end: 0, text: '' }]);
});

test('markers are found as the regular expression of YAML 1.2 finds them (random texts of markers, near-markers and line breaks)', () => {
  // The definition: a line starting with --- or ... followed by a blank, a line break or the end.
  const marker = /^(?:---|\.\.\.)(?:[ \t]|\r?\n|\r|$)/;
  const reference = (text: string): string[] => {
    const out: string[] = [];
    let chunkStart = 0;
    for (let lineStart = 0; lineStart <= text.length; ) {
      const nl = text.indexOf('\n', lineStart);
      const lineEnd = nl === -1 ? text.length : nl + 1;
      if (marker.test(text.slice(lineStart, lineStart + 5))) {
        if (text[lineStart] === '-' && lineStart > chunkStart) {
          out.push(text.slice(chunkStart, lineStart));
          chunkStart = lineStart;
        } else if (text[lineStart] === '.') {
          out.push(text.slice(chunkStart, lineEnd));
          chunkStart = lineEnd;
        }
      }
      if (nl === -1) break;
      lineStart = lineEnd;
    }
    if (text.length > chunkStart || out.length === 0) out.push(text.slice(chunkStart));
    return out;
  };
  const pieces = ['---', '...', '--', '..', '-', '.', '----', ' ', '\t', '\n', '\r\n', '\r', 'a: 1', '# c', '-.-', '.--'];
  let seed = 11;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    const n = Math.floor(rnd() * 10);
    for (let k = 0; k < n; k++) text += pieces[Math.floor(rnd() * pieces.length)];
    assert.deepEqual(splitDocuments(text).map((c) => c.text), reference(text), JSON.stringify(text));
  }
});
