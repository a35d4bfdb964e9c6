import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const APP = 'test/fixtures/cli/app';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('reach prints the connectivity list in connlist text format', () => {
  const r = netpol('reach', APP, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      '0.0.0.0-255.255.255.255[External] => tools/toolbox[Pod] : All Connections',
      'shop/backend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/backend[Deployment] => shop/db[StatefulSet] : TCP 5432',
      'shop/backend[Deployment] => tools/toolbox[Pod] : All Connections',
      'shop/db[StatefulSet] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/db[StatefulSet] => tools/toolbox[Pod] : All Connections',
      'shop/frontend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/frontend[Deployment] => shop/backend[Deployment] : TCP 9090',
      'shop/frontend[Deployment] => tools/toolbox[Pod] : All Connections',
      'tools/toolbox[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      '',
    ].join('\n'),
  );
});

test('reach --port --protocol --format json prints exactly the allowed workload pairs', () => {
  const r = netpol('reach', APP, '--port', '9090', '--protocol', 'TCP', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    '{"port":9090,"protocol":"TCP","allowed":[["shop/backend","tools/toolbox"],["shop/db","tools/toolbox"],["shop/frontend","shop/backend"],["shop/frontend","tools/toolbox"],["tools/toolbox","tools/toolbox"]]}\n',
  );
  // The default deny isolates the frontend too: nothing reaches it on 8080. The
  // toolbox is not isolated: every workload, itself included, reaches it.
  const p8080 = JSON.parse(netpol('reach', APP, '--port', '8080', '--format', 'json').stdout) as { allowed: string[][] };
  assert.deepEqual(p8080.allowed, [
    ['shop/backend', 'tools/toolbox'],
    ['shop/db', 'tools/toolbox'],
    ['shop/frontend', 'tools/toolbox'],
    ['tools/toolbox', 'tools/toolbox'],
  ]);
  const udp = JSON.parse(netpol('reach', APP, '--port', '9090', '--protocol', 'UDP', '--format', 'json').stdout) as { allowed: string[][] };
  // The backend admits TCP only: over UDP just the unisolated toolbox remains.
  assert.deepEqual(udp.allowed, p8080.allowed);
});

test('reach formats: json, csv, md, dot, mermaid', () => {
  const json = JSON.parse(netpol('reach', APP, '--format', 'json').stdout) as { src: string; dst: string; conn: string }[];
  assert.deepEqual(json[2], { src: 'shop/backend[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' });
  const csv = netpol('reach', APP, '--format', 'csv').stdout.split('\n');
  assert.equal(csv[0], 'src,dst,conn');
  assert.equal(csv[3], 'shop/backend[Deployment],shop/db[StatefulSet],TCP 5432');
  assert.equal(csv.length, 12);
  const md = netpol('reach', APP, '--format', 'md').stdout.split('\n');
  assert.equal(md[0], '| src | dst | conn |');
  assert.match(netpol('reach', APP, '--format', 'dot').stdout, /^digraph netpol \{[\s\S]*-> n\d+ \[label="TCP 5432"\];/);
  assert.match(netpol('reach', APP, '--format', 'mermaid').stdout, /^flowchart LR\n[\s\S]*-->\|"TCP 9090"\|/);
});

test('explain names the policy and the rule (file:line) that allow a connection', () => {
  const r = netpol('explain', APP, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '9090');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'shop/frontend[Deployment] => shop/backend[Deployment] on TCP 9090: ALLOWED');
  assert.match(r.stdout, /egress of shop\/frontend\[Deployment\]: not isolated/);
  assert.match(r.stdout, /shop\/backend-from-frontend \(test\/fixtures\/cli\/app\/policies\.yaml:9\)\n {4}ingress rule #1 \(test\/fixtures\/cli\/app\/policies\.yaml:15\) allows TCP 9090/);
});

test('explain says when nothing admits the connection', () => {
  const r = netpol('explain', APP, '--from', 'shop/frontend', '--to', 'shop/db', '--port', '5432', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const ex = JSON.parse(r.stdout) as { allowed: boolean; ingress: { isolated: boolean; policies: { name: string; rules: unknown[] }[] } };
  assert.equal(ex.allowed, false);
  assert.equal(ex.ingress.isolated, true);
  assert.deepEqual(ex.ingress.policies.map((p) => [p.name, p.rules.length]).sort(), [['shop/db-from-backend', 0], ['shop/default-deny', 0]]);
});

test('usage and I/O errors exit 2 with a message, never a stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['reach', 'no/such/dir'], /no\/such\/dir: no such file or directory/],
    [['reach', APP, '--format', 'xml'], /--format must be one of text, json, csv, md, dot, mermaid/],
    [['reach', APP, '--port', 'http'], /--port must be a number from 1 to 65535/],
    [['reach', APP, '--port', '0'], /--port must be a number/],
    [['reach', APP, '--bogus'], /unknown option --bogus/],
    [['reach'], /give at least one file or directory/],
    [['explain', APP, '--from', 'shop/frontend'], /explain needs --from and --to/],
    [['explain', APP, '--from', 'shop/nope', '--to', 'shop/db'], /--from shop\/nope: no such workload/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = netpol(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('skipped files are reported on stderr, once each; --quiet hides them', () => {
  const r = netpol('reach', APP);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, `netpol: ${APP}/notes.yaml: info: Not a Kubernetes manifest (no apiVersion and kind): skipped\n`);
  assert.equal(netpol('reach', APP, '--quiet').stderr, '');
});

const TIERS = 'test/fixtures/cli/tiers';

test('reach through the cluster tiers: the Admin Deny, the Pass to a NetworkPolicy and the Baseline Deny', () => {
  const r = netpol('reach', TIERS, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      '0.0.0.0-255.255.255.255[External] => monitoring/prometheus[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => sandbox/experiment[Deployment] : All Connections',
      'monitoring/prometheus[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'monitoring/prometheus[Deployment] => shop/web[Deployment] : TCP 9090',
      'sandbox/experiment[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      '',
    ].join('\n'),
  );
});

test('explain names the tier, the policy, its priority and the rule that decided, and the tiers never consulted', () => {
  const denied = netpol('explain', TIERS, '--from', 'sandbox/experiment', '--to', 'shop/web', '--port', '8080');
  assert.equal(denied.code, 0, denied.stderr);
  assert.equal(denied.stdout.split('\n')[0], 'sandbox/experiment[Deployment] => shop/web[Deployment] on TCP 8080: DENIED');
  assert.match(
    denied.stdout,
    / {2}Admin tier:\n {4}ClusterNetworkPolicy isolate-environments \(priority 10, test\/fixtures\/cli\/tiers\/cluster-policies\.yaml:2\): ingress rule #1 "deny-from-dev" \(test\/fixtures\/cli\/tiers\/cluster-policies\.yaml:11\) denies All Connections\n {2}not consulted: NetworkPolicy and Baseline tiers: the Admin tier decided every connection\n/,
  );
  const passed = netpol('explain', TIERS, '--from', 'monitoring/prometheus', '--to', 'shop/web', '--port', '9090');
  assert.match(passed.stdout, /: ALLOWED\n/);
  assert.match(passed.stdout, /ingress rule #2 "monitoring-decides-per-namespace" \(test\/fixtures\/cli\/tiers\/cluster-policies\.yaml:15\) passes All Connections\n {2}NetworkPolicy tier \(decides All Connections\):\n {4}shop\/web-metrics/);
  assert.match(passed.stdout, /not consulted: Baseline tier: the NetworkPolicies isolate the pod/);
  const json = JSON.parse(netpol('explain', TIERS, '--from', 'shop/web', '--to', 'monitoring/prometheus', '--format', 'json').stdout) as {
    allowed: boolean;
    ingress: { tiers: { decisions: { tier: string; kind: string; name: string; action: string; rule: { name: string } }[]; networkPolicies: { decide: boolean } } };
  };
  assert.equal(json.allowed, false);
  assert.deepEqual(
    json.ingress.tiers.decisions.map((d) => [d.tier, d.kind, d.name, d.rule.name, d.action]),
    [['Baseline', 'BaselineAdminNetworkPolicy', 'default', 'deny-other-namespaces', 'Deny']],
  );
  assert.equal(json.ingress.tiers.networkPolicies.decide, false);
});

test('check reports what the API server rejects in cluster policies, with exit code 1', () => {
  const r = netpol('check', 'test/rules/invalid-cluster-policy/bad.yaml', '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as { rule: string }[];
  assert.equal(findings.filter((f) => f.rule === 'invalid-cluster-policy').length, 19);
});

test('reach on policies without workloads says so instead of printing nothing', () => {
  const r = netpol('reach', 'test/rules/helm-template-skipped/good.yaml');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /netpol: no workload .* in these files, only 1 NetworkPolicy: there are no connections to list/);
});
