import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const DIR = 'test/fixtures/cli/evidence';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('evidence (text): one line per flow with the Service port, the target port and file:line; dangling references as info', () => {
  const r = netpol('evidence', DIR, '--no-dns');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      `default/checkoutservice => default/emailservice : TCP 8080 (via default/emailservice:5000)  [address] ${DIR}/checkoutservice.yaml:64 env EMAIL_SERVICE_ADDR`,
      `default/checkoutservice => default/paymentservice : TCP 50051 (via default/paymentservice:50051)  [address] ${DIR}/checkoutservice.yaml:62 env PAYMENT_SERVICE_ADDR`,
      `${DIR}/checkoutservice.yaml:58: info: env PRODUCT_CATALOG_SERVICE_ADDR refers to productcatalogservice:3550, but no Service default/productcatalogservice is in the workspace: its flow is not evidenced (nothing is guessed).`,
      `${DIR}/checkoutservice.yaml:60: info: env SHIPPING_SERVICE_ADDR refers to shippingservice:50051, but no Service default/shippingservice is in the workspace: its flow is not evidenced (nothing is guessed).`,
      `${DIR}/checkoutservice.yaml:66: info: env CURRENCY_SERVICE_ADDR refers to currencyservice:7000, but no Service default/currencyservice is in the workspace: its flow is not evidenced (nothing is guessed).`,
      `${DIR}/checkoutservice.yaml:68: info: env CART_SERVICE_ADDR refers to cartservice:7070, but no Service default/cartservice is in the workspace: its flow is not evidenced (nothing is guessed).`,
      '',
    ].join('\n'),
  );
});

test('evidence (json) with the DNS baseline, and --default-namespace', () => {
  const r = netpol('evidence', DIR, '--format', 'json', '--default-namespace', 'shop');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { flows: Record<string, unknown>[]; notes: unknown[] };
  assert.deepEqual(out.flows.find((f) => f.dst === 'shop/emailservice'), {
    src: 'shop/checkoutservice',
    dst: 'shop/emailservice',
    protocol: 'TCP',
    port: 8080,
    service: 'shop/emailservice:5000',
    kind: 'address',
    file: `${DIR}/checkoutservice.yaml`,
    line: 64,
    what: 'env EMAIL_SERVICE_ADDR',
  });
  const dns = out.flows.filter((f) => f.kind === 'dns').map((f) => `${f.src} ${f.protocol} ${f.port}`);
  assert.deepEqual(dns.sort(), ['shop/checkoutservice TCP 53', 'shop/checkoutservice UDP 53', 'shop/emailservice TCP 53', 'shop/emailservice UDP 53', 'shop/paymentservice TCP 53', 'shop/paymentservice UDP 53']);
  assert.equal(out.notes.length, 4);
});

test('evidence: bad usage is a message with exit code 2', () => {
  const r = netpol('evidence', DIR, '--format', 'xml');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format must be one of text, json/);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('evidence: the API-server baseline (a bound ServiceAccount whose token is mounted) at the binding subject; --no-api-server leaves it out', () => {
  const dir = 'test/fixtures/cli/evidence-api-server';
  const r = netpol('evidence', dir, '--no-dns');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ops\/operator => \{control plane\} : TCP 443 .*\[api-access\] test\/fixtures\/cli\/evidence-api-server\/operator\.yaml:18 /);
  assert.match(r.stdout, /RoleBinding ops\/operator binds ServiceAccount ops\/operator/);
  const off = netpol('evidence', dir, '--no-dns', '--no-api-server');
  assert.equal(off.code, 0, off.stderr);
  assert.doesNotMatch(off.stdout, /control plane/);
});
