/**
 * The NetPol language server: wiring only. Each LSP feature lives in its own module
 * under lsp/; the analysis lives in the core, behind core/index.ts (one Workspace host
 * for the editor's files). Runs inside VS Code or standalone: `node dist/server.js --stdio`.
 */
import { createConnection, DidChangeConfigurationNotification, type MessageActionItem, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Console } from 'node:console';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_FILE_NAME, EXPECT_FILE_NAME, Workspace } from '../core';
import { GitBaselines } from '../node/git-baselines';
import { CHANGE_IMPACT_REQUEST, DEFAULT_DENY_EDIT_REQUEST, EXPLAIN_REQUEST, EXPORT_REQUEST, NAMESPACES_REQUEST, REACHABILITY_REQUEST, WORKLOADS_REQUEST, WORKSPACE_TRUSTED_NOTIFICATION, type NetPolInitializationOptions } from '../protocol';
import { ChangeImpact } from './change-impact';
import { CODE_ACTION_KINDS, createCodeActionHandler } from './code-actions';
import { createCodeLensHandler } from './code-lens';
import { createCompletionHandler } from './completion';
import { createDefaultDenyHandler } from './default-deny';
import { createExecuteCommandHandler, SERVER_COMMANDS } from './generate';
import { DiagnosticsService } from './diagnostics';
import { createExplainHandler } from './explain';
import { exportConnections } from './export';
import type { FeatureDeps } from './features';
import { WorkspaceFiles } from './files';
import { codeActionParams, filePathOf, textDocumentParams, textDocumentPositionParams, withValidParams } from './from-lsp';
import { createHoverHandler } from './hover';
import { indexingProgress, indexWorkspace, readWorkspace } from './indexing';
import { createReachabilityHandlers } from './reachability';
import { Scheduler } from './scheduler';
import { readSettings } from './settings';
import { LineIndexes } from './to-lsp';
import { exitOnBrokenStream, transportFromArgs } from './transport';

// Our own transport (as the command line asks), so that a broken stream ends the process.
const transport = transportFromArgs(process.argv.slice(2));
if (transport?.stdio) {
  // stdout carries the protocol: anything printed by mistake goes to stderr instead.
  Object.defineProperty(globalThis, 'console', { value: new Console({ stdout: process.stderr, stderr: process.stderr }), configurable: true, writable: true });
}
const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
let shutdownReceived = false;
connection.onShutdown(() => {
  shutdownReceived = true;
});
if (transport) {
  exitOnBrokenStream(transport, { shutdownReceived: () => shutdownReceived, log: (m) => process.stderr.write(`${m}\n`), exit: (code) => process.exit(code) });
}
const documents = new TextDocuments(TextDocument);
/** Rule docs ship with the extension (docs/rules/<id>.md beside dist/). */
const docsRoot = resolve(__dirname, '..', 'docs', 'rules');
const docsUri = (rule: string) => pathToFileURL(join(docsRoot, `${rule}.md`)).toString();
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
let canCreateFiles = false;
let completionSnippets = false;
let canRefreshCodeLenses = false;
let snippetEdits = false;
/** The client shows window work-done progress (the first scan's). */
let canShowProgress = false;
/**
 * No git runs until the client says the workspace is trusted (in initialize, or later with
 * netpol/workspaceTrusted): a client that says nothing is not trusted.
 */
let workspaceTrusted = false;

/** The workspace folders on disk. */
function folderPaths(): string[] {
  return workspaceFolders.map(filePathOf).filter((p): p is string => p !== undefined);
}

// What the pending edits open and close is measured against git HEAD (when trusted) or the last saved text.
const git: GitBaselines = new GitBaselines({
  trusted: () => workspaceTrusted,
  untrusted: () => folderPaths(),
  maxBytes: (): number => workspace.config.maxFileSizeKB * 1024,
  log: (message) => connection.console.warn(message),
});
const workspace: Workspace = new Workspace(undefined, {
  gitHead: (uri): string | undefined => {
    const path = filePathOf(uri);
    return path === undefined ? undefined : git.gitHead(path);
  },
});

// No analysis before the first scan of the disk: diagnostics computed from the open
// buffers alone would be wrong (a selector that matches nothing yet, a namespace
// without its policies) and flash in the editor.
let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (markReady = resolve));

const log = (message: string) => connection.console.error(message);
const deps: FeatureDeps = { workspace, lines: new LineIndexes(), ready, log };
const changeImpact = new ChangeImpact(deps);
const diagnostics = new DiagnosticsService(connection, { ...deps, docsUri, versionOf: (uri) => documents.get(uri)?.version, extraFindings: () => changeImpact.findings() });
const files = new WorkspaceFiles({
  workspace,
  folders: folderPaths,
  info: (m) => connection.console.info(m),
  warn: (m) => connection.console.warn(m),
  // A client may not answer (or not know) the request: the log has the messages anyway.
  show: (m) => void connection.window.showWarningMessage<MessageActionItem>(m).catch(() => undefined),
});
/** The first scan's progress, while the first analysis is published in steps. */
let checking: ((done: number, total: number) => void) | undefined;
const scheduler = new Scheduler({ connection, diagnostics, changeImpact, ready, refreshCodeLenses: () => canRefreshCodeLenses, checking: (done, total) => checking?.(done, total) });
scheduler.watchBaselines();

connection.onInitialize((params) => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  completionSnippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
  canCreateFiles = workspaceEdit?.documentChanges === true && (workspaceEdit.resourceOperations ?? []).includes('create');
  snippetEdits = workspaceEdit?.documentChanges === true && workspaceEdit.snippetEditSupport === true;
  canShowProgress = params.capabilities.window?.workDoneProgress === true;
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
  const init = params.initializationOptions as NetPolInitializationOptions | undefined;
  workspace.setConfig(readSettings(init?.settings));
  workspaceTrusted = init?.trusted === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
      completionProvider: { triggerCharacters: [' ', ':', '-'] },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: SERVER_COMMANDS },
    },
    serverInfo: { name: 'netpol-language-server' },
  };
});

connection.onInitialized(async () => {
  // The first scan is shown in the editor (window progress) from the start: pulling the
  // settings is a round trip too.
  const progress = await indexingProgress(connection, canShowProgress, log);
  checking = (done, total) => progress.checking(done, total);
  try {
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, undefined);
      await pullSettings();
    }
    // The repository's .netpol.yaml (first folder) before the scan: its `exclude` applies to it.
    const root = folderPaths()[0];
    if (root !== undefined) {
      const path = join(root, CONFIG_FILE_NAME);
      workspace.setConfigFile(pathToFileURL(path).toString());
      files.readAhead(path);
      // The repository's expectations: checked on every analysis, failures shown on the file (the scan reads it).
      workspace.setExpectationsFile(pathToFileURL(join(root, EXPECT_FILE_NAME)).toString());
    }
    // In steps, with the progress between them: reading, then loading (parsing) each file.
    await readWorkspace(files, progress);
    await indexWorkspace(workspace, progress);
  } catch (e) {
    log(`NetPol: indexing failed: ${(e as Error).stack ?? e}`);
  } finally {
    markReady();
  }
  const published = scheduler.published();
  scheduler.schedule();
  // The progress ends once the first analysis is published (every file's diagnostics).
  void published.finally(() => {
    checking = undefined;
    progress.done();
  });
});

async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const [netpol, filesExclude] = await connection.workspace.getConfiguration([{ section: 'netpol' }, { section: 'files.exclude' }]);
    workspace.setConfig(readSettings(netpol, filesExclude));
  } catch (e) {
    connection.console.warn(`NetPol: could not read settings: ${(e as Error).message}`);
  }
}

/** A client may open anything: without a string URI and text there is no document to analyse. */
const isDocument = (d: TextDocument): boolean => typeof d.uri === 'string' && typeof d.getText() === 'string';

documents.onDidOpen((e) => {
  if (!isDocument(e.document)) return;
  workspace.applyChange({ kind: 'open', uri: e.document.uri, text: e.document.getText() });
  scheduler.opened(e.document.uri);
});
documents.onDidChangeContent((e) => {
  if (!isDocument(e.document)) return;
  workspace.applyChange({ kind: 'open', uri: e.document.uri, text: e.document.getText() });
  scheduler.schedule(e.document.uri);
});
documents.onDidClose((e) => {
  if (typeof e.document.uri !== 'string') return;
  workspace.applyChange({ kind: 'close', uri: e.document.uri });
  scheduler.schedule();
});

connection.onDidChangeWatchedFiles((params) => {
  files.changed(params);
  // An edit of .netpol.yaml may change what is excluded.
  files.rescanIfExcludeChanged();
  scheduler.schedule();
});

// The user trusted the workspace: git HEAD becomes the change impact's baseline.
connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
  if (workspaceTrusted) return;
  workspaceTrusted = true;
  scheduler.schedule();
});

connection.onDidChangeConfiguration(async (params) => {
  if (canPullConfiguration) await pullSettings();
  else workspace.setConfig(readSettings((params.settings as { netpol?: unknown } | undefined)?.netpol));
  files.rescanIfExcludeChanged();
  scheduler.schedule();
});

// Malformed parameters are the client's mistake: InvalidParams, not an internal error.
connection.onCodeAction(
  withValidParams('textDocument/codeAction', codeActionParams, createCodeActionHandler({ ...deps, docsUri, versionOf: (uri) => documents.get(uri)?.version, canCreateFiles: () => canCreateFiles, snippetEdits: () => snippetEdits })),
);
connection.onCompletion(withValidParams('textDocument/completion', textDocumentPositionParams, createCompletionHandler({ ...deps, snippetSupport: () => completionSnippets })));
connection.onHover(withValidParams('textDocument/hover', textDocumentPositionParams, createHoverHandler(deps)));
connection.onCodeLens(withValidParams('textDocument/codeLens', textDocumentParams, createCodeLensHandler(deps, (uri, conv) => changeImpact.codeLenses(uri, conv))));
const reachability = createReachabilityHandlers(deps);
connection.onRequest(REACHABILITY_REQUEST, reachability.reachability);
connection.onRequest(EXPLAIN_REQUEST, createExplainHandler(deps));
connection.onRequest(WORKLOADS_REQUEST, reachability.workloads);
connection.onRequest(NAMESPACES_REQUEST, reachability.namespaces);
connection.onRequest(DEFAULT_DENY_EDIT_REQUEST, createDefaultDenyHandler(deps));
connection.onExecuteCommand(createExecuteCommandHandler(deps, () => workspaceFolders));
connection.onRequest(CHANGE_IMPACT_REQUEST, () => changeImpact.request(connection));
connection.onRequest(EXPORT_REQUEST, exportConnections);

documents.listen(connection);
connection.listen();
