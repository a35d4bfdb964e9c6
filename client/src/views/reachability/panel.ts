/**
 * The reachability panel: a webview with the matrix and the graph of who can reach whom,
 * filterable, exportable, following edits live. The server computes
 * (`netpol/reachability`); the panel keeps the scope, the filters and the answer.
 */
import * as vscode from 'vscode';
import { EXPORT_REQUEST, REACHABILITY_REQUEST, type ExportParams, type ExportResult, type ReachabilityParams, type ReachabilityResult } from '../../../../server/src/protocol';
import { postToPage } from '../../webview/media';
import { h } from '../../webview/view-node';
import { openLocation } from '../open-location';
import type { ViewContext } from '../view-context';
import { reachabilityContent, type ReachabilityState } from './content';
import { endpointIndex } from './endpoints';
import { EXPORT_LOOKS, type ViewExportFormat } from './export';
import { NO_FILTERS, applyFilters, type ReachFilters, type ReachView } from './filters';
import { parseReachMessage, type ReachMessage } from './messages';
import { reachabilityToolbar } from './toolbar';

export const REACHABILITY_VIEW_TYPE = 'netpol.reachability';
export const REACHABILITY_TITLE = 'NetPol Reachability';
/** Re-analyses come in bursts while typing: ask again once they settle. */
const REFRESH_DEBOUNCE_MS = 400;

export interface ShowReachabilityArgs {
  /** Restrict the server's answer to one namespace; absent: the whole workspace. */
  readonly namespace?: string;
  /** Preset filters (the rest stay empty). */
  readonly filters?: Partial<ReachFilters>;
  readonly view?: ReachView;
  /** A new panel opens beside the active editor rather than over it. */
  readonly beside?: boolean;
}

/** What the command returns (for tests and other extensions). */
export interface ReachabilitySummary {
  readonly title: string;
  readonly namespace?: string;
  readonly filters: ReachFilters;
  readonly view: ReachView;
  /** Endpoints and connections the server returned. */
  readonly endpoints: number;
  readonly connections: number;
  /** Connections left after the filters. */
  readonly shown: number;
  readonly error?: string;
}

export class ReachabilityPanel implements vscode.Disposable {
  private static current: ReachabilityPanel | undefined;
  private static readonly loaded = new vscode.EventEmitter<ReachabilitySummary>();
  /** Fires after each answer of the server is shown (first show, live refresh, Refresh). */
  static readonly onDidLoad = ReachabilityPanel.loaded.event;

  /** What the open panel shows, if one is open. */
  static currentSummary(): ReachabilitySummary | undefined {
    return ReachabilityPanel.current?.summary();
  }

  private namespace: string | undefined;
  private filters: ReachFilters = NO_FILTERS;
  private view: ReachView = 'matrix';
  private model: ReachabilityResult | undefined;
  private error: string | undefined;
  private generation = 0;
  private pending: vscode.CancellationTokenSource | undefined;
  private stale = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static async show(ctx: ViewContext, args: ShowReachabilityArgs): Promise<ReachabilitySummary> {
    let p = ReachabilityPanel.current;
    if (p) {
      p.panel.reveal(undefined, false);
    } else {
      const column = args.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      const panel = vscode.window.createWebviewPanel(REACHABILITY_VIEW_TYPE, REACHABILITY_TITLE, column, ctx.media.options());
      panel.webview.html = ctx.media.html(panel.webview, 'reachability', REACHABILITY_TITLE);
      p = ReachabilityPanel.current = new ReachabilityPanel(panel, ctx);
    }
    p.configure(args);
    await p.load();
    return p.summary();
  }

  private readonly server: ViewContext['server'];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    ctx: ViewContext,
  ) {
    const server = (this.server = ctx.server);
    server.listen();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = parseReachMessage(m);
        if (msg) void this.onMessage(msg);
      }),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) return;
        // Nothing was posted while hidden (and a dropped page asks again with `ready`).
        this.postPage();
        if (this.stale) void this.load();
      }),
      server.onAnalysisChanged(() => this.scheduleRefresh()),
    );
  }

  private configure(args: ShowReachabilityArgs): void {
    this.namespace = args.namespace || undefined;
    if (args.filters) this.filters = { ...NO_FILTERS, ...args.filters };
    if (args.view) this.view = args.view;
    this.panel.title = this.namespace ? `${REACHABILITY_TITLE}: ${this.namespace}` : REACHABILITY_TITLE;
    this.model = undefined;
    this.error = undefined;
    this.postPage();
  }

  private scope(): string {
    return this.namespace ? `namespace ${this.namespace}` : 'whole workspace';
  }

  private scheduleRefresh(): void {
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load();
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Asks the server; a newer request supersedes an older one. */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.pending?.cancel();
    const cts = (this.pending = new vscode.CancellationTokenSource());
    this.stale = false;
    const params: ReachabilityParams = this.namespace ? { namespace: this.namespace } : {};
    try {
      const model = await this.server.request<ReachabilityResult | null>(REACHABILITY_REQUEST, params, cts.token);
      if (generation !== this.generation) return;
      this.model = model ?? { endpoints: [], connections: [] };
      this.error = undefined;
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = (e as Error).message;
    } finally {
      cts.dispose();
      if (this.pending === cts) this.pending = undefined;
    }
    this.renderContent();
    ReachabilityPanel.loaded.fire(this.summary());
  }

  private async onMessage(m: ReachMessage): Promise<void> {
    switch (m.type) {
      case 'filter':
        this.filters = m.filters;
        this.renderContent();
        return;
      case 'view':
        this.view = m.view;
        return;
      case 'refresh':
        await this.load();
        return;
      case 'ready':
        this.postPage();
        return;
      case 'open':
        return this.openEndpoint(m.id);
      case 'explain':
        await vscode.commands.executeCommand('netpol.explainConnection', { from: m.from, to: m.to, beside: true });
        return;
      case 'export':
        return this.export(m.format);
    }
  }

  private async openEndpoint(id: string): Promise<void> {
    const e = this.model && endpointIndex(this.model).get(id);
    if (!e?.location) {
      void vscode.window.showInformationMessage(`${id} is not defined in a file of the workspace.`);
      return;
    }
    await openLocation(e.location.uri, e.location.line, this.panel.viewColumn);
  }

  /** The shown connections as the server writes them (`netpol reach --format …`'s text), in a new document beside the view. */
  private async export(format: ViewExportFormat): Promise<void> {
    if (!this.model) return;
    const params: ExportParams = { format, connections: applyFilters(this.model, this.filters).connections };
    let content: string;
    try {
      content = (await this.server.request<ExportResult>(EXPORT_REQUEST, params)).content;
    } catch (e) {
      void vscode.window.showErrorMessage((e as Error).message);
      return;
    }
    const { language } = EXPORT_LOOKS[format];
    const known = await vscode.languages.getLanguages();
    const doc = await vscode.workspace.openTextDocument({ content, language: known.includes(language) ? language : 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  /** The whole page: the toolbar (title, scope, the filters' values, the view) and the content. */
  private postPage(): void {
    if (!this.panel.visible) return;
    const toolbar = reachabilityToolbar({ title: REACHABILITY_TITLE, scope: this.scope(), filters: this.filters, view: this.view });
    const content = h('main', { id: 'content', 'aria-live': 'polite' }, reachabilityContent(this.state()));
    postToPage(this.panel.webview, { type: 'page', bodyClass: `view-${this.view}`, body: [toolbar, content] });
  }

  private state(): ReachabilityState {
    return { model: this.model, error: this.error, filters: this.filters };
  }

  /** The results only: the inputs keep their focus and caret. */
  private renderContent(): void {
    // A hidden page is given the whole state when it is shown again.
    if (!this.panel.visible) return;
    postToPage(this.panel.webview, { type: 'content', content: reachabilityContent(this.state()) });
  }

  summary(): ReachabilitySummary {
    return {
      title: this.panel.title,
      namespace: this.namespace,
      filters: this.filters,
      view: this.view,
      endpoints: this.model?.endpoints.length ?? 0,
      connections: this.model?.connections.length ?? 0,
      shown: this.model ? applyFilters(this.model, this.filters).connections.length : 0,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  dispose(): void {
    if (ReachabilityPanel.current === this) ReachabilityPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.pending?.cancel();
    this.generation++;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
