/**
 * The views of the client: reachability panel, explain connection, default-deny, change
 * impact. extension.ts calls registerViews once; the server computes, these only render.
 */
import * as vscode from 'vscode';
import { GENERATE_POLICIES_COMMAND, SHOW_CHANGE_IMPACT_COMMAND } from '../../../server/src/protocol';
import { NetPolServer, type GetClient } from '../connection/netpol-server';
import { WebviewMedia } from '../webview/media';
import { ChangeImpactView, type ChangeImpactState } from './change-impact/view';
import { createDefaultDenyCommand } from './default-deny/command';
import { explainConnectionCommand } from './explain/command';
import { generatePoliciesCommand } from './generate/command';
import { explainWorkloadCommand, showReachabilityCommand } from './reachability/command';
import { ReachabilityPanel, type ReachabilitySummary } from './reachability/panel';
import type { ViewContext } from './view-context';

export const VIEW_COMMANDS = [
  'netpol.showReachability',
  'netpol.explainConnection',
  'netpol.explainWorkload',
  'netpol.createDefaultDeny',
  GENERATE_POLICIES_COMMAND,
  SHOW_CHANGE_IMPACT_COMMAND,
] as const;

/** What the views expose through the extension's API (for the editor tests). */
export interface NetPolViewsApi {
  /** The open reachability panel's state, if one is open. */
  reachability(): ReachabilitySummary | undefined;
  /** Fires each time the reachability panel has shown a new answer of the server. */
  readonly onDidLoadReachability: vscode.Event<ReachabilitySummary>;
  /** What the change impact status-bar item and view show now. */
  changeImpact(): ChangeImpactState;
  /** Fires each time they show a new change impact (pushed by the server or asked for). */
  readonly onDidChangeImpact: vscode.Event<ChangeImpactState>;
}

export function registerViews(context: vscode.ExtensionContext, getClient: GetClient): NetPolViewsApi {
  const server = new NetPolServer(getClient);
  const ctx: ViewContext = { server, media: new WebviewMedia(context.extensionUri) };
  // Created before the client starts: it asks for the current impact once the server runs.
  const changeImpact = new ChangeImpactView(server);
  context.subscriptions.push(
    server,
    changeImpact,
    vscode.commands.registerCommand('netpol.showReachability', (arg?: unknown) => showReachabilityCommand(ctx, arg)),
    vscode.commands.registerCommand('netpol.explainConnection', (arg?: unknown) => explainConnectionCommand(ctx, arg)),
    vscode.commands.registerCommand('netpol.explainWorkload', (arg?: unknown) => explainWorkloadCommand(ctx, arg)),
    vscode.commands.registerCommand('netpol.createDefaultDeny', (arg?: unknown) => createDefaultDenyCommand(server, arg)),
    vscode.commands.registerCommand(GENERATE_POLICIES_COMMAND, (arg?: unknown) => generatePoliciesCommand(server, arg)),
    vscode.commands.registerCommand(SHOW_CHANGE_IMPACT_COMMAND, () => changeImpact.reveal()),
  );
  return {
    reachability: () => ReachabilityPanel.currentSummary(),
    onDidLoadReachability: ReachabilityPanel.onDidLoad,
    changeImpact: () => changeImpact.state(),
    onDidChangeImpact: changeImpact.onDidChange,
  };
}
