import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver/node';
import { complete, type CompletionItem as CoreItem, type CompletionKind } from '../core/ide/complete/complete';
import type { Model } from '../core/model/types';
import { expandSnippet } from '../core/ide/snippets/expand';
import { PositionConverter } from './convert';
import type { Settings } from './settings';
import type { WorkspaceState } from './workspace';

export interface CompletionDeps {
  readonly state: WorkspaceState;
  readonly settings: () => Settings;
  /**
   * Whether the client takes snippet syntax (`textDocument.completion.completionItem.
   * snippetSupport`); without it, snippets are sent expanded to their default text.
   */
  readonly snippetSupport?: () => boolean;
  /** Where a failure is reported (the request then answers an empty list). */
  readonly log?: (message: string) => void;
}

const KIND: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  keyword: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

/** The command that reopens the suggestions after an item whose value can be completed too (VS Code). */
const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/**
 * `textDocument/completion`: completion inside NetworkPolicy YAML from the current
 * workspace analysis (core/complete). Offsets become ranges through PositionConverter.
 */
export function createCompletionHandler(deps: CompletionDeps): (params: CompletionParams) => CompletionList {
  return (params) => {
    const uri = params.textDocument.uri;
    const text = deps.state.text(uri);
    if (text === undefined) return { isIncomplete: false, items: [] };
    try {
      const conv = new PositionConverter(text);
      const offset = conv.offset(params.position.line, params.position.character);
      const items = complete(text, offset, modelOf(deps), { triggerCharacter: params.context?.triggerCharacter });
      const snippets = deps.snippetSupport?.() ?? true;
      return { isIncomplete: false, items: items.map((i) => toLsp(i, uri, conv, snippets)) };
    } catch (e) {
      deps.log?.(`NetPol: completion failed: ${(e as Error).stack ?? String(e)}`);
      return { isIncomplete: false, items: [] };
    }
  };
}

/** The workspace model, as the diagnostics compute it (same options: one cached analysis). */
function modelOf(deps: CompletionDeps): Model | undefined {
  const settings = deps.settings();
  try {
    return deps.state.analysis({ defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController }, settings.maxFileSizeKB * 1024).model;
  } catch (e) {
    // Fields and enumerations are still worth offering without the workspace.
    deps.log?.(`NetPol: analysis for completion failed: ${(e as Error).message}`);
    return undefined;
  }
}

function toLsp(item: CoreItem, uri: string, conv: PositionConverter, snippetSupport: boolean): CompletionItem {
  const asSnippet = item.format === 'snippet' && snippetSupport;
  const newText = item.format === 'snippet' && !snippetSupport ? expandSnippet(item.insertText) : item.insertText;
  const out: CompletionItem = {
    label: item.label,
    kind: KIND[item.kind],
    sortText: item.sortText,
    insertTextFormat: asSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: conv.range({ file: uri, start: item.start, end: item.end }), newText },
  };
  if (item.detail !== undefined) out.detail = item.detail;
  if (item.documentation !== undefined) out.documentation = { kind: MarkupKind.Markdown, value: item.documentation };
  if (item.filterText !== undefined) out.filterText = item.filterText;
  // The indentation of the following lines is written out: the editor must not add the current line's.
  if (item.multiline) out.insertTextMode = InsertTextMode.asIs;
  if (item.retrigger) out.command = RETRIGGER;
  return out;
}
