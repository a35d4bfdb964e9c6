/**
 * The first scan's progress (issue 15): a client that supports window work-done progress
 * gets one token, then begin, reports while the files are read and loaded (counts that
 * only grow, up to N/N), and the end once the first diagnostics are out; a client without
 * that support gets no progress at all, and the same diagnostics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, type ProgressReport } from './lsp-client';

const NAMESPACES = 100;

const namespace = (ns: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
`;

const deployment = (ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: example/api:1
          ports:
            - name: http
              containerPort: 8080
`;

const policy = (ns: string, cidr: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - ipBlock:
            cidr: ${cidr}
      ports:
        - port: http
`;

let dir = '';
let files = 0;
/** The one file with an error (a prefix length past /32): its diagnostics show the analysis ran. */
let brokenUri = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-progress-'));
  for (let i = 0; i < NAMESPACES; i++) {
    const ns = `team-${String(i).padStart(3, '0')}`;
    mkdirSync(join(dir, ns));
    writeFileSync(join(dir, ns, 'namespace.yaml'), namespace(ns));
    writeFileSync(join(dir, ns, 'deployment.yaml'), deployment(ns));
    writeFileSync(join(dir, ns, 'policy.yaml'), policy(ns, i === 42 ? '10.0.0.0/33' : '10.0.0.0/8'));
    files += 3;
  }
  brokenUri = pathToFileURL(join(dir, 'team-042', 'policy.yaml')).toString();
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** The `x/y` of an `indexing x/y files` message. */
function counts(r: ProgressReport): { done: number; total: number } | undefined {
  const m = /^indexing ([\d,]+)\/([\d,]+) files$/.exec(r.value.message ?? '');
  return m ? { done: Number(m[1].replace(/,/g, '')), total: Number(m[2].replace(/,/g, '')) } : undefined;
}

/** Resolves once `$/progress` has ended for a token (the client has recorded it). */
async function progressEnded(client: LspClient): Promise<void> {
  if (client.progress.some((p) => p.value.kind === 'end')) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress end within ${LspClient.WAIT_LIMIT_MS} ms: ${JSON.stringify(client.progress.slice(-3))}`)), LspClient.WAIT_LIMIT_MS);
    const sub = client.connection.onUnhandledProgress((p: ProgressReport) => {
      if (p.value.kind !== 'end') return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

test('a client with work-done progress sees the first scan: begin, growing counts up to N/N, end after the diagnostics', async () => {
  const client = await LspClient.startWithCapabilities({ window: { workDoneProgress: true } }, dir);
  try {
    const diagnostics = await client.waitForDiagnostics(brokenUri, (d) => d.length > 0);
    assert.ok(
      diagnostics.some((d) => d.code === 'invalid-cidr'),
      JSON.stringify(diagnostics.map((d) => d.code)),
    );
    await progressEnded(client);
    assert.equal(client.progressTokens.length, 1, 'one progress token');
    const token = client.progressTokens[0];
    const reports = client.progress.filter((p) => p.token === token);
    assert.equal(reports.length, client.progress.length, 'no progress on other tokens');
    const kinds = reports.map((r) => r.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(reports[0].value.title, 'NetPol');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.deepEqual(
      kinds.slice(1, -1).filter((k) => k !== 'report'),
      [],
      'only reports between begin and end',
    );
    // The indexing counts: in steps (not one jump), never back, up to every file.
    const steps = reports.map(counts).filter((c) => c !== undefined);
    assert.ok(steps.length >= 10, `indexing reported in steps: ${steps.length}`);
    for (const s of steps) assert.equal(s.total, files);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i].done >= steps[i - 1].done, `counts grow: ${JSON.stringify(steps)}`);
    assert.deepEqual(steps[steps.length - 1], { done: files, total: files });
    assert.ok(steps.some((s) => s.done > 0 && s.done < files), 'counts between 0 and N');
    // Percentages never go back either (the protocol asks it).
    const percentages = reports.map((r) => r.value.percentage).filter((p): p is number => p !== undefined);
    for (let i = 1; i < percentages.length; i++) assert.ok(percentages[i] >= percentages[i - 1], `percentages grow: ${percentages.join(' ')}`);
    // The end comes after the first diagnostics: the file with the error had them by then.
    assert.ok(client.diagnostics.has(brokenUri));
  } finally {
    await client.stop();
  }
});

test('a client without work-done progress gets none, and the same diagnostics', async () => {
  const client = await LspClient.start(dir);
  try {
    const diagnostics = await client.waitForDiagnostics(brokenUri, (d) => d.length > 0);
    assert.ok(diagnostics.some((d) => d.code === 'invalid-cidr'));
    assert.deepEqual(client.progressTokens, []);
    assert.deepEqual(client.progress, []);
  } finally {
    await client.stop();
  }
});
