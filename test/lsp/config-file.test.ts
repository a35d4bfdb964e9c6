/**
 * The repository's .netpol.yaml in the editor, over stdio against dist/server.js: read at
 * the workspace root before the scan (its exclude applies), edits to it apply as they are
 * typed (the buffer) or saved (watched files), settings win where they are set, and what
 * is wrong in it is a diagnostic on the file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/paths';
import { LspClient } from './lsp-client';

describe('.netpol.yaml in the editor', () => {
  let dir: string;
  let client: LspClient;
  let app: string;
  let chart: string;
  let config: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpol-lsp-config-'));
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'charts'));
    cpSync(join(ROOT, 'test/fixtures/cli/suppressions/boutique.yaml'), join(dir, 'app/boutique.yaml'));
    cpSync(join(ROOT, 'test/fixtures/cli/suppressions/boutique.yaml'), join(dir, 'charts/boutique.yaml'));
    writeFileSync(join(dir, '.netpol.yaml'), 'rules:\n  allow-all-peers: warning\nexclude: ["charts/**"]\n');
    app = pathToFileURL(join(dir, 'app/boutique.yaml')).toString();
    chart = pathToFileURL(join(dir, 'charts/boutique.yaml')).toString();
    config = pathToFileURL(join(dir, '.netpol.yaml')).toString();
    client = await LspClient.start(dir, { rules: { 'and-or-pitfall': 'info' } });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the file sets severities and excludes paths from the scan', async () => {
    const diags = await client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'allow-all-peers'));
    assert.deepEqual(diags.filter((d) => d.code === 'allow-all-peers').map((d) => d.severity), [2], 'the explicit {} as a warning, as the file says');
    // The same policies under charts/ would have the same findings, published in the same round: never read.
    assert.equal(client.diagnostics.get(chart), undefined);
  });

  test('an edit of the open .netpol.yaml applies as typed; a mistake in it is a diagnostic on it; the settings win where set', async () => {
    client.open(config, 'rules:\n  allow-all-peers: "off"\n  missing-namespace: loud\n');
    const problems = await client.waitForDiagnostics(config, (d) => d.length > 0);
    assert.deepEqual(problems.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), [['invalid-config', 2, 2, 21]]);
    assert.match(String(problems[0].message), /The severity of missing-namespace must be one of/);
    await client.waitForDiagnostics(app, (d) => !d.some((x) => x.code === 'allow-all-peers'));
    // Settings over the file: a rule the settings set wins.
    client.setSettings({ rules: { 'allow-all-peers': 'hint' } });
    const hinted = await client.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'allow-all-peers'));
    assert.deepEqual(hinted.filter((d) => d.code === 'allow-all-peers').map((d) => d.severity), [4]);
    client.change(config, 'colour: blue\n', 2);
    const unknown = await client.diagnosticsForVersion(config, 2);
    assert.deepEqual(unknown.map((d) => d.code), ['invalid-config']);
  });
});
