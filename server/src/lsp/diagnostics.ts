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
  /** Counts refreshes: steps of an older one stop. */
  private generation = 0;

  constructor(
    private readonly connection: Pick<Connection, 'sendDiagnostics'>,
    private readonly deps: DiagnosticsDeps,
  ) {}

  /** Current findings of the workspace, grouped by file. */
  findingsByFile(): Map<string, Finding[]> {
    const { snapshot } = current(this.deps);
    return perFile([...snapshot.findings(), ...(this.deps.extraFindings?.() ?? [])]);
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
    this.generation++;
    const byFile = this.findingsByFile();
    const { conv } = current(this.deps);
    const uris = new Set([...byFile.keys(), ...this.published.keys(), ...touched]);
    for (const uri of uris) this.publish(uri, byFile.get(uri) ?? [], touched, conv);
    this.deps.lines.prune((uri) => this.deps.workspace.text(uri) !== undefined);
  }

  /**
   * refresh() in steps, for an analysis whose rules have not run yet (the first one of a
   * large workspace): the touched and open files first, then the others a slice at a
   * time, each file's diagnostics complete when published (Snapshot.findingsIn), a turn
   * between slices so that they go out as they come. Ends with refresh(), which finds
   * everything computed and publishes nothing more unless something differs. Stops when
   * the workspace changes or another refresh starts (the next analysis publishes then).
   * Resolves true when the steps ran to the end.
   */
  async refreshInSteps(touched: ReadonlySet<string>, progress?: (done: number, total: number) => void): Promise<boolean> {
    const generation = ++this.generation;
    const { snapshot, conv } = current(this.deps);
    const { workspace } = this.deps;
    const slices = publishOrder(snapshot.uris(), new Set([...touched, ...workspace.openUris()]), (uri) => snapshot.text(uri)?.length ?? 0);
    const stale = () => generation !== this.generation || !workspace.isCurrent(snapshot);
    // The change rules' findings (of the edited files) come once, with the analysis.
    const extra = perFile(this.deps.extraFindings?.() ?? []);
    const total = slices.reduce((n, s) => n + s.length, 0);
    let done = 0;
    for (const slice of slices) {
      if (stale()) return false;
      const byFile = perFile(snapshot.findingsIn(new Set(slice)));
      for (const uri of slice) this.publish(uri, [...(byFile.get(uri) ?? []), ...(extra.get(uri) ?? [])], touched, conv);
      done += slice.length;
      progress?.(done, total);
      await nextTurn();
    }
    if (stale()) return false;
    // Everything is computed now: this publishes only what the steps could not know (nothing, as a
    // rule), and a touched file no slice held (none, as a rule).
    const sent = new Set(slices.flat());
    this.refresh(new Set([...touched].filter((uri) => !sent.has(uri))));
    return true;
  }

  /** Publishes one file's findings unless they are what was last published (a touched file always). */
  private publish(uri: string, findings: readonly Finding[], touched: ReadonlySet<string>, conv: Converter): void {
    const last = this.published.get(uri);
    if (last && !touched.has(uri) && samePublished(last, findings)) return;
    if (last === undefined && findings.length === 0 && !touched.has(uri)) return;
    if (findings.length === 0) this.published.delete(uri);
    else this.published.set(uri, findings.map(published));
    void this.connection.sendDiagnostics({ uri, version: this.deps.versionOf?.(uri), diagnostics: this.toDiagnostics(findings, conv) });
  }

  private toDiagnostics(findings: readonly Finding[], conv: Converter): Diagnostic[] {
    return findings.map((f) => diagnostic(f, conv, this.deps.docsUri));
  }
}

/** Findings grouped by their file, each file's in their order. */
function perFile(findings: Iterable<Finding>): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.span.file);
    if (list) list.push(f);
    else byFile.set(f.span.file, [f]);
  }
  return byFile;
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

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Text (UTF-16 units) per slice after the first: about a fortieth of a large workspace's rule work between two turns. */
const SLICE_CHARS = 512 * 1024;

/**
 * The files in the order refreshInSteps publishes them: `first` (the open and edited
 * files) on their own, then the others in slices of about SLICE_CHARS of text (a slice's
 * cost follows its policies, which follow its text). With nothing open, the first slice
 * is one file.
 */
export function publishOrder(uris: readonly string[], first: ReadonlySet<string>, size: (uri: string) => number): string[][] {
  const slices: string[][] = [];
  const head = uris.filter((u) => first.has(u));
  if (head.length > 0) slices.push(head);
  let slice: string[] = [];
  let chars = 0;
  for (const uri of uris) {
    if (first.has(uri)) continue;
    slice.push(uri);
    chars += size(uri);
    // The first slice is one file when nothing is open: the first diagnostics come soonest.
    if (chars >= SLICE_CHARS || slices.length === 0) {
      slices.push(slice);
      slice = [];
      chars = 0;
    }
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}
