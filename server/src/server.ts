/**
 * The NetPol language server: wiring only. Each LSP feature lives in its own module
 * under lsp/; the analysis lives in core/. Runs inside VS Code or standalone:
 * `node dist/server.js --stdio`.
 */
import { createConnection, DidChangeConfigurationNotification, type MessageActionItem, ProposedFeatures, TextDocuments, TextDocumentSyncKind, FileChangeType } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Console } from 'node:console';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODE_ACTION_KINDS, createCodeActionHandler } from './lsp/code-actions';
import { ChangeImpact, CHANGE_IMPACT_REQUEST } from './lsp/change-impact';
import { createCodeLensHandler } from './lsp/code-lens';
import { createCompletionHandler } from './lsp/completion';
import { createCustomRequestHandlers, DEFAULT_DENY_EDIT_REQUEST, EXPLAIN_REQUEST, NAMESPACES_REQUEST, notifyAnalysisChanged, REACHABILITY_REQUEST, WORKLOADS_REQUEST } from './lsp/custom-requests';
import { exportConnections } from './lsp/export';
import { createHoverHandler } from './lsp/hover';
import { DiagnosticsService } from './lsp/diagnostics';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './lsp/settings';
import { exitOnBrokenStream, transportFromArgs } from './lsp/transport';
import { codeActionParams, textDocumentParams, textDocumentPositionParams, withValidParams } from './lsp/params';
import { filePathOf } from './lsp/uri';
import { WorkspaceState } from './lsp/workspace';
import { GitBaselines } from './node/git-baselines';
import { readWatchedFile, scanYamlFiles, workspaceBudget, type ScanOptions } from './node/scan';
import { EXPORT_REQUEST, WORKSPACE_TRUSTED_NOTIFICATION, type NetPolInitializationOptions } from './protocol';

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
const state = new WorkspaceState();
/** Rule docs ship with the extension (docs/rules/<id>.md beside dist/). */
const docsRoot = resolve(__dirname, '..', 'docs', 'rules');
const docsUri = (rule: string) => pathToFileURL(join(docsRoot, `${rule}.md`)).toString();
let settings: Settings = DEFAULT_SETTINGS;
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
let canCreateFiles = false;
let completionSnippets = false;
let canRefreshCodeLenses = false;
/**
 * No git runs until the client says the workspace is trusted (in initialize, or later with
 * netpol/workspaceTrusted): a client that says nothing is not trusted.
 */
let workspaceTrusted = false;

connection.onInitialize((params) => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  completionSnippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
  canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
  canCreateFiles = workspaceEdit?.documentChanges === true && (workspaceEdit.resourceOperations ?? []).includes('create');
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
  const init = params.initializationOptions as NetPolInitializationOptions | undefined;
  settings = readSettings(init?.settings);
  workspaceTrusted = init?.trusted === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS },
      completionProvider: { triggerCharacters: [' ', ':', '-'] },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'netpol-language-server' },
  };
});

// No analysis before the first scan of the disk: diagnostics computed from the open
// buffers alone would be wrong (a selector that matches nothing yet, a namespace
// without its policies) and flash in the editor.
let markReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (markReady = resolve));

const reachDeps = { state, settings: () => settings, ready, log: (message: string) => connection.console.error(message) };
// What the pending edits open and close: its findings go out with the diagnostics.
const changeImpact = new ChangeImpact(
  reachDeps,
  new GitBaselines({
    trusted: () => workspaceTrusted,
    untrusted: () => folderPaths(),
    maxBytes: () => settings.maxFileSizeKB * 1024,
    log: (message) => connection.console.warn(message),
  }),
);
const diagnostics = new DiagnosticsService(connection, state, docsUri, (uri) => documents.get(uri)?.version, () => changeImpact.findings());

connection.onInitialized(async () => {
  try {
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, undefined);
      await pullSettings();
    }
    scanDisk();
  } finally {
    markReady();
  }
  schedule();
});

async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const [netpol, filesExclude] = await connection.workspace.getConfiguration([{ section: 'netpol' }, { section: 'files.exclude' }]);
    settings = readSettings(netpol, filesExclude);
  } catch (e) {
    connection.console.warn(`NetPol: could not read settings: ${(e as Error).message}`);
  }
}

/** The workspace folders on disk. */
function folderPaths(): string[] {
  return workspaceFolders.map(filePathOf).filter((p): p is string => p !== undefined);
}


function scanOptions(): ScanOptions {
  return { exclude: settings.exclude, maxFiles: settings.maxFiles, maxFileBytes: settings.maxFileSizeKB * 1024, maxTotalBytes: settings.maxTotalMB * 1024 * 1024 };
}

function scanDisk(): void {
  // One budget for the whole workspace: its folders share the file and byte bounds.
  const options = scanOptions();
  const budget = workspaceBudget(options);
  for (const root of folderPaths()) {
    const { files, messages, notes } = scanYamlFiles(root, options, budget);
    // Files passed over for what they are (a FIFO, a link out of the folder): the log only.
    for (const n of notes) connection.console.info(n);
    // Caps and files too large are worth a visible message, once per scan.
    for (const m of messages) connection.console.warn(m);
    // A client may not answer (or not know) the request: the log has the messages anyway.
    if (messages.length > 0) connection.window.showWarningMessage<MessageActionItem>(messages.length === 1 ? messages[0] : `${messages[0]} (and ${messages.length - 1} more notes in Output › NetPol)`).catch(() => undefined);
    for (const f of files) setDisk(pathToFileURL(f.path).toString(), f.text);
    if (budget.stopped) break;
  }
}

/** Bytes of each file read from disk: the workspace's bounds hold for files created later too. */
const diskBytes = new Map<string, number>();
let diskTotal = 0;
let boundSaid = false;

function setDisk(uri: string, text: string): void {
  const bytes = Buffer.byteLength(text);
  diskTotal += bytes - (diskBytes.get(uri) ?? 0);
  diskBytes.set(uri, bytes);
  state.setDisk(uri, text);
}

function deleteDisk(uri: string): void {
  diskTotal -= diskBytes.get(uri) ?? 0;
  diskBytes.delete(uri);
  state.deleteDisk(uri);
}

/** False (said once in the log) when one more file of `length` would pass the workspace's bounds. */
function fitsBounds(uri: string, length: number): boolean {
  const options = scanOptions();
  const known = diskBytes.get(uri);
  const files = diskBytes.size + (known === undefined ? 1 : 0);
  if (files <= options.maxFiles && diskTotal - (known ?? 0) + length <= options.maxTotalBytes) return true;
  if (!boundSaid) connection.console.warn(`NetPol: the workspace is at its bounds (settings netpol.maxFiles, netpol.maxTotalMB): new files are not analysed.`);
  boundSaid = true;
  return false;
}

// Coalesce bursts of events (a paste, a branch switch) into one analysis.
let pending = false;
const touched = new Set<string>();
/** Documents opened since the last analysis: their change-impact baselines are read after it. */
const opened = new Set<string>();
function schedule(uri?: string): void {
  if (uri) touched.add(uri);
  if (pending) return;
  pending = true;
  void ready.then(() => setImmediate(() => {
    pending = false;
    const batch = new Set(touched);
    touched.clear();
    try {
      diagnostics.refresh(settings, batch);
      changeImpact.notifyIfChanged(connection);
      notifyAnalysisChanged(connection, { refreshCodeLenses: canRefreshCodeLenses });
      if (changeImpact.pending) scheduleDeferredImpact();
      for (const u of opened) changeImpact.prepare(u);
      opened.clear();
    } catch (e) {
      // Never let one bad input take the server down: log it and keep serving.
      connection.console.error(`NetPol: analysis failed: ${(e as Error).stack ?? e}`);
    }
  }));
}

// A commit or a checkout moves the baselines without any document event: look now and then.
const BASELINE_CHECK_MS = 2000;
setInterval(() => {
  if (pending) return;
  try {
    if (changeImpact.baselineMoved()) schedule();
  } catch (e) {
    connection.console.error(`NetPol: baseline check failed: ${(e as Error).stack ?? e}`);
  }
}, BASELINE_CHECK_MS).unref();

// An edit that changes workloads on a large workspace needs a whole baseline analysis:
// it runs once typing pauses, not on every keystroke.
const DEFERRED_IMPACT_MS = 400;
let deferredImpact: NodeJS.Timeout | undefined;
function scheduleDeferredImpact(): void {
  clearTimeout(deferredImpact);
  deferredImpact = setTimeout(() => {
    if (pending || !changeImpact.pending) return;
    try {
      changeImpact.computeDeferred();
      diagnostics.refresh(settings);
      changeImpact.notifyIfChanged(connection);
      notifyAnalysisChanged(connection, { refreshCodeLenses: canRefreshCodeLenses });
    } catch (e) {
      connection.console.error(`NetPol: change impact failed: ${(e as Error).stack ?? e}`);
    }
  }, DEFERRED_IMPACT_MS);
}

/** A client may open anything: without a string URI and text there is no document to analyse. */
const isDocument = (d: TextDocument): boolean => typeof d.uri === 'string' && typeof d.getText() === 'string';

documents.onDidOpen((e) => {
  if (!isDocument(e.document)) return;
  state.setOpen(e.document.uri, e.document.getText());
  opened.add(e.document.uri);
  schedule(e.document.uri);
});
documents.onDidChangeContent((e) => {
  if (!isDocument(e.document)) return;
  state.setOpen(e.document.uri, e.document.getText());
  schedule(e.document.uri);
});
documents.onDidClose((e) => {
  if (typeof e.document.uri !== 'string') return;
  state.close(e.document.uri);
  schedule();
});

connection.onDidChangeWatchedFiles((params) => {
  const roots = folderPaths();
  const options = scanOptions();
  // Clients send what they like: a malformed event is passed over, not a crash.
  for (const change of Array.isArray(params?.changes) ? params.changes : []) {
    const path = filePathOf(change?.uri);
    if (path === undefined) continue;
    if (change.type === FileChangeType.Deleted) {
      deleteDisk(change.uri);
      continue;
    }
    // Only what the scan would read: a regular YAML file of a workspace folder.
    const read = readWatchedFile(path, roots, options);
    if (read.kind === 'text' && fitsBounds(change.uri, Buffer.byteLength(read.text))) setDisk(change.uri, read.text);
    else if (read.kind !== 'ignored') deleteDisk(change.uri);
    if (read.kind === 'skipped') connection.console.info(read.message);
  }
  schedule();
});

// The user trusted the workspace: git HEAD becomes the change impact's baseline.
connection.onNotification(WORKSPACE_TRUSTED_NOTIFICATION, () => {
  if (workspaceTrusted) return;
  workspaceTrusted = true;
  schedule();
});

connection.onDidChangeConfiguration(async (params) => {
  if (canPullConfiguration) await pullSettings();
  else settings = readSettings((params.settings as { netpol?: unknown } | undefined)?.netpol);
  schedule();
});

// Malformed parameters are the client's mistake: InvalidParams, not an internal error.
connection.onCodeAction(
  withValidParams('textDocument/codeAction', codeActionParams, createCodeActionHandler({
    state,
    settings: () => settings,
    docsUri,
    versionOf: (uri) => documents.get(uri)?.version,
    canCreateFiles: () => canCreateFiles,
    log: (message) => connection.console.error(message),
  })),
);

connection.onCompletion(
  withValidParams(
    'textDocument/completion',
    textDocumentPositionParams,
    createCompletionHandler({ state, settings: () => settings, snippetSupport: () => completionSnippets, log: (message) => connection.console.error(message) }),
  ),
);

connection.onHover(withValidParams('textDocument/hover', textDocumentPositionParams, createHoverHandler(reachDeps)));
connection.onCodeLens(withValidParams('textDocument/codeLens', textDocumentParams, createCodeLensHandler(reachDeps, (uri) => changeImpact.codeLenses(uri))));
const requests = createCustomRequestHandlers(reachDeps);
connection.onRequest(REACHABILITY_REQUEST, requests.reachability);
connection.onRequest(EXPLAIN_REQUEST, requests.explain);
connection.onRequest(WORKLOADS_REQUEST, requests.workloads);
connection.onRequest(NAMESPACES_REQUEST, requests.namespaces);
connection.onRequest(DEFAULT_DENY_EDIT_REQUEST, requests.defaultDenyEdit);
connection.onRequest(EXPORT_REQUEST, exportConnections);
connection.onRequest(CHANGE_IMPACT_REQUEST, () => changeImpact.request());

documents.listen(connection);
connection.listen();
