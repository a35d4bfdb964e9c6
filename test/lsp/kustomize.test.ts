/**
 * A kustomize workspace over LSP (the server as a process over stdio): a base deployed by
 * overlays is analysed in the overlay's namespace, with its diagnostics on the base's own
 * lines; an edit of the overlay's kustomization.yaml changes them; what the subset does
 * not apply is an info diagnostic on the kustomization.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lsp-client';
import { KUSTOMIZE_FIXTURES } from '../helpers/kustomize';

let dir: string;
let client: LspClient;
/** A diagnostic's message as text (the server sends strings). */
const text = (d: { message: unknown }) => String(d.message);
const uri = (rel: string) => pathToFileURL(join(dir, rel)).toString();
const DEPLOYMENT = 'base/deployment.yaml';
const POLICIES = 'base/policies.yaml';
const PROD = 'overlays/prod/kustomization.yaml';
const STAGING = 'overlays/staging/kustomization.yaml';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-kustomize-'));
  cpSync(join(KUSTOMIZE_FIXTURES, 'catalog'), dir, { recursive: true });
  client = await LspClient.start(dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the base is analysed in the overlay's namespace, on its own lines; no missing-namespace", async () => {
  client.open(uri(POLICIES), readFileSync(join(dir, POLICIES), 'utf8'), 1);
  assert.deepEqual(await client.diagnosticsForVersion(uri(POLICIES), 1), [], 'the policy gets its namespace from overlays/prod');
  client.open(uri(DEPLOYMENT), readFileSync(join(dir, DEPLOYMENT), 'utf8'), 1);
  const diags = await client.waitForDiagnostics(uri(DEPLOYMENT), (d) => d.some((x) => x.code === 'namespace-without-default-deny'));
  const deny = diags.find((x) => x.code === 'namespace-without-default-deny')!;
  assert.match(text(deny), /^Namespace catalog has no default-deny/);
  assert.deepEqual([deny.range.start.line, deny.range.start.character], [3, 8], 'on metadata.name of the Deployment as written');
});

test('an edit of the overlay kustomization.yaml re-resolves: the base moves to the new namespace', async () => {
  const prod = readFileSync(join(dir, PROD), 'utf8');
  const moved = client.nextDiagnostics(uri(DEPLOYMENT), (d) => d.some((x) => /^Namespace shop has no default-deny/.test(text(x))));
  client.open(uri(PROD), prod.replace('namespace: catalog', 'namespace: shop'), 1);
  await moved;
  // Without any namespace, a bundle applied with kubectl apply -n: no missing-namespace, and
  // the findings say the namespace is assumed.
  const assumed = client.nextDiagnostics(uri(DEPLOYMENT), (d) => d.some((x) => /^Namespace default \(namespace not set; analysed as default\)/.test(text(x))));
  client.change(uri(PROD), prod.replace('namespace: catalog\n', ''), 2);
  await assumed;
  const back = client.nextDiagnostics(uri(DEPLOYMENT), (d) => d.some((x) => /^Namespace catalog /.test(text(x))));
  client.change(uri(PROD), prod, 3);
  await back;
});

test('what the subset does not apply is an info on the kustomization, naming --kustomize', async () => {
  client.open(uri(STAGING), readFileSync(join(dir, STAGING), 'utf8'), 1);
  const diags = await client.diagnosticsForVersion(uri(STAGING), 1);
  assert.deepEqual(diags.map((d) => [d.code, d.severity, d.range.start.line]).sort(), [
    ['kustomize-not-modelled', 3, 0],
    ['kustomize-not-modelled', 3, 5],
  ]);
  assert.ok(diags.every((d) => /netpol check --kustomize \S*overlays\/staging/.test(text(d))), diags.map(text).join('\n'));
});
