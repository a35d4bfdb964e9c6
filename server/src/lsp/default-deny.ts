import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { DEFAULT_DENY_EDIT_REQUEST, type DefaultDenyParams } from '../protocol';
import { invalid, runRequest, type FeatureDeps } from './features';
import { workspaceEdit } from './to-lsp';

/**
 * `netpol/defaultDenyEdit` ("Create Default-Deny for Namespace…"): the edit that adds a
 * default-deny policy for the namespace (core: Snapshot.defaultDenyEdit), or
 * InvalidParams saying why there is none.
 */
export function createDefaultDenyHandler(deps: FeatureDeps): (params: DefaultDenyParams) => Promise<WorkspaceEdit> {
  return (params) =>
    runRequest(deps, DEFAULT_DENY_EDIT_REQUEST, (snapshot, conv) => {
      if (!params || typeof params.namespace !== 'string' || params.namespace === '') throw invalid('netpol/defaultDenyEdit needs `namespace`');
      const result = snapshot.defaultDenyEdit(params.namespace, params.egress === true);
      if ('error' in result) throw invalid(result.error);
      return workspaceEdit(result.edits, conv);
    });
}
