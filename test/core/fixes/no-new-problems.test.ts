/**
 * Every fix the engine offers, on every rule fixture (each rule's folder, and each fix
 * case, one workspace), on examples/ and on every case of the shared netpol-analyzer
 * corpus (read in place): applied, and the result analysed again from scratch (not the
 * engine's incremental what-if, so the two check each other). No new warning or error of
 * ours (by rule, object and YAML path; the change rules on the fix as a pending edit
 * included; for the fix of an error, no new error), the YAML stays valid, and every comment of the edited files is still there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { findingKeys, newFindings, textsAfter } from '../../../server/src/core/fixes/check';
import { fixesFor, MAX_FIXES } from '../../../server/src/core/fixes/fixes';
import { changeImpact } from '../../../server/src/core/impact/impact';
import { runChangeRules } from '../../../server/src/core/impact/rules/run';
import type { Finding } from '../../../server/src/core/lint/rule';
import type { SourceFile } from '../../../server/src/core/manifest/types';
import { runRules } from '../../../server/src/core/rules/run';
import { ParseCache } from '../../../server/src/core/yaml/parse';
import { CORPUS_DIR } from '../../corpus/corpus';
import { ROOT } from '../../helpers/paths';

const MANIFEST = /\.(ya?ml|json)$/;

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (MANIFEST.test(name) && !name.endsWith('options.json') && !name.endsWith('.fixed.yaml') && !name.endsWith('.new.yaml')) out.push(p);
  }
  return out;
}

function workspaces(): { name: string; root: string; files: string[] }[] {
  const out: { name: string; root: string; files: string[] }[] = [];
  const rules = join(ROOT, 'test/rules');
  for (const rule of readdirSync(rules).sort()) {
    const dir = join(rules, rule);
    if (!statSync(dir).isDirectory()) continue;
    const own = readdirSync(dir).sort().filter((n) => MANIFEST.test(n) && !n.endsWith('options.json')).map((n) => join(dir, n));
    if (own.length > 0) out.push({ name: `test/rules/${rule}`, root: ROOT, files: own });
    const fixDir = join(dir, 'fix');
    if (existsSync(fixDir)) {
      for (const n of readdirSync(fixDir).sort()) {
        if (n.endsWith('.yaml') && !n.endsWith('.fixed.yaml') && !n.endsWith('.new.yaml')) out.push({ name: `test/rules/${rule}/fix/${n}`, root: ROOT, files: [join(fixDir, n)] });
      }
    }
  }
  out.push({ name: 'examples', root: ROOT, files: yamlFiles(join(ROOT, 'examples')) });
  if (existsSync(CORPUS_DIR)) {
    for (const c of readdirSync(CORPUS_DIR).sort()) {
      const input = join(CORPUS_DIR, c, 'input');
      if (existsSync(input) && statSync(input).isDirectory()) out.push({ name: `corpus/${c}`, root: CORPUS_DIR, files: yamlFiles(input) });
    }
  }
  return out;
}

/**
 * The comments of a text: whole-line ones, and trailing ones with the code they follow
 * (a fix that removes a line removes its trailing comment with it).
 */
function comments(text: string): { whole: Map<string, number>; trailing: { code: string; comment: string }[] } {
  const whole = new Map<string, number>();
  const trailing: { code: string; comment: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /(?:^|\s)(#.*)$/.exec(line);
    if (!m) continue;
    const comment = m[1].trimEnd();
    const code = line.slice(0, m.index).trim();
    if (code === '') whole.set(comment, (whole.get(comment) ?? 0) + 1);
    else trailing.push({ code, comment });
  }
  return { whole, trailing };
}

/** The comments of `old` that `now` lost: whole-line ones, and trailing ones whose code is still there. */
function lostComments(old: string, now: string): string[] {
  const a = comments(old);
  const b = comments(now);
  const lost: string[] = [];
  for (const [c, n] of a.whole) if ((b.whole.get(c) ?? 0) < n) lost.push(c);
  for (const t of a.trailing) {
    if (now.includes(t.code) && !b.trailing.some((x) => x.comment === t.comment)) lost.push(t.comment);
  }
  return lost;
}

const SERIOUS = new Set(['warning', 'error']);
let offered = 0;
let findingsSeen = 0;
let raising = 0;
let checked = 0;

for (const ws of workspaces()) {
  test(`every fix offered raises no new warning, keeps the YAML valid and its comments: ${ws.name}`, () => {
    const files: SourceFile[] = ws.files.map((p) => ({ path: relative(ws.root, p), text: readFileSync(p, 'utf8') }));
    const texts = new Map(files.map((f) => [f.path, f.text]));
    const analysis = analyze(files);
    const findings = runRules(analysis);
    const beforeList = findingKeys(analysis, findings);
    const check = { analysis, findings, text: (p: string) => texts.get(p), cache: new ParseCache(2_000) };
    findingsSeen += findings.length;
    for (const finding of findings) {
      const fixes = fixesFor(finding, { analysis, text: check.text, check });
      assert.ok(fixes.length <= MAX_FIXES, `${finding.rule} ${finding.path}: ${fixes.length} fixes`);
      for (const fix of fixes) {
        offered++;
        const changed = textsAfter(check, fix.edits);
        const next = new Map(texts);
        for (const [p, t] of changed) next.set(p, t);
        const after = analyze([...next].map(([path, text]) => ({ path, text })));
        const what = `${finding.span.file} ${finding.rule} ${finding.path}: ${fix.title}`;
        const yamlErrors = after.files.flatMap((f) => f.notes.filter((n) => n.severity === 'error').map((n) => `${f.path}: ${n.message}`));
        assert.deepEqual(yamlErrors, [], what);
        const serious = runRules(after).filter((f) => SERIOUS.has(f.severity));
        // A finding that moved (the rule, the object the same, under a new path) is no new one (check.ts, newFindings).
        const isNew = newFindings(beforeList, findingKeys(after, serious), findingKeys(analysis, [finding])[0]);
        const raised: Finding[] = serious.filter((_, i) => isNew[i]);
        for (const f of runChangeRules(changeImpact(analysis.reach, after))) if (SERIOUS.has(f.severity)) raised.push(f);
        // The fix of an error is held to no new error: the warnings it reveals were hidden by the error (check.ts, blocksFix).
        // A prompt (Fix.prompt) writes the value the user types, not its placeholder: what
        // follows from that value is the user's choice (fixes.ts); its YAML and comments are held all the same.
        const counted = fix.prompt ? [] : finding.severity === 'error' ? raised.filter((f) => f.severity === 'error') : raised;
        if (counted.length > 0) raising++;
        assert.deepEqual(counted.map((f) => `${f.rule} ${f.span.file} ${f.path}: ${f.message}`), [], `${what}: raises`);
        for (const [file, text] of changed) {
          const old = texts.get(file);
          if (old === undefined) continue;
          assert.deepEqual(lostComments(old, text), [], `${what}: comments lost`);
        }
        checked++;
      }
    }
  });
}

test('fix summary', () => {
  console.log(`fixes: ${offered} offered over ${findingsSeen} findings, ${raising} raise a new warning`);
  assert.equal(raising, 0);
  assert.equal(checked, offered);
  // The check is not empty: the fixtures have fixes to offer.
  assert.ok(offered > 50, `only ${offered} fixes offered`);
});
