/**
 * `--cni NAME` on reach, explain and check: the same cluster dump (pods with their
 * status.podIP) under the default profile and under Cilium, whose ipBlocks never match
 * pod addresses; `cni` in .netpol.yaml; an unknown name is a usage error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const DUMP = 'test/fixtures/cli/pod-ips';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fromA = (out: string) => out.split('\n').filter((l) => l.startsWith('x/a-rs'));

test('reach: the default profile admits x/a to y/b by its address; cilium does not', () => {
  const byDefault = netpol('reach', DUMP, '--quiet');
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.deepEqual(fromA(byDefault.stdout), ['x/a-rs[ReplicaSet] => 10.244.3.21-10.244.3.21[External] : TCP 80', 'x/a-rs[ReplicaSet] => y/b-rs[ReplicaSet] : TCP 80']);
  const cilium = netpol('reach', DUMP, '--quiet', '--cni', 'cilium');
  assert.equal(cilium.code, 0, cilium.stderr);
  assert.deepEqual(fromA(cilium.stdout), ['x/a-rs[ReplicaSet] => 10.244.3.21-10.244.3.21[External] : TCP 80']);
  assert.deepEqual(fromA(netpol('reach', DUMP, '--quiet', '--cni', 'calico').stdout), fromA(byDefault.stdout));
});

test('explain --cni: the verdict and the rule that admits, per profile', () => {
  const byDefault = netpol('explain', DUMP, '--from', 'x/a-rs', '--to', 'y/b-rs', '--port', '80');
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.equal(
    byDefault.stdout,
    [
      'x/a-rs[ReplicaSet] => y/b-rs[ReplicaSet] on TCP 80: ALLOWED',
      'allowed connections: TCP 80',
      '',
      'egress of x/a-rs[ReplicaSet]: isolated by 1 policy; allows TCP 80',
      '  x/a-to-b-by-address (test/fixtures/cli/pod-ips/policies.yaml:3)',
      '    egress rule #1 (test/fixtures/cli/pod-ips/policies.yaml:13) allows TCP 80',
      '',
      'ingress of y/b-rs[ReplicaSet]: not isolated (no NetworkPolicy selects it with policyType Ingress), everything allowed',
      '',
    ].join('\n'),
  );
  const cilium = netpol('explain', DUMP, '--from', 'x/a-rs', '--to', 'y/b-rs', '--port', '80', '--cni', 'cilium');
  assert.equal(cilium.code, 0, cilium.stderr);
  assert.match(cilium.stdout, /^x\/a-rs\[ReplicaSet\] => y\/b-rs\[ReplicaSet\] on TCP 80: DENIED\n/);
  assert.match(cilium.stdout, /\n {4}no egress rule matches the other side\n/);
});

test('check --cni runs; an unknown profile is a usage error naming the known ones', () => {
  assert.equal(netpol('check', DUMP, '--quiet', '--cni', 'cilium').code, 0);
  const bad = netpol('reach', DUMP, '--cni', 'flannel');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^netpol: --cni must be one of default, calico, cilium, cilium-1\.15, gke-dataplane-v2, ovn-kubernetes, antrea, kube-router, aws-vpc-cni \(got "flannel"\)\n/);
  assert.doesNotMatch(bad.stderr, /internal error|\n\s+at /);
});

test('.netpol.yaml cni: applies, and the flag wins over it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-cni-'));
  try {
    for (const f of ['pods.yaml', 'policies.yaml']) copyFileSync(resolve(ROOT, DUMP, f), join(dir, f));
    writeFileSync(join(dir, '.netpol.yaml'), 'cni: cilium\n');
    const viaFile = netpol('reach', dir, '--quiet');
    assert.equal(viaFile.code, 0, viaFile.stderr);
    assert.deepEqual(fromA(viaFile.stdout), ['x/a-rs[ReplicaSet] => 10.244.3.21-10.244.3.21[External] : TCP 80']);
    assert.equal(fromA(netpol('reach', dir, '--quiet', '--cni', 'default').stdout).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('explain --cni all: the verdict per group of profiles, then each group\'s explanation', () => {
  const r = netpol('explain', DUMP, '--from', 'x/a-rs', '--to', 'y/b-rs', '--port', '80', '--cni', 'all');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'x/a-rs[ReplicaSet] => y/b-rs[ReplicaSet] on TCP 80, per CNI profile:',
      '  ALLOWED (TCP 80): default, calico, gke-dataplane-v2, ovn-kubernetes, antrea, kube-router, aws-vpc-cni',
      '  DENIED (No Connections): cilium, cilium-1.15',
      'The profiles differ (docs/semantics.md, CNI profiles).',
      '',
      'Under default (and 6 more):',
      'x/a-rs[ReplicaSet] => y/b-rs[ReplicaSet] on TCP 80: ALLOWED',
      'allowed connections: TCP 80',
      '',
      'egress of x/a-rs[ReplicaSet]: isolated by 1 policy; allows TCP 80',
      '  x/a-to-b-by-address (test/fixtures/cli/pod-ips/policies.yaml:3)',
      '    egress rule #1 (test/fixtures/cli/pod-ips/policies.yaml:13) allows TCP 80',
      '',
      'ingress of y/b-rs[ReplicaSet]: not isolated (no NetworkPolicy selects it with policyType Ingress), everything allowed',
      '',
      'Under cilium (and 1 more):',
      'x/a-rs[ReplicaSet] => y/b-rs[ReplicaSet] on TCP 80: DENIED',
      'allowed connections: No Connections',
      '',
      'egress of x/a-rs[ReplicaSet]: isolated by 1 policy; allows No Connections',
      '  x/a-to-b-by-address (test/fixtures/cli/pod-ips/policies.yaml:3)',
      '    no egress rule matches the other side',
      '',
      'ingress of y/b-rs[ReplicaSet]: not isolated (no NetworkPolicy selects it with policyType Ingress), everything allowed',
      '',
    ].join('\n'),
  );
  const same = JSON.parse(netpol('explain', DUMP, '--from', 'y/a-rs', '--to', 'y/b-rs', '--cni', 'all', '--format', 'json').stdout) as { differ: boolean; byProfile: { profiles: string[] }[] };
  assert.equal(same.differ, false);
  assert.equal(same.byProfile.length, 1);
  assert.equal(same.byProfile[0].profiles.length, 9);
  assert.equal(netpol('reach', DUMP, '--cni', 'all').code, 2, 'all is for explain only');
});
