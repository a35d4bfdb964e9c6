/**
 * "NetPol: Create Default-Deny for Namespace…": pick a namespace and ingress only or
 * ingress + egress; the server writes the policy (`netpol/defaultDenyEdit`, an LSP
 * WorkspaceEdit), the client applies it and shows the result.
 */
import * as vscode from 'vscode';
import type * as lsp from 'vscode-languageclient/node';
import { DEFAULT_DENY_EDIT_REQUEST, NAMESPACES_REQUEST, type DefaultDenyParams } from '../../../../server/src/protocol';
import type { NetPolServer } from '../../connection/netpol-server';
import { iconLabel } from '../../labels';

/** Optional arguments: given parts are not asked for. */
export interface DefaultDenyArgs {
  readonly namespace?: string;
  readonly egress?: boolean;
}

export interface DefaultDenyOutcome {
  readonly applied: boolean;
  /** Files the edit changed or created. */
  readonly uris: readonly string[];
  /** Why nothing was applied. */
  readonly reason?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function createDefaultDenyCommand(server: NetPolServer, arg?: unknown): Promise<DefaultDenyOutcome | undefined> {
  const args: DefaultDenyArgs = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as DefaultDenyArgs) : typeof arg === 'string' ? { namespace: arg } : {};
  const namespace = args.namespace ?? (await pickNamespace(server));
  if (!namespace) return undefined;
  const egress = args.egress ?? (await pickDirections(namespace));
  if (egress === undefined) return undefined;
  const params: DefaultDenyParams = { namespace, egress };
  let edit: lsp.WorkspaceEdit | null;
  try {
    edit = await server.request<lsp.WorkspaceEdit | null>(DEFAULT_DENY_EDIT_REQUEST, params);
  } catch (e) {
    const reason = (e as Error).message;
    void vscode.window.showErrorMessage(reason);
    return { applied: false, uris: [], reason };
  }
  const converted = edit ? await server.client().protocol2CodeConverter.asWorkspaceEdit(edit) : undefined;
  if (!converted || converted.size === 0) {
    const reason = `Namespace ${namespace} already denies ${egress ? 'ingress and egress' : 'ingress'} by default: nothing to add.`;
    void vscode.window.showInformationMessage(reason);
    return { applied: false, uris: [], reason };
  }
  const applied = await vscode.workspace.applyEdit(converted);
  const entries = converted.entries();
  const uris = entries.map(([uri]) => uri.toString());
  if (!applied) {
    const reason = `Could not apply the default-deny policy for ${namespace}.`;
    void vscode.window.showErrorMessage(reason);
    return { applied, uris, reason };
  }
  // Show where the policy went.
  const [first] = entries;
  if (first) {
    const [uri, edits] = first;
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = edits.length > 0 ? edits[0].range.start : new vscode.Position(0, 0);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    editor.selection = new vscode.Selection(at, at);
  }
  return { applied, uris };
}

async function pickNamespace(server: NetPolServer): Promise<string | undefined> {
  let namespaces: string[] = [];
  try {
    namespaces = (await server.request<string[] | null>(NAMESPACES_REQUEST)) ?? [];
  } catch (e) {
    void vscode.window.showWarningMessage((e as Error).message);
  }
  if (namespaces.length === 0) {
    const typed = await vscode.window.showInputBox({
      title: 'NetPol: Create Default-Deny (1/2)',
      prompt: 'No namespace found in the workspace: name one',
      validateInput: (v) => (DNS_LABEL.test(v.trim()) && v.trim().length <= 63 ? undefined : 'A namespace name (lowercase letters, digits and -)'),
    });
    return typed?.trim() || undefined;
  }
  const picked = await vscode.window.showQuickPick(
    // Shown as text (one line, no theme icon of its own); the pick answers the name itself.
    [...namespaces].sort().map((ns) => ({ label: iconLabel(ns), namespace: ns })),
    { title: 'NetPol: Create Default-Deny (1/2)', placeHolder: 'Namespace to deny by default' },
  );
  return picked?.namespace;
}

async function pickDirections(namespace: string): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Ingress only', description: 'policyTypes: [Ingress]', detail: 'Pods accept only what other policies allow; they still send anything.', egress: false },
      { label: 'Ingress and egress', description: 'policyTypes: [Ingress, Egress]', detail: 'Also blocks outgoing traffic, including DNS, until other policies allow it.', egress: true },
    ],
    { title: `NetPol: Create Default-Deny for ${namespace} (2/2)` },
  );
  return picked?.egress;
}
