import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const DIR = 'test/fixtures/cli/expect';
const CASES = 'test/fixtures/cli/expect-cases';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('test (text): the .netpol-expect.yaml found in PATH and the evidence, each pass or fail with what decides it; exit 1', () => {
  const r = netpol('test', DIR);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    [
      `ok   billing charges cards: allow shop/billing → shop/payments on TCP 8443 (${DIR}/.netpol-expect.yaml:4)`,
      `ok   the shop reads its database: allow {namespace shop, pods app=checkout} → {namespace shop, pods tier=data} on TCP 5432 (${DIR}/.netpol-expect.yaml:9)`,
      `ok   dev stays out of the database: deny {namespaces team=dev} → shop/db (${DIR}/.netpol-expect.yaml:14)`,
      `FAIL checkout calls no one outside: deny shop/checkout → 0.0.0.0/0 on TCP 443 (${DIR}/.netpol-expect.yaml:18)`,
      `       shop/checkout → 0.0.0.0/0 on TCP 443 is allowed`,
      `       no NetworkPolicy isolates the egress of shop/checkout (none selects it with policyType Egress): everything is allowed`,
      `FAIL allow shop/checkout → shop/payments on TCP 8443 (Service shop/payments:8443) (evidence: env PAYMENTS_URL, ${DIR}/workloads.yaml:18)`,
      `       shop/checkout → shop/payments on TCP 8443 is denied`,
      `       shop/payments-ingress isolates the ingress of shop/payments and none of its ingress rules admits shop/checkout (${DIR}/policies.yaml:1)`,
      ``,
      `5 expectations (4 from the expectations file, 1 from evidence): 3 passed, 2 failed`,
      ``,
    ].join('\n'),
  );
});

test('test (junit): one suite for the file, one for the evidence; failures with the deciding policy', () => {
  const r = netpol('test', DIR, '--format', 'junit');
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stdout,
    [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites name="netpol test" tests="5" failures="2">`,
      `  <testsuite name="expectations" tests="4" failures="1">`,
      `    <testcase classname="netpol.expectations" name="billing charges cards: allow shop/billing → shop/payments on TCP 8443 (${DIR}/.netpol-expect.yaml:4)"/>`,
      `    <testcase classname="netpol.expectations" name="the shop reads its database: allow {namespace shop, pods app=checkout} → {namespace shop, pods tier=data} on TCP 5432 (${DIR}/.netpol-expect.yaml:9)"/>`,
      `    <testcase classname="netpol.expectations" name="dev stays out of the database: deny {namespaces team=dev} → shop/db (${DIR}/.netpol-expect.yaml:14)"/>`,
      `    <testcase classname="netpol.expectations" name="checkout calls no one outside: deny shop/checkout → 0.0.0.0/0 on TCP 443 (${DIR}/.netpol-expect.yaml:18)" file="${DIR}/.netpol-expect.yaml">`,
      `      <failure message="shop/checkout → 0.0.0.0/0 on TCP 443 is allowed" type="allowed">shop/checkout → 0.0.0.0/0 on TCP 443 is allowed`,
      `no NetworkPolicy isolates the egress of shop/checkout (none selects it with policyType Egress): everything is allowed</failure>`,
      `    </testcase>`,
      `  </testsuite>`,
      `  <testsuite name="evidence" tests="1" failures="1">`,
      `    <testcase classname="netpol.evidence" name="allow shop/checkout → shop/payments on TCP 8443 (Service shop/payments:8443) (evidence: env PAYMENTS_URL, ${DIR}/workloads.yaml:18)" file="${DIR}/workloads.yaml">`,
      `      <failure message="shop/checkout → shop/payments on TCP 8443 is denied" type="blocked">shop/checkout → shop/payments on TCP 8443 is denied`,
      `shop/payments-ingress isolates the ingress of shop/payments and none of its ingress rules admits shop/checkout (${DIR}/policies.yaml:1)</failure>`,
      `    </testcase>`,
      `  </testsuite>`,
      `</testsuites>`,
      ``,
    ].join('\n'),
  );
});

test('test (tap): TAP 14 with a YAML block per failure', () => {
  const r = netpol('test', DIR, '--format=tap');
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stdout,
    [
      `TAP version 14`,
      `1..5`,
      `ok 1 - billing charges cards: allow shop/billing → shop/payments on TCP 8443 (${DIR}/.netpol-expect.yaml:4)`,
      `ok 2 - the shop reads its database: allow {namespace shop, pods app=checkout} → {namespace shop, pods tier=data} on TCP 5432 (${DIR}/.netpol-expect.yaml:9)`,
      `ok 3 - dev stays out of the database: deny {namespaces team=dev} → shop/db (${DIR}/.netpol-expect.yaml:14)`,
      `not ok 4 - checkout calls no one outside: deny shop/checkout → 0.0.0.0/0 on TCP 443 (${DIR}/.netpol-expect.yaml:18)`,
      `  ---`,
      `  message: "shop/checkout → 0.0.0.0/0 on TCP 443 is allowed"`,
      `  at: "${DIR}/.netpol-expect.yaml:18"`,
      `  decided by:`,
      `    - "no NetworkPolicy isolates the egress of shop/checkout (none selects it with policyType Egress): everything is allowed"`,
      `  ...`,
      `not ok 5 - allow shop/checkout → shop/payments on TCP 8443 (Service shop/payments:8443) (evidence: env PAYMENTS_URL, ${DIR}/workloads.yaml:18)`,
      `  ---`,
      `  message: "shop/checkout → shop/payments on TCP 8443 is denied"`,
      `  at: "${DIR}/workloads.yaml:18"`,
      `  decided by:`,
      `    - "shop/payments-ingress isolates the ingress of shop/payments and none of its ingress rules admits shop/checkout (${DIR}/policies.yaml:1)"`,
      `  ...`,
      ``,
    ].join('\n'),
  );
});

test('test: all expectations hold (--expect FILE, --no-evidence): exit 0', () => {
  const r = netpol('test', DIR, '--expect', `${CASES}/passing.yaml`, '--no-evidence');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      `ok   allow shop/billing → shop/payments on TCP 8443 (${CASES}/passing.yaml:2)`,
      `ok   deny {namespace dev} → {namespace shop, pods tier=data} (${CASES}/passing.yaml:6)`,
      '',
      '2 expectations (2 from the expectations file, 0 from evidence): 2 passed, 0 failed',
      '',
    ].join('\n'),
  );
});

test('test: a wrong expectations file is exit 2 with file:line:col per problem (an unknown workload included), nothing checked', () => {
  const r = netpol('test', DIR, '--expect', `${CASES}/wrong.yaml`);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    [
      `netpol: ${CASES}/wrong.yaml:4:11: error: to: no workload shop/paymnets in the workspace: the expectation cannot be checked. Fix the name, or remove the expectation if the workload is gone.`,
      `netpol: ${CASES}/wrong.yaml:9:15: error: Port "https" is not a port: write a number (8443), "53/UDP" or {port: 53, protocol: UDP}. Named ports are not accepted here: which number a name means differs per pod.`,
      `netpol: ${CASES}/wrong.yaml:10:5: error: allow needs to: (a workload ns/name, {namespace: …}, {labels: …} or {cidr: …}).`,
      'netpol: 3 problems in the expectations file: nothing was checked',
      '',
    ].join('\n'),
  );
});

test('test: bad usage and unreadable files are messages with exit 2, never a stack trace', () => {
  for (const args of [
    ['test', `${CASES}/passing.yaml`, '--no-evidence'],
    ['test', DIR, '--expect', `${CASES}/missing.yaml`],
    ['test', DIR, '--format', 'xml'],
    ['test'],
  ]) {
    const r = netpol(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^netpol: /);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  }
  assert.match(netpol('test', `${CASES}/passing.yaml`, '--no-evidence').stderr, /nothing to test: no \.netpol-expect\.yaml in or above/);
});

test('the expectations file is no manifest: check does not read it', () => {
  const r = netpol('check', DIR, '--fail-on', 'error');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /netpol-expect/);
});
