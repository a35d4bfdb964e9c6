import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { current, type FeatureDeps } from './features';
import { offsetAt } from './from-lsp';
import { hover } from './to-lsp';

/**
 * `textDocument/hover`: reachability facts about the workload, policy selector, peer,
 * port, Service or Ingress backend under the cursor (core/ide/hover), as Markdown.
 */
export function createHoverHandler(deps: FeatureDeps): (params: HoverParams) => Promise<Hover | null> {
  return async (params) => {
    await deps.ready;
    const uri = params.textDocument.uri;
    try {
      const { snapshot, conv } = current(deps);
      if (snapshot.text(uri) === undefined) return null;
      const result = snapshot.hover(uri, offsetAt(conv, uri, params.position), (span) => conv.location(span));
      if (!result) return null;
      return hover(result, conv);
    } catch (e) {
      deps.log?.(`NetPol: hover failed: ${(e as Error).stack ?? String(e)}`);
      return null;
    }
  };
}
