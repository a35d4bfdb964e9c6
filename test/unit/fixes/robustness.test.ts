/**
 * Every fix offered for every finding of the rule fixtures (each folder one workspace)
 * and of examples/ (one workspace): applied, the YAML stays valid, the number of errors
 * does not grow, and the finding it fixes is gone or says something else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { applyEdits, fixesFor, isCreateFile, type TextEdit } from '../../../server/src/core/fixes';
import { evaluate } from './helpers';
import type { Finding } from '../../../server/src/core/lint/rule';

const ROOT = resolve(__dirname, '../../../..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|json)$/.test(name) && !name.endsWith('options.json')) out.push(p);
  }
  return out;
}

function workspaces(): { name: string; files: string[] }[] {
  const byDir = new Map<string, string[]>();
  for (const f of yamlFiles(join(ROOT, 'test/fixtures/rules'))) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  return [...[...byDir].map(([dir, files]) => ({ name: relative(ROOT, dir), files })), { name: 'examples', files: yamlFiles(join(ROOT, 'examples')) }];
}

const sameFinding = (f: Finding) => (x: Finding) => x.rule === f.rule && x.path === f.path && x.span.file === f.span.file && x.message === f.message;

for (const ws of workspaces()) {
  test(`every fix keeps the YAML valid and fixes its finding: ${ws.name}`, () => {
    const texts = new Map(ws.files.map((p) => [relative(ROOT, p), readFileSync(p, 'utf8')]));
    const files = [...texts].map(([path, text]) => ({ path, text }));
    const before = evaluate(files);
    const errors = (list: readonly Finding[]) => list.filter((f) => f.severity === 'error').length;
    for (const finding of before.findings) {
      for (const fix of fixesFor(finding, { analysis: before.analysis, text: (p) => texts.get(p) })) {
        const next = new Map(texts);
        const byFile = new Map<string, TextEdit[]>();
        for (const e of fix.edits) {
          if (isCreateFile(e)) next.set(e.file, e.text);
          else byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
        }
        for (const [file, edits] of byFile) next.set(file, applyEdits(texts.get(file)!, edits));
        const after = evaluate([...next].map(([path, text]) => ({ path, text })));
        const what = `${finding.span.file} ${finding.rule} ${finding.path}: ${fix.title}`;
        assert.deepEqual(after.yamlErrors, [], what);
        assert.ok(errors(after.findings) <= errors(before.findings), `${what}: more errors`);
        const same = sameFinding(finding);
        assert.ok(after.findings.filter(same).length < before.findings.filter(same).length, `${what}: the finding is still there`);
      }
    }
  });
}
