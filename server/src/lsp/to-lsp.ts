/**
 * Every conversion from the core's results to the protocol's types (from-lsp.ts has the
 * other direction): offsets to positions through one line-index cache, findings to
 * diagnostics, edits to WorkspaceEdits, completion items, lenses, the change impact and
 * the views' answers. The core works on offsets into file text; LSP wants lines and
 * UTF-16 characters.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CreateFile,
  type Diagnostic,
  type Hover,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import {
  endpointName,
  expandSnippet,
  isCreateFile,
  LineIndex,
  textLine,
  type CodeLensInfo,
  type CompletionItem as CoreItem,
  type Connection,
  type Fix,
  type HoverResult,
  type Workload,
  type CompletionKind,
  type Endpoint,
  type FileEdit,
  type Finding,
  type ImpactSummary,
  type Protocol as CoreProtocol,
  type ResponsibleRole as CoreRole,
  type Severity,
  type Span,
  type TextEdit as CoreTextEdit,
} from '../core';
import {
  SHOW_CHANGE_IMPACT_COMMAND,
  type ChangeImpactResult,
  type Protocol,
  type ReachConnection,
  type ReachEndpoint,
  type ResponsibleRole,
  type SourceLocation,
  type WorkloadInfo,
} from '../protocol';

/** The protocol's lists are the core's: each type is assignable to the other (checked at compile time). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const PROTOCOL_TYPES_AGREE: [Same<Protocol, CoreProtocol>, Same<ResponsibleRole, CoreRole>] = [true, true];

/**
 * The server's one line-index cache. The diagnostics, the change impact, the lenses and
 * hovers each convert the edited file after a keystroke, and indexing a large file costs
 * milliseconds: a file's index is kept while its text is the same (the texts are the
 * workspace's own strings, so a hit is an identity check), and the last texts seen are
 * kept whatever their file (a what-if text, a file just closed).
 */
export class LineIndexes {
  private readonly byUri = new Map<string, { readonly text: string; readonly index: LineIndex }>();
  private readonly recent: { readonly text: string; readonly index: LineIndex }[] = [];

  constructor(private readonly size = 16) {}

  /** The index of a file's text. */
  of(uri: string, text: string): LineIndex {
    const hit = this.byUri.get(uri);
    if (hit && hit.text === text) return hit.index;
    let entry = this.recent.find((e) => e.text === text);
    if (!entry) {
      entry = { text, index: new LineIndex(text) };
      this.recent.unshift(entry);
      if (this.recent.length > this.size) this.recent.pop();
    }
    this.byUri.set(uri, entry);
    return entry.index;
  }

  /** Forgets the files that are gone. */
  prune(exists: (uri: string) => boolean): void {
    for (const uri of this.byUri.keys()) if (!exists(uri)) this.byUri.delete(uri);
  }
}

/** Conversions against the texts of one snapshot (a span's file is looked up there). */
export class Converter {
  constructor(
    private readonly lines: LineIndexes,
    private readonly textOf: (uri: string) => string | undefined,
  ) {}

  /** The line index of a file's text (an unknown file: an empty text). */
  index(uri: string): LineIndex {
    return this.lines.of(uri, this.textOf(uri) ?? '');
  }

  range(span: Span): Range {
    const index = this.index(span.file);
    return { start: index.positionAt(span.start), end: index.positionAt(span.end) };
  }

  /** The file and 0-based line where a span starts. */
  location(span: Span): SourceLocation {
    return { uri: span.file, line: this.index(span.file).positionAt(span.start).line };
  }
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'netpol';

export function diagnostic(f: Finding, conv: Converter, docsUri: (rule: string) => string): Diagnostic {
  return {
    range: conv.range(f.span),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: docsUri(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    // One line whatever the names it quotes hold (the Problems panel, hovers).
    message: textLine(f.message),
    data: { path: f.path },
  };
}

/**
 * Core edits as a WorkspaceEdit: `changes` per file, or, when the fix creates a file,
 * `documentChanges` (CreateFile, then its content, then the other files' edits,
 * versioned when open).
 */
export function workspaceEdit(edits: readonly FileEdit[], conv: Converter, versionOf?: (uri: string) => number | undefined): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    if (isCreateFile(e)) continue;
    const list = byFile.get(e.file) ?? [];
    list.push({ range: conv.range(e), newText: e.newText });
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

/** A fix of a diagnostic as a quick fix (titles from the files made one line). */
export function quickFix(fix: Fix, d: Diagnostic, conv: Converter, versionOf?: (uri: string) => number | undefined): CodeAction {
  const action: CodeAction = { title: textLine(fix.title), kind: 'quickfix', diagnostics: [d], edit: workspaceEdit(fix.edits, conv, versionOf) };
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}

/** Text of a snippet that reads literally (`$`, `}` and `\\` escaped). */
const snippetText = (text: string) => text.replace(/[$}\\]/g, '\\$&');

/** A snippet choice element (`,`, `|` and `\\` escaped). */
const snippetChoice = (text: string) => text.replace(/[,|\\]/g, '\\$&');

/**
 * A fix that asks for a value (Fix.prompt) as a snippet edit: its one text edit with the
 * value as a placeholder, a choice list when the workspace suggests values. Undefined
 * when the fix is not one text edit of a file the snapshot holds.
 *
 * The edit is widened to start at its line's start: an editor indents every line of an
 * inserted snippet after the first by the whitespace before the insertion point (VS
 * Code's adjustWhitespace), which would push a new YAML key one level too deep.
 */
export function promptAction(fix: Fix, d: Diagnostic, textOf: (file: string) => string | undefined, conv: Converter, versionOf?: (uri: string) => number | undefined): CodeAction | undefined {
  const prompt = fix.prompt;
  const [edit, ...more] = fix.edits;
  const text = edit && !isCreateFile(edit) ? textOf(edit.file) : undefined;
  if (!prompt || !edit || more.length > 0 || isCreateFile(edit) || text === undefined || edit.end > text.length || edit.newText.slice(prompt.at, prompt.at + prompt.value.length) !== prompt.value) return undefined;
  const lineStart = text.lastIndexOf('\n', edit.start - 1) + 1;
  const before = text.slice(lineStart, edit.start) + edit.newText.slice(0, prompt.at);
  const placeholder = prompt.choices.length > 0 ? `\${1|${prompt.choices.map(snippetChoice).join(',')}|}` : `\${1:${snippetText(prompt.value)}}`;
  const value = snippetText(before) + placeholder + snippetText(edit.newText.slice(prompt.at + prompt.value.length));
  const range = conv.range({ ...edit, start: lineStart });
  const change = { textDocument: { uri: edit.file, version: versionOf?.(edit.file) ?? null }, edits: [{ range, snippet: { kind: 'snippet', value } }] };
  return { title: textLine(fix.title), kind: 'quickfix', diagnostics: [d], edit: { documentChanges: [change] } as WorkspaceEdit };
}

/**
 * "Suppress here": the comment inserted above the finding (or atop its document); with
 * snippet edits the reason is a placeholder the cursor lands on, else the literal
 * `<reason>`, which is reported until replaced.
 */
export function suppressAction(
  s: { readonly title: string; readonly edit: CoreTextEdit; readonly snippet: string },
  d: Diagnostic,
  conv: Converter,
  snippets: boolean,
  versionOf?: (uri: string) => number | undefined,
): CodeAction {
  const edit: WorkspaceEdit = snippets
    ? { documentChanges: [{ textDocument: { uri: s.edit.file, version: versionOf?.(s.edit.file) ?? null }, edits: [{ range: conv.range(s.edit), snippet: { kind: 'snippet', value: s.snippet } }] }] }
    : workspaceEdit([s.edit], conv, versionOf);
  return { title: textLine(s.title), kind: 'quickfix', diagnostics: [d], edit };
}

/** A hover's Markdown and the range it is about. */
export function hover(result: HoverResult, conv: Converter): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: conv.range(result.span) };
}

const KIND: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  keyword: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

/** The command that reopens the suggestions after an item whose value can be completed too (VS Code). */
const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/** A completion item; without snippet support, snippets are sent expanded to their default text. */
export function completionItem(item: CoreItem, uri: string, conv: Converter, snippetSupport: boolean): CompletionItem {
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

/** The client command each reachability lens runs (registered by the extension). */
export const EXPLAIN_WORKLOAD_COMMAND = 'netpol.explainWorkload';

/** The argument of `netpol.explainWorkload`. */
export interface ExplainWorkloadArgs {
  readonly uri: string;
  /** `ns/name` of the workload (`ns/name[Kind]` when two workloads share it) or of the policy. */
  readonly id: string;
  readonly kind: 'workload' | 'policy';
}

/** The client command a cluster policy's lens runs: the reachability view (its verdicts are everyone's). */
export const SHOW_REACHABILITY_COMMAND = 'netpol.showReachability';

export function reachabilityLens(lens: CodeLensInfo, uri: string, conv: Converter): CodeLens {
  const kind = lens.target.kind;
  if (kind === 'cluster-policy') return { range: conv.range(lens.span), command: { title: lens.title, command: SHOW_REACHABILITY_COMMAND, arguments: [] } };
  const args: ExplainWorkloadArgs = { uri, id: lens.target.id, kind };
  return { range: conv.range(lens.span), command: { title: lens.title, command: EXPLAIN_WORKLOAD_COMMAND, arguments: [args] } };
}

/** A lens above a changed policy: reveals the Change Impact view. */
export function impactLens(lens: { readonly span: Span; readonly title: string }, conv: Converter): CodeLens {
  return { range: conv.range(lens.span), command: { title: lens.title, command: SHOW_CHANGE_IMPACT_COMMAND, arguments: [] } };
}

export const NO_IMPACT: ChangeImpactResult = { files: [], baseline: '', opened: 0, closed: 0, added: 0, removed: 0, changed: 0, breaking: 0, breaksEvidence: 0, entries: [], truncated: 0, policies: [] };

/** The change impact for the client (netpol/changeImpact and its notification). */
export function changeImpactResult(summary: ImpactSummary | undefined, conv: Converter): ChangeImpactResult {
  if (!summary) return NO_IMPACT;
  return {
    ...summary,
    entries: summary.entries.map((e) => ({
      ...e,
      responsible: e.responsible.map(({ span, ...r }) => ({ ...r, ...(span ? { location: conv.location(span) } : {}) })),
      evidence: e.evidence.map(({ span, text }) => ({ text, location: conv.location(span) })),
    })),
    policies: summary.policies.map(({ span, ...p }) => ({ ...p, ...(span ? { location: conv.location(span) } : {}) })),
  };
}

/** An endpoint of the reachability view. */
export function reachEndpoint(e: Endpoint, conv: Converter): ReachEndpoint {
  const id = endpointName(e);
  if (e.type === 'workload') return { id, label: `${e.workload.name}[${e.workload.kind}]`, namespace: e.workload.namespace, kind: 'workload', location: location(conv, e.workload.span) };
  if (e.type === 'ip') return { id, label: id.replace(/\[External\]$/, ''), kind: 'ip' };
  return { id, label: 'ingress controller', kind: 'ingress-controller' };
}

/** A connection of the reachability view: endpoint ids and netpol-analyzer's connection string. */
export function reachConnection(c: Connection): ReachConnection {
  return { src: endpointName(c.src), dst: endpointName(c.dst), conn: c.conn.toString() };
}

/** A workload of the views' pickers. */
export function workloadInfo(w: Workload, conv: Converter): WorkloadInfo {
  return { id: endpointName({ type: 'workload', index: 0, workload: w }), kind: w.kind, namespace: w.namespace, name: w.name, location: location(conv, w.span) };
}

/** Where a span is (or its fallback); nowhere (`uri: ''`) when neither is known. */
export function location(conv: Converter, span: Span | undefined, fallback?: Span): SourceLocation {
  const s = span ?? fallback;
  return s ? conv.location(s) : { uri: '', line: 0 };
}
