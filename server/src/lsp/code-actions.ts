import type { CodeAction, CodeActionParams, Diagnostic, Range } from 'vscode-languageserver/node';
import { isCreateFile, type Finding } from '../core';
import { GENERATE_POLICIES_COMMAND, type GeneratePoliciesArgs } from '../protocol';
import { current, type FeatureDeps } from './features';
import { DIAGNOSTIC_SOURCE, diagnostic, promptAction, quickFix, suppressAction, workspaceEdit, type Converter } from './to-lsp';

/** The kind of "NetPol: Fix all safe problems in this file" (editor.codeActionsOnSave: source.fixAll). */
export const FIX_ALL_KIND = 'source.fixAll.netpol';
export const FIX_ALL_TITLE = 'NetPol: Fix all safe problems in this file';
export const GENERATE_TITLE = 'Generate least-privilege policy from evidence';
/** What the server advertises (`codeActionProvider.codeActionKinds`). */
export const CODE_ACTION_KINDS = ['quickfix', FIX_ALL_KIND];

export interface CodeActionDeps extends FeatureDeps {
  /** Diagnostic docs links, as the published diagnostics carry them. */
  readonly docsUri: (rule: string) => string;
  /** The open document's version, for the TextDocumentEdits of `documentChanges` (a client refuses a stale one). */
  readonly versionOf?: (uri: string) => number | undefined;
  /**
   * Whether the client applies workspace edits that create files (capabilities
   * workspace.workspaceEdit.documentChanges and resourceOperations 'create'); fixes
   * that create a file are not offered otherwise. Default: true.
   */
  readonly canCreateFiles?: () => boolean;
  /** Whether the client takes snippet text edits in workspace edits (LSP 3.18 snippetEditSupport): the reason is then a placeholder to type over. */
  readonly snippetEdits?: () => boolean;
}

/** `kind` is requested by `only` (hierarchical: `source` asks for `source.fixAll.netpol`). */
function requested(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((o) => o === '' || kind === o || kind.startsWith(`${o}.`));
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

const touches = (a: Range, b: Range) =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) || b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

/**
 * textDocument/codeAction: the quick fixes of our diagnostics in the request (matched to
 * the current findings by code, range and YAML path; stale ones get nothing), or of the
 * findings under the requested range when the request carries none of ours; and, when
 * asked for by `only` (source, source.fixAll, source.fixAll.netpol), "fix all safe
 * problems" for the file. A failure is logged, and the request gets no actions.
 */
export function createCodeActionHandler(deps: CodeActionDeps): (params: CodeActionParams) => CodeAction[] {
  return (params) => {
    try {
      return codeActions(deps, params);
    } catch (e) {
      deps.log?.(`NetPol: code actions failed: ${(e as Error).stack ?? e}`);
      return [];
    }
  };
}

/** Time for checking fixes in one code-action request (the editor asks on every cursor move). */
const CODE_ACTION_BUDGET_MS = 400;

function codeActions(deps: CodeActionDeps, params: CodeActionParams): CodeAction[] {
  const uri = params.textDocument.uri;
  // The same snapshot as the diagnostics: its findings are computed once.
  const { snapshot, conv } = current(deps);
  if (snapshot.text(uri) === undefined) return [];
  const only = params.context.only;
  const canCreate = deps.canCreateFiles?.() ?? true;
  const actions: CodeAction[] = [];

  if (requested(only, 'quickfix')) {
    const mine = snapshot.findings().filter((f) => f.span.file === uri);
    const matched = matchDiagnostics(params, mine, conv, deps.docsUri);
    // Each fix is re-analysed before it is offered (core/fixes/check.ts). Many findings on
    // one range (1,400 rules through one alias) would make the request wait seconds: past
    // the budget the other findings get no fixes in this request (the snapshot keeps what
    // was checked, so the next request goes on from there).
    const started = performance.now();
    for (const { finding, diagnostic: d } of matched) {
      if (performance.now() - started > CODE_ACTION_BUDGET_MS) break;
      for (const fix of snapshot.fixes(finding)) {
        if (!canCreate && fix.edits.some(isCreateFile)) continue;
        if (fix.prompt) {
          // A value the user gives: a snippet placeholder, or nothing (never the default written literally).
          const action = deps.snippetEdits?.() === true ? promptAction(fix, d, (f) => snapshot.text(f), conv, deps.versionOf) : undefined;
          if (action) actions.push(action);
          continue;
        }
        actions.push(quickFix(fix, d, conv, deps.versionOf));
      }
    }
    // A workload no policy isolates: its least-privilege policy from the evidence (the client opens it for review).
    for (const { finding, diagnostic: d } of matched) {
      const target = snapshot.generateTarget(finding);
      if (!target) continue;
      const args: GeneratePoliciesArgs = { namespace: target.namespace, workloads: [target.workload] };
      actions.push({ title: GENERATE_TITLE, kind: 'quickfix', diagnostics: [d], command: { title: GENERATE_TITLE, command: GENERATE_POLICIES_COMMAND, arguments: [args] } });
    }
    // After the fixes: accepting a finding, with a reason, is the last resort.
    for (const { finding, diagnostic: d } of matched) {
      for (const s of snapshot.suppressions(finding)) actions.push(suppressAction(s, d, conv, deps.snippetEdits?.() === true, deps.versionOf));
    }
  }

  if (only !== undefined && requested(only, FIX_ALL_KIND)) {
    const result = snapshot.fixAll(uri);
    if (result && result.edits.length > 0) {
      actions.push({
        title: FIX_ALL_TITLE,
        kind: FIX_ALL_KIND,
        diagnostics: params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE),
        edit: workspaceEdit(result.edits, conv, deps.versionOf),
      });
    }
  }
  return actions;
}

/**
 * Pairs the request's diagnostics (ours: source netpol) with the current findings of the
 * file: same rule, same range, same YAML path. Without any of ours in the request, the
 * findings under the requested range.
 */
function matchDiagnostics(params: CodeActionParams, findings: readonly Finding[], conv: Converter, docsUri: (rule: string) => string): { finding: Finding; diagnostic: Diagnostic }[] {
  const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
  const out: { finding: Finding; diagnostic: Diagnostic }[] = [];
  if (ours.length > 0) {
    for (const d of ours) {
      const path = (d.data as { path?: unknown } | undefined)?.path;
      const finding = findings.find((f) => f.rule === d.code && (typeof path !== 'string' || f.path === path) && sameRange(conv.range(f.span), d.range));
      if (finding) out.push({ finding, diagnostic: d });
    }
    return out;
  }
  for (const f of findings) {
    const range = conv.range(f.span);
    if (touches(range, params.range)) out.push({ finding: f, diagnostic: diagnostic(f, conv, docsUri) });
  }
  return out;
}
