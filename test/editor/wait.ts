import * as vscode from 'vscode';

/** The diagnostics NetPol published for a document. */
export function netpolDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'netpol');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/**
 * Resolves when the document's NetPol diagnostics satisfy `test`, checking now and on
 * every onDidChangeDiagnostics event: no polling, no sleeps. The deadline only turns a
 * hang into a clear failure.
 */
export function waitForDiagnostics(uri: vscode.Uri, test: (d: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const d = netpolDiagnostics(uri);
      if (!test(d)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(d);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      const now = netpolDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`);
      reject(new Error(`timed out waiting for ${what} on ${uri.fsPath}; diagnostics now: [${now.join(', ')}]`));
    }, timeoutMs);
    check();
  });
}
