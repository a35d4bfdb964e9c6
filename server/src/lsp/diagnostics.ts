import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../core';
import { current, type FeatureDeps } from './features';
import { diagnostic, type Converter } from './to-lsp';

export interface DiagnosticsDeps extends FeatureDeps {
  /** Diagnostic docs links (docs/rules/<id>.md beside the bundle). */
  readonly docsUri: (rule: string) => string;
  /** The open document's version, echoed so clients can match results to edits. */
  readonly versionOf?: (uri: string) => number | undefined;
  /** Findings of other sources published with the rules' (the change rules), computed after the analysis. */
  readonly extraFindings?: () => readonly Finding[];
}

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

  constructor(
    private readonly connection: Pick<Connection, 'sendDiagnostics'>,
    private readonly deps: DiagnosticsDeps,
  ) {}

  /** Current findings of the workspace, grouped by file. */
  findingsByFile(): Map<string, Finding[]> {
    const { snapshot } = current(this.deps);
    const byFile = new Map<string, Finding[]>();
    for (const f of [...snapshot.findings(), ...(this.deps.extraFindings?.() ?? [])]) {
      const list = byFile.get(f.span.file);
      if (list) list.push(f);
      else byFile.set(f.span.file, [f]);
    }
    return byFile;
  }

  /** LSP diagnostics of the whole workspace (for tests and one-shot clients). */
  compute(): Map<string, Diagnostic[]> {
    const { conv } = current(this.deps);
    const out = new Map<string, Diagnostic[]>();
    for (const [uri, findings] of this.findingsByFile()) out.set(uri, this.toDiagnostics(findings, conv));
    return out;
  }

  /**
   * Recomputes and publishes what changed. `touched` files (just opened or edited)
   * are always published, even when unchanged, so an editor hears back on each edit.
   */
  refresh(touched: ReadonlySet<string> = new Set()): void {
    const byFile = this.findingsByFile();
    const { conv } = current(this.deps);
    const uris = new Set([...byFile.keys(), ...this.published.keys(), ...touched]);
    for (const uri of uris) {
      const findings = byFile.get(uri) ?? [];
      const last = this.published.get(uri);
      if (last && !touched.has(uri) && samePublished(last, findings)) continue;
      if (last === undefined && findings.length === 0 && !touched.has(uri)) continue;
      if (findings.length === 0) this.published.delete(uri);
      else this.published.set(uri, findings.map(published));
      void this.connection.sendDiagnostics({ uri, version: this.deps.versionOf?.(uri), diagnostics: this.toDiagnostics(findings, conv) });
    }
    this.deps.lines.prune((uri) => this.deps.workspace.text(uri) !== undefined);
  }

  private toDiagnostics(findings: readonly Finding[], conv: Converter): Diagnostic[] {
    return findings.map((f) => diagnostic(f, conv, this.deps.docsUri));
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
