import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { runRules } from '../core/rules/run';
import { findingToDiagnostic, PositionConverter } from './convert';
import type { Settings } from './settings';
import type { WorkspaceState } from './workspace';

/**
 * Computes diagnostics for the whole workspace and pushes them per file. A file's
 * diagnostics can change because another file changed, so every file whose set
 * changed is republished, and files whose problems are gone get an empty list.
 */
export class DiagnosticsService {
  private readonly published = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly state: WorkspaceState,
    private readonly docsUri: (rule: string) => string,
    /** The open document's version, echoed so clients can match results to edits. */
    private readonly versionOf: (uri: string) => number | undefined = () => undefined,
  ) {}

  compute(settings: Settings): Map<string, Diagnostic[]> {
    const analysis = this.state.analysis({ defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController }, settings.maxFileSizeKB * 1024);
    const byFile = new Map<string, Diagnostic[]>();
    const converters = new Map<string, PositionConverter>();
    const conv = (uri: string) => {
      let c = converters.get(uri);
      if (!c) {
        c = new PositionConverter(this.state.text(uri) ?? '');
        converters.set(uri, c);
      }
      return c;
    };
    const add = (uri: string, d: Diagnostic | undefined) => {
      if (!d) return;
      const list = byFile.get(uri);
      if (list) list.push(d);
      else byFile.set(uri, [d]);
    };
    for (const finding of runRules(analysis, { severities: settings.rules, options: settings.ruleOptions })) {
      add(finding.span.file, findingToDiagnostic(finding, conv(finding.span.file), this.docsUri));
    }
    return byFile;
  }

  /**
   * Recomputes and publishes what changed. `touched` files (just opened or edited)
   * are always published, even when unchanged, so an editor hears back on each edit.
   */
  refresh(settings: Settings, touched: ReadonlySet<string> = new Set()): void {
    const byFile = this.compute(settings);
    const uris = new Set([...byFile.keys(), ...this.published.keys(), ...touched]);
    for (const uri of uris) {
      const diagnostics = byFile.get(uri) ?? [];
      const key = JSON.stringify(diagnostics);
      if (this.published.get(uri) === key && !touched.has(uri)) continue;
      if (diagnostics.length === 0) this.published.delete(uri);
      else this.published.set(uri, key);
      void this.connection.sendDiagnostics({ uri, version: this.versionOf(uri), diagnostics });
    }
  }
}
