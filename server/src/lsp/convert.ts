import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { LineIndex, type Span } from '../core/source/span';
import type { Finding, Severity } from '../core/rules/types';

/**
 * The one place where core offsets become LSP positions. Everything upstream works
 * on offsets into file text; LSP wants line/UTF-16 character positions.
 */
export class PositionConverter {
  private index: LineIndex | undefined;

  constructor(private readonly text: string) {}

  range(span: Span): Range {
    this.index ??= new LineIndex(this.text);
    return { start: this.index.positionAt(span.start), end: this.index.positionAt(span.end) };
  }

  offset(line: number, character: number): number {
    this.index ??= new LineIndex(this.text);
    return this.index.offsetAt({ line, character });
  }
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
    message: f.message,
    data: { path: f.path },
  };
}
