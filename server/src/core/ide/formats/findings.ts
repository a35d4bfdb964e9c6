import { LineIndex } from '../../base/span';
import { textLine } from '../../base/escape';
import type { Finding, RuleMeta, Severity } from '../../lint/rule';
import type { SuppressedFinding } from '../../lint/suppressions';

/** A finding located for people and tools: 1-based lines and columns (UTF-16 units). */
export interface LocatedFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
  readonly path: string;
  /** Set on a finding a suppression in the manifests accepts: how, and the reason written there. */
  readonly suppressed?: { readonly kind: 'next-line' | 'document' | 'annotation'; readonly justification: string };
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** Suppressed findings located like the others, each with its suppression. */
export function locateSuppressed(list: readonly SuppressedFinding[], textOf: (file: string) => string): LocatedFinding[] {
  const why = new Map(list.map((s) => [s.finding, { kind: s.kind, justification: s.justification }]));
  return locateFindings(
    list.map((s) => s.finding),
    textOf,
    (f) => why.get(f),
  );
}

export function locateFindings(findings: readonly Finding[], textOf: (file: string) => string, suppressionOf?: (f: Finding) => LocatedFinding['suppressed']): LocatedFinding[] {
  const indexes = new Map<string, LineIndex>();
  const out = findings.map((f) => {
    let idx = indexes.get(f.span.file);
    if (!idx) {
      idx = new LineIndex(textOf(f.span.file));
      indexes.set(f.span.file, idx);
    }
    const s = idx.positionAt(f.span.start);
    const e = idx.positionAt(f.span.end);
    const located: LocatedFinding = { file: f.span.file, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1, severity: f.severity, rule: f.rule, message: f.message, path: f.path };
    const suppressed = suppressionOf?.(f);
    return suppressed ? { ...located, suppressed } : located;
  });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
}

/** `file:line:col: severity rule: message`, one line per finding (paths and messages made safe for a line). */
export function formatFindingsText(list: readonly LocatedFinding[]): string {
  return list
    .map((f) => `${textLine(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${textLine(f.message)}${f.suppressed ? ` [suppressed: ${textLine(f.suppressed.justification)}]` : ''}\n`)
    .join('');
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export interface SarifRuleInfo {
  readonly meta: RuleMeta;
  readonly helpUri?: string;
  readonly helpMarkdown?: string;
}

/** SARIF 2.1.0, as GitHub code scanning reads it: rule metadata with help, one result per finding. */
export function formatSarif(list: readonly LocatedFinding[], rules: readonly SarifRuleInfo[], toolVersion: string, uriOf: (file: string) => string): string {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol',
            fullName: 'NetPol Studio',
            version: toolVersion,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.description },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              help: { text: r.meta.description, ...(r.helpMarkdown ? { markdown: r.helpMarkdown } : {}) },
              defaultConfiguration: { level: SARIF_LEVEL[r.meta.defaultSeverity] },
              properties: { category: r.meta.category },
            })),
          },
        },
        results: list.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          // GitHub code scanning shows these as dismissed, with the reason written in the manifest.
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.justification }] } : {}),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
              logicalLocations: f.path ? [{ fullyQualifiedName: f.path, kind: 'member' }] : [],
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
