import { analyzeOnce, LineIndex, textLine, type NetpolConfig, type Snapshot, type Span } from '../core';
import { readManifestFiles } from '../node/read-files';
import { UsageError, type ParsedArgs } from './args';
import { configFromFlags } from './config';

/** The files a command names, read and analysed, and where their spans are. */
export interface CliWorkspace {
  readonly snapshot: Snapshot;
  /** `file:line` (1-based) of a span; `?` without one. */
  location(span: Span | undefined): string;
}

/**
 * Reads the files and directories of the positional arguments and analyses them with the
 * configuration of the flags (on top of `rules`, a command's rule flags). Unreadable
 * files are said on stderr; so are the load notes, unless `notes: false` (check reports
 * YAML errors as findings) or --quiet.
 */
export function loadWorkspace(args: ParsedArgs, stderr: (s: string) => void, opts: { notes?: boolean; rules?: Partial<NetpolConfig> } = {}): CliWorkspace {
  if (args.positional.length === 0) throw new UsageError('give at least one file or directory');
  const { files, problems } = readManifestFiles(args.positional);
  const quiet = args.flags.has('quiet');
  for (const p of problems) stderr(`netpol: ${textLine(p.path)}: ${textLine(p.message)}\n`);
  const snapshot = analyzeOnce(files, configFromFlags(args, opts.rules));
  const location = locationIn(snapshot);
  if (!quiet && opts.notes !== false) {
    for (const n of snapshot.analysis.model.notes) stderr(`netpol: ${textLine(n.span ? location(n.span) : n.file)}: ${n.severity}: ${textLine(n.message)}\n`);
  }
  return { snapshot, location };
}

/** `file:line` (1-based) of a span in one of a snapshot's files; `?` without a span. */
export function locationIn(snapshot: Snapshot): (span: Span | undefined) => string {
  const indexes = new Map<string, LineIndex>();
  return (span) => {
    if (!span) return '?';
    let idx = indexes.get(span.file);
    if (!idx) {
      idx = new LineIndex(snapshot.text(span.file) ?? '');
      indexes.set(span.file, idx);
    }
    return `${span.file}:${idx.positionAt(span.start).line + 1}`;
  };
}
