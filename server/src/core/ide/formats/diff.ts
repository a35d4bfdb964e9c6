import { csvCell, markdownCell, textLine as oneLine } from '../../base/escape';
import type { Span } from '../../base/span';
import { entryText as textLine, sortEntries, type DiffEntry, type DiffKind } from '../../impact/diff';
import type { BrokenEvidence } from '../../impact/evidence';

/** netpol diff's output formats (netpol-analyzer's, and JSON with the rules responsible). */

export const DIFF_FORMATS = ['text', 'json', 'md', 'csv'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

function csvLine(e: DiffEntry): string {
  return [e.kind, e.src, e.dst, e.before.toString(), e.after.toString(), e.workloadsInfo].map(csvCell).join(',');
}

function mdLine(e: DiffEntry): string {
  return `| ${e.kind} | ${markdownCell(e.src)} | ${markdownCell(e.dst)} | ${e.before.toString()} | ${e.after.toString()} | ${markdownCell(e.workloadsInfo)} |`;
}

/** An entry with its connections as netpol-analyzer strings (`TCP 80,UDP 53`, `No Connections`). */
export function diffEntryStrings(e: DiffEntry): { kind: DiffKind; src: string; dst: string; before: string; after: string; gained: string; lost: string } {
  return { kind: e.kind, src: e.src, dst: e.dst, before: e.before.toString(), after: e.after.toString(), gained: e.gained.toString(), lost: e.lost.toString() };
}

/** The JSON form of one entry (connections as netpol-analyzer strings). */
export function diffEntryJson(e: DiffEntry): Record<string, unknown> {
  const o: Record<string, unknown> = diffEntryStrings(e);
  if (e.workloadsInfo) o.workloadsInfo = e.workloadsInfo;
  if (e.breaking !== undefined) o.breaking = e.breaking;
  return o;
}

/** Marker appended to text lines of likely breakage. */
export const BREAKING_MARKER = ' [likely breakage: routed by a Service/Ingress]';

/** Marker appended to text lines that close an evidenced flow: each port with the evidence and its `file:line`. */
export function evidenceMarker(e: DiffEntry, location: (span: Span) => string): string {
  if (!e.evidence || e.evidence.length === 0) return '';
  return ` [breaks an evidenced flow: ${e.evidence.map((m) => oneLine(`${m.protocol} ${m.port} (${m.what}, ${location(m.where)})`)).join('; ')}]`;
}

/** The evidenced flows an entry closes, for JSON. */
export function evidenceJson(e: DiffEntry, location: (span: Span) => string): { protocol: string; port: number; what: string; at: string }[] {
  return (e.evidence ?? []).map((m) => ({ protocol: m.protocol, port: m.port, what: m.what, at: location(m.where) }));
}

/**
 * netpol-analyzer's diff output. text (with a trailing newline) and csv reproduce the
 * upstream files byte for byte, md without a final newline as upstream; no difference =
 * '' for text, csv and md. json: a 2-space indented array (`[]` when empty). Text lines
 * of entries marked `breaking` get BREAKING_MARKER, those that close an evidenced flow evidenceMarker.
 */
export function formatDiff(entries: readonly DiffEntry[], format: DiffFormat, location: (span: Span) => string = (s) => s.file): string {
  if (format === 'json') return JSON.stringify(sortEntries(entries, textLine).map(diffEntryJson), null, 2);
  if (entries.length === 0) return '';
  switch (format) {
    case 'text':
      return ['Connectivity diff:', ...sortEntries(entries, textLine).map((e) => textLine(e) + (e.breaking ? BREAKING_MARKER : '') + evidenceMarker(e, location))].join('\n') + '\n';
    case 'csv':
      return ['diff-type,source,destination,ref1,ref2,workloads-diff-info', ...sortEntries(entries, csvLine).map(csvLine)].join('\n') + '\n';
    case 'md':
      return [
        '| diff-type | source | destination | ref1 | ref2 | workloads-diff-info |',
        '|-----------|--------|-------------|------|------|---------------------|',
        ...sortEntries(entries, mdLine).map(mdLine),
      ].join('\n');
  }
}

/**
 * The evidenced flows a change breaks that no line of the diff shows (the pods' port or
 * labels moved: the policies admit what they did, no longer what the application uses),
 * after the diff in text: '' when none.
 */
export function formatBrokenEvidence(list: readonly BrokenEvidence[], location: (span: Span) => string): string {
  if (list.length === 0) return '';
  const lines = list.map((b) => {
    const was = b.was ? ` (was ${b.was.protocol} ${b.was.port})` : '';
    return oneLine(`${b.src} => ${b.dst} : ${b.mark.protocol} ${b.mark.port}${was} [breaks an evidenced flow: ${b.mark.what}, ${location(b.mark.where)}]`);
  });
  return ['Evidenced flows the change breaks (the policies admit what they did; the pods moved):', ...lines.sort()].join('\n') + '\n';
}
