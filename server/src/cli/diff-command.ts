import { execFileSync } from 'node:child_process';
import { extname, join, relative, resolve } from 'node:path';
import { analyze, type Analysis } from '../core/analyze';
import { isBreaking, routedPorts } from '../core/diff/breaking';
import { DIFF_FORMATS, diffConnections, formatDiff, type DiffFormat } from '../core/diff/diff';
import type { SourceFile } from '../core/manifest/load';
import { allConnections, endpointName } from '../core/reach/connections';
import { InputError, MANIFEST_EXTENSIONS } from '../node/read-files';
import { flag, oneOf, parseArgs, UsageError } from './args';
import { analyzeOptions, loadWorkspace, WORKSPACE_FLAGS } from './workspace';

export const DIFF_USAGE = `netpol diff BEFORE AFTER | --base GIT_REF [PATH...]  [--format text|json|md|csv] [--fail-on added|removed|any]`;

const FAIL_ON = ['added', 'removed', 'any'] as const;
type FailOn = (typeof FAIL_ON)[number];

/**
 * `netpol diff`: what changes in connectivity from BEFORE to AFTER (files or
 * directories), or from a git revision to the working tree (`--base REF [PATH...]`, the
 * revision's files read with `git ls-tree`/`git show`, nothing written). Lines whose
 * lost connections a Service or Ingress of AFTER routes to are marked as likely
 * breakage. Exit 1 when `--fail-on` trips: `added` = some pair gains connections,
 * `removed` = some pair loses connections, `any` = any difference.
 */
export function diffCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, { ...WORKSPACE_FLAGS, format: { takesValue: true }, 'fail-on': { takesValue: true }, base: { takesValue: true } });
  const format = oneOf<DiffFormat>(flag(args, 'format'), DIFF_FORMATS, 'format', 'text');
  const failOn = args.flags.has('fail-on') ? oneOf<FailOn>(flag(args, 'fail-on'), FAIL_ON, 'fail-on', 'any') : undefined;
  const base = flag(args, 'base');

  let before: Analysis;
  let after: Analysis;
  if (base !== undefined) {
    if (base === '' || base.startsWith('-')) throw new UsageError('--base needs a git revision');
    const paths = args.positional.length > 0 ? args.positional : ['.'];
    before = analyze(gitFiles(base, paths), analyzeOptions(args));
    after = loadWorkspace({ positional: paths, flags: args.flags }, err).analysis;
  } else {
    if (args.positional.length !== 2) throw new UsageError('diff needs BEFORE and AFTER (or --base GIT_REF [PATH...])');
    before = loadWorkspace({ positional: [args.positional[0]], flags: args.flags }, err).analysis;
    after = loadWorkspace({ positional: [args.positional[1]], flags: args.flags }, err).analysis;
  }

  const entries = diffConnections(allConnections(before.reach), allConnections(after.reach), {
    workloads: { before: workloadNames(before), after: workloadNames(after) },
  });
  const routed = routedPorts(after);
  for (const e of entries) e.breaking = isBreaking(e, routed);

  const text = formatDiff(entries, format);
  out(format === 'json' || (format === 'md' && text !== '') ? text + '\n' : text);
  if (failOn === undefined) return 0;
  const trips = entries.some((e) => (failOn === 'any' ? true : failOn === 'added' ? !e.gained.isEmpty() : !e.lost.isEmpty()));
  return trips ? 1 : 0;
}

function workloadNames(a: Analysis): string[] {
  return a.reach.index.endpoints.map(endpointName);
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new InputError(`git ${args.join(' ')}: ${stderr || (e as Error).message}`);
  }
}

/** The manifests under PATHs as of revision REF (read-only: ls-tree + show). */
function gitFiles(ref: string, paths: readonly string[]): SourceFile[] {
  const top = git(['rev-parse', '--show-toplevel'], process.cwd()).trim();
  const specs = paths.map((p) => relative(top, resolve(p)).split('\\').join('/') || '.');
  const listed = git(['ls-tree', '-r', '--name-only', '--full-tree', ref, '--', ...specs], top)
    .split('\n')
    .filter((p) => p !== '' && MANIFEST_EXTENSIONS.includes(extname(p).toLowerCase()) && !p.split('/').includes('node_modules'));
  return listed.map((p) => ({ path: `${ref}:${relative(process.cwd(), join(top, p)) || p}`, text: git(['show', `${ref}:${p}`], top) }));
}
