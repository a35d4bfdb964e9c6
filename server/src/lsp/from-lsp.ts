/**
 * Every conversion from the protocol's types to the core's (to-lsp.ts has the other
 * direction): positions to offsets, URIs to paths, and the checks of request parameters
 * before a handler reads them. A client may send anything: a missing `textDocument` or a
 * position that is not a pair of non-negative integers is answered with InvalidParams
 * (what the client did wrong) instead of an internal error (what a bug of ours looks
 * like). Positions past the end of a document are valid: the handlers answer them with
 * nothing.
 */
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ResponseError, type Position } from 'vscode-languageserver/node';
import type { Converter } from './to-lsp';

/** The offset of an LSP position in a file's text (through the server's line-index cache). */
export function offsetAt(conv: Converter, uri: string, position: Position): number {
  return conv.index(uri).offsetAt({ line: position.line, character: position.character });
}

/**
 * The local path of a `file:` URI, or undefined for any other URI and for a `file:` URI
 * that names no local path here (a host on a system without UNC paths, a broken
 * percent-escape). Clients send any URI they like: a document they open is analysed
 * from its text whatever its URI, and only what needs the disk asks for a path.
 */
export function filePathOf(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

type Check = (params: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUinteger = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function position(v: unknown, what: string): string | undefined {
  if (!isObject(v) || !isUinteger(v.line) || !isUinteger(v.character)) return `${what} must be {line, character} with non-negative integers`;
  return undefined;
}

function range(v: unknown, what: string): string | undefined {
  if (!isObject(v)) return `${what} must be a range {start, end}`;
  return position(v.start, `${what}.start`) ?? position(v.end, `${what}.end`);
}

/** `{textDocument: {uri: string}}`. */
export const textDocumentParams: Check = (p) => (isObject(p) && isObject(p.textDocument) && typeof p.textDocument.uri === 'string' ? undefined : 'textDocument.uri must be a string');

/** TextDocumentPositionParams (hover, completion). */
export const textDocumentPositionParams: Check = (p) => textDocumentParams(p) ?? position((p as Record<string, unknown>).position, 'position');

/** CodeActionParams: a range, and a context whose diagnostics have ranges. */
export const codeActionParams: Check = (p) => {
  const problem = textDocumentParams(p) ?? range((p as Record<string, unknown>).range, 'range');
  if (problem) return problem;
  const context = (p as Record<string, unknown>).context;
  if (!isObject(context) || !Array.isArray(context.diagnostics)) return 'context.diagnostics must be an array';
  for (const [i, d] of context.diagnostics.entries()) {
    const bad = isObject(d) ? range(d.range, `context.diagnostics[${i}].range`) : `context.diagnostics[${i}] must be a diagnostic`;
    if (bad) return bad;
  }
  if (context.only !== undefined && (!Array.isArray(context.only) || !context.only.every((k) => typeof k === 'string'))) return 'context.only must be a list of strings';
  return undefined;
};

/**
 * The handler, answering InvalidParams when `check` finds the parameters malformed.
 * `method` names the request in the error message.
 */
export function withValidParams<P, R, Rest extends unknown[]>(method: string, check: Check, handler: (params: P, ...rest: Rest) => R): (params: P, ...rest: Rest) => R | ResponseError<void> {
  return (params, ...rest) => {
    const problem = check(params);
    if (problem !== undefined) return new ResponseError<void>(ErrorCodes.InvalidParams, `${method}: ${problem}`);
    return handler(params, ...rest);
  };
}
