import { csvCell, markdownCell } from '../../base/escape';
import { entryText as textLine, sortEntries, type DiffEntry, type DiffKind } from '../../impact/diff';

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

/**
 * netpol-analyzer's diff output. text (with a trailing newline) and csv reproduce the
 * upstream files byte for byte, md without a final newline as upstream; no difference =
 * '' for text, csv and md. json: a 2-space indented array (`[]` when empty). Text lines
 * of entries marked `breaking` get BREAKING_MARKER.
 */
export function formatDiff(entries: readonly DiffEntry[], format: DiffFormat): string {
  if (format === 'json') return JSON.stringify(sortEntries(entries, textLine).map(diffEntryJson), null, 2);
  if (entries.length === 0) return '';
  switch (format) {
    case 'text':
      return ['Connectivity diff:', ...sortEntries(entries, textLine).map((e) => textLine(e) + (e.breaking ? BREAKING_MARKER : ''))].join('\n') + '\n';
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
