import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPORT_LOOKS, VIEW_EXPORT_FORMATS } from '../../../client/src/views/reachability/export';
import { parseReachMessage } from '../../../client/src/views/reachability/messages';
import { EXPORT_FORMATS } from '../../../server/src/protocol';

test('the Export buttons: formats the server writes, each with its document language', () => {
  assert.deepEqual([...VIEW_EXPORT_FORMATS], ['mermaid', 'dot', 'csv']);
  for (const f of VIEW_EXPORT_FORMATS) assert.ok((EXPORT_FORMATS as readonly string[]).includes(f), f);
  assert.deepEqual(
    VIEW_EXPORT_FORMATS.map((f) => [EXPORT_LOOKS[f].label, EXPORT_LOOKS[f].language]),
    [
      ['Mermaid', 'mermaid'],
      ['DOT', 'dot'],
      ['CSV', 'csv'],
    ],
  );
  assert.equal(parseReachMessage({ type: 'export', format: 'md' }), undefined, 'only the offered formats');
});
