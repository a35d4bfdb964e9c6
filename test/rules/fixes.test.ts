/**
 * Fix fixtures: test/rules/<rule-id>/fix/<case>.yaml holds exactly one finding of
 * the rule (and, unless <case>.json lists them under `others`, nothing else). The fix
 * (<case>.json `fix`: its title; else the preferred one, else the only one) applied to
 * the text must give <case>.fixed.yaml byte for byte, and a created file
 * <case>.new.yaml; re-analysed, the finding is gone and nothing new appears. Every
 * other fix offered must leave valid YAML and no new error. Each case runs with the
 * fast YAML parser and with `yaml`.
 *
 * NETPOL_UPDATE_GOLDENS=1 rewrites the goldens from the current output (then review the diff).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AnalyzeOptions } from '../../server/src/core/analysis/analyze';
import { applyEdits, isCreateFile, type TextEdit } from '../../server/src/core/base/edits';
import { fixableRules, fixesFor } from '../../server/src/core/fixes/fixes';
import type { Fix } from '../../server/src/core/lint/fix';
import type { RuleOptions } from '../../server/src/core/rules/types';
import { PARSE_OPTIONS } from '../../server/src/core/yaml/parse';
import { evaluate } from '../helpers/evaluate';
import { ROOT } from '../helpers/paths';
import type { Finding } from '../../server/src/core/lint/rule';

const RULES_DIR = resolve(ROOT, 'test/rules');
const fixDir = (rule: string) => join(RULES_DIR, rule, 'fix');
const UPDATE = process.env.NETPOL_UPDATE_GOLDENS === '1';

interface CaseOptions {
  /** Title of the fix to apply (default: the preferred fix, else the only one). */
  readonly fix?: string;
  readonly analyze?: AnalyzeOptions;
  readonly rules?: Partial<RuleOptions>;
  /** Rule ids of the fixture's findings besides the target (the fixture cannot avoid them). */
  readonly others?: readonly string[];
  /** The finding stays after the fix (with another message): the fix narrows, the rule still warns. */
  readonly remains?: boolean;
  /** Rule ids of findings the fix brings, by design (a narrower rule that now has something to say). */
  readonly introduces?: readonly string[];
  /** Findings of the rule in the fixture (default 1; a rule that reports a pair on both of its members has 2): the first is fixed, and all are gone after. */
  readonly findings?: number;
}

const key = (f: Finding) => `${f.span.file} ${f.rule} ${f.path}`;

function caseOptions(dir: string, name: string): CaseOptions {
  const p = join(dir, `${name}.json`);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as CaseOptions) : {};
}

function pick(fixes: readonly Fix[], opts: CaseOptions): Fix | undefined {
  if (opts.fix) return fixes.find((f) => f.title === opts.fix);
  return fixes.find((f) => f.isPreferred) ?? (fixes.length === 1 ? fixes[0] : undefined);
}

function caseNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') && !n.endsWith('.fixed.yaml') && !n.endsWith('.new.yaml'))
    .map((n) => n.slice(0, -'.yaml'.length))
    .sort();
}

function checkCase(rule: string, dir: string, name: string): void {
  const opts = caseOptions(dir, name);
  const path = `${rule}/${name}.yaml`;
  const text = readFileSync(join(dir, `${name}.yaml`), 'utf8');
  const before = evaluate([{ path, text }], opts);
  assert.deepEqual(before.yamlErrors, []);
  const targets = before.findings.filter((f) => f.rule === rule);
  assert.equal(targets.length, opts.findings ?? 1, `${opts.findings ?? 1} ${rule} finding(s) expected, got: ${targets.map(key).join('; ')}`);
  const target = targets[0];
  const others = [...new Set(before.findings.filter((f) => f.rule !== rule).map((f) => f.rule))].sort();
  assert.deepEqual(others, [...(opts.others ?? [])].sort(), 'the fixture is lint-clean apart from the target (and `others`)');
  const input = { analysis: before.analysis, text: (p: string) => (p === path ? text : undefined), options: opts.rules };
  const fixes = fixesFor(target, input);
  const chosen = pick(fixes, opts);
  assert.ok(chosen, `no fix to apply among: ${fixes.map((f) => JSON.stringify(f.title)).join(', ') || '(none)'}`);
  assert.equal(chosen.kind, 'quickfix');

  const own = chosen.edits.filter((e): e is TextEdit => !isCreateFile(e));
  assert.ok(own.every((e) => e.file === path), 'edits only the fixture file');
  const created = chosen.edits.filter(isCreateFile);
  const fixed = applyEdits(text, own);
  const fixedPath = join(dir, `${name}.fixed.yaml`);
  const newPath = join(dir, `${name}.new.yaml`);
  if (UPDATE) {
    if (fixed !== text) writeFileSync(fixedPath, fixed);
    else if (existsSync(fixedPath)) unlinkSync(fixedPath);
    if (created.length > 0) writeFileSync(newPath, created[0].text);
    else if (existsSync(newPath)) unlinkSync(newPath);
  }
  if (existsSync(fixedPath)) assert.equal(fixed, readFileSync(fixedPath, 'utf8'), `${name}.fixed.yaml`);
  else assert.equal(fixed, text, `the fix changes the file: add ${name}.fixed.yaml`);
  assert.ok(created.length <= 1);
  if (created.length > 0) {
    assert.ok(existsSync(newPath), `the fix creates a file: add ${name}.new.yaml`);
    assert.equal(created[0].text, readFileSync(newPath, 'utf8'), `${name}.new.yaml`);
    assert.equal(created[0].file.slice(0, rule.length + 1), `${rule}/`, 'the new file lies beside the fixture');
  } else assert.ok(!existsSync(newPath), `the fix creates no file: remove ${name}.new.yaml`);

  // Re-lint: the finding is gone (or, for a narrowing fix, reworded) and nothing new appears.
  const files = [{ path, text: fixed }, ...created.map((c) => ({ path: c.file, text: c.text }))];
  const after = evaluate(files, opts);
  assert.deepEqual(after.yamlErrors, []);
  const still = after.findings.filter((f) => f.rule === rule);
  if (opts.remains) {
    assert.equal(still.length, 1);
    assert.notEqual(still[0].message, target.message, 'the finding says what is left');
  } else assert.deepEqual(still.map(key), [], 'the finding is gone');
  const old = new Set(before.findings.map(key));
  const introduced = after.findings.filter((f) => f.rule !== rule && !old.has(key(f)));
  assert.deepEqual([...new Set(introduced.map((f) => f.rule))].sort(), [...(opts.introduces ?? [])].sort(), `new findings: ${introduced.map((f) => `${key(f)}: ${f.message}`).join('; ')}`);
  assert.deepEqual(introduced.filter((f) => f.severity === 'error').map(key), [], 'no new error');

  // Every alternative leaves valid YAML and no new error.
  for (const alt of fixes) {
    const altFiles = [
      { path, text: applyEdits(text, alt.edits.filter((e): e is TextEdit => !isCreateFile(e))) },
      ...alt.edits.filter(isCreateFile).map((c) => ({ path: c.file, text: c.text })),
    ];
    const res = evaluate(altFiles, opts);
    assert.deepEqual(res.yamlErrors, [], alt.title);
    const errors = res.findings.filter((f) => f.severity === 'error' && !old.has(key(f)));
    assert.deepEqual(errors.map(key), [], `${alt.title}: no new error`);
  }
}

const ruleDirs = readdirSync(RULES_DIR)
  .filter((n) => existsSync(fixDir(n)))
  .sort();

test('fix fixtures: every rule with a fix has cases, every fix folder is a fixable rule', () => {
  for (const rule of fixableRules()) assert.ok(ruleDirs.includes(rule) && caseNames(fixDir(rule)).length > 0, `test/rules/${rule}/fix/<case>.yaml`);
  assert.deepEqual(ruleDirs.filter((d) => !fixableRules().includes(d)), []);
});

for (const rule of ruleDirs) {
  const dir = fixDir(rule);
  for (const name of caseNames(dir)) {
    test(`fix ${rule}: ${name}`, () => {
      for (const fast of [true, false]) {
        PARSE_OPTIONS.fastPath = fast;
        try {
          checkCase(rule, dir, name);
        } catch (e) {
          if (!fast) (e as Error).message = `(with the yaml parser) ${(e as Error).message}`;
          throw e;
        } finally {
          PARSE_OPTIONS.fastPath = true;
        }
      }
    });
  }
}
