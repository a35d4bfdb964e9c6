/**
 * The first scan of a workspace, in steps the editor can show: the files are read, then
 * loaded (parsed) a slice at a time, and between the steps the server reports its
 * progress (window work-done progress: "NetPol: indexing 3,214/10,000 files") and lets
 * other messages through. The analysis that follows finds every file loaded, and its
 * diagnostics are published a few files at a time ("checking 40/101 files", the open
 * files first: DiagnosticsService.refreshInSteps); the progress ends once every file's
 * are out. Without the client's support for
 * work-done progress nothing is reported, and the steps are the same.
 */
import type { Connection, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { Workspace } from '../core';
import type { WorkspaceFiles } from './files';

/** What the editor shows while the server indexes. */
export interface IndexingProgress {
  /** `reading 1,234 files` (how many there are is not known yet). */
  reading(read: number): void;
  /** `indexing 3,214/10,000 files`, with the percentage. */
  indexing(done: number, total: number): void;
  /** `analysing 10,000 files`: the model, the reachability and the workspace's checks, in one go. */
  analysing(total: number): void;
  /** `checking 40/101 files`: their diagnostics published (the rules of their policies run). */
  checking(done: number, total: number): void;
  done(): void;
}

export const PROGRESS_TITLE = 'NetPol';

/** Files (at least) and text (at most, unless one file is larger) loaded between two reports. */
const STEPS = 40;
const STEP_BYTES = 1024 * 1024;
/** Files read between two reports while reading. */
const READ_STEP = 64;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Asks the client for a progress token (window/workDoneProgress/create) when it supports
 * work-done progress; a client that refuses gets no progress either.
 */
export async function indexingProgress(connection: Connection, supported: boolean, log: (message: string) => void): Promise<IndexingProgress> {
  let reporter: WorkDoneProgressReporter | undefined;
  if (supported) {
    try {
      reporter = await connection.window.createWorkDoneProgress();
      reporter.begin(PROGRESS_TITLE, 0, 'indexing');
    } catch (e) {
      log(`NetPol: no progress shown (window/workDoneProgress/create failed: ${(e as Error).message})`);
      reporter = undefined;
    }
  }
  let percentage = 0;
  return {
    reading: (read) => reporter?.report(`reading ${count(read)} files`),
    // Indexing is the first half of the bar, checking the second (each about half the work).
    indexing: (done, total) => {
      percentage = advance(percentage, 0, done, total);
      reporter?.report(percentage, `indexing ${count(done)}/${count(total)} files`);
    },
    analysing: (total) => reporter?.report(percentage, `analysing ${count(total)} files`),
    checking: (done, total) => {
      percentage = advance(percentage, 50, done, total);
      reporter?.report(percentage, `checking ${count(done)}/${count(total)} files`);
    },
    done: () => reporter?.done(),
  };
}

/** The percentage after `done` of `total` in the half starting at `from`: monotonic, as the protocol asks, and below 100 until the end. */
function advance(percentage: number, from: number, done: number, total: number): number {
  return Math.max(percentage, Math.min(99, from + Math.floor((done / Math.max(1, total)) * 50)));
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The first scan: reads the workspace's files, reporting how many are read as it goes. */
export async function readWorkspace(files: WorkspaceFiles, progress: IndexingProgress): Promise<void> {
  let last = 0;
  for (const read of files.scanSteps()) {
    if (read - last < READ_STEP) continue;
    last = read;
    progress.reading(read);
    await nextTurn();
  }
}

/** Loads every file of the workspace ahead of the first analysis, a slice at a time. */
export async function indexWorkspace(workspace: Workspace, progress: IndexingProgress): Promise<void> {
  const uris = workspace.uris();
  const total = uris.length;
  const stepFiles = Math.max(1, Math.ceil(total / STEPS));
  progress.indexing(0, total);
  let done = 0;
  while (done < total) {
    const slice: string[] = [];
    let bytes = 0;
    while (done + slice.length < total && slice.length < stepFiles && bytes < STEP_BYTES) {
      const uri = uris[done + slice.length];
      slice.push(uri);
      bytes += workspace.text(uri)?.length ?? 0;
    }
    await nextTurn();
    workspace.preload(slice);
    done += slice.length;
    progress.indexing(done, total);
  }
  progress.analysing(total);
  await nextTurn();
}
