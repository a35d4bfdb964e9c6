/**
 * The views of the client: reachability panel, explain connection, default-deny.
 * extension.ts calls registerViews once; the server computes, these only render.
 */
import * as vscode from 'vscode';
import { createDefaultDenyCommand } from './default-deny';
import { explainConnectionCommand, explainWorkloadCommand } from './explain';
import { ReachabilityPanel, showReachabilityCommand, type ReachabilitySummary } from './reachability-panel';
import { NetPolServer, type GetClient } from './server';

export const VIEW_COMMANDS = ['netpol.showReachability', 'netpol.explainConnection', 'netpol.explainWorkload', 'netpol.createDefaultDeny'] as const;

/** What the views expose through the extension's API (for the editor tests). */
export interface NetPolViewsApi {
  /** The open reachability panel's state, if one is open. */
  reachability(): ReachabilitySummary | undefined;
  /** Fires each time the reachability panel has shown a new answer of the server. */
  readonly onDidLoadReachability: vscode.Event<ReachabilitySummary>;
}

export function registerViews(context: vscode.ExtensionContext, getClient: GetClient): NetPolViewsApi {
  const server = new NetPolServer(getClient);
  context.subscriptions.push(
    server,
    vscode.commands.registerCommand('netpol.showReachability', (arg?: unknown) => showReachabilityCommand(server, arg)),
    vscode.commands.registerCommand('netpol.explainConnection', (arg?: unknown) => explainConnectionCommand(server, arg)),
    vscode.commands.registerCommand('netpol.explainWorkload', (arg?: unknown) => explainWorkloadCommand(server, arg)),
    vscode.commands.registerCommand('netpol.createDefaultDeny', (arg?: unknown) => createDefaultDenyCommand(server, arg)),
  );
  return { reachability: () => ReachabilityPanel.currentSummary(), onDidLoadReachability: ReachabilityPanel.onDidLoad };
}
