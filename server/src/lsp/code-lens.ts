import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { current, type FeatureDeps } from './features';
import { reachabilityLens, type Converter } from './to-lsp';

/**
 * `textDocument/codeLens`: above each NetworkPolicy ("selects 3 workloads · admits 5
 * sources · 2 ports") and each workload ("reachable from 4 · ingress isolated · egress
 * open"), running `netpol.explainWorkload`; `extra` adds the change impact's lenses
 * first. Off with `netpol.codeLens.enabled: false`.
 */
export function createCodeLensHandler(deps: FeatureDeps, extra: (uri: string, conv: Converter) => CodeLens[] = () => []): (params: CodeLensParams) => Promise<CodeLens[]> {
  return async (params) => {
    await deps.ready;
    if (!deps.workspace.config.codeLens) return [];
    const uri = params.textDocument.uri;
    if (deps.workspace.text(uri) === undefined) return [];
    try {
      const { snapshot, conv } = current(deps);
      const lenses = snapshot.lenses(uri).map((lens) => reachabilityLens(lens, uri, conv));
      return [...extra(uri, conv), ...lenses];
    } catch (e) {
      deps.log?.(`NetPol: code lenses failed: ${(e as Error).stack ?? String(e)}`);
      return [];
    }
  };
}
