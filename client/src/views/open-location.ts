import * as vscode from 'vscode';

/** Shows a file at a 0-based line, in the editor group beside `except` when given. */
export async function openLocation(uri: string, line: number, except?: vscode.ViewColumn): Promise<void> {
  const position = new vscode.Position(Math.max(0, line), 0);
  const viewColumn = except === undefined || except !== vscode.ViewColumn.One ? vscode.ViewColumn.One : vscode.ViewColumn.Beside;
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(position, position), viewColumn, preview: true });
}
