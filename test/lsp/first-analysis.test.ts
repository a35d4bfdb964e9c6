/**
 * The first analysis of a workspace is published in steps (issue 15 item 4): the open
 * files' diagnostics first, then the other files' a slice at a time, each file's complete
 * when it is published. What the client holds at the end is what one whole refresh gives;
 * a change during the steps stops them and the next analysis publishes everything.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { Workspace } from '../../server/src/core';
import { DiagnosticsService, publishOrder } from '../../server/src/lsp/diagnostics';
import { LineIndexes } from '../../server/src/lsp/to-lsp';
import { generateWorkspace } from '../bench/generate';
import { LspClient } from './lsp-client';

/** About 2 MB of manifests in 21 files: several slices, findings of many rules in every file. */
const generated = generateWorkspace({ namespaces: 40, workloadsPerNamespace: 20, files: 20 });

let dir = '';
const uris: string[] = [];
const texts = new Map<string, string>();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-first-analysis-'));
  for (const f of generated.files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
    const uri = pathToFileURL(path).toString();
    uris.push(uri);
    texts.set(uri, f.text);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** What a diagnostic says, for comparing publications (the docs link is the server's own). */
const said = (d: Diagnostic) => `${String(d.code)} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;

/** A workspace holding the generated files (`open`: that one as an editor buffer). */
function workspaceOf(open?: string, edited?: { uri: string; text: string }): Workspace {
  const ws = new Workspace();
  for (const [uri, text] of texts) ws.applyChange({ kind: 'disk', uri, text });
  if (open) ws.applyChange({ kind: 'open', uri: open, text: texts.get(open)! });
  if (edited) ws.applyChange({ kind: 'open', uri: edited.uri, text: edited.text });
  return ws;
}

/** The diagnostics one whole refresh publishes, per file (files without any left out). */
function wholeRefresh(ws: Workspace): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const service = new DiagnosticsService({ sendDiagnostics: () => Promise.resolve() }, { workspace: ws, lines: new LineIndexes(), docsUri: (rule) => `docs/${rule}.md` });
  for (const [uri, diagnostics] of service.compute()) if (diagnostics.length > 0) out.set(uri, diagnostics.map(said));
  return out;
}

/** The last publication per file, files whose last one is empty left out. */
function lastPublished(sent: readonly { uri: string; diagnostics: Diagnostic[] }[]): Map<string, string[]> {
  const last = new Map<string, string[]>();
  for (const p of sent) last.set(p.uri, p.diagnostics.map(said));
  for (const [uri, list] of last) if (list.length === 0) last.delete(uri);
  return last;
}

describe('the first analysis in steps, in process', () => {
  test('slices: the open files alone first; with none open, one file first; every file once', () => {
    const size = (uri: string) => texts.get(uri)!.length;
    const open = uris[7];
    const withOpen = publishOrder(uris, new Set([open]), size);
    assert.deepEqual(withOpen[0], [open]);
    assert.ok(withOpen.length >= 3, `several slices: ${withOpen.length}`);
    assert.deepEqual([...withOpen.flat()].sort(), [...uris].sort());
    const none = publishOrder(uris, new Set(), size);
    assert.deepEqual(none[0], [uris[0]]);
    assert.deepEqual(none.flat(), uris);
  });

  test('the open file is published first, every file once, and what is published is what a whole refresh gives', async () => {
    const open = uris[7];
    const ws = workspaceOf(open);
    const sent: { uri: string; diagnostics: Diagnostic[] }[] = [];
    const progress: [number, number][] = [];
    const service = new DiagnosticsService({ sendDiagnostics: (p) => (sent.push(p), Promise.resolve()) }, { workspace: ws, lines: new LineIndexes(), docsUri: (rule) => `docs/${rule}.md` });
    const finished = await service.refreshInSteps(new Set([open]), (done, total) => progress.push([done, total]));
    assert.equal(finished, true);
    assert.equal(sent[0].uri, open, 'the open file first');
    // Each file once: the closing whole refresh found nothing the steps had not published.
    assert.equal(new Set(sent.map((p) => p.uri)).size, sent.length, `published twice: ${sent.map((p) => p.uri).join(' ')}`);
    const expected = wholeRefresh(workspaceOf(open));
    assert.ok(expected.size >= uris.length - 1, `findings in (nearly) every file: ${expected.size} of ${uris.length}`);
    assert.deepEqual(lastPublished(sent), expected);
    // The progress: counts that grow to every file, in more than one step.
    assert.ok(progress.length >= 3, `in steps: ${JSON.stringify(progress)}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i][0] > progress[i - 1][0]);
    assert.deepEqual(progress[progress.length - 1], [uris.length, uris.length]);
  });

  test('an edit during the steps stops them; the next refresh publishes the edited workspace whole', async () => {
    const open = uris[3];
    const ws = workspaceOf(open);
    const sent: { uri: string; diagnostics: Diagnostic[] }[] = [];
    const service = new DiagnosticsService({ sendDiagnostics: (p) => (sent.push(p), Promise.resolve()) }, { workspace: ws, lines: new LineIndexes(), docsUri: (rule) => `docs/${rule}.md` });
    // A port of the open file changes: its findings may, and others' may.
    const edited = { uri: open, text: texts.get(open)!.replace(/port: 9000/, 'port: 9001') };
    assert.notEqual(edited.text, texts.get(open));
    let steps = 0;
    const finished = await service.refreshInSteps(new Set([open]), () => {
      if (++steps === 2) ws.applyChange({ kind: 'open', uri: edited.uri, text: edited.text });
    });
    assert.equal(finished, false, 'stopped by the edit');
    assert.ok(new Set(sent.map((p) => p.uri)).size < uris.length, 'not every file was published by the stopped steps');
    service.refresh(new Set([open]));
    assert.deepEqual(lastPublished(sent), wholeRefresh(workspaceOf(undefined, edited)));
  });
});

describe('the first analysis in steps, over stdio', () => {
  test('a file opened at start is published first; in the end every file has what a whole refresh gives', async () => {
    const open = uris[11];
    const order: string[] = [];
    const client = await LspClient.startWithCapabilities({ window: { workDoneProgress: true } }, dir);
    try {
      // (Each file's first publication, in the order they come.)
      for (const uri of uris) void client.nextDiagnostics(uri).then(() => order.push(uri));
      client.open(open, texts.get(open)!);
      // The progress ends once every file's diagnostics are out.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress end within ${LspClient.WAIT_LIMIT_MS} ms`)), LspClient.WAIT_LIMIT_MS);
        const check = () => {
          if (!client.progress.some((p) => p.value.kind === 'end')) return;
          clearTimeout(timer);
          resolve();
        };
        client.connection.onUnhandledProgress(() => setImmediate(check));
        check();
      });
      assert.equal(order[0], open, `the open file first: ${order.slice(0, 3).join(' ')}`);
      const checking = client.progress.map((p) => p.value.message ?? '').filter((m) => m.startsWith('checking '));
      assert.ok(checking.length >= 3, `checking reported in steps: ${checking.join('; ')}`);
      assert.equal(checking[checking.length - 1], `checking ${uris.length}/${uris.length} files`);
      const got = new Map<string, string[]>();
      for (const [uri, diagnostics] of client.diagnostics) if (diagnostics.length > 0) got.set(uri, diagnostics.map(said));
      assert.deepEqual(got, wholeRefresh(workspaceOf(open)));
    } finally {
      await client.stop();
    }
  });

  test('an edit right after the open file\'s first diagnostics: its diagnostics for the edit come, and in the end every file has what a whole refresh of the edited workspace gives', async () => {
    const open = uris[5];
    const edited = texts.get(open)!.replace(/port: 9000/, 'port: 9001');
    assert.notEqual(edited, texts.get(open));
    const client = await LspClient.startWithCapabilities({ window: { workDoneProgress: true } }, dir);
    try {
      const ended = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress end within ${LspClient.WAIT_LIMIT_MS} ms`)), LspClient.WAIT_LIMIT_MS);
        client.connection.onUnhandledProgress((p: { value: { kind: string } }) => {
          if (p.value.kind !== 'end') return;
          clearTimeout(timer);
          setImmediate(resolve);
        });
      });
      client.open(open, texts.get(open)!);
      await client.waitForDiagnostics(open);
      const second = client.diagnosticsForVersion(open, 2);
      client.change(open, edited, 2);
      await second;
      await ended;
      assert.equal(client.versions.get(open), 2);
      const got = new Map<string, string[]>();
      for (const [uri, diagnostics] of client.diagnostics) if (diagnostics.length > 0) got.set(uri, diagnostics.map(said));
      assert.deepEqual(got, wholeRefresh(workspaceOf(undefined, { uri: open, text: edited })));
    } finally {
      await client.stop();
    }
  });
});
