/**
 * The explain panel: the verdict with the chain of policies and rules on both sides
 * (`netpol/explain`), each a link to its file and line.
 */
import * as vscode from 'vscode';
import { EXPLAIN_REQUEST, type ExplainParams, type ExplainResult } from '../../../../server/src/protocol';
import { postToPage } from '../../webview/media';
import { h } from '../../webview/view-node';
import { openLocation } from '../open-location';
import { ReachabilityPanel } from '../reachability/panel';
import type { ViewContext } from '../view-context';
import { explainContent, explainToolbar, type ExplainState } from './content';
import { defaultDisplayPath, explainLinks, linkKey } from './links';
import { parseExplainMessage, type ExplainMessage } from './messages';

export const EXPLAIN_VIEW_TYPE = 'netpol.explain';
export const EXPLAIN_TITLE = 'NetPol Explain';

/** The single explain panel, reused for each question. */
export class ExplainPanel implements vscode.Disposable {
  private static current: ExplainPanel | undefined;
  private query!: ExplainParams;
  private result: ExplainResult | undefined;
  private error: string | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  static async show(ctx: ViewContext, query: ExplainParams, column = vscode.ViewColumn.Active): Promise<ExplainResult | undefined> {
    let p = ExplainPanel.current;
    if (p) p.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel(EXPLAIN_VIEW_TYPE, EXPLAIN_TITLE, column, ctx.media.options());
      panel.webview.html = ctx.media.html(panel.webview, 'explain', EXPLAIN_TITLE);
      p = ExplainPanel.current = new ExplainPanel(panel, ctx);
    }
    return p.explain(query);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly ctx: ViewContext,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = parseExplainMessage(m);
        if (msg) void this.onMessage(msg);
      }),
      panel.onDidChangeViewState(() => {
        // Nothing was posted while hidden (and a dropped page asks again with `ready`).
        if (panel.visible) this.postPage();
      }),
    );
  }

  private async explain(query: ExplainParams): Promise<ExplainResult | undefined> {
    const generation = ++this.generation;
    this.query = query;
    this.result = undefined;
    this.error = undefined;
    this.panel.title = `${EXPLAIN_TITLE}: ${short(query.from)} → ${short(query.to)}`;
    this.postPage();
    try {
      const result = await this.ctx.server.request<ExplainResult | null>(EXPLAIN_REQUEST, query);
      if (generation !== this.generation) return result ?? undefined;
      if (!result) throw new Error(`The server could not explain ${query.from} → ${query.to} (unknown endpoint?).`);
      this.result = result;
    } catch (e) {
      if (generation !== this.generation) return undefined;
      this.error = (e as Error).message;
    }
    this.renderContent();
    return this.result;
  }

  private async onMessage(m: ExplainMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.postPage();
        return;
      case 'open':
        // Only the locations this page shows: the page is not trusted more than any page.
        if (this.result && explainLinks(this.result).has(linkKey(m))) await openLocation(m.uri, m.line, this.panel.viewColumn);
        return;
      case 'again':
        await vscode.commands.executeCommand('netpol.explainConnection');
        return;
      case 'swap':
        await this.explain({ ...this.query, from: this.query.to, to: this.query.from });
        return;
      case 'reach':
        await ReachabilityPanel.show(this.ctx, { filters: { workload: this.query.from } });
        return;
    }
  }

  private displayPath = (uri: string): string => {
    try {
      return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
    } catch {
      return defaultDisplayPath(uri);
    }
  };

  private state(): ExplainState {
    return { query: this.query, result: this.result, error: this.error, displayPath: this.displayPath };
  }

  /** The whole page: the toolbar and the content. */
  private postPage(): void {
    if (!this.panel.visible) return;
    postToPage(this.panel.webview, { type: 'page', body: [explainToolbar(), h('main', { id: 'content', 'aria-live': 'polite' }, explainContent(this.state()))] });
  }

  private renderContent(): void {
    if (!this.panel.visible) return;
    postToPage(this.panel.webview, { type: 'content', content: explainContent(this.state()) });
  }

  dispose(): void {
    if (ExplainPanel.current === this) ExplainPanel.current = undefined;
    this.generation++;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function short(id: string): string {
  return id.replace(/\[[^\]]*\]$/, '');
}
