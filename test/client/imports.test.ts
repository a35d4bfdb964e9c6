/**
 * The client's one boundary: it imports `vscode`, `vscode-languageclient`, Node's own
 * modules and its own files, and of the server only server/src/protocol.ts (names and
 * types, no code of the analysis). The webviews' scripts (client/media/) import each
 * other and the view trees' leaf files of client/src/webview/ only. Type imports count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Every module a file names: imports and exports (type-only too), require(), import() and JSDoc `import('…')` types. */
function specifiersOf(text: string): string[] {
  const imported = ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
  const jsdoc = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return [...new Set([...imported, ...jsdoc])];
}

function specifiers(file: string): string[] {
  return specifiersOf(readFileSync(join(ROOT, file), 'utf8'));
}

/** A relative specifier as a repository path without extension. */
function target(file: string, spec: string): string {
  return relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.(ts|js)$/, '');
}

test('client/src imports vscode, vscode-languageclient, node: modules, its own files and server/src/protocol.ts only', () => {
  const sources = files('client/src', /\.ts$/);
  assert.ok(sources.length > 20, `${sources.length} files`);
  const bad: string[] = [];
  for (const file of sources) {
    for (const spec of specifiers(file)) {
      if (spec === 'vscode' || spec === 'vscode-languageclient' || spec.startsWith('vscode-languageclient/') || spec.startsWith('node:')) continue;
      const to = spec.startsWith('.') ? target(file, spec) : undefined;
      if (to !== undefined && (to.startsWith('client/src/') || to === 'server/src/protocol')) continue;
      bad.push(`${file} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('client/media imports its own files and the view trees of client/src/webview/ only; those import nothing else', () => {
  const LEAVES = ['client/src/webview/view-node', 'client/src/webview/page-message'];
  const scripts = files('client/media', /\.js$/);
  assert.ok(scripts.length >= 4, scripts.join(', '));
  const bad: string[] = [];
  for (const file of scripts) {
    for (const spec of specifiers(file)) {
      const to = spec.startsWith('.') ? target(file, spec) : undefined;
      if (to !== undefined && (to.startsWith('client/media/') || LEAVES.includes(to))) continue;
      bad.push(`${file} imports ${spec}`);
    }
  }
  for (const leaf of LEAVES) {
    for (const spec of specifiers(`${leaf}.ts`)) if (!LEAVES.includes(target(`${leaf}.ts`, spec))) bad.push(`${leaf}.ts imports ${spec}`);
  }
  assert.deepEqual(bad, []);
});

test('the check reads every kind of import', () => {
  const probe = `import type { A } from '../../server/src/core/index';\nexport * from 'yaml';\nconst x = require('../../server/src/lsp/hover');\n/** @type {import('../../server/src/core/x').Y} */`;
  assert.deepEqual(specifiersOf(probe), ['../../server/src/core/index', 'yaml', '../../server/src/lsp/hover', '../../server/src/core/x']);
});
