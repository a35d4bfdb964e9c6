/**
 * The view's Export buttons: the shown connections, written by the server (`netpol/export`,
 * the CLI's formatter), opened as a new document beside the view.
 */
import type { ExportFormat } from '../../../../server/src/protocol';

/** The formats the toolbar offers, in its order (the server writes every format of `netpol reach`). */
export const VIEW_EXPORT_FORMATS = ['mermaid', 'dot', 'csv'] as const satisfies readonly ExportFormat[];
export type ViewExportFormat = (typeof VIEW_EXPORT_FORMATS)[number];

export interface ExportLook {
  /** The button. */
  readonly label: string;
  readonly title: string;
  /** The document's VS Code language id (plain text when no extension knows it). */
  readonly language: string;
}

export const EXPORT_LOOKS: Readonly<Record<ViewExportFormat, ExportLook>> = {
  mermaid: { label: 'Mermaid', title: 'Open the shown connections as a Mermaid flowchart', language: 'mermaid' },
  dot: { label: 'DOT', title: 'Open the shown connections as a Graphviz DOT graph', language: 'dot' },
  csv: { label: 'CSV', title: 'Open the shown connections as CSV', language: 'csv' },
};
