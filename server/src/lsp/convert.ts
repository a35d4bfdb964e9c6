import { textLine } from '../core/base/escape';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { LineIndex, type Span } from '../core/base/span';
import type { Finding, Severity } from '../core/lint/rule';

/**
 * The one place where core offsets become LSP positions. Everything upstream works
 * on offsets into file text; LSP wants line/UTF-16 character positions.
 */
export class PositionConverter {
  private index: LineIndex | undefined;

  constructor(private readonly text: string) {}

  range(span: Span): Range {
    this.index ??= lineIndexOf(this.text);
    return { start: this.index.positionAt(span.start), end: this.index.positionAt(span.end) };
  }

  offset(line: number, character: number): number {
    this.index ??= lineIndexOf(this.text);
    return this.index.offsetAt({ line, character });
  }
}

/**
 * Line indexes of the texts converted last: the diagnostics, the change impact, the
 * lenses and hovers each convert the edited file after a keystroke, and indexing a large
 * file costs milliseconds. The texts are the workspace's own strings, so a hit is
 * usually an identity check.
 */
const recentIndexes: { text: string; index: LineIndex }[] = [];
const RECENT_INDEXES = 16;

function lineIndexOf(text: string): LineIndex {
  for (const e of recentIndexes) if (e.text === text) return e.index;
  const index = new LineIndex(text);
  recentIndexes.unshift({ text, index });
  if (recentIndexes.length > RECENT_INDEXES) recentIndexes.pop();
  return index;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'netpol';

export function findingToDiagnostic(f: Finding, conv: PositionConverter, docsUri: (rule: string) => string): Diagnostic {
  return {
    range: conv.range(f.span),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: docsUri(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    // One line whatever the names it quotes hold (the Problems panel, hovers).
    message: textLine(f.message),
    data: { path: f.path },
  };
}
