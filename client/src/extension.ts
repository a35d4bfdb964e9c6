/**
 * The thin client: starts the bundled language server (connection/), registers the
 * restart command and the views (views/). All analysis is in the server.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../../server/src/protocol';
import { createLanguageClient } from './connection/language-client';
import { RestartPolicy } from './connection/restart-policy';
import { registerViews, type NetPolViewsApi } from './views/index';

let client: LanguageClient | undefined;
/** Restarts after crashes: bounded, told once (see connection/restart-policy.ts). */
const restartPolicy = new RestartPolicy();
/** What was shown to the user about crashes (for the editor tests). */
const crashNotices: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<NetPolApi> {
  const output = vscode.window.createOutputChannel('NetPol', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, { output, restartPolicy, onCrashNotice: (message) => crashNotices.push(message) });
  context.subscriptions.push(
    vscode.commands.registerCommand('netpol.restartServer', async () => {
      output.appendLine('Restarting the NetPol language server');
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
