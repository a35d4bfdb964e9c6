/**
 * `netpol/export`: the connections a view shows, in one of `netpol reach`'s formats, written
 * by the core's formatter (the CLI's own), so that an export from the editor is byte for
 * byte what the command line prints and escapes names the same way.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { formatRows, type Row } from '../core';
import { EXPORT_FORMATS, type ExportFormat, type ExportParams, type ExportResult } from '../protocol';

const USAGE = `netpol/export needs \`format\` (${EXPORT_FORMATS.join(', ')}) and \`connections\` ([{ src, dst, conn }] as netpol/reachability answers them)`;

export function exportConnections(params: ExportParams | null | undefined): ExportResult {
  const format = params?.format;
  const connections: unknown = params?.connections;
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(format) || !Array.isArray(connections)) throw new ResponseError(ErrorCodes.InvalidParams, USAGE);
  const rows: Row[] = [];
  for (const c of connections as unknown[]) {
    const { src, dst, conn } = (c ?? {}) as Record<string, unknown>;
    if (typeof src !== 'string' || typeof dst !== 'string' || typeof conn !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, USAGE);
    rows.push({ src, dst, conn });
  }
  return { content: formatRows(rows, format as ExportFormat) };
}
