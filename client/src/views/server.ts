/**
 * The views' access to the language server: typed custom requests and the
 * `netpol/analysisChanged` notification fanned out to every open view.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ANALYSIS_CHANGED_NOTIFICATION } from './protocol';

export type GetClient = () => LanguageClient | undefined;

/** JSON-RPC "method not found": the server predates the request. */
const METHOD_NOT_FOUND = -32601;
/** JSON-RPC "invalid params": the server's message says what is wrong with the question (unknown workload…). */
const INVALID_PARAMS = -32602;

export class NetPolServer implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each re-analysis by the server. */
  readonly onAnalysisChanged = this.changed.event;
  private hooked: LanguageClient | undefined;
  private hook: vscode.Disposable | undefined;

  constructor(private readonly getClient: GetClient) {
    this.listen();
  }

  /** The language client, with our notification handler installed (once per client instance). */
  client(): LanguageClient {
    const c = this.getClient();
    if (!c) throw new Error('The NetPol language server is not running.');
    this.listen();
    return c;
  }

  /** Installs the notification handler; the client keeps it across restarts. */
  listen(): void {
    const c = this.getClient();
    if (!c || c === this.hooked) return;
    this.hook?.dispose();
    this.hook = c.onNotification(ANALYSIS_CHANGED_NOTIFICATION, () => this.changed.fire());
    this.hooked = c;
  }

  async request<R>(method: string, params?: unknown, token?: vscode.CancellationToken): Promise<R> {
    const c = this.client();
    try {
      return await c.sendRequest<R>(method, params, token);
    } catch (e) {
      throw new Error(describeError(method, e));
    }
  }

  dispose(): void {
    this.hook?.dispose();
    this.changed.dispose();
  }
}

export function describeError(method: string, e: unknown): string {
  const err = e as { code?: number; message?: string };
  if (err?.code === METHOD_NOT_FOUND) return `The NetPol server does not answer ${method} (is it older than the extension?).`;
  if (err?.code === INVALID_PARAMS && err.message) return err.message;
  return `${method} failed: ${err?.message ?? String(e)}`;
}

/** Shows a file at a 0-based line, in the editor group beside `except` when given. */
export async function openLocation(uri: string, line: number, except?: vscode.ViewColumn): Promise<void> {
  const position = new vscode.Position(Math.max(0, line), 0);
  const viewColumn = except === undefined || except !== vscode.ViewColumn.One ? vscode.ViewColumn.One : vscode.ViewColumn.Beside;
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(position, position), viewColumn, preview: true });
}
