import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { runRules } from '../core/rules/run';
import type { Finding } from '../core/rules/types';
import { findingToDiagnostic, PositionConverter } from './convert';
import type { Settings } from './settings';
import type { WorkspaceState } from './workspace';

/**
 * Computes diagnostics for the whole workspace and pushes them per file. A file's
 * diagnostics can change because another file changed, so every file whose findings
 * changed is republished, and files whose problems are gone get an empty list.
 *
 * Cheap per keystroke: findings are compared per file by a signature of offsets and
 * messages, and only the files whose signature changed are converted to LSP ranges
 * (line indexes are kept per file text).
 */
export class DiagnosticsService {
  /** uri -> signature of the findings last published. */
  private readonly published = new Map<string, string>();
  private readonly converters = new Map<string, { text: string; conv: PositionConverter }>();

  constructor(
    private readonly connection: Connection,
    private readonly state: WorkspaceState,
    private readonly docsUri: (rule: string) => string,
    /** The open document's version, echoed so clients can match results to edits. */
    private readonly versionOf: (uri: string) => number | undefined = () => undefined,
    /** Findings of other sources published with the rules' (the change rules), computed after the analysis. */
    private readonly extraFindings: () => readonly Finding[] = () => [],
  ) {}

  /** Current findings of the workspace, grouped by file. */
  findingsByFile(settings: Settings): Map<string, Finding[]> {
    const analysis = this.state.analysis({ defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController }, settings.maxFileSizeKB * 1024);
    const byFile = new Map<string, Finding[]>();
    for (const f of [...runRules(analysis, { severities: settings.rules, options: settings.ruleOptions }), ...this.extraFindings()]) {
      const list = byFile.get(f.span.file);
      if (list) list.push(f);
      else byFile.set(f.span.file, [f]);
    }
    return byFile;
  }

  /** LSP diagnostics of the whole workspace (for tests and one-shot clients). */
  compute(settings: Settings): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    for (const [uri, findings] of this.findingsByFile(settings)) out.set(uri, this.toDiagnostics(uri, findings));
    return out;
  }

  /**
   * Recomputes and publishes what changed. `touched` files (just opened or edited)
   * are always published, even when unchanged, so an editor hears back on each edit.
   */
  refresh(settings: Settings, touched: ReadonlySet<string> = new Set()): void {
    const byFile = this.findingsByFile(settings);
    const uris = new Set([...byFile.keys(), ...this.published.keys(), ...touched]);
    for (const uri of uris) {
      const findings = byFile.get(uri) ?? [];
      const signature = signatureOf(findings);
      if (this.published.get(uri) === signature && !touched.has(uri)) continue;
      if (findings.length === 0) this.published.delete(uri);
      else this.published.set(uri, signature);
      void this.connection.sendDiagnostics({ uri, version: this.versionOf(uri), diagnostics: this.toDiagnostics(uri, findings) });
    }
    for (const uri of this.converters.keys()) if (!uris.has(uri) && this.state.text(uri) === undefined) this.converters.delete(uri);
  }

  private toDiagnostics(uri: string, findings: readonly Finding[]): Diagnostic[] {
    const text = this.state.text(uri) ?? '';
    let entry = this.converters.get(uri);
    if (!entry || entry.text !== text) {
      entry = { text, conv: new PositionConverter(text) };
      this.converters.set(uri, entry);
    }
    const conv = entry.conv;
    return findings.map((f) => findingToDiagnostic(f, conv, this.docsUri));
  }
}

/** Everything a published diagnostic is made of, as one string. */
function signatureOf(findings: readonly Finding[]): string {
  let s = '';
  for (const f of findings) s += `${f.rule}\u0000${f.severity}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.path}\u0000${f.message}\u0001`;
  return s;
}
