/** The Export buttons of the view: the shown connections as CSV, DOT or Mermaid. */
import { formatRows } from '../../../../server/src/core/format/connlist';
import type { ReachConnection } from '../../../../server/src/protocol';

export type ExportFormat = 'mermaid' | 'dot' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['mermaid', 'dot', 'csv'];

export interface ExportedText {
  readonly content: string;
  /** VS Code language id (the panel falls back to plaintext when it is unknown). */
  readonly language: string;
  readonly extension: string;
}

/** Same text as `netpol reach --format csv|dot|mermaid` for the same connections. */
export function exportConnections(connections: readonly ReachConnection[], format: ExportFormat): ExportedText {
  switch (format) {
    case 'csv':
      return { content: toCsv(connections), language: 'csv', extension: 'csv' };
    case 'dot':
      return { content: toDot(connections), language: 'dot', extension: 'dot' };
    case 'mermaid':
      return { content: toMermaid(connections), language: 'mermaid', extension: 'mmd' };
  }
}

/** CSV as `netpol reach --format csv` writes it (the core's formatter: formula-safe cells). */
export function toCsv(connections: readonly ReachConnection[]): string {
  return formatRows(connections, 'csv');
}

/** DOT as `netpol reach --format dot` writes it (escaped labels). */
export function toDot(connections: readonly ReachConnection[]): string {
  return formatRows(connections, 'dot');
}

/** Mermaid as `netpol reach --format mermaid` writes it (labels as entities, no HTML). */
export function toMermaid(connections: readonly ReachConnection[]): string {
  return formatRows(connections, 'mermaid');
}
