/**
 * The thin client: starts the bundled language server for YAML documents, forwards
 * settings and file events, and registers commands. All analysis is in the server.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { RestartPolicy } from './restart-policy';
import { registerViews, type NetPolViewsApi } from './views/index';
import { WORKSPACE_TRUSTED_NOTIFICATION, type NetPolInitializationOptions } from './views/protocol';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
/** Restarts after crashes: bounded, told once (see restart-policy.ts). */
const restartPolicy = new RestartPolicy();
/** What was shown to the user about crashes (for the editor tests). */
const crashNotices: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<NetPolApi> {
  output = vscode.window.createOutputChannel('NetPol', { log: true });
  context.subscriptions.push(output);
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('netpol.restartServer', async () => {
      output?.appendLine('Restarting the NetPol language server');
      restartPolicy.reset();
      await client?.restart();
    }),
  );
  // Restricted Mode: the server runs no git until the user trusts the workspace.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION).catch(() => undefined);
    }),
  );
  const views = registerViews(context, () => client);
  await client.start();
  return { client: () => client, views, crashNotices: () => [...crashNotices] };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** What the extension exposes to its tests (and other extensions). */
export interface NetPolApi {
  client(): LanguageClient | undefined;
  views: NetPolViewsApi;
  /** The messages shown to the user about server crashes, oldest first. */
  crashNotices(): string[];
}

/**
 * vscode-languageclient's error handler, stated explicitly: restart a crashed server at
 * most 4 times in 3 minutes, tell the user once (our own message, `handled` so the
 * client shows none of its own), log every crash.
 */
function errorHandler(): ErrorHandler {
  return {
    error: (_error, _message, count) => ({ action: restartPolicy.error(count) === 'continue' ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      const decision = restartPolicy.closed();
      output?.warn(decision.log);
      if (decision.notice) {
        crashNotices.push(decision.notice.message);
        if (decision.notice.level === 'warning') void vscode.window.showWarningMessage(decision.notice.message);
        else {
          void vscode.window.showErrorMessage(decision.notice.message, 'Restart Server').then((choice) => (choice ? vscode.commands.executeCommand('netpol.restartServer') : undefined));
        }
      }
      return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
    },
  };
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // No language id of our own: we coexist with Red Hat's YAML extension on `yaml`.
    documentSelector: [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
    ],
    synchronize: {
      configurationSection: 'netpol',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    outputChannel: output,
    errorHandler: errorHandler(),
    // Read at each (re)start: a restart after trust was granted starts trusted.
    initializationOptions: (): NetPolInitializationOptions => ({ settings: vscode.workspace.getConfiguration('netpol'), trusted: vscode.workspace.isTrusted }),
  };
  return new LanguageClient('netpol', 'NetPol', serverOptions, clientOptions);
}
