/**
 * The language server under abuse, over stdio as an editor drives it: positions out of
 * range, incremental edits with ranges past the end or inverted, thousands of edits in
 * a burst, unknown methods, unopened and odd URIs, malformed parameters, and a protocol
 * stream that breaks. The server answers (with nothing, or InvalidParams / MethodNotFound),
 * keeps serving, and ends up where a fresh server on the same text would be; a stream
 * it can no longer read ends the process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, SERVER } from './lsp-client';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]
`;

const ERR = { InvalidParams: -32602, MethodNotFound: -32601, InternalError: -32603 };

/** The answer to a request, or the error code it got. */
async function answer(client: LspClient, method: string, params: unknown): Promise<{ result?: unknown; code?: number; message?: string }> {
  try {
    return { result: await client.connection.sendRequest(method, params) };
  } catch (e) {
    return { code: (e as { code?: number }).code, message: (e as Error).message };
  }
}

/** Diagnostics without what differs between two servers for the same text (nothing, today). */
const comparable = (d: readonly Diagnostic[]) => d.map((x) => JSON.stringify(x)).sort();

/** What a fresh server publishes for `text` at `uri`. */
async function freshDiagnostics(uri: string, text: string): Promise<string[]> {
  const fresh = await LspClient.start();
  try {
    fresh.open(uri, text, 1);
    return comparable(await fresh.diagnosticsForVersion(uri, 1));
  } finally {
    await fresh.stop();
  }
}

describe('a server that keeps serving', () => {
  let client: LspClient;
  const logs: string[] = [];
  const URI = 'untitled:abuse.yaml';

  before(async () => {
    client = await LspClient.start();
    client.connection.onNotification('window/logMessage', (m: { type: number; message: string }) => void logs.push(m.message));
    client.open(URI, MANIFESTS, 1);
    await client.diagnosticsForVersion(URI, 1);
  });
  after(async () => {
    await client.stop();
  });

  /** The workload's hover still answers as it should (the server is alive and correct). */
  async function stillServing() {
    assert.ok(client.alive, client.stderr);
    const hover = await client.hover(URI, 2, 18);
    assert.match((hover?.contents as { value: string }).value, /^\*\*Deployment\*\* `shop\/web`/);
  }

  test('positions out of range: nothing to answer, never an internal error', async () => {
    const far = [
      { line: 1e9, character: 0 },
      { line: 0, character: 1e9 },
      { line: 2, character: 500 },
      { line: 16, character: 0 },
      { line: Number.MAX_SAFE_INTEGER, character: Number.MAX_SAFE_INTEGER },
    ];
    for (const position of far) {
      const where = JSON.stringify(position);
      assert.deepEqual(await answer(client, 'textDocument/hover', { textDocument: { uri: URI }, position }), { result: null }, `hover ${where}`);
      const completion = await answer(client, 'textDocument/completion', { textDocument: { uri: URI }, position });
      assert.equal(completion.code, undefined, `completion ${where}: ${completion.message}`);
      const actions = await answer(client, 'textDocument/codeAction', { textDocument: { uri: URI }, range: { start: position, end: position }, context: { diagnostics: [] } });
      assert.equal(actions.code, undefined, `codeAction ${where}: ${actions.message}`);
    }
    // Not positions at all (negative, fractional, strings): the client's mistake, said so.
    for (const position of [{ line: -1, character: 0 }, { line: 0, character: -5 }, { line: 1.5, character: 0 }, { line: '2', character: 0 }, {}, null]) {
      const where = JSON.stringify(position);
      assert.equal((await answer(client, 'textDocument/hover', { textDocument: { uri: URI }, position })).code, ERR.InvalidParams, `hover ${where}`);
      assert.equal((await answer(client, 'textDocument/completion', { textDocument: { uri: URI }, position })).code, ERR.InvalidParams, `completion ${where}`);
      const range = { start: position, end: { line: 0, character: 0 } };
      assert.equal((await answer(client, 'textDocument/codeAction', { textDocument: { uri: URI }, range, context: { diagnostics: [] } })).code, ERR.InvalidParams, `codeAction ${where}`);
    }
    await stillServing();
  });

  test('malformed parameters: InvalidParams, the server keeps serving', async () => {
    const cases: [string, unknown][] = [
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: { uri: 5 }, position: { line: 0, character: 0 } }],
      ['textDocument/completion', { textDocument: {} }],
      ['textDocument/codeLens', {}],
      ['textDocument/codeLens', { textDocument: null }],
      ['textDocument/codeAction', { textDocument: { uri: URI } }],
      ['textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: {} }],
      ['textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{}] } }],
      ['textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: 'quickfix' } }],
      ['netpol/explain', 5],
      ['netpol/defaultDenyEdit', { namespace: {} }],
    ];
    for (const [method, params] of cases) {
      const a = await answer(client, method, params);
      assert.equal(a.code, ERR.InvalidParams, `${method} ${JSON.stringify(params)}: ${JSON.stringify(a)}`);
    }
    // Broken notifications are dropped; a document without text or URI is none.
    for (const params of [
      {},
      { textDocument: { uri: 'untitled:number.yaml', languageId: 'yaml', version: 1, text: 5 } },
      { textDocument: { uri: 'untitled:null.yaml', languageId: 'yaml', version: 1, text: null } },
      { textDocument: { uri: 7, languageId: 'yaml', version: 1, text: 'a: b' } },
      { textDocument: { uri: 'untitled:object.yaml', languageId: 'yaml', version: 'v', text: {} } },
    ]) {
      await client.connection.sendNotification('textDocument/didOpen', params);
    }
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: 5 });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'untitled:never-opened.yaml', version: 2 }, contentChanges: [{ text: 'x' }] });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'untitled:never-opened.yaml' } });
    await client.connection.sendNotification('netpol/noSuchNotification', { a: 1 });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [] });
    // The analysis still runs: an edit is published at its version, with the rules' findings.
    const next = client.diagnosticsForVersion(URI, 3);
    const edited = MANIFESTS.replace('port: 80', 'port: 8080');
    client.change(URI, edited, 3);
    assert.deepEqual(comparable(await next), await freshDiagnostics(URI, edited));
    assert.deepEqual(logs.filter((l) => /analysis failed|change impact .*failed/.test(l)), [], 'no feature failed on the way');
    client.change(URI, MANIFESTS, 4);
    await client.diagnosticsForVersion(URI, 4);
    await stillServing();
  });

  test('unknown methods: MethodNotFound, and the next request is answered', async () => {
    for (const method of ['netpol/noSuchRequest', 'textDocument/madeUp', 'completionItem/resolve', '$/fancy']) {
      const a = await answer(client, method, { textDocument: { uri: URI } });
      assert.equal(a.code, ERR.MethodNotFound, `${method}: ${JSON.stringify(a)}`);
    }
    await stillServing();
  });

  test('requests for documents never opened, and documents with odd URIs', async () => {
    for (const uri of ['file:///no/such/file.yaml', 'untitled:never.yaml', 'https://example.com/x.yaml', 'not a uri at all']) {
      assert.deepEqual(await answer(client, 'textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), { result: null }, uri);
      assert.deepEqual(await answer(client, 'textDocument/codeLens', { textDocument: { uri } }), { result: [] }, uri);
      assert.deepEqual(await answer(client, 'textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), { result: [] }, uri);
      const completion = await answer(client, 'textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } });
      assert.equal(completion.code, undefined, `${uri}: ${completion.message}`);
    }
    // Documents under URIs that name no local file (another host, a broken escape, other
    // schemes) are analysed from their text like any other, and break nothing else.
    const logged = logs.length;
    const odd = ['file://fileserver/share/policy.yaml', 'file:///broken%E0%A4%A.yaml', 'https://example.com/policy.yaml', 'git:/policy.yaml?%7B%22ref%22%3A%22HEAD%22%7D'];
    try {
      for (const [i, uri] of odd.entries()) {
        const published = client.diagnosticsForVersion(uri, 1);
        // A policy of its own per document (the same name twice is a finding of its own).
        client.open(uri, MANIFESTS.split('---\n')[1].replace('{name: web', `{name: odd-${i}`), 1);
        assert.deepEqual((await published).map((d) => d.code), ['all-namespaces'], uri);
        assert.ok((await client.codeLenses(uri)).some((l) => /^selects /.test(l.command?.title ?? '')), `${uri}: its lens`);
        assert.ok(await client.hover(uri, 2, 18), `${uri}: its hover`);
      }
      assert.deepEqual(logs.slice(logged), [], 'no feature failed on an odd URI');
    } finally {
      for (const uri of odd) client.close(uri);
    }
    await stillServing();
  });

  test('incremental edits with ranges past the end or inverted: applied as the LSP text model reads them, nothing breaks', async () => {
    let doc = TextDocument.create(URI, 'yaml', 4, MANIFESTS);
    let version = 4;
    const edits = [
      { range: { start: { line: 99, character: 0 }, end: { line: 120, character: 5 } }, text: '\n# appended past the end\n' },
      { range: { start: { line: 3, character: 400 }, end: { line: 3, character: 900 } }, text: ' # past the end of line 3' },
      { range: { start: { line: 16, character: 0 }, end: { line: 15, character: 0 } }, text: '    ports: [{port: 8080}]\n' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' },
    ];
    for (const change of edits) {
      version++;
      doc = TextDocument.update(doc, [change], version);
      const published = client.diagnosticsForVersion(URI, version);
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [change] });
      const mine = comparable(await published);
      assert.deepEqual(mine, await freshDiagnostics(URI, doc.getText()), `after ${JSON.stringify(change.range)}`);
    }
    // Back in step with a full-text change.
    version++;
    const published = client.diagnosticsForVersion(URI, version);
    client.change(URI, MANIFESTS, version);
    assert.deepEqual(comparable(await published), await freshDiagnostics(URI, MANIFESTS));
    await stillServing();
  });
});

describe('thousands of rapid edits', () => {
  test('3,000 incremental edits sent in one burst: the final diagnostics are a fresh server’s on the final text', async () => {
    const client = await LspClient.start();
    const uri = 'untitled:rapid.yaml';
    try {
      client.open(uri, '', 1);
      await client.diagnosticsForVersion(uri, 1);
      // Type MANIFESTS character by character, with a seeded typo (typed, then deleted)
      // every few characters and a line joined and split again now and then.
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      let doc = TextDocument.create(uri, 'yaml', 1, '');
      let version = 1;
      const send = (range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string) => {
        version++;
        doc = TextDocument.update(doc, [{ range, text }], version);
        void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
      };
      const end = () => doc.positionAt(doc.getText().length);
      for (const ch of MANIFESTS) {
        send({ start: end(), end: end() }, ch);
        if (random() < 0.3) {
          const at = end();
          send({ start: at, end: at }, '#');
          send({ start: at, end: end() }, '');
        }
      }
      while (version < 3001) {
        const at = doc.positionAt(Math.floor(random() * doc.getText().length));
        send({ start: at, end: at }, 'x');
        send({ start: at, end: doc.positionAt(doc.offsetAt(at) + 1) }, '');
      }
      assert.equal(doc.getText(), MANIFESTS, 'the edits end on the manifests');
      assert.ok(version >= 3000, `${version} versions`);
      const final = await client.diagnosticsForVersion(uri, version);
      assert.deepEqual(comparable(final), await freshDiagnostics(uri, MANIFESTS));
      assert.ok(client.alive);
    } finally {
      await client.stop();
    }
  });
});

describe('a protocol stream that breaks', () => {
  /** The exit code of `child`, or a failure once `deadlineMs` have passed (a deadline, not a sleep). */
  async function exitOf(child: ChildProcess, what: string, stderr: () => string, deadlineMs = 10_000): Promise<number | null> {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
    const outcome = await Promise.race([exited, deadline]);
    clearTimeout(timer);
    if (outcome !== 'deadline') return outcome;
    child.kill();
    await exited;
    return assert.fail(`the server was still running ${deadlineMs} ms after ${what}; stderr: ${stderr()}`);
  }

  /** Spawns the server, writes `bytes` (its stdin stays open), and waits for it to exit. */
  async function exitAfter(bytes: Buffer | string): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.resume();
    child.stdin.write(bytes);
    const code = await exitOf(child, JSON.stringify(String(bytes).slice(0, 80)), () => stderr);
    child.stdin.destroy();
    return { code, stderr };
  }

  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

  test('a frame without Content-Length: the server exits (1) instead of going deaf', async () => {
    const r = await exitAfter(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the protocol stream cannot be read \(Header must provide a Content-Length property\.\)/);
  });

  test('a Content-Length that is no number, a header line without a colon, binary junk: exit 1', async () => {
    for (const bytes of [`Content-Length: lots\r\n\r\n${body}`, `Content-Length ${body.length}\r\n\r\n${body}`, Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x80, 7, 0x1b]), Buffer.from('\r\n\r\n{}')])]) {
      const r = await exitAfter(bytes);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /the protocol stream cannot be read/);
    }
  });

  test('after a valid session, garbage in the middle of the stream ends it too', async () => {
    const client = await LspClient.start();
    client.open('untitled:x.yaml', MANIFESTS, 1);
    await client.diagnosticsForVersion('untitled:x.yaml', 1);
    client.child.stdin!.write('X-Nonsense: 1\r\n\r\n{}');
    assert.equal(await exitOf(client.child, 'a header without Content-Length', () => client.stderr), 1);
    await client.stop();
  });

  test('a frame whose body is not JSON is skipped: the stream is still in step, the server answers', async () => {
    const client = await LspClient.start();
    try {
      client.child.stdin!.write('Content-Length: 9\r\n\r\n{"broken"');
      client.open('untitled:y.yaml', MANIFESTS, 1);
      await client.diagnosticsForVersion('untitled:y.yaml', 1);
      assert.ok(client.alive);
      assert.ok(await client.hover('untitled:y.yaml', 2, 18));
      assert.match(client.stderr, /a message that is not JSON was skipped/);
    } finally {
      await client.stop();
    }
  });

  test('the client closes the stream without shutdown: exit 1; after shutdown and exit: 0', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stdin.end();
    assert.equal(await exitOf(child, 'the end of its input', () => ''), 1);
    const client = await LspClient.start();
    await client.connection.sendRequest('shutdown');
    await client.connection.sendNotification('exit');
    assert.equal(await exitOf(client.child, 'shutdown and exit', () => client.stderr), 0);
    client.connection.dispose();
  });
});
