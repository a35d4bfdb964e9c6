/**
 * "NetPol: Explain Connection…": pick a source and a destination (workloads of the
 * workspace or an IP address), optionally a port and protocol; panel.ts shows the answer.
 */
import { isIP } from 'node:net';
import * as vscode from 'vscode';
import { PROTOCOLS, WORKLOADS_REQUEST, type ExplainParams, type ExplainResult, type Protocol, type WorkloadInfo } from '../../../../server/src/protocol';
import type { NetPolServer } from '../../connection/netpol-server';
import type { ViewContext } from '../view-context';
import { iconLabel } from '../../labels';
import { ExplainPanel } from './panel';

/** Optional arguments of `netpol.explainConnection`: given parts are not asked for. */
export interface ExplainArgs {
  readonly from?: string;
  readonly to?: string;
  readonly port?: number;
  readonly protocol?: Protocol;
  /** Open the panel beside the active editor (when asked from another view). */
  readonly beside?: boolean;
}

export async function explainConnectionCommand(ctx: ViewContext, arg?: unknown): Promise<ExplainResult | undefined> {
  const args: ExplainArgs = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as ExplainArgs) : {};
  const query = args.from && args.to ? { from: args.from, to: args.to, port: args.port, protocol: args.port !== undefined ? (args.protocol ?? 'TCP') : undefined } : await askQuery(ctx.server, args);
  if (!query) return undefined;
  return ExplainPanel.show(ctx, query, args.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
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
