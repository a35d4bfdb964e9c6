import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const CORE = resolve(__dirname, '../../../server/src/core');
/** The core may import only itself and the yaml parser. */
const FORBIDDEN = /^(node:)?(fs|fs\/promises|child_process|net|http)$|^vscode(-languageserver.*|-languageclient.*|-jsonrpc.*)?$/;

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

test('the analysis core imports no fs, editor or LSP module, and nothing outside core', () => {
  const offenders: string[] = [];
  let files = 0;
  for (const file of tsFiles(CORE)) {
    files++;
    const src = readFileSync(file, 'utf8');
    // The TypeScript pre-processor lists every import/export-from/require/import().
    for (const { fileName: spec } of ts.preProcessFile(src, true, true).importedFiles) {
      const escapes = spec.startsWith('.') && !resolve(file, '..', spec).startsWith(CORE);
      if (FORBIDDEN.test(spec) || escapes || (!spec.startsWith('.') && spec !== 'yaml')) offenders.push(`${file}: ${spec}`);
    }
  }
  assert.ok(files > 10, `found only ${files} core files`);
  assert.deepEqual(offenders, []);
});
