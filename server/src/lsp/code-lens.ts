import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { codeLenses } from '../core/ide/lenses';
import { SpanLocator, analysisOf, type ReachFeatureDeps } from './hover';

/** The client command each lens runs (registered by the extension). */
export const EXPLAIN_WORKLOAD_COMMAND = 'netpol.explainWorkload';

/** The argument of `netpol.explainWorkload`. */
export interface ExplainWorkloadArgs {
  readonly uri: string;
  /** `ns/name` of the workload (`ns/name[Kind]` when two workloads share it) or of the policy. */
  readonly id: string;
  readonly kind: 'workload' | 'policy';
}

/**
 * `textDocument/codeLens`: above each NetworkPolicy ("selects 3 workloads · admits 5
 * sources · 2 ports") and each workload ("reachable from 4 · ingress isolated · egress
 * open"), running `netpol.explainWorkload`. Off with `netpol.codeLens.enabled: false`.
 */
export function createCodeLensHandler(deps: ReachFeatureDeps, extra: (uri: string) => CodeLens[] = () => []): (params: CodeLensParams) => Promise<CodeLens[]> {
  const locator = new SpanLocator((uri) => deps.state.text(uri));
  return async (params) => {
    await deps.ready;
    if (!deps.settings().codeLens) return [];
    const uri = params.textDocument.uri;
    if (deps.state.text(uri) === undefined) return [];
    try {
      const lenses: CodeLens[] = codeLenses(analysisOf(deps), uri).map((lens) => {
        const args: ExplainWorkloadArgs = { uri, id: lens.target.id, kind: lens.target.kind };
        return { range: locator.range(lens.span), command: { title: lens.title, command: EXPLAIN_WORKLOAD_COMMAND, arguments: [args] } };
      });
      return [...extra(uri), ...lenses];
    } catch (e) {
      deps.log?.(`NetPol: code lenses failed: ${(e as Error).stack ?? String(e)}`);
      return [];
    } finally {
      locator.prune(deps.state);
    }
  };
}
