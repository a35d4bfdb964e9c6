import { MarkupKind, type Hover, type HoverParams, type Range } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analysis/analyze';
import { hoverAt, type SourceLocation } from '../core/ide/hover/hover';
import type { Span } from '../core/base/span';
import { PositionConverter } from './convert';
import type { Settings } from './settings';
import type { WorkspaceState } from './workspace';

/** What the reachability features (hover, code lenses, custom requests) need from the server. */
export interface ReachFeatureDeps {
  readonly state: WorkspaceState;
  readonly settings: () => Settings;
  /** Resolves once the disk has been scanned: answers before that would be about half a workspace. */
  readonly ready?: Promise<unknown>;
  /** Where a failure is reported. */
  readonly log?: (message: string) => void;
}

/** The workspace analysis, as the diagnostics compute it (same options: one cached analysis). */
export function analysisOf(deps: ReachFeatureDeps): Analysis {
  const settings = deps.settings();
  return deps.state.analysis({ defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController }, settings.maxFileSizeKB * 1024);
}

/**
 * Spans of any workspace file to LSP lines and ranges, through PositionConverter (one
 * per file text, kept while the text is unchanged).
 */
export class SpanLocator {
  private readonly converters = new Map<string, { text: string; conv: PositionConverter }>();

  constructor(private readonly textOf: (uri: string) => string | undefined) {}

  converter(uri: string): PositionConverter {
    const text = this.textOf(uri) ?? '';
    let entry = this.converters.get(uri);
    if (!entry || entry.text !== text) {
      entry = { text, conv: new PositionConverter(text) };
      this.converters.set(uri, entry);
    }
    return entry.conv;
  }

  range(span: Span): Range {
    return this.converter(span.file).range(span);
  }

  /** The file and 0-based line where a span starts. */
  location(span: Span): SourceLocation {
    return { uri: span.file, line: this.range({ file: span.file, start: span.start, end: span.start }).start.line };
  }

  /** Forgets files that are gone (checked once many files have been seen). */
  prune(state: { text(uri: string): string | undefined }): void {
    if (this.converters.size < 256) return;
    for (const uri of this.converters.keys()) if (state.text(uri) === undefined) this.converters.delete(uri);
  }
}

/**
 * `textDocument/hover`: reachability facts about the workload, policy selector, peer,
 * port, Service or Ingress backend under the cursor (core/hover), as Markdown.
 */
export function createHoverHandler(deps: ReachFeatureDeps): (params: HoverParams) => Promise<Hover | null> {
  const locator = new SpanLocator((uri) => deps.state.text(uri));
  return async (params) => {
    await deps.ready;
    const uri = params.textDocument.uri;
    const text = deps.state.text(uri);
    if (text === undefined) return null;
    try {
      const conv = locator.converter(uri);
      const offset = conv.offset(params.position.line, params.position.character);
      const result = hoverAt({ analysis: analysisOf(deps), file: uri, text, offset, locate: (span) => locator.location(span) });
      if (!result) return null;
      return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: conv.range(result.span) };
    } catch (e) {
      deps.log?.(`NetPol: hover failed: ${(e as Error).stack ?? String(e)}`);
      return null;
    } finally {
      locator.prune(deps.state);
    }
  };
}
