/**
 * `netpol diff` and the evidence (issue 21 §2): a change that closes a flow the manifests
 * show is needed says so on its line, with the evidence's file:line; an upgrade whose new
 * port the policies do not follow (no line of the diff) is listed after the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const DIR = 'test/fixtures/cli/upgrade';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('diff: new labels of the caller close an evidenced flow: the line says so, with the evidence (text and JSON)', () => {
  const r = netpol('diff', `${DIR}/before`, `${DIR}/after`, '--fail-on', 'removed');
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stdout,
    [
      'Connectivity diff:',
      `diff-type: removed, source: shop/checkout[Deployment], destination: shop/payments[Deployment], ref1: TCP 8443, ref2: No Connections [likely breakage: routed by a Service/Ingress] [breaks an evidenced flow: TCP 8443 (env PAYMENTS_URL, ${DIR}/after/shop.yaml:15)]`,
      '',
    ].join('\n'),
  );
  const json = JSON.parse(netpol('diff', `${DIR}/before`, `${DIR}/after`, '--format', 'json').stdout) as { evidence?: unknown }[];
  assert.deepEqual(json[0].evidence, [{ protocol: 'TCP', port: 8443, what: 'env PAYMENTS_URL', at: `${DIR}/after/shop.yaml:15` }]);
});

test('diff: a new container port the policy does not follow changes no line, and is listed as a broken evidenced flow', () => {
  const r = netpol('diff', `${DIR}/before`, `${DIR}/after-port`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'Evidenced flows the change breaks (the policies admit what they did; the pods moved):',
      `shop/checkout[Deployment] => shop/payments[Deployment] : TCP 9443 (was TCP 8443) [breaks an evidenced flow: env PAYMENTS_URL, ${DIR}/after-port/shop.yaml:15]`,
      '',
    ].join('\n'),
  );
});

test('diff: no change, no evidence line; the same files twice print nothing', () => {
  const r = netpol('diff', `${DIR}/before`, `${DIR}/before`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
});
