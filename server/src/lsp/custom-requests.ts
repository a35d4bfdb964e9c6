/**
 * The custom requests behind the reachability views (names and types in protocol.ts,
 * shared with the client), and the notification that tells the views to refresh. Every
 * answer comes from the workspace analysis: the connectivity list is `netpol reach`'s,
 * explanations are `netpol explain --format json`'s with LSP locations (URI, 0-based line).
 */
import { CodeLensRefreshRequest, ErrorCodes, ResponseError, type Connection, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analysis/analyze';
import { fixesFor, isCreateFile } from '../core/fixes';
import { connectionIndex } from '../core/reach/lookups';
import type { Workload } from '../core/model/types';
import { parseIp } from '../core/base/ip';
import type { Protocol as CoreProtocol } from '../core/base/ports';
import { endpointName, type Endpoint } from '../core/reach/connections';
import { explanationJson } from '../core/ide/formats/explain-json';
import { explainConnection, findWorkloads, type ExplainEndpoint } from '../core/reach/explain';
import { isEmptySelector } from '../core/reach/selectors';
import type { Span } from '../core/base/span';
import { SpanLocator, analysisOf, type ReachFeatureDeps } from './hover';

import {
  REACHABILITY_REQUEST,
  EXPLAIN_REQUEST,
  WORKLOADS_REQUEST,
  NAMESPACES_REQUEST,
  DEFAULT_DENY_EDIT_REQUEST,
  ANALYSIS_CHANGED_NOTIFICATION,
  PROTOCOLS,
  type Protocol,
  type SourceLocation,
  type EndpointKind,
  type ReachEndpoint,
  type ReachConnection,
  type ReachabilityParams,
  type ReachabilityResult,
  type ExplainParams,
  type ExplainRule,
  type ExplainPolicy,
  type ExplainSide,
  type ExplainResult,
  type WorkloadInfo,
  type DefaultDenyParams,
} from '../protocol';

export { REACHABILITY_REQUEST, EXPLAIN_REQUEST, WORKLOADS_REQUEST, NAMESPACES_REQUEST, DEFAULT_DENY_EDIT_REQUEST, ANALYSIS_CHANGED_NOTIFICATION };
export type { SourceLocation, EndpointKind, ReachEndpoint, ReachConnection, ReachabilityParams, ReachabilityResult, ExplainParams, ExplainRule, ExplainPolicy, ExplainSide, ExplainResult, WorkloadInfo, DefaultDenyParams };

export interface CustomRequestHandlers {
  reachability(params?: ReachabilityParams | null): Promise<ReachabilityResult>;
  explain(params: ExplainParams): Promise<ExplainResult>;
  workloads(): Promise<WorkloadInfo[]>;
  namespaces(): Promise<string[]>;
  defaultDenyEdit(params: DefaultDenyParams): Promise<WorkspaceEdit>;
}

/** The protocol's list of protocols is the core's: each type is assignable to the other (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const PROTOCOLS_AGREE: Same<Protocol, CoreProtocol> = true;

const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function createCustomRequestHandlers(deps: ReachFeatureDeps): CustomRequestHandlers {
  const locator = new SpanLocator((uri) => deps.state.text(uri));
  const location = (span: Span | undefined, fallback?: Span): SourceLocation => {
    const s = span ?? fallback;
    return s ? locator.location(s) : { uri: '', line: 0 };
  };
  /** Runs a request on the current analysis; unexpected failures become an InternalError with the message. */
  const run = async <T>(name: string, body: (analysis: Analysis) => T): Promise<T> => {
    await deps.ready;
    try {
      return body(analysisOf(deps));
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      deps.log?.(`NetPol: ${name} failed: ${(e as Error).stack ?? String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `NetPol: ${name} failed: ${(e as Error).message}`);
    } finally {
      locator.prune(deps.state);
    }
  };

  const endpointOf = (e: Endpoint): ReachEndpoint => {
    const id = endpointName(e);
    if (e.type === 'workload') return { id, label: `${e.workload.name}[${e.workload.kind}]`, namespace: e.workload.namespace, kind: 'workload', location: location(e.workload.span) };
    if (e.type === 'ip') return { id, label: id.replace(/\[External\]$/, ''), kind: 'ip' };
    return { id, label: 'ingress controller', kind: 'ingress-controller' };
  };

  return {
    reachability: (params) =>
      run(REACHABILITY_REQUEST, ({ reach }) => {
        const ns = typeof params?.namespace === 'string' && params.namespace !== '' ? params.namespace : undefined;
        const inNs = (e: Endpoint) => e.type === 'workload' && e.workload.namespace === ns;
        const list = connectionIndex(reach).all.filter((c) => ns === undefined || inNs(c.src) || inNs(c.dst));
        const endpoints = new Map<string, ReachEndpoint>();
        for (const e of reach.index.endpoints) if (ns === undefined || e.workload.namespace === ns) endpoints.set(endpointName(e), endpointOf(e));
        for (const c of list) for (const e of [c.src, c.dst]) if (!endpoints.has(endpointName(e))) endpoints.set(endpointName(e), endpointOf(e));
        return {
          endpoints: [...endpoints.values()].sort((a, b) => byText(a.id, b.id)),
          connections: list.map((c) => ({ src: endpointName(c.src), dst: endpointName(c.dst), conn: c.conn.toString() })),
        };
      }),

    explain: (params) =>
      run(EXPLAIN_REQUEST, (analysis) => {
        if (!params || typeof params.from !== 'string' || typeof params.to !== 'string') throw invalid('netpol/explain needs `from` and `to` (ns/name, ns/name[Kind] or an IP address)');
        const port = params.port;
        if (port !== undefined && port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) throw invalid(`port ${String(port)}: must be an integer from 1 to 65535`);
        const protocol = params.protocol ?? 'TCP';
        if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw invalid(`protocol ${String(protocol)}: must be one of ${PROTOCOLS.join(', ')}`);
        const from = resolveEndpoint(analysis, params.from, 'from');
        const to = resolveEndpoint(analysis, params.to, 'to');
        if (from.type === 'ip' && to.type === 'ip') throw invalid('at least one side must be a workload');
        const query = typeof port === 'number' ? { port, protocol } : undefined;
        const ex = explainConnection(analysis.reach, from, to, query);
        return explanationJson(ex, { from: endpointLabel(analysis, from), to: endpointLabel(analysis, to) }, query, location);
      }),

    workloads: () =>
      run(WORKLOADS_REQUEST, ({ model }) =>
        model.workloads
          .map((w) => ({ id: endpointName({ type: 'workload', index: 0, workload: w }), kind: w.kind, namespace: w.namespace, name: w.name, location: location(w.span) }))
          .sort((a, b) => byText(a.id, b.id)),
      ),

    namespaces: () => run(NAMESPACES_REQUEST, ({ model }) => [...model.namespaces.keys()].sort(byText)),

    defaultDenyEdit: (params) =>
      run(DEFAULT_DENY_EDIT_REQUEST, (analysis) => {
        if (!params || typeof params.namespace !== 'string' || params.namespace === '') throw invalid('netpol/defaultDenyEdit needs `namespace`');
        return defaultDenyEdit(deps, analysis, locator, params.namespace, params.egress === true);
      }),
  };
}

/** Like the CLI's --from/--to: an IP address, or exactly one workload. */
function resolveEndpoint(analysis: Analysis, ref: string, option: 'from' | 'to'): ExplainEndpoint {
  const ip = parseIp(ref.trim());
  if (ip) return { type: 'ip', range: { family: ip.family, start: ip.value, end: ip.value } };
  const { model } = analysis;
  const found = findWorkloads(model.workloads, ref, model.defaultNamespace);
  if (found.length === 0) {
    const known = model.workloads.slice(0, 8).map((w) => `${w.namespace}/${w.name}`).join(', ');
    throw invalid(`${option} ${ref}: no such workload${known ? ` (known: ${known}${model.workloads.length > 8 ? ', …' : ''})` : ' (the workspace has no workloads)'}`);
  }
  if (found.length > 1) {
    const kinds = found.map((i) => model.workloads[i].kind).join(', ');
    throw invalid(`${option} ${ref} is ambiguous (${kinds}): write it as ns/name[Kind]`);
  }
  return { type: 'workload', index: found[0] };
}

function endpointLabel(analysis: Analysis, e: ExplainEndpoint): string {
  if (e.type === 'workload') return endpointName({ type: 'workload', index: e.index, workload: analysis.model.workloads[e.index] });
  return endpointName({ type: 'ip', range: e.range }).replace(/^(.+)-\1\[External\]$/, '$1[External]');
}

/**
 * The quick fix of `namespace-without-default-deny` ("add a default-deny policy to this
 * file"), asked for on the namespace's Namespace object, or its first workload when the
 * Namespace is not declared in the workspace: a new `---` document at the end of that file.
 */
function defaultDenyEdit(deps: ReachFeatureDeps, analysis: Analysis, locator: SpanLocator, namespace: string, egress: boolean): WorkspaceEdit {
  const { model } = analysis;
  const ns = model.namespaces.get(namespace);
  const workload: Workload | undefined = model.workloads.find((w) => w.namespace === namespace && w.sources.length > 0);
  const anchor = ns?.declared && ns.source ? ns.source : workload?.sources[0];
  if (!anchor) {
    throw invalid(
      ns
        ? `namespace ${namespace} has no Namespace object and no workload in the workspace: there is no file to add the policy to`
        : `no namespace ${namespace} in the workspace`,
    );
  }
  const types = egress ? ['Ingress', 'Egress'] : ['Ingress'];
  const missing = types.filter(
    (t) =>
      !model.policies.some(
        (p) => p.namespace === namespace && p.rejected.length === 0 && isEmptySelector(p.podSelector) && p.policyTypes.includes(t as 'Ingress') && (t === 'Ingress' ? p.ingress : p.egress).length === 0,
      ),
  );
  if (missing.length === 0) throw invalid(`namespace ${namespace} already has a default-deny ${types.map((t) => t.toLowerCase()).join(' and ')} NetworkPolicy`);
  const settings = deps.settings();
  const finding = { rule: 'namespace-without-default-deny', severity: 'warning' as const, message: '', span: anchor.span, path: 'metadata.name' };
  const fixes = fixesFor(finding, { analysis, text: (uri) => deps.state.text(uri), options: { ...settings.ruleOptions, requireEgress: egress } });
  const append = fixes.find((f) => f.edits.length > 0 && f.edits.every((e) => !isCreateFile(e)));
  if (!append) throw invalid(`cannot add a default-deny policy to ${anchor.span.file} (a JSON file, or the file changed)`);
  const changes: { [uri: string]: TextEdit[] } = {};
  for (const e of append.edits) {
    if (isCreateFile(e)) continue;
    (changes[e.file] ??= []).push({ range: locator.range(e), newText: e.newText });
  }
  return { changes };
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
