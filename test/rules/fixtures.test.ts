/**
 * Rule fixtures: test/rules/<rule-id>/bad.yaml marks every expected finding
 * with a comment line under it: `#   ^^^^ rule-id` puts the carets under the exact
 * range. good.yaml must give no finding of that rule. Fixtures are real manifests.
 * A change rule judges an edit: its folder also holds before.yaml, the baseline that
 * bad*.yaml and good*.yaml are edits of.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, type AnalyzeOptions } from '../../server/src/core/analysis/analyze';
import { RULES } from '../../server/src/core/catalog';
import { WORKSPACE_RULES } from '../../server/src/core/rules/catalog';
import { CHANGE_RULES } from '../../server/src/core/impact/rules/catalog';
import { runRules } from '../../server/src/core/rules/run';
import { runChangeRules } from '../../server/src/core/impact/rules/run';
import { changeImpact } from '../../server/src/core/impact/impact';
import type { RuleOptions } from '../../server/src/core/rules/types';
import { ROOT } from '../helpers/paths';
import { LineIndex } from '../../server/src/core/base/span';
import { applySuppressions } from '../../server/src/core/lint/suppressions';
import { parseConfigFile } from '../../server/src/core/analysis/config-file';
import { expectationFindings } from '../../server/src/core/analysis/expect-findings';

/** Rules on the expectations file: the fixture is a .netpol-expect.yaml, checked against the folder's manifests.yaml. */
const EXPECTATION_RULES = new Set(['invalid-expectation', 'expectation-failed']);

/** Rules whose findings the suppressions report about themselves (lint/suppressions.ts): judged on every rule's findings. */
const SUPPRESSION_RULES = new Set(['invalid-suppression', 'unused-suppression']);

const FIXTURES = resolve(ROOT, 'test/rules');

interface Expected {
  line: number;
  start: number;
  end: number;
  rule: string;
}

/** Reads `#   ^^^ rule-id` markers: they refer to the nearest line above that is not a marker. */
function expectations(text: string): Expected[] {
  const lines = text.split('\n');
  const out: Expected[] = [];
  let target = -1;
  lines.forEach((l, i) => {
    const m = /^#(\s*)(\^+)\s+([a-z0-9-]+)\s*$/.exec(l);
    if (!m) {
      target = i;
      return;
    }
    const start = 1 + m[1].length;
    out.push({ line: target, start, end: start + m[2].length, rule: m[3] });
  });
  return out;
}

/**
 * A fixture folder may hold options.json: { analyze?: AnalyzeOptions, rules?: RuleOptions,
 * path?: the file name the fixtures are analysed under (a kustomization.yaml) }.
 */
function fixtureOptions(dir: string): { analyze?: AnalyzeOptions; rules?: Partial<RuleOptions>; path?: string } {
  const p = join(dir, 'options.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { analyze?: AnalyzeOptions; rules?: Partial<RuleOptions>; path?: string }) : {};
}

function findings(dir: string, file: string, text: string, rule: string) {
  const idx = new LineIndex(text);
  const rules = WORKSPACE_RULES.filter((r) => r.meta.id === rule);
  const opts = fixtureOptions(dir);
  const current = analyze([{ path: opts.path ?? file, text }], opts.analyze);
  const found = CHANGE_RULES.some((r) => r.meta.id === rule)
    ? runChangeRules(changeImpact(analyze([{ path: file, text: readFileSync(join(dir, 'before.yaml'), 'utf8') }], opts.analyze).reach, current), {
        severities: Object.fromEntries(RULES.filter((r) => r.meta.id !== rule).map((r) => [r.meta.id, 'off'])),
      })
    : rule === 'invalid-config'
      ? // The fixture is a .netpol.yaml: what is wrong in it is reported on it.
        parseConfigFile(text, (id) => RULES.some((r) => r.meta.id === id)).problems.map((p) => ({ rule, message: p.message, span: { file, start: p.start, end: p.end } }))
    : EXPECTATION_RULES.has(rule)
      ? expectationFindings(analyze([{ path: 'manifests.yaml', text: readFileSync(join(dir, 'manifests.yaml'), 'utf8') }], opts.analyze), { path: file, text }, {}, (span) => span.file).filter((f) => f.rule === rule)
    : SUPPRESSION_RULES.has(rule)
      ? applySuppressions(runRules(current, { options: opts.rules }), current.files, () => text, {
          known: (id) => RULES.some((r) => r.meta.id === id),
          judgeUnused: (id) => WORKSPACE_RULES.some((r) => r.meta.id === id),
        }).findings.filter((f) => f.rule === rule)
      : runRules(current, { rules, options: opts.rules });
  return found.map((f) => {
    const s = idx.positionAt(f.span.start);
    const e = idx.positionAt(f.span.end);
    assert.equal(s.line, e.line, `${rule}: a finding spans one line (${f.message})`);
    return { line: s.line, start: s.character, end: e.character, rule: f.rule };
  });
}

const byPosition = (a: Expected, b: Expected) => a.line - b.line || a.start - b.start;

/**
 * Rules that report a bug of ours (a document, object or rule that threw): no input is
 * known to cause one (any that did was fixed, and kept under test/fixtures/fuzz/), so
 * they have no fixture; test/core/rules/failures.test.ts makes them fire by injection.
 */
const BUG_REPORTS = new Set(['document-skipped', 'rule-failed']);

for (const rule of RULES) {
  if (BUG_REPORTS.has(rule.meta.id)) continue;
  const dir = join(FIXTURES, rule.meta.id);
  test(`${rule.meta.id}: fixtures exist`, () => {
    assert.ok(existsSync(join(dir, 'bad.yaml')) && existsSync(join(dir, 'good.yaml')), `test/rules/${rule.meta.id}/{bad,good}.yaml`);
  });
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml') && n !== 'before.yaml' && !(EXPECTATION_RULES.has(rule.meta.id) && n === 'manifests.yaml'))) {
    test(`${rule.meta.id}: ${name}`, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const expected = expectations(text).sort(byPosition);
      if (name.startsWith('good')) assert.equal(expected.length, 0, 'good fixtures carry no markers');
      else assert.ok(expected.length > 0, 'bad fixtures mark at least one finding');
      assert.deepEqual(findings(dir, name, text, rule.meta.id).sort(byPosition), expected);
    });
  }
}
