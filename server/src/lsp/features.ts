import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Snapshot, Workspace } from '../core';
import { Converter, type LineIndexes } from './to-lsp';

/** What every feature handler is given by the server (main.ts). */
export interface FeatureDeps {
  /** The host of the workspace's files, configuration and caches. */
  readonly workspace: Workspace;
  /** The server's line-index cache (to-lsp.ts). */
  readonly lines: LineIndexes;
  /** Resolves once the disk has been scanned: answers before that would be about half a workspace. */
  readonly ready?: Promise<unknown>;
  /** Where a failure is reported. */
  readonly log?: (message: string) => void;
}

/** The workspace as it is now, with a converter for its texts. */
export function current(deps: FeatureDeps): { snapshot: Snapshot; conv: Converter } {
  const snapshot = deps.workspace.snapshot();
  return { snapshot, conv: new Converter(deps.lines, (uri) => snapshot.text(uri)) };
}

/** InvalidParams: what the client got wrong, in its words. */
export const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);

/**
 * Runs a custom request on the current snapshot once the disk is scanned; unexpected
 * failures become an InternalError with the message (and the stack in the log).
 */
export async function runRequest<T>(deps: FeatureDeps, name: string, body: (snapshot: Snapshot, conv: Converter) => T): Promise<T> {
  await deps.ready;
  try {
    const { snapshot, conv } = current(deps);
    return body(snapshot, conv);
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    deps.log?.(`NetPol: ${name} failed: ${(e as Error).stack ?? String(e)}`);
    throw new ResponseError(ErrorCodes.InternalError, `NetPol: ${name} failed: ${(e as Error).message}`);
  }
}
