/**
 * Every fix offered on real repositories, applied and re-analysed: how many are offered,
 * how many raise a new warning or error of ours (a finding by rule, object and path that
 * was not there, a closed routed flow, a YAML error). Prints figures; asserts nothing
 * (the repositories are not part of the project; test/core/fixes/no-new-problems.test.ts
 * holds the same check on the fixtures and the shared corpus).
 *
 *   node out/test/bench/fix-safety.js [DIR...]     (default: every folder of /work/repos)
 *   --raw    the rules' proposals as they are, before the engine's re-check
 *   --why    one line per fix that raises something
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analysis/analyze';
import { raisedBy, checkBaseOf } from '../../server/src/core/fixes/check';
import { fixesFor } from '../../server/src/core/fixes/fixes';
import { runRules } from '../../server/src/core/rules/run';
import { ParseCache } from '../../server/src/core/yaml/parse';
import { readManifestFiles } from '../../server/src/node/read-files';

const args = process.argv.slice(2);
const raw = args.includes('--raw');
const why = args.includes('--why');
const dirs = args.filter((a) => !a.startsWith('--'));
const REPOS = '/work/repos';
const roots = dirs.length > 0 ? dirs : readdirSync(REPOS).sort().map((n) => join(REPOS, n)).filter((p) => statSync(p).isDirectory());

let totalFindings = 0;
let totalOffered = 0;
let totalRaising = 0;
const byRule = new Map<string, { offered: number; raising: number }>();
const raisedRules = new Map<string, number>();
for (const root of roots) {
  const started = Date.now();
  const { files } = readManifestFiles([root]);
  const analysis = analyze(files);
  const findings = runRules(analysis);
  const base = checkBaseOf(files, analysis, findings, { cache: new ParseCache(5_000) });
  let offered = 0;
  let raising = 0;
  for (const finding of findings) {
    const fixes = fixesFor(finding, { analysis, text: base.text, ...(raw ? {} : { check: base }) });
    for (const fix of fixes) {
      // A prompt writes the value the user types, not its placeholder (Fix.prompt): not a fix to measure.
      if (fix.prompt) continue;
      offered++;
      const r = raisedBy(base, fix.edits);
      const bad = r.findings.length > 0 || r.yamlErrors.length > 0;
      const s = byRule.get(finding.rule) ?? { offered: 0, raising: 0 };
      s.offered++;
      if (bad) {
        raising++;
        s.raising++;
        for (const id of new Set([...r.findings.map((f) => f.rule), ...(r.yamlErrors.length > 0 ? ['yaml'] : [])])) raisedRules.set(id, (raisedRules.get(id) ?? 0) + 1);
        if (why) console.log(`  ${finding.rule} ${finding.span.file.slice(root.length + 1)} ${finding.path}: "${fix.title}" raises ${r.findings.map((f) => `${f.rule} (${f.path})`).join(', ')}${r.yamlErrors.join('; ')}`);
      }
      byRule.set(finding.rule, s);
    }
  }
  totalFindings += findings.length;
  totalOffered += offered;
  totalRaising += raising;
  console.log(`${root}: ${findings.length} findings, ${offered} fixes offered, ${raising} raise a new warning (${Date.now() - started} ms)`);
}
console.log('\nby rule (offered / raising):');
for (const [rule, s] of [...byRule].sort()) console.log(`  ${rule}: ${s.offered} / ${s.raising}`);
console.log('raised:');
for (const [rule, n] of [...raisedRules].sort((a, b) => b[1] - a[1])) console.log(`  ${rule}: ${n}`);
console.log(`\nfixes: ${totalOffered} offered over ${totalFindings} findings, ${totalRaising} raise a new warning${raw ? ' (raw proposals, no re-check)' : ''}`);
