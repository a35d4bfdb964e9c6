/**
 * The thin client: starts the bundled language server for YAML documents, forwards
 * settings and file events, and registers commands. All analysis is in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerViews, type NetPolViewsApi } from './views/index';
import { WORKSPACE_TRUSTED_NOTIFICATION, type NetPolInitializationOptions } from './views/protocol';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NetPolApi> {
  output = vscode.window.createOutputChannel('NetPol', { log: true });
  context.subscriptions.push(output);
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('netpol.restartServer', async () => {
      output?.appendLine('Restarting the NetPol language server');
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
  return { client: () => client, views };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** What the extension exposes to its tests (and other extensions). */
export interface NetPolApi {
  client(): LanguageClient | undefined;
  views: NetPolViewsApi;
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
    // Read at each (re)start: a restart after trust was granted starts trusted.
    initializationOptions: (): NetPolInitializationOptions => ({ settings: vscode.workspace.getConfiguration('netpol'), trusted: vscode.workspace.isTrusted }),
  };
  return new LanguageClient('netpol', 'NetPol', serverOptions, clientOptions);
}
