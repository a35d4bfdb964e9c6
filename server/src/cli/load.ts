import { analyzeOnce, LineIndex, locateFindings, textLine, type LocatedFinding, type NetpolConfig, type Snapshot, type Span } from '../core';
import { mapRenderedFindings, renderedLocation, renderForAnalysis, type KustomizeInput } from './kustomize';
import { readManifestFiles } from '../node/read-files';
import { UsageError, type ParsedArgs } from './args';
import { configFromFlags } from './config';

/** The files a command names, read and analysed, and where their spans are. */
export interface CliWorkspace {
  readonly snapshot: Snapshot;
  /** `file:line` (1-based) of a span; `?` without one. */
  location(span: Span | undefined): string;
  /** The snapshot's findings with their lines (on the source files of a --kustomize render). */
  locatedFindings(): LocatedFinding[];
}

/**
 * Reads the files and directories of the positional arguments and analyses them with the
 * configuration of the flags (on top of `rules`, a command's rule flags). Unreadable
 * files are said on stderr; so are the load notes, unless `notes: false` (check reports
 * YAML errors as findings) or --quiet.
 */
export function loadWorkspace(args: ParsedArgs, stderr: (s: string) => void, opts: { notes?: boolean; rules?: Partial<NetpolConfig> } = {}): CliWorkspace {
  const dir = args.flags.get('kustomize')?.at(-1);
  if (args.positional.length === 0 && dir === undefined) throw new UsageError('give at least one file or directory');
  const quiet = args.flags.has('quiet');
  let rendered: KustomizeInput | undefined;
  if (dir !== undefined) {
    if (dir === '') throw new UsageError('--kustomize needs a folder');
    rendered = renderForAnalysis(dir);
    if (!quiet) {
      const n = rendered.render.objects.length;
      const mapped = rendered.render.objects.filter((o) => o.origin?.source).length;
      stderr(`netpol: rendered ${textLine(dir)} with ${textLine(rendered.render.tool.program)}${rendered.render.tool.kind === 'kubectl' ? ' kustomize' : ' build'}: ${n} object${n === 1 ? '' : 's'}, ${mapped} traced to their source document\n`);
      for (const w of rendered.render.warnings) stderr(`netpol: kustomize: ${textLine(w)}\n`);
    }
  }
  const { files, problems } = args.positional.length > 0 ? readManifestFiles(args.positional) : { files: [], problems: [] };
  for (const p of problems) stderr(`netpol: ${textLine(p.path)}: ${textLine(p.message)}\n`);
  const snapshot = analyzeOnce(rendered ? [...files, rendered.file] : files, configFromFlags(args, opts.rules));
  const plain = locationIn(snapshot);
  const location = (span: Span | undefined): string => (rendered && span && renderedLocation(rendered, span)) || plain(span);
  if (!quiet && opts.notes !== false) {
    for (const n of snapshot.analysis.model.notes) stderr(`netpol: ${textLine(n.span ? location(n.span) : n.file)}: ${n.severity}: ${textLine(n.message)}\n`);
  }
  const locatedFindings = (): LocatedFinding[] => {
    const located = locateFindings(snapshot.findings(), (f) => snapshot.text(f) ?? '');
    return rendered ? mapRenderedFindings(rendered, located) : located;
  };
  return { snapshot, location, locatedFindings };
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
