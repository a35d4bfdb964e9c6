/**
 * `npm run real-repos [-- OPTIONS] [NAME...]`: the real-repository trial outside the test,
 * to judge and re-judge quickly.
 *
 *   (no option)     the summary, the findings per repository and verdict, every false one with its cause
 *   --judge         append every finding without a verdict to its verdicts.yaml as a
 *                   `verdict: unjudged` entry (with the message as a comment): fill in verdict and reason
 *   --stale         also list the verdicts whose finding no longer occurs
 *   --raise-floor   write the current figures to floor.json where they are higher (the ratchet)
 *
 * A new repository: copy its files to test/real-repos/NAME/repo/ and run with --judge NAME
 * (verdicts.yaml is created with `check: ['.']`, the arguments of netpol check run in repo/).
 */
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, FLOOR_FILE, match, readFloor, repoNames, runTrial, skeleton, summarize, summaryLine, TARGETS, type Judged } from './trial';

const argv = process.argv.slice(2);
const judge = argv.includes('--judge');
const showStale = argv.includes('--stale');
const raiseFloor = argv.includes('--raise-floor');
const only = argv.filter((a) => !a.startsWith('--'));

function corpusNames(): string[] {
  if (!judge) return repoNames();
  // --judge also starts the verdicts of a repository copied in without any yet.
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CORPUS, d.name, 'repo')))
    .map((d) => d.name)
    .sort();
}

const names = corpusNames().filter((n) => only.length === 0 || only.includes(n));
const results: Judged[] = [];
for (const name of names) {
  const file = join(CORPUS, name, 'verdicts.yaml');
  if (!existsSync(file)) writeFileSync(file, `# netpol check arguments, run in repo/\ncheck: ['.']\nfindings:\n`);
  const j = match(runTrial(name));
  results.push(j);
  const unjudged = j.judged.filter((r) => r.entry === undefined).map((r) => r.finding);
  const fresh = unjudged.filter((f) => !j.trial.verdicts.some((v) => v.verdict === 'unjudged' && v.file === f.file && v.rule === f.rule && v.path === f.path && v.object === f.object));
  const by = (v: string): number => j.judged.filter((r) => r.entry?.verdict === v).length;
  console.log(`${name}: ${j.judged.length} findings: ${by('true')} true, ${by('debatable')} debatable, ${by('false')} false, ${unjudged.length} unjudged; ${j.stale.length} stale`);
  for (const { finding, entry } of j.judged) {
    if (entry?.verdict === 'false') console.log(`  false [${entry.cause ?? '?'}] ${finding.file}:${finding.line} ${finding.severity} ${finding.rule}: ${entry.reason}`);
  }
  if (showStale) for (const s of j.stale) console.log(`  stale: ${s.file} | ${s.object} | ${s.rule} | ${s.path} (${s.verdict})`);
  if (judge && fresh.length > 0) {
    appendFileSync(file, fresh.map(skeleton).join(''));
    console.log(`  ${fresh.length} unjudged entries appended to ${file}`);
  }
}

const s = summarize(results);
console.log(summaryLine(s));
console.log(TARGETS);
if (existsSync(FLOOR_FILE)) {
  const f = readFloor();
  console.log(`floor: precision ${f.precision} %, warnings/errors true ${f.warningPrecision} %`);
}
if (raiseFloor) {
  if (s.unjudged > 0 || only.length > 0) {
    console.error('the floor is raised from a full, fully judged run only');
    process.exitCode = 1;
  } else {
    const old = existsSync(FLOOR_FILE) ? readFloor() : { precision: 0, warningPrecision: 0 };
    const next = { precision: Math.max(old.precision, s.precision), warningPrecision: Math.max(old.warningPrecision, s.warningPrecision) };
    writeFileSync(FLOOR_FILE, JSON.stringify(next, null, 2) + '\n');
    console.log(`floor.json: precision ${next.precision} %, warnings/errors true ${next.warningPrecision} %`);
  }
}
