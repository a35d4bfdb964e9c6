/**
 * The workspace's files on disk: the first scan of the folders, then the watched-file
 * events, within the workspace's bounds (netpol.maxFiles, netpol.maxFileSizeKB,
 * netpol.maxTotalMB) for files created later too. What is read goes to the host as
 * `disk` changes; open buffers win over it there.
 */
import { pathToFileURL } from 'node:url';
import { FileChangeType, type DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import type { NetpolConfig, Workspace } from '../core';
import { readWatchedFile, scanYamlFileSteps, workspaceBudget, type ScanOptions } from '../node/scan';
import { filePathOf } from './from-lsp';

export interface FilesDeps {
  readonly workspace: Workspace;
  /** The workspace folders on disk. */
  readonly folders: () => string[];
  /** Said in the log only (files passed over for what they are). */
  readonly info: (message: string) => void;
  /** Said in the log (caps, files too large). */
  readonly warn: (message: string) => void;
  /** Said to the user, once per scan. */
  readonly show: (message: string) => void;
}

export function scanOptions(config: NetpolConfig): ScanOptions {
  return { exclude: config.exclude, maxFiles: config.maxFiles, maxFileBytes: config.maxFileSizeKB * 1024, maxTotalBytes: config.maxTotalMB * 1024 * 1024 };
}

export class WorkspaceFiles {
  /** Bytes of each file read from disk: the workspace's bounds hold for files created later too. */
  private readonly bytes = new Map<string, number>();
  private total = 0;
  private boundSaid = false;
  /** The excluded globs of the last scan: a configuration that changes them asks for a new one. */
  private scannedExclude: string | undefined;

  constructor(private readonly deps: FilesDeps) {}

  /**
   * Reads one file of a folder ahead of the scan (the repository's .netpol.yaml, whose
   * `exclude` the scan honours), as a watched file is read.
   */
  readAhead(path: string): void {
    const read = readWatchedFile(path, this.deps.folders(), scanOptions(this.deps.workspace.config));
    if (read.kind === 'text') this.set(pathToFileURL(path).toString(), read.text);
  }

  /** Scans again when the excluded globs changed since the last scan (settings or .netpol.yaml): files now excluded go, files no longer excluded come. */
  rescanIfExcludeChanged(): boolean {
    if (this.scannedExclude === undefined || JSON.stringify(this.deps.workspace.config.exclude) === this.scannedExclude) return false;
    for (const uri of [...this.bytes.keys()]) this.delete(uri);
    this.scan();
    return true;
  }

  /** Reads the YAML files of every folder, within one budget for the whole workspace. */
  scan(): void {
    for (const step of this.scanSteps()) void step;
  }

  /**
   * scan() one file at a time: yields how many files have been read so far after each
   * one (the first scan reports its progress and lets messages through between them).
   */
  *scanSteps(): Generator<number, void, undefined> {
    const options = scanOptions(this.deps.workspace.config);
    this.scannedExclude = JSON.stringify(options.exclude);
    const budget = workspaceBudget(options);
    let before = 0;
    for (const root of this.deps.folders()) {
      const steps = scanYamlFileSteps(root, options, budget);
      let step = steps.next();
      for (; !step.done; step = steps.next()) yield before + step.value;
      const { files, messages, notes } = step.value;
      before += files.length;
      // Files passed over for what they are (a FIFO, a link out of the folder): the log only.
      for (const n of notes) this.deps.info(n);
      // Caps and files too large are worth a visible message, once per scan.
      for (const m of messages) this.deps.warn(m);
      if (messages.length > 0) this.deps.show(messages.length === 1 ? messages[0] : `${messages[0]} (and ${messages.length - 1} more notes in Output › NetPol)`);
      for (const f of files) this.set(pathToFileURL(f.path).toString(), f.text);
      if (budget.stopped) break;
    }
  }

  /** workspace/didChangeWatchedFiles: what the scan would read of the changed files. */
  changed(params: DidChangeWatchedFilesParams): void {
    const roots = this.deps.folders();
    const options = scanOptions(this.deps.workspace.config);
    // Clients send what they like: a malformed event is passed over, not a crash.
    for (const change of Array.isArray(params?.changes) ? params.changes : []) {
      const path = filePathOf(change?.uri);
      if (path === undefined) continue;
      if (change.type === FileChangeType.Deleted) {
        this.delete(change.uri);
        // A deleted folder comes as one event for the folder (VS Code sends none for its files).
        const under = change.uri.endsWith('/') ? change.uri : `${change.uri}/`;
        for (const uri of [...this.bytes.keys()]) if (uri.startsWith(under)) this.delete(uri);
        continue;
      }
      // Only what the scan would read: a regular YAML file of a workspace folder.
      const read = readWatchedFile(path, roots, options);
      if (read.kind === 'text' && this.fits(change.uri, Buffer.byteLength(read.text), options)) this.set(change.uri, read.text);
      else if (read.kind !== 'ignored') this.delete(change.uri);
      if (read.kind === 'skipped') this.deps.info(read.message);
    }
  }

  private set(uri: string, text: string): void {
    const bytes = Buffer.byteLength(text);
    this.total += bytes - (this.bytes.get(uri) ?? 0);
    this.bytes.set(uri, bytes);
    this.deps.workspace.applyChange({ kind: 'disk', uri, text });
  }

  private delete(uri: string): void {
    this.total -= this.bytes.get(uri) ?? 0;
    this.bytes.delete(uri);
    this.deps.workspace.applyChange({ kind: 'disk', uri, text: undefined });
  }

  /** False (said once in the log) when one more file of `length` would pass the workspace's bounds. */
  private fits(uri: string, length: number, options: ScanOptions): boolean {
    const known = this.bytes.get(uri);
    const files = this.bytes.size + (known === undefined ? 1 : 0);
    if (files <= options.maxFiles && this.total - (known ?? 0) + length <= options.maxTotalBytes) return true;
    if (!this.boundSaid) this.deps.warn(`NetPol: the workspace is at its bounds (settings netpol.maxFiles, netpol.maxTotalMB): new files are not analysed.`);
    this.boundSaid = true;
    return false;
  }
}
