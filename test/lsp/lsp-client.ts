import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { SERVER } from '../helpers/paths';

export { SERVER };

/** One `$/progress` notification: its token and value (begin, report or end). */
export interface ProgressReport {
  readonly token: string | number;
  readonly value: { readonly kind: 'begin' | 'report' | 'end'; readonly title?: string; readonly message?: string; readonly percentage?: number };
}

export interface StartOptions {
  readonly initializationOptions?: unknown;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Drives the real language server (`node dist/server.js --stdio`) over JSON-RPC, as an
 * editor does. Waiting is always on a notification, never on a timer.
 */
export class LspClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly versions = new Map<string, number | undefined>();
  private readonly waiters: { uri: string; test: (d: Diagnostic[], version?: number) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  /** A wait that outlives this fails the test with what was last published, instead of hanging. */
  static readonly WAIT_LIMIT_MS = 20_000;
  private settings: unknown = {};
  /** Tokens the server created (window/workDoneProgress/create), and every $/progress it sent, in order. */
  readonly progressTokens: (string | number)[] = [];
  readonly progress: ProgressReport[] = [];
  stderr = '';

  private constructor(readonly child: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.versions.set(p.uri, p.version);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.test(p.diagnostics, p.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    // Work-done progress (asked for only when the client declares window.workDoneProgress).
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.progressTokens.push(params.token);
      return null;
    });
    this.connection.onUnhandledProgress((p: ProgressReport) => this.progress.push(p));
    this.connection.listen();
  }

  /**
   * Starts the server on a workspace folder. `process` sets its environment and working
   * directory; `initializationOptions` is sent as is (e.g. `{ trusted: true }`: without it
   * the server treats the workspace as not trusted and runs no git).
   */
  static async start(workspaceDir?: string, settings: unknown = {}, options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    const client = new LspClient(child);
    client.settings = settings;
    const folder = workspaceDir ? pathToFileURL(workspaceDir).toString() : null;
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: folder ? [{ uri: folder, name: 'ws' }] : null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {} } },
      ...(options.initializationOptions === undefined ? {} : { initializationOptions: options.initializationOptions }),
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /**
   * Like `start`, with more client capabilities (e.g. `textDocument.completion`, as VS Code
   * declares them); keeps the server's initialize result in `initializeResult`.
   */
  static async startWithCapabilities(extra: { textDocument?: Record<string, unknown>; workspace?: Record<string, unknown>; window?: Record<string, unknown> }, workspaceDir?: string, settings: unknown = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(child);
    client.settings = settings;
    const folder = workspaceDir ? pathToFileURL(workspaceDir).toString() : null;
    client.initializeResult = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: folder ? [{ uri: folder, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, ...extra.workspace },
        textDocument: { publishDiagnostics: {}, ...extra.textDocument },
        ...(extra.window ? { window: extra.window } : {}),
      },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /** The server's answer to `initialize` (set by `startWithCapabilities`). */
  initializeResult: unknown;

  /**
   * `textDocument/completion` at a 0-based line and UTF-16 character, invoked (Ctrl+Space)
   * or, with `triggerCharacter`, as typing that character asks for it. Always a list.
   */
  async complete(uri: string, line: number, character: number, triggerCharacter?: string): Promise<CompletionItem[]> {
    const context = triggerCharacter === undefined ? { triggerKind: 1 } : { triggerKind: 2, triggerCharacter };
    const result = await this.connection.sendRequest<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: { line, character }, context });
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  /** `textDocument/hover` at a 0-based line and UTF-16 character (null: no hover there). */
  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  /** `textDocument/codeLens` of a document (always a list). */
  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (await this.connection.sendRequest<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri } })) ?? [];
  }

  /**
   * Resolves with the params of the NEXT `method` notification from the server (register
   * before causing it); fails after WAIT_LIMIT_MS instead of hanging.
   */
  nextNotification<T = unknown>(method: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`no ${method} notification within ${LspClient.WAIT_LIMIT_MS} ms; server alive: ${this.alive}\n${this.stderr.slice(-2000)}`));
      }, LspClient.WAIT_LIMIT_MS);
      const subscription = this.connection.onNotification(method, (params: T) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(params);
      });
    });
  }

  /** Resolves with the first publication for `uri` that satisfies `test` (or the current one). */
  waitForDiagnostics(uri: string, test: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const current = this.diagnostics.get(uri);
    if (current && test(current)) return Promise.resolve(current);
    return this.wait(uri, test);
  }

  private wait(uri: string, test: (d: Diagnostic[], version?: number) => boolean): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const waiter = {
        uri,
        test,
        resolve: (d: Diagnostic[]) => {
          clearTimeout(timer);
          resolve(d);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const last = (this.diagnostics.get(uri) ?? []).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`);
        reject(new Error(`no matching diagnostics for ${uri} within ${LspClient.WAIT_LIMIT_MS} ms; last published (v${this.versions.get(uri)}): [${last.join(', ')}]; server alive: ${this.alive}\n${this.stderr.slice(-2000)}`));
      }, LspClient.WAIT_LIMIT_MS);
      this.waiters.push(waiter);
    });
  }

  /** Resolves with the NEXT publication for `uri` that satisfies `test`. */
  nextDiagnostics(uri: string, test: (d: Diagnostic[], version?: number) => boolean = () => true): Promise<Diagnostic[]> {
    return this.wait(uri, test);
  }

  /** Resolves with the publication for `uri` at document version `version`. */
  diagnosticsForVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.nextDiagnostics(uri, (_d, v) => v === version);
  }

  /** True while the server process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  open(uri: string, text: string, version = 1): void {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  change(uri: string, text: string, version: number): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  setSettings(settings: unknown): void {
    this.settings = settings;
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: settings } });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below settles it.
    }
    this.connection.dispose();
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill();
      await exited;
    }
  }
}
