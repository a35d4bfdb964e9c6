import type { CompletionList, CompletionParams } from 'vscode-languageserver/node';
import { complete, type Snapshot } from '../core';
import type { FeatureDeps } from './features';
import { offsetAt } from './from-lsp';
import { completionItem, Converter } from './to-lsp';

export interface CompletionDeps extends FeatureDeps {
  /**
   * Whether the client takes snippet syntax (`textDocument.completion.completionItem.
   * snippetSupport`); without it, snippets are sent expanded to their default text.
   */
  readonly snippetSupport?: () => boolean;
}

/**
 * `textDocument/completion`: completion inside NetworkPolicy YAML from the current
 * workspace analysis (core/ide/complete); without it (the analysis failed), fields and
 * enumerations are still offered.
 */
export function createCompletionHandler(deps: CompletionDeps): (params: CompletionParams) => CompletionList {
  return (params) => {
    const uri = params.textDocument.uri;
    const text = deps.workspace.text(uri);
    if (text === undefined) return { isIncomplete: false, items: [] };
    try {
      const conv = new Converter(deps.lines, (u) => (u === uri ? text : deps.workspace.text(u)));
      const offset = offsetAt(conv, uri, params.position);
      const items = complete(text, offset, snapshotOf(deps)?.analysis.model, { triggerCharacter: params.context?.triggerCharacter });
      const snippets = deps.snippetSupport?.() ?? true;
      return { isIncomplete: false, items: items.map((i) => completionItem(i, uri, conv, snippets)) };
    } catch (e) {
      deps.log?.(`NetPol: completion failed: ${(e as Error).stack ?? String(e)}`);
      return { isIncomplete: false, items: [] };
    }
  };
}

/** The workspace as the diagnostics see it (the same snapshot), or none when its analysis fails. */
function snapshotOf(deps: CompletionDeps): Snapshot | undefined {
  try {
    return deps.workspace.snapshot();
  } catch (e) {
    // Fields and enumerations are still worth offering without the workspace.
    deps.log?.(`NetPol: analysis for completion failed: ${(e as Error).message}`);
    return undefined;
  }
}
