import { analyze, type Analysis, type AnalyzeOptions } from '../core/analysis/analyze';
import { textLine } from '../core/base/escape';
import type { HostNetworkMode } from '../core/reach/compile';
import { LineIndex, type Span } from '../core/base/span';
import { readManifestFiles } from '../node/read-files';
import { flag, oneOf, UsageError, type FlagSpec, type ParsedArgs } from './args';
import { dict } from '../core/base/own';
import { DEFAULT_INGRESS_CONTROLLER } from '../core/k8s/cluster';

/** Flags every analysing command accepts. */
export const WORKSPACE_FLAGS: FlagSpec = {
  'default-namespace': { takesValue: true },
  'host-network': { takesValue: true },
  'ingress-controller-namespace': { takesValue: true },
  'ingress-controller-label': { takesValue: true, repeatable: true },
  quiet: { takesValue: false },
};


export interface CliWorkspace {
  readonly analysis: Analysis;
  readonly texts: Map<string, string>;
  location(span: Span | undefined): string;
}

/** The analysis options the common flags set (WORKSPACE_FLAGS). */
export function analyzeOptions(args: ParsedArgs): AnalyzeOptions {
  const labels = dict<string>();
  for (const l of args.flags.get('ingress-controller-label') ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new UsageError(`--ingress-controller-label must be key=value (got "${l}")`);
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const icNamespace = flag(args, 'ingress-controller-namespace');
  return {
    defaultNamespace: flag(args, 'default-namespace') ?? 'default',
    hostNetwork: oneOf<HostNetworkMode>(flag(args, 'host-network'), ['node', 'pod'], 'host-network', 'node'),
    ingressController:
      icNamespace || args.flags.has('ingress-controller-label') ? { namespace: icNamespace ?? DEFAULT_INGRESS_CONTROLLER.namespace, labels } : DEFAULT_INGRESS_CONTROLLER,
  };
}

export function loadWorkspace(args: ParsedArgs, stderr: (s: string) => void, opts: { notes?: boolean } = {}): CliWorkspace {
  if (args.positional.length === 0) throw new UsageError('give at least one file or directory');
  const { files, problems } = readManifestFiles(args.positional);
  const quiet = args.flags.has('quiet');
  for (const p of problems) stderr(`netpol: ${textLine(p.path)}: ${textLine(p.message)}\n`);
  const analysis = analyze(files, analyzeOptions(args));
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const location = locationIn(texts);
  // `check` reports YAML errors as findings; the other commands print notes.
  if (!quiet && opts.notes !== false) {
    for (const n of analysis.model.notes) stderr(`netpol: ${textLine(n.span ? location(n.span) : n.file)}: ${n.severity}: ${textLine(n.message)}\n`);
  }
  return { analysis, texts, location };
}

/** `file:line` (1-based) of a span in one of these files; `?` without a span. */
export function locationIn(texts: ReadonlyMap<string, string>): (span: Span | undefined) => string {
  const indexes = new Map<string, LineIndex>();
  return (span) => {
    if (!span) return '?';
    let idx = indexes.get(span.file);
    if (!idx) {
      idx = new LineIndex(texts.get(span.file) ?? '');
      indexes.set(span.file, idx);
    }
    return `${span.file}:${idx.positionAt(span.start).line + 1}`;
  };
}
