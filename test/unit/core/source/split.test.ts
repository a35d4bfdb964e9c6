import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments } from '../../../../server/src/core/yaml/split';
import { parseYamlDocument } from '../../../../server/src/core/yaml/parse';
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
