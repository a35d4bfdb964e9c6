/**
 * The reachability view's requests (names and types in protocol.ts): the connectivity
 * list (`netpol reach`'s, self-pairs left out) with its endpoints, the workloads and the
 * namespaces; and the notification that tells the views to refresh.
 */
import { CodeLensRefreshRequest, type Connection } from 'vscode-languageserver/node';
import { connectionIndex, endpointName, type Endpoint } from '../core';
import { ANALYSIS_CHANGED_NOTIFICATION, NAMESPACES_REQUEST, REACHABILITY_REQUEST, WORKLOADS_REQUEST, type ReachabilityParams, type ReachabilityResult, type ReachEndpoint, type WorkloadInfo } from '../protocol';
import { runRequest, type FeatureDeps } from './features';
import { reachConnection, reachEndpoint, workloadInfo } from './to-lsp';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function createReachabilityHandlers(deps: FeatureDeps) {
  return {
    /** `netpol/reachability`: every connection, or those of one namespace's workloads. */
    reachability: (params?: ReachabilityParams | null): Promise<ReachabilityResult> =>
      runRequest(deps, REACHABILITY_REQUEST, ({ analysis: { reach } }, conv) => {
        const ns = typeof params?.namespace === 'string' && params.namespace !== '' ? params.namespace : undefined;
        const inNs = (e: Endpoint) => e.type === 'workload' && e.workload.namespace === ns;
        const list = connectionIndex(reach).all.filter((c) => ns === undefined || inNs(c.src) || inNs(c.dst));
        const endpoints = new Map<string, ReachEndpoint>();
        for (const e of reach.index.endpoints) if (ns === undefined || e.workload.namespace === ns) endpoints.set(endpointName(e), reachEndpoint(e, conv));
        for (const c of list) for (const e of [c.src, c.dst]) if (!endpoints.has(endpointName(e))) endpoints.set(endpointName(e), reachEndpoint(e, conv));
        return {
          endpoints: [...endpoints.values()].sort((a, b) => byText(a.id, b.id)),
          connections: list.map(reachConnection),
        };
      }),

    /** `netpol/workloads`: every workload, with where it is written. */
    workloads: (): Promise<WorkloadInfo[]> =>
      runRequest(deps, WORKLOADS_REQUEST, ({ analysis: { model } }, conv) =>
        model.workloads.map((w) => workloadInfo(w, conv)).sort((a, b) => byText(a.id, b.id)),
      ),

    /** `netpol/namespaces`: the namespaces of the workspace, declared or not. */
    namespaces: (): Promise<string[]> => runRequest(deps, NAMESPACES_REQUEST, ({ analysis: { model } }) => [...model.namespaces.keys()].sort(byText)),
  };
}

/**
 * After each diagnostics refresh: tells the views (`netpol/analysisChanged`, no params)
 * and, when the client supports it (`workspace.codeLens.refreshSupport`), asks it to
 * re-request code lenses, whose counts may change with an edit of another file.
 */
export function notifyAnalysisChanged(connection: Connection, options: { refreshCodeLenses?: boolean } = {}): void {
  void connection.sendNotification(ANALYSIS_CHANGED_NOTIFICATION).catch(() => undefined);
  if (options.refreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}
