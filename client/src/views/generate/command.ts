/**
 * "NetPol: Generate Policies for Namespace…" (and the code action "Generate least-privilege
 * policy from evidence", which names the workload): the server generates from the evidence
 * (workspace/executeCommand `netpol.server.generatePolicies`); the client opens the result as
 * an untitled YAML document to review, headed by what stays closed and what is left alone.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { GENERATE_POLICIES_SERVER_COMMAND, NAMESPACES_REQUEST, type GeneratePoliciesArgs, type GeneratePoliciesResult } from '../../../../server/src/protocol';
import type { NetPolServer } from '../../connection/netpol-server';
import { iconLabel } from '../../labels';

export interface GenerateOutcome {
  /** The untitled document opened, if any. */
  readonly document?: vscode.TextDocument;
  readonly policies: number;
}

export async function generatePoliciesCommand(server: NetPolServer, arg?: unknown): Promise<GenerateOutcome | undefined> {
  const given: GeneratePoliciesArgs = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as GeneratePoliciesArgs) : typeof arg === 'string' ? { namespace: arg } : {};
  const namespace = given.namespace ?? (await pickNamespace(server));
  if (!namespace) return undefined;
  const args: GeneratePoliciesArgs = { ...given, namespace };
  let result: GeneratePoliciesResult;
  try {
    result = await server.client().sendRequest(ExecuteCommandRequest.type, { command: GENERATE_POLICIES_SERVER_COMMAND, arguments: [args] });
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return { policies: 0 };
  }
  const what = args.workloads?.length === 1 ? args.workloads[0] : `namespace ${namespace}`;
  if (result.policies === 0) {
    void vscode.window.showInformationMessage(`NetPol: nothing to generate for ${what}: its workloads are covered by policies that admit their evidence, or left alone.${result.notes.length > 0 ? ` ${result.notes[0].message}` : ''}`);
    return { policies: 0 };
  }
  const header = [
    `# NetPol: least-privilege policies for ${what}, from the evidence of the workspace. Review, then save them beside the manifests.`,
    ...result.notes.map((n) => `# ${n.severity === 'info' ? 'Closed' : 'Note'}: ${oneLine(n.message)}${n.location ? ` (${vscode.workspace.asRelativePath(vscode.Uri.parse(n.location.uri))}:${n.location.line + 1})` : ''}`),
    ...closedLines(result),
  ];
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: `${header.join('\n')}\n${result.text}` });
  await vscode.window.showTextDocument(document, { preview: false });
  return { document, policies: result.policies };
}

/** The flows allowed today that applying the policies would close (none of them evidenced). */
function closedLines(result: GeneratePoliciesResult): string[] {
  const closed = result.closed ?? [];
  const count = result.closedCount ?? closed.length;
  if (count === 0) return ['# Applying them closes no flow allowed today.'];
  const rest = count - closed.length;
  return [
    `# Applying them closes ${count} flow${count === 1 ? '' : 's'} allowed today that no manifest shows:`,
    ...closed.map((c) => `#   ${oneLine(c)}`),
    ...(rest > 0 ? [`#   … and ${rest} more`] : []),
  ];
}

function oneLine(s: string): string {
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

async function pickNamespace(server: NetPolServer): Promise<string | undefined> {
  let namespaces: string[] = [];
  try {
    namespaces = (await server.request<string[] | null>(NAMESPACES_REQUEST)) ?? [];
  } catch (e) {
    void vscode.window.showWarningMessage((e as Error).message);
  }
  if (namespaces.length === 0) {
    void vscode.window.showInformationMessage('NetPol: no namespace with workloads in the workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [...namespaces].sort().map((ns) => ({ label: iconLabel(ns), namespace: ns })),
    { title: 'NetPol: Generate Policies for Namespace', placeHolder: 'Namespace whose workloads get least-privilege policies from the evidence' },
  );
  return picked?.namespace;
}
