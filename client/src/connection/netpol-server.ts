/**
 * The views' access to the language server: custom requests with readable errors, and
 * the server's notifications (`netpol/analysisChanged`, `netpol/changeImpactChanged`)
 * and the client's start/stop fanned out as events to every view.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ANALYSIS_CHANGED_NOTIFICATION, CHANGE_IMPACT_CHANGED_NOTIFICATION, type ChangeImpactResult } from '../../../server/src/protocol';

export type GetClient = () => LanguageClient | undefined;

/** JSON-RPC "method not found": the server predates the request. */
const METHOD_NOT_FOUND = -32601;
/** JSON-RPC "invalid params": the server's message says what is wrong with the question (unknown workload…). */
const INVALID_PARAMS = -32602;

export class NetPolServer implements vscode.Disposable {
  private readonly analysisChanged = new vscode.EventEmitter<void>();
  /** Fires after each re-analysis by the server. */
  readonly onAnalysisChanged = this.analysisChanged.event;
  private readonly changeImpact = new vscode.EventEmitter<ChangeImpactResult>();
  /** Fires with each change impact the server pushes (only when it differs from the last one). */
  readonly onChangeImpact = this.changeImpact.event;
  private readonly running = new vscode.EventEmitter<boolean>();
  /**
   * Fires true each time the server is up (first start, `netpol.restartServer`, the
   * client's own restart after a crash) and false when it stops: a fresh server pushes
   * only what changes from then on, so views that keep state ask again.
   */
  readonly onDidChangeRunning = this.running.event;
  private hooked: LanguageClient | undefined;
  private hooks: vscode.Disposable[] = [];

  constructor(private readonly getClient: GetClient) {
    this.listen();
  }

  /** The language client, with our handlers installed (once per client instance). */
  client(): LanguageClient {
    const c = this.getClient();
    if (!c) throw new Error('The NetPol language server is not running.');
    this.listen();
    return c;
  }

  /**
   * Installs the notification and state handlers. The client keeps them across its
   * restarts (it re-registers notification handlers on each new connection), so this
   * only has to happen again for a new client instance.
   */
  listen(): void {
    const c = this.getClient();
    if (!c || c === this.hooked) return;
    for (const h of this.hooks) h.dispose();
    this.hooks = [
      c.onNotification(ANALYSIS_CHANGED_NOTIFICATION, () => this.analysisChanged.fire()),
      c.onNotification(CHANGE_IMPACT_CHANGED_NOTIFICATION, (result: ChangeImpactResult) => this.changeImpact.fire(result)),
      c.onDidChangeState((e) => {
        if (e.newState === State.Running) this.running.fire(true);
        else if (e.oldState === State.Running) this.running.fire(false);
      }),
    ];
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

  /** Like request, but undefined when the server does not know the method (an older server). */
  async requestIfSupported<R>(method: string, params?: unknown, token?: vscode.CancellationToken): Promise<R | undefined> {
    const c = this.client();
    try {
      return await c.sendRequest<R>(method, params, token);
    } catch (e) {
      if ((e as { code?: number })?.code === METHOD_NOT_FOUND) return undefined;
      throw new Error(describeError(method, e));
    }
  }

  dispose(): void {
    for (const h of this.hooks) h.dispose();
    this.analysisChanged.dispose();
    this.changeImpact.dispose();
    this.running.dispose();
  }
}

export function describeError(method: string, e: unknown): string {
  const err = e as { code?: number; message?: string };
  if (err?.code === METHOD_NOT_FOUND) return `The NetPol server does not answer ${method} (is it older than the extension?).`;
  if (err?.code === INVALID_PARAMS && err.message) return err.message;
  return `${method} failed: ${err?.message ?? String(e)}`;
}
