import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { runRules } from '../core/rules/run';
import { findingToDiagnostic, PositionConverter } from './convert';
import type { Settings } from './settings';
import type { WorkspaceState } from './workspace';
import type { Finding } from '../core/lint/rule';

/**
 * Computes diagnostics for the whole workspace and pushes them per file. A file's
 * diagnostics can change because another file changed, so every file whose findings
 * changed is republished, and files whose problems are gone get an empty list.
 *
 * Cheap per keystroke: findings are compared per file with what was last published
 * (rule, severity, offsets, path, message: the rules hand back the same strings for
 * unchanged policies, so most comparisons are pointer checks), and only the files whose
 * findings changed are converted to LSP ranges (line indexes are kept per file text).
 */
export class DiagnosticsService {
  /** uri -> the findings last published, with their offsets then. */
  private readonly published = new Map<string, readonly PublishedFinding[]>();
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
      const last = this.published.get(uri);
      if (last && !touched.has(uri) && samePublished(last, findings)) continue;
      if (last === undefined && findings.length === 0 && !touched.has(uri)) continue;
      if (findings.length === 0) this.published.delete(uri);
      else this.published.set(uri, findings.map(published));
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

/** Everything a published diagnostic is made of (offsets as they were: spans follow their document). */
interface PublishedFinding {
  readonly rule: string;
  readonly severity: string;
  readonly start: number;
  readonly end: number;
  readonly path: string;
  readonly message: string;
}

function published(f: Finding): PublishedFinding {
  return { rule: f.rule, severity: f.severity, start: f.span.start, end: f.span.end, path: f.path, message: f.message };
}

function samePublished(last: readonly PublishedFinding[], now: readonly Finding[]): boolean {
  if (last.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = last[i];
    const b = now[i];
    if (a.rule !== b.rule || a.severity !== b.severity || a.path !== b.path || a.message !== b.message) return false;
    const span = b.span;
    if (a.start !== span.start || a.end !== span.end) return false;
  }
  return true;
}
