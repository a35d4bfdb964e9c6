import { ErrorCodes, ResponseError, type ExecuteCommandParams } from 'vscode-languageserver/node';
import { generatedStream } from '../core';
import { GENERATE_MAX_CLOSED_LISTED, GENERATE_POLICIES_SERVER_COMMAND, type GeneratePoliciesArgs, type GeneratePoliciesResult } from '../protocol';
import { invalid, runRequest, type FeatureDeps } from './features';

/** The commands the server runs (`executeCommandProvider.commands`). */
export const SERVER_COMMANDS = [GENERATE_POLICIES_SERVER_COMMAND];

/**
 * workspace/executeCommand `netpol.server.generatePolicies`: the least-privilege policies
 * of a namespace (or of some workloads) from the evidence (core: Snapshot.generate), as
 * one YAML stream with the notes `netpol generate` prints on stderr.
 */
export function createExecuteCommandHandler(deps: FeatureDeps, folders: () => readonly string[]): (params: ExecuteCommandParams) => Promise<GeneratePoliciesResult> {
  return (params) => {
    if (params?.command !== GENERATE_POLICIES_SERVER_COMMAND) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${String(params?.command)}`);
    return runRequest(deps, GENERATE_POLICIES_SERVER_COMMAND, (snapshot, conv) => {
      const args = (params.arguments?.[0] ?? {}) as GeneratePoliciesArgs;
      if (typeof args !== 'object' || args === null) throw invalid(`${GENERATE_POLICIES_SERVER_COMMAND} takes {namespace?, workloads?, ingressOnly?}`);
      const namespace = typeof args.namespace === 'string' && args.namespace !== '' ? args.namespace : undefined;
      const workloads = Array.isArray(args.workloads) ? args.workloads.filter((w): w is string => typeof w === 'string') : undefined;
      const fileName = (uri: string) => workspacePath(uri, folders());
      const result = snapshot.generate({ ...(namespace ? { namespaces: [namespace] } : {}), ...(workloads ? { workloads } : {}), ingressOnly: args.ingressOnly === true, fileName });
      const text = generatedStream(result);
      // What applying them would close: the flows allowed today that no evidence shows.
      const closed = text === '' ? [] : snapshot.closedBy(text).map((e) => `${e.src} → ${e.dst} on ${e.lost.toString()}`);
      return {
        text,
        closed: closed.slice(0, GENERATE_MAX_CLOSED_LISTED),
        closedCount: closed.length,
        policies: result.files.reduce((n, f) => n + f.policies.length, 0),
        notes: result.notes.map((n) => ({ severity: n.severity, message: n.message, ...(n.span ? { location: { uri: n.span.file, line: conv.range(n.span).start.line } } : {}) })),
      };
    });
  };
}

/** A file URI as a path in its workspace folder (how a reviewer names it), else the URI. */
function workspacePath(uri: string, folders: readonly string[]): string {
  for (const f of folders) {
    const base = f.endsWith('/') ? f : `${f}/`;
    if (!uri.startsWith(base)) continue;
    try {
      return decodeURIComponent(uri.slice(base.length));
    } catch {
      return uri.slice(base.length);
    }
  }
  return uri;
}
