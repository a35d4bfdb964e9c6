import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/paths';
import { resolve } from 'node:path';

const CLI = resolve(ROOT, 'dist/cli.js');
const DIR = 'test/fixtures/cli/suppressions';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check: suppressed findings are not listed and do not count for --fail-on; stderr says how many', () => {
  const r = netpol('check', DIR, '--fail-on', 'warning');
  assert.equal(r.code, 0, r.stdout);
  assert.doesNotMatch(r.stdout, /missing-namespace|all-namespaces|warning/);
  assert.match(r.stderr, /netpol: 1 info \(3 suppressed: --show-suppressed lists them\)/);
});

test('check --show-suppressed lists them with their reasons, in text and JSON', () => {
  const text = netpol('check', DIR, '--show-suppressed');
  assert.equal(text.code, 0);
  assert.match(text.stdout, /boutique\.yaml:7:9: warning missing-namespace: .* \[suppressed: the bundle is applied with kubectl apply -n boutique\]/);
  assert.match(text.stdout, /boutique\.yaml:19:7: info allow-all-peers: .* \[suppressed: multiple egress destinations/);
  assert.match(text.stdout, /boutique\.yaml:42:30: info all-namespaces: .* \[suppressed: the checkout runs in every tenant namespace\]/);
  const json = JSON.parse(netpol('check', DIR, '--show-suppressed', '--format', 'json').stdout) as { rule: string; suppressed?: { kind: string; justification: string } }[];
  assert.deepEqual(
    json.map((f) => [f.rule, f.suppressed?.kind]),
    [
      ['missing-namespace', 'document'],
      ['allow-all-peers', undefined],
      ['allow-all-peers', 'next-line'],
      ['all-namespaces', 'annotation'],
    ],
  );
  assert.equal(JSON.parse(netpol('check', DIR, '--format', 'json').stdout).length, 1);
});

test('check --format sarif keeps suppressed results with suppressions: [{kind: inSource, justification}]', () => {
  const r = netpol('check', DIR, '--format', 'sarif', '--fail-on', 'warning');
  assert.equal(r.code, 0);
  const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string; suppressions?: { kind: string; justification: string }[] }[] }[] };
  const results = sarif.runs[0].results;
  assert.equal(results.length, 4);
  assert.deepEqual(
    results.filter((x) => x.suppressions).map((x) => [x.ruleId, x.suppressions]),
    [
      ['missing-namespace', [{ kind: 'inSource', justification: 'the bundle is applied with kubectl apply -n boutique' }]],
      ['allow-all-peers', [{ kind: 'inSource', justification: 'multiple egress destinations (DNS, istiod, Cloud Trace)' }]],
      ['all-namespaces', [{ kind: 'inSource', justification: 'the checkout runs in every tenant namespace' }]],
    ],
  );
  assert.deepEqual(results.filter((x) => !x.suppressions).map((x) => [x.ruleId, x.level]), [['allow-all-peers', 'note']]);
});
