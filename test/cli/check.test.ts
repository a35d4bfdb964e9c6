import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPOSITORY_URL } from '../../server/src/core/lint/docs-url';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
// A lint-clean workspace but for two protocol errors, so these tests stay about the CLI.
const BAD = 'test/fixtures/cli/check';
const POLICIES = `${BAD}/policies.yaml`;
const CLEAN = ['--rule', 'invalid-protocol=off'];

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check --format json: 1-based ranges, severity, rule, message and YAML path', () => {
  const r = netpol('check', BAD, '--format', 'json');
  assert.equal(r.code, 1, 'errors fail by default');
  const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.deepEqual(findings[0], {
    file: POLICIES,
    line: 17,
    column: 17,
    endLine: 17,
    endColumn: 20,
    severity: 'error',
    rule: 'invalid-protocol',
    message: 'Unsupported protocol "tcp": the API server accepts only TCP, UDP and SCTP; write "TCP" (protocols are case-sensitive).',
    path: 'spec.ingress[0].ports[0].protocol',
  });
  assert.deepEqual(findings.map((f) => f.line), [17, 21]);
});

test('check exit codes follow --fail-on; --rule changes severities', () => {
  assert.equal(netpol('check', BAD, ...CLEAN).code, 0);
  assert.equal(netpol('check', 'test/rules/non-canonical-cidr/bad.yaml').code, 0, 'warnings pass by default');
  assert.equal(netpol('check', 'test/rules/non-canonical-cidr/bad.yaml', '--fail-on', 'warning').code, 1);
  const off = netpol('check', BAD, ...CLEAN, '--format', 'json');
  assert.equal(off.code, 0);
  assert.deepEqual(JSON.parse(off.stdout), []);
  const demoted = netpol('check', BAD, '--rule', 'invalid-protocol=warning', '--format', 'json');
  assert.equal(demoted.code, 0);
  assert.ok((JSON.parse(demoted.stdout) as { severity: string }[]).every((f) => f.severity === 'warning'));
  const unknown = netpol('check', BAD, '--rule', 'no-such-rule=off');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule "no-such-rule"/);
});

test('check --format text: file:line:col, then a summary on stderr', () => {
  const r = netpol('check', BAD);
  assert.match(r.stdout.split('\n')[0], /^test\/fixtures\/cli\/check\/policies\.yaml:17:17: error invalid-protocol: Unsupported protocol "tcp"/);
  assert.equal(r.stderr, 'netpol: 2 errors\n');
  assert.equal(netpol('check', BAD, ...CLEAN).stderr, 'netpol: no problems found\n');
});

test('check --format sarif: SARIF 2.1.0 with rule metadata, help and results', () => {
  const r = netpol('check', BAD, '--format', 'sarif');
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout) as {
    version: string;
    runs: { tool: { driver: { name: string; rules: { id: string; helpUri?: string; help: { markdown?: string }; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'netpol');
  const rule = run.tool.driver.rules.find((x) => x.id === 'invalid-protocol');
  // The published page, not a file of this checkout (a CI server's path means nothing to a reader).
  assert.equal(rule?.helpUri, 'https://github.com/netpol-studio/netpol-studio/blob/main/docs/rules/invalid-protocol.md');
  for (const x of run.tool.driver.rules) assert.equal(x.helpUri, `${REPOSITORY_URL}/blob/main/docs/rules/${x.id}.md`);
  assert.match(rule?.help.markdown ?? '', /^# invalid-protocol/);
  assert.equal(rule?.defaultConfiguration.level, 'error');
  assert.equal(run.results.length, 2);
  const first = run.results[0];
  assert.equal(run.tool.driver.rules[first.ruleIndex].id, first.ruleId);
  assert.deepEqual(first.locations[0].physicalLocation.artifactLocation.uri, POLICIES);
  assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 17, startColumn: 17, endLine: 17, endColumn: 20 });
});

test('the published docs URL derives from the repository of package.json', () => {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { repository?: { url?: string } };
  assert.equal(pkg.repository?.url?.replace(/\.git$/, ''), REPOSITORY_URL);
});

test('check says on stderr which files it left out as Helm templates, in every format', () => {
  for (const format of ['text', 'json']) {
    const r = netpol('check', 'test/rules/helm-template-skipped/bad.yaml', '--format', format);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /netpol: 1 Helm template file not analysed \(render with helm template\): test\/rules\/helm-template-skipped\/bad\.yaml/);
  }
});
