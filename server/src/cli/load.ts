import { existsSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { analyzeOnce, CONFIG_FILE_NAME, DEFAULTS, EXPECT_FILE_NAME, LineIndex, locateFindings, mergeConfig, parseConfigFile, RULES, textLine, type ConfigFile, type LocatedFinding, type NetpolConfig, type Snapshot, type SourceFile, type Span } from '../core';
import { mapRenderedFindings, renderedLocation, renderForAnalysis, type KustomizeInput } from './kustomize';
import { InputError, readManifestFiles } from '../node/read-files';
import { readRegularFile } from '../node/safe-read';
import { flag, UsageError, type ParsedArgs } from './args';
import { configFromFlags, readBounds } from './config';

/** The files a command names, read and analysed, and where their spans are. */
export interface CliWorkspace {
  readonly snapshot: Snapshot;
  /** `file:line` (1-based) of a span; `?` without one. */
  location(span: Span | undefined): string;
  /** The snapshot's findings with their lines (on the source files of a --kustomize render). */
  locatedFindings(): LocatedFinding[];
  /** Located findings put back on their source files when they sit in a --kustomize render. */
  locate(located: readonly LocatedFinding[]): LocatedFinding[];
}

/**
 * Reads the files and directories of the positional arguments and analyses them with the
 * configuration of the flags (on top of `rules`, a command's rule flags). Unreadable
 * files are said on stderr; so are the load notes, unless `notes: false` (check reports
 * YAML errors as findings) or --quiet.
 */
export function loadWorkspace(args: ParsedArgs, stderr: (s: string) => void, opts: { notes?: boolean; rules?: (base: NetpolConfig) => Partial<NetpolConfig>; skip?: readonly string[] } = {}): CliWorkspace {
  const dir = args.flags.get('kustomize')?.at(-1);
  if (args.positional.length === 0 && dir === undefined) throw new UsageError('give at least one file or directory');
  const quiet = args.flags.has('quiet');
  const configFile = readConfigFile(args, dir);
  const base = configFile ? mergeConfig(configFile.config, DEFAULTS) : DEFAULTS;
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
  const read = args.positional.length > 0 ? readManifestFiles(args.positional, readBounds(args)) : { files: [], problems: [] };
  // The expectations files are no manifests (netpol test reads them).
  const skip = new Set((opts.skip ?? []).map((p) => resolve(p)));
  const manifests = read.files.filter((f) => basename(f.path) !== EXPECT_FILE_NAME && !skip.has(resolve(f.path)));
  const files = configFile ? withoutExcluded(manifests, configFile, base.exclude) : manifests.filter((f) => basename(f.path) !== CONFIG_FILE_NAME);
  for (const p of read.problems) stderr(`netpol: ${textLine(p.path)}: ${textLine(p.message)}\n`);
  const snapshot = analyzeOnce(rendered ? [...files, rendered.file] : files, configFromFlags(args, opts.rules?.(base) ?? {}, base), configFile);
  const plain = locationIn(snapshot);
  const location = (span: Span | undefined): string => (rendered && span && renderedLocation(rendered, span)) || plain(span);
  if (!quiet && opts.notes !== false) {
    // check reports what is wrong in the configuration file as findings (invalid-config).
    for (const p of configFile?.problems ?? []) stderr(`netpol: ${textLine(location({ file: configFile!.path, start: p.start, end: p.end }))}: warning: ${textLine(p.message)}\n`);
    for (const n of snapshot.analysis.model.notes) stderr(`netpol: ${textLine(n.span ? location(n.span) : n.file)}: ${n.severity}: ${textLine(n.message)}\n`);
  }
  const locate = (located: readonly LocatedFinding[]): LocatedFinding[] => (rendered ? mapRenderedFindings(rendered, located) : [...located]);
  const locatedFindings = (): LocatedFinding[] => locate(locateFindings(snapshot.findings(), (f) => snapshot.text(f) ?? ''));
  return { snapshot, location, locatedFindings, locate };
}

/**
 * The repository's configuration file: --config FILE, else the nearest .netpol.yaml in the
 * folder of the first PATH (or of the --kustomize folder) or above it. Read through the safe reader (a regular file).
 */
function readConfigFile(args: ParsedArgs, kustomizeDir: string | undefined): (SourceFile & ConfigFile) | undefined {
  const given = flag(args, 'config');
  let path: string | undefined;
  if (given !== undefined) {
    path = given;
  } else {
    // The first PATH, else the --kustomize folder.
    const first = resolve(args.positional[0] ?? kustomizeDir ?? '.');
    let dir = existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
    for (;;) {
      const candidate = resolve(dir, CONFIG_FILE_NAME);
      if (existsSync(candidate)) {
        path = relativeIfInside(candidate);
        break;
      }
      const up = dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }
  const r = readRegularFile(path, 1024 * 1024);
  if (!r.ok) {
    if (given === undefined) return undefined;
    throw new InputError(`--config ${given}: ${r.kind === 'binary' ? 'not a text file' : r.reason}`);
  }
  return { path, text: r.text, ...parseConfigFile(r.text, (id) => RULES.some((x) => x.meta.id === id)) };
}

/** A path under the working directory as a relative one (as the other files are named). */
function relativeIfInside(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : path;
}

/** The files the configuration's `exclude` globs (relative to its folder) leave, without configuration files. */
function withoutExcluded(files: readonly SourceFile[], config: { path: string }, exclude: readonly string[]): SourceFile[] {
  const root = dirname(resolve(config.path));
  return files.filter((f) => {
    if (basename(f.path) === CONFIG_FILE_NAME) return false;
    const rel = relative(root, resolve(f.path)).split(sep).join('/');
    return !exclude.some((glob) => minimatch(rel, glob, { dot: true }));
  });
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
