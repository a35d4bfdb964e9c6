/**
 * What the pending edits change in connectivity, shown where the user looks: a status-bar
 * item and the "NetPol Change Impact" tree in the Explorer. The server computes the
 * impact and pushes it (`netpol/changeImpactChanged`); model.ts turns it
 * into text and plain nodes; this file adapts those to the editor.
 */
import * as vscode from 'vscode';
import { hasPendingChange, impactSummary, impactTree, statusText, statusTooltip, viewMessage, type ImpactNode } from './model';
import { CHANGE_IMPACT_REQUEST, SHOW_CHANGE_IMPACT_COMMAND, type ChangeImpactResult, type SourceLocation } from '../../../../server/src/protocol';
import type { NetPolServer } from '../../connection/netpol-server';
import { openLocation } from '../open-location';

export const CHANGE_IMPACT_VIEW_ID = 'netpol.changeImpact';
/** The inline action on a flow of the view: "NetPol: Explain Connection…" with its two ends (the verdict now). */
export const EXPLAIN_FLOW_COMMAND = 'netpol.changeImpact.explainFlow';
/** Internal (not in the palette): what a click on a node with a location runs. */
export const OPEN_CHANGE_LOCATION_COMMAND = 'netpol.changeImpact.open';
/** Left side, after the source-control items (higher priorities): the impact is about uncommitted edits. */
const STATUS_PRIORITY = 50;

/** What the view and the status bar show (for the editor tests). */
export interface ChangeImpactState {
  /** The status-bar item's text; undefined while the item is hidden (no pending change). */
  readonly statusText: string | undefined;
  /** The last impact the server sent or answered; undefined before the first one. */
  readonly result: ChangeImpactResult | undefined;
  readonly tree: readonly ImpactNode[];
}

export class ChangeImpactView implements vscode.Disposable, vscode.TreeDataProvider<ImpactNode> {
  private result: ChangeImpactResult | undefined;
  private tree: readonly ImpactNode[] = [];
  /** Counts pushed results, so that an older answer to our request does not overwrite a newer push. */
  private pushes = 0;
  private readonly treeChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly changed = new vscode.EventEmitter<ChangeImpactState>();
  /** Fires after the status bar and the tree show a new result. */
  readonly onDidChange = this.changed.event;
  private readonly status: vscode.StatusBarItem;
  private readonly view: vscode.TreeView<ImpactNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly server: NetPolServer) {
    this.status = vscode.window.createStatusBarItem(CHANGE_IMPACT_VIEW_ID, vscode.StatusBarAlignment.Left, STATUS_PRIORITY);
    this.status.name = 'NetPol Change Impact';
    this.status.command = SHOW_CHANGE_IMPACT_COMMAND;
    this.view = vscode.window.createTreeView(CHANGE_IMPACT_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.status,
      this.view,
      this.treeChanged,
      this.changed,
      server.onChangeImpact((result) => {
        this.pushes++;
        this.show(result);
      }),
      server.onDidChangeRunning((running) => {
        // A stopped server's impact is stale; a started one pushes only later changes, so
        // ask. A failed answer is dropped: the server's next push brings the state anyway.
        if (running) void this.refresh().catch(() => undefined);
        else this.show(undefined);
      }),
      vscode.commands.registerCommand(OPEN_CHANGE_LOCATION_COMMAND, (location: SourceLocation) => openLocation(location.uri, location.line)),
      vscode.commands.registerCommand(EXPLAIN_FLOW_COMMAND, (node?: ImpactNode) =>
        node?.explain ? vscode.commands.executeCommand('netpol.explainConnection', { from: node.explain.from, to: node.explain.to }) : undefined,
      ),
    );
  }

  state(): ChangeImpactState {
    return { statusText: statusText(this.result), result: this.result, tree: this.tree };
  }

  /** Asks the server for the current impact (nothing happens with a server without the request). */
  async refresh(): Promise<void> {
    const pushesBefore = this.pushes;
    const result = await this.server.requestIfSupported<ChangeImpactResult>(CHANGE_IMPACT_REQUEST);
    if (result !== undefined && this.pushes === pushesBefore) this.show(result);
  }

  /** `netpol.showChangeImpact`: focuses the view, asking the server first when nothing came yet. */
  async reveal(): Promise<ChangeImpactState> {
    if (this.result === undefined) {
      try {
        await this.refresh();
      } catch (e) {
        void vscode.window.showWarningMessage((e as Error).message);
      }
    }
    await vscode.commands.executeCommand(`${CHANGE_IMPACT_VIEW_ID}.focus`);
    return this.state();
  }

  getTreeItem(node: ImpactNode): vscode.TreeItem {
    const collapsible =
      node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    // `flow-explainable` offers the inline "Explain This Flow" action (package.json menus).
    item.contextValue = node.explain ? `${node.kind}-explainable` : node.kind;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
    if (node.tooltip) item.tooltip = markdown(node.tooltip);
    if (node.location) item.command = { command: OPEN_CHANGE_LOCATION_COMMAND, title: 'Open', arguments: [node.location] };
    return item;
  }

  getChildren(node?: ImpactNode): ImpactNode[] {
    return [...(node ? node.children : this.tree)];
  }

  private show(result: ChangeImpactResult | undefined): void {
    // Guards against a server of another version: anything but a result reads as "no change".
    this.result = result !== undefined && Array.isArray(result.files) && Array.isArray(result.entries) ? result : undefined;
    this.tree = impactTree(this.result);
    this.updateStatus();
    this.updateView();
    this.treeChanged.fire();
    this.changed.fire(this.state());
  }

  private updateStatus(): void {
    const result = this.result;
    const text = statusText(result);
    if (text === undefined || !hasPendingChange(result)) {
      this.status.hide();
      return;
    }
    this.status.text = text;
    this.status.tooltip = markdown(statusTooltip(result));
    this.status.backgroundColor = result.breaking > 0 || (result.breaksEvidence ?? 0) > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  private updateView(): void {
    const result = this.result;
    if (!hasPendingChange(result)) {
      this.view.description = undefined;
      this.view.message = undefined;
      this.view.badge = undefined;
      return;
    }
    const flows = result.opened + result.closed;
    this.view.description = impactSummary(result);
    this.view.message = viewMessage(result);
    this.view.badge = flows > 0 ? { value: flows, tooltip: `Pending edits: ${impactSummary(result)}` } : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportThemeIcons = true;
  return md;
}
