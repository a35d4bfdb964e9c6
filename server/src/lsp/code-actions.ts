import { textLine } from '../core/base/escape';
import type { CodeAction, CodeActionParams, CreateFile, Diagnostic, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { analyze, type Analysis } from '../core/analysis/analyze';
import { fixAllInFile, fixesFor, isCreateFile, type FileEdit, type FixInput, type TextEdit as CoreTextEdit } from '../core/fixes';
import { runRules, type RunOptions } from '../core/rules/run';
import { ParseCache } from '../core/yaml/parse';
import { DIAGNOSTIC_SOURCE, findingToDiagnostic, PositionConverter } from './convert';
import type { Settings } from './settings';
import type { WorkspaceState } from './workspace';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from '../core/yaml/limits';
import type { Finding } from '../core/lint/rule';

/** The kind of "NetPol: Fix all safe problems in this file" (editor.codeActionsOnSave: source.fixAll). */
export const FIX_ALL_KIND = 'source.fixAll.netpol';
export const FIX_ALL_TITLE = 'NetPol: Fix all safe problems in this file';
/** What the server advertises (`codeActionProvider.codeActionKinds`). */
export const CODE_ACTION_KINDS = ['quickfix', FIX_ALL_KIND];

export interface CodeActionDeps {
  readonly state: WorkspaceState;
  readonly settings: () => Settings;
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
  /** Where a failure is reported (the request then gets no actions rather than an error). */
  readonly log?: (message: string) => void;
}

/**
 * Findings per analysis and rule settings: an editor asks for code actions at every
 * cursor move, and the analysis only changes with an edit.
 */
const findingsCache = new WeakMap<Analysis, { key: string; findings: Finding[] }>();

function findingsOf(analysis: Analysis, runOptions: RunOptions): Finding[] {
  const key = JSON.stringify([runOptions.severities, runOptions.options]);
  const hit = findingsCache.get(analysis);
  if (hit && hit.key === key) return hit.findings;
  const findings = runRules(analysis, runOptions);
  findingsCache.set(analysis, { key, findings });
  return findings;
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
 * problems" for the file.
 */
export function createCodeActionHandler(deps: CodeActionDeps): (params: CodeActionParams) => CodeAction[] {
  // For the what-if analyses of fix-all (the workspace with the file's text after a round).
  const cache = new ParseCache(5_000);
  return (params) => {
    try {
      return codeActions(deps, cache, params);
    } catch (e) {
      deps.log?.(`NetPol: code actions failed: ${(e as Error).stack ?? e}`);
      return [];
    }
  };
}

function codeActions(deps: CodeActionDeps, cache: ParseCache, params: CodeActionParams): CodeAction[] {
  const uri = params.textDocument.uri;
  const text = deps.state.text(uri);
  if (text === undefined) return [];
  const only = params.context.only;
  const settings = deps.settings();
  const analyzeOptions = { defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController };
  const maxLength = settings.maxFileSizeKB * 1024;
  const runOptions = { severities: settings.rules, options: settings.ruleOptions };
  // The same call as the diagnostics: the state answers from its cached analysis.
  const analysis = deps.state.analysis(analyzeOptions, maxLength);
  const findings = findingsOf(analysis, runOptions);
  const conv = new PositionConverter(text);
  const converters = new Map<string, PositionConverter>([[uri, conv]]);
  const converterOf = (file: string) => {
    let c = converters.get(file);
    if (!c) converters.set(file, (c = new PositionConverter(deps.state.text(file) ?? '')));
    return c;
  };
  const input: FixInput = { analysis, text: (file) => deps.state.text(file), options: settings.ruleOptions };
  const canCreate = deps.canCreateFiles?.() ?? true;
  const actions: CodeAction[] = [];

  if (requested(only, 'quickfix')) {
    const mine = findings.filter((f) => f.span.file === uri);
    for (const { finding, diagnostic } of matchDiagnostics(params, mine, conv, deps.docsUri)) {
      for (const fix of fixesFor(finding, input)) {
        if (!canCreate && fix.edits.some(isCreateFile)) continue;
        const action: CodeAction = { title: textLine(fix.title), kind: 'quickfix', diagnostics: [diagnostic], edit: workspaceEdit(fix.edits, converterOf, deps.versionOf) };
        if (fix.isPreferred) action.isPreferred = true;
        actions.push(action);
      }
    }
  }

  if (only !== undefined && requested(only, FIX_ALL_KIND)) {
    const result = fixAllInFile({
      file: uri,
      text,
      options: settings.ruleOptions,
      evaluate: (t) => {
        if (t === text) return { analysis, findings, text: (file) => deps.state.text(file) };
        const files = deps.state.uris().map((u) => ({ path: u, text: u === uri ? t : (deps.state.text(u) ?? '') }));
        const next = analyze(files, { ...analyzeOptions, maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH }, cache);
        return { analysis: next, findings: runRules(next, runOptions), text: (file) => (file === uri ? t : deps.state.text(file)) };
      },
    });
    if (result.edits.length > 0) {
      actions.push({
        title: FIX_ALL_TITLE,
        kind: FIX_ALL_KIND,
        diagnostics: params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE),
        edit: workspaceEdit(result.edits, converterOf, deps.versionOf),
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
function matchDiagnostics(params: CodeActionParams, findings: readonly Finding[], conv: PositionConverter, docsUri: (rule: string) => string): { finding: Finding; diagnostic: Diagnostic }[] {
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
    if (touches(range, params.range)) out.push({ finding: f, diagnostic: findingToDiagnostic(f, conv, docsUri) });
  }
  return out;
}

/**
 * Core edits as a WorkspaceEdit: `changes` per file, or, when the fix creates a file,
 * `documentChanges` (CreateFile, then its content, then the other files' edits,
 * versioned when open).
 */
function workspaceEdit(edits: readonly FileEdit[], conv: (file: string) => PositionConverter, versionOf?: (uri: string) => number | undefined): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    if (isCreateFile(e)) continue;
    const list = byFile.get(e.file) ?? [];
    list.push(lspEdit(e, conv(e.file)));
    byFile.set(e.file, list);
  }
  const creates = edits.filter(isCreateFile);
  if (creates.length === 0) {
    const changes: { [uri: string]: TextEdit[] } = {};
    for (const [file, list] of byFile) changes[file] = list;
    return { changes };
  }
  const documentChanges: (CreateFile | TextDocumentEdit)[] = [];
  for (const c of creates) {
    documentChanges.push({ kind: 'create', uri: c.file, options: { overwrite: false, ignoreIfExists: false } });
    documentChanges.push({ textDocument: { uri: c.file, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text }] });
  }
  for (const [file, list] of byFile) documentChanges.push({ textDocument: { uri: file, version: versionOf?.(file) ?? null }, edits: list });
  return { documentChanges };
}

function lspEdit(e: CoreTextEdit, conv: PositionConverter): TextEdit {
  return { range: conv.range(e), newText: e.newText };
}
