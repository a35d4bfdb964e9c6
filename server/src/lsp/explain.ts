/**
 * `netpol/explain` (the Explain Connection view): the verdict for one connection and the
 * policies and rules behind it, as `netpol explain --format json` gives it, with LSP
 * locations (URI, 0-based line).
 */
import { endpointLabel, explainConnection, explanationJson, findEndpoint, PROTOCOLS, type Analysis, type ExplainEndpoint } from '../core';
import { EXPLAIN_REQUEST, type ExplainParams, type ExplainResult } from '../protocol';
import { invalid, runRequest, type FeatureDeps } from './features';
import { location } from './to-lsp';

export function createExplainHandler(deps: FeatureDeps): (params: ExplainParams) => Promise<ExplainResult> {
  return (params) =>
    runRequest(deps, EXPLAIN_REQUEST, ({ analysis }, conv) => {
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
      return explanationJson(ex, { from: endpointLabel(analysis, from), to: endpointLabel(analysis, to) }, query, (span, fallback) => location(conv, span, fallback));
    });
}

/** Like the CLI's --from/--to: an IP address, or exactly one workload. */
function resolveEndpoint(analysis: Analysis, ref: string, option: 'from' | 'to'): ExplainEndpoint {
  const found = findEndpoint(analysis, ref.trim());
  if (found.kind === 'found') return found.endpoint;
  if (found.kind === 'ambiguous') throw invalid(`${option} ${ref} is ambiguous (${found.kinds.join(', ')}): write it as ns/name[Kind]`);
  const known = found.known.join(', ');
  throw invalid(`${option} ${ref}: no such workload${known ? ` (known: ${known}${found.more ? ', …' : ''})` : ' (the workspace has no workloads)'}`);
}
