/**
 * "NetPol: Show Reachability": the whole workspace or one namespace (a quick pick asks
 * when the command gets no argument), shown by panel.ts; and `netpol.explainWorkload`,
 * the same panel filtered to what a code lens is about.
 */
import * as vscode from 'vscode';
import { NAMESPACES_REQUEST } from '../../../../server/src/protocol';
import { iconLabel } from '../../labels';
import type { ViewContext } from '../view-context';
import { filtersForLens, type ExplainWorkloadArgs } from './lens';
import { ReachabilityPanel, type ReachabilitySummary, type ShowReachabilityArgs } from './panel';

/** The command's argument: a namespace name, the options, or nothing (then a quick pick asks). */
export async function showReachabilityCommand(ctx: ViewContext, arg?: unknown): Promise<ReachabilitySummary | undefined> {
  let args: ShowReachabilityArgs;
  if (typeof arg === 'string') args = { namespace: arg || undefined };
  else if (typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri)) args = arg as ShowReachabilityArgs;
  else {
    const picked = await pickScope(ctx);
    if (!picked) return undefined;
    args = { namespace: picked.namespace };
  }
  return ReachabilityPanel.show(ctx, args);
}

export const WHOLE_WORKSPACE = 'Whole workspace';

async function pickScope({ server }: ViewContext): Promise<{ namespace?: string } | undefined> {
  type Item = vscode.QuickPickItem & { namespace?: string };
  const items = (async (): Promise<Item[]> => {
    let namespaces: string[] = [];
    try {
      namespaces = await server.request<string[]>(NAMESPACES_REQUEST);
    } catch (e) {
      void vscode.window.showWarningMessage((e as Error).message);
    }
    return [
      { label: `$(globe) ${WHOLE_WORKSPACE}`, description: 'every namespace' },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...[...namespaces].sort().map((ns) => ({ label: `$(symbol-namespace) ${iconLabel(ns)}`, description: 'namespace', namespace: ns })),
    ];
  })();
  const picked = await vscode.window.showQuickPick(items, { title: 'NetPol: Show Reachability', placeHolder: 'Whole workspace or one namespace' });
  return picked ? { namespace: picked.namespace } : undefined;
}

export async function explainWorkloadCommand(ctx: ViewContext, arg?: unknown): Promise<ReachabilitySummary | undefined> {
  const args = arg as ExplainWorkloadArgs | undefined;
  if (!args || typeof args.id !== 'string') return undefined;
  return ReachabilityPanel.show(ctx, { filters: filtersForLens(args), beside: true });
}
