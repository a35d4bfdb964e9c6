/**
 * "NetPol: Explain Connection…": pick a source and a destination (workloads of the
 * workspace or an IP address), optionally a port and protocol, and see the verdict with
 * the chain of policies and rules on both sides (`netpol/explain`), each a link to its
 * file and line. Also `netpol.explainWorkload`, the target of the code lenses.
 */
import { isIP } from 'node:net';
import * as vscode from 'vscode';
import { defaultDisplayPath, explainLinks, linkKey, parseExplainMessage, renderExplainContent, renderExplainHtml, type ExplainMessage } from './explain-render';
import { makeNonce } from './html';
import { EXPLAIN_REQUEST, PROTOCOLS, WORKLOADS_REQUEST, type ExplainParams, type ExplainResult, type Protocol, type WorkloadInfo } from './protocol';
import { ReachabilityPanel, type ReachabilitySummary } from './reachability-panel';
import { filtersForLens, type ExplainWorkloadArgs } from './reachability-render';
import { openLocation, type NetPolServer } from './server';
import { iconLabel } from '../../../server/src/core/base/escape';

export const EXPLAIN_VIEW_TYPE = 'netpol.explain';
export const EXPLAIN_TITLE = 'NetPol Explain';

/** Optional arguments of `netpol.explainConnection`: given parts are not asked for. */
export interface ExplainArgs {
  readonly from?: string;
  readonly to?: string;
  readonly port?: number;
  readonly protocol?: Protocol;
  /** Open the panel beside the active editor (when asked from another view). */
  readonly beside?: boolean;
}

export async function explainConnectionCommand(server: NetPolServer, arg?: unknown): Promise<ExplainResult | undefined> {
  const args: ExplainArgs = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as ExplainArgs) : {};
  const query = args.from && args.to ? { from: args.from, to: args.to, port: args.port, protocol: args.port !== undefined ? (args.protocol ?? 'TCP') : undefined } : await askQuery(server, args);
  if (!query) return undefined;
  return ExplainPanel.show(server, query, args.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
}

type EndpointItem = vscode.QuickPickItem & { id?: string; ip?: true };

async function askQuery(server: NetPolServer, args: ExplainArgs): Promise<ExplainParams | undefined> {
  let workloads: Promise<WorkloadInfo[]> | undefined;
  const items = async (): Promise<EndpointItem[]> => {
    workloads ??= server.request<WorkloadInfo[] | null>(WORKLOADS_REQUEST).then((w) => w ?? []);
    let list: WorkloadInfo[] = [];
    try {
      list = await workloads;
    } catch (e) {
      void vscode.window.showWarningMessage((e as Error).message);
    }
    const sorted = [...list].sort((a, b) => (a.namespace + '/' + a.name).localeCompare(b.namespace + '/' + b.name) || a.kind.localeCompare(b.kind));
    return [
      ...sorted.map((w) => ({ label: `$(symbol-class) ${iconLabel(`${w.namespace}/${w.name}`)}`, description: iconLabel(w.kind), detail: vscode.workspace.asRelativePath(vscode.Uri.parse(w.location.uri)), id: w.id })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(globe) An IP address…', description: 'outside the cluster', ip: true as const },
    ];
  };
  const from = args.from ?? (await pickEndpoint(items(), 'source', 1));
  if (!from) return undefined;
  const to = args.to ?? (await pickEndpoint(items(), 'destination', 2));
  if (!to) return undefined;
  let port = args.port;
  let protocol = args.protocol;
  if (port === undefined) {
    const text = await vscode.window.showInputBox({
      title: 'NetPol: Explain Connection (3/3)',
      prompt: `Port from ${from} to ${to} (leave empty for all ports)`,
      placeHolder: 'e.g. 8080',
      validateInput: (v) => (v.trim() === '' || validPort(v) ? undefined : 'A port number from 1 to 65535, or nothing'),
    });
    if (text === undefined) return undefined;
    if (text.trim() !== '') port = Number(text.trim());
  }
  if (port !== undefined && protocol === undefined) {
    const picked = await vscode.window.showQuickPick(
      PROTOCOLS.map((p) => ({ label: p })),
      { title: `NetPol: Explain Connection, protocol of port ${port}` },
    );
    if (!picked) return undefined;
    protocol = picked.label;
  }
  return { from, to, ...(port !== undefined ? { port, protocol } : {}) };
}

function validPort(v: string): boolean {
  return /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535;
}

async function pickEndpoint(items: Promise<EndpointItem[]>, what: 'source' | 'destination', step: number): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(items, {
    title: `NetPol: Explain Connection (${step}/3)`,
    placeHolder: `The ${what}: a workload, or an IP address`,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (!picked.ip) return picked.id;
  const ip = await vscode.window.showInputBox({
    title: `NetPol: Explain Connection, ${what} address`,
    prompt: `IP address of the ${what}`,
    placeHolder: 'e.g. 10.0.0.5 or 2001:db8::1',
    validateInput: (v) => (isIP(v.trim()) ? undefined : 'An IPv4 or IPv6 address'),
  });
  return ip?.trim() || undefined;
}

/** The single explain panel, reused for each question. */
export class ExplainPanel implements vscode.Disposable {
  private static current: ExplainPanel | undefined;
  private query!: ExplainParams;
  private result: ExplainResult | undefined;
  private error: string | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  static async show(server: NetPolServer, query: ExplainParams, column = vscode.ViewColumn.Active): Promise<ExplainResult | undefined> {
    let p = ExplainPanel.current;
    if (p) p.panel.reveal(undefined, false);
    else {
      const panel = vscode.window.createWebviewPanel(EXPLAIN_VIEW_TYPE, EXPLAIN_TITLE, column, { enableScripts: true, enableFindWidget: true, localResourceRoots: [] });
      p = ExplainPanel.current = new ExplainPanel(panel, server);
    }
    return p.explain(query);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly server: NetPolServer,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = parseExplainMessage(m);
        if (msg) void this.onMessage(msg);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.renderPage();
      }),
    );
  }

  private async explain(query: ExplainParams): Promise<ExplainResult | undefined> {
    const generation = ++this.generation;
    this.query = query;
    this.result = undefined;
    this.error = undefined;
    this.panel.title = `${EXPLAIN_TITLE}: ${short(query.from)} → ${short(query.to)}`;
    this.renderPage();
    try {
      const result = await this.server.request<ExplainResult | null>(EXPLAIN_REQUEST, query);
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
        await ReachabilityPanel.show(this.server, { filters: { workload: this.query.from } });
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

  private renderPage(): void {
    this.panel.webview.html = renderExplainHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce(),
      title: this.panel.title,
      query: this.query,
      result: this.result,
      error: this.error,
      displayPath: this.displayPath,
    });
  }

  private renderContent(): void {
    if (!this.panel.visible) return;
    void this.panel.webview.postMessage({ type: 'update', html: renderExplainContent({ query: this.query, result: this.result, error: this.error, displayPath: this.displayPath }) });
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

export async function explainWorkloadCommand(server: NetPolServer, arg?: unknown): Promise<ReachabilitySummary | undefined> {
  const args = arg as ExplainWorkloadArgs | undefined;
  if (!args || typeof args.id !== 'string') return undefined;
  return ReachabilityPanel.show(server, { filters: filtersForLens(args), beside: true });
}
