/**
 * Precision on real repositories (issue 20): `netpol check` on each copy under
 * test/real-repos/<name>/repo/, every finding judged in that folder's verdicts.yaml.
 * Fails on a finding without a verdict (printing the entry to paste, or run
 * `npm run real-repos -- --judge`) and when the figures fall below floor.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { match, readFloor, repoNames, runTrial, skeleton, summarize, summaryLine, TARGETS, VERDICTS, type Judged } from './trial';

const names = repoNames();
const results: Judged[] = [];

test('the corpus holds at least six repositories', () => {
  assert.ok(names.length >= 6, `only ${names.length} repositories in test/real-repos`);
});

for (const name of names) {
  test(`real repo ${name}: every finding has a verdict`, () => {
    const j = match(runTrial(name));
    results.push(j);
    for (const s of j.stale) console.log(`note: ${name}: stale verdict (the finding no longer occurs): ${s.file} | ${s.object} | ${s.rule} | ${s.path} (${s.verdict})`);
    for (const { finding, entry } of j.judged) {
      if (entry?.severity !== undefined && entry.severity !== finding.severity) {
        console.log(`note: ${name}: ${finding.file}:${finding.line} ${finding.rule} was judged ${entry.verdict} as ${entry.severity}, is now ${finding.severity}: check the verdict`);
      }
    }
    const bad = j.trial.verdicts.filter((v) => v.verdict !== 'unjudged' && !VERDICTS.includes(v.verdict));
    assert.deepEqual(bad.map((v) => `${v.file} ${v.rule}: ${v.verdict}`), [], `verdicts are ${VERDICTS.join(' | ')}`);
    const missingReason = j.trial.verdicts.filter((v) => v.verdict !== 'unjudged' && v.reason.trim() === '');
    assert.deepEqual(missingReason.map((v) => `${v.file} ${v.rule} ${v.path}`), [], 'every verdict gives its reason');
    const unjudged = j.judged.filter((r) => r.entry === undefined).map((r) => r.finding);
    assert.equal(
      unjudged.length,
      0,
      `${unjudged.length} finding(s) of ${name} without a verdict; add to test/real-repos/${name}/verdicts.yaml under findings: ` +
        `(or run npm run real-repos -- --judge):\n${unjudged.map(skeleton).join('')}`,
    );
  });
}

test('real repos: precision does not fall below the floor', (t) => {
  assert.equal(results.length, names.length, 'every repository was run');
  const s = summarize(results);
  const floor = readFloor();
  console.log(summaryLine(s));
  if (s.unjudged > 0) {
    t.skip(`${s.unjudged} finding(s) without a verdict: the figures are compared with the floor once all are judged`);
    return;
  }
  console.log(`floor: precision ${floor.precision} %, warnings/errors true ${floor.warningPrecision} %; ${TARGETS}`);
  assert.ok(s.precision >= floor.precision, `precision ${s.precision} % fell below the floor ${floor.precision} % (test/real-repos/floor.json)`);
  assert.ok(s.warningPrecision >= floor.warningPrecision, `warnings/errors true ${s.warningPrecision} % fell below the floor ${floor.warningPrecision} %`);
});
