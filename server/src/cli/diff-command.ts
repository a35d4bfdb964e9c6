import { execFileSync } from 'node:child_process';
import { extname, join, relative, resolve } from 'node:path';
import { analyze, type Analysis } from '../core/analyze';
import { DIFF_FORMATS, diffEntryJson, formatDiff, type DiffFormat } from '../core/diff/diff';
import { changeImpact, policyKey, type Responsible } from '../core/diff/impact';
import type { SourceFile } from '../core/manifest/load';
import type { Span } from '../core/source/span';
import { InputError, MANIFEST_EXTENSIONS } from '../node/read-files';
import { flag, oneOf, parseArgs, UsageError, type FlagSpec } from './args';
import { analyzeOptions, loadWorkspace, locationIn, WORKSPACE_FLAGS } from './workspace';

export const DIFF_USAGE = `netpol diff BEFORE AFTER | --base GIT_REF [PATH...]  [--format text|json|md|csv] [--fail-on added|removed|any]`;

const FAIL_ON = ['added', 'removed', 'any'] as const;
type FailOn = (typeof FAIL_ON)[number];

/**
 * `netpol diff`: what changes in connectivity from BEFORE to AFTER (files or
 * directories), or from a git revision to the working tree (`--base REF [PATH...]`, the
 * revision's files read with `git ls-tree`/`git show`, nothing written). Lines whose
 * lost connections a Service or Ingress of AFTER routes to are marked as likely
 * breakage; the JSON names the policies and rules responsible for each line, located on
 * the side they speak of. Exit 1 when `--fail-on` trips: `added` = some pair gains connections,
 * `removed` = some pair loses connections, `any` = any difference.
 */
export const DIFF_FLAGS: FlagSpec = { ...WORKSPACE_FLAGS, format: { takesValue: true }, 'fail-on': { takesValue: true }, base: { takesValue: true } };

export function diffCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, DIFF_FLAGS);
  const format = oneOf<DiffFormat>(flag(args, 'format'), DIFF_FORMATS, 'format', 'text');
  const failOn = args.flags.has('fail-on') ? oneOf<FailOn>(flag(args, 'fail-on'), FAIL_ON, 'fail-on', 'any') : undefined;
  const base = flag(args, 'base');

  let before: Side;
  let after: Side;
  if (base !== undefined) {
    if (base === '' || base.startsWith('-')) throw new UsageError('--base needs a git revision');
    const paths = args.positional.length > 0 ? args.positional : ['.'];
    const files = gitFiles(base, paths);
    before = { analysis: analyze(files, analyzeOptions(args)), location: locationIn(new Map(files.map((f) => [f.path, f.text]))) };
    after = loadWorkspace({ positional: paths, flags: args.flags }, err);
  } else {
    if (args.positional.length !== 2) throw new UsageError('diff needs BEFORE and AFTER (or --base GIT_REF [PATH...])');
    before = loadWorkspace({ positional: [args.positional[0]], flags: args.flags }, err);
    after = loadWorkspace({ positional: [args.positional[1]], flags: args.flags }, err);
  }

  // The change impact's diff: netpol diff's entries, computed on the workloads that
  // differ and the changed policies' pods only, each marked breaking or not; the JSON
  // also names the policies and rules responsible.
  const { entries } = changeImpact(before.analysis.reach, after.analysis, { maxAttributed: format === 'json' ? Infinity : 0 });
  const text = format === 'json' ? JSON.stringify(entries.map((e) => ({ ...diffEntryJson(e), responsible: e.responsible.map((r) => responsibleJson(r, before, after)) })), null, 2) : formatDiff(entries, format);
  out(format === 'json' || (format === 'md' && text !== '') ? text + '\n' : text);
  if (failOn === undefined) return 0;
  const trips = entries.some((e) => (failOn === 'any' ? true : failOn === 'added' ? !e.gained.isEmpty() : !e.lost.isEmpty()));
  return trips ? 1 : 0;
}

/** One side of the diff: its analysis and where its spans are (`file:line`). */
interface Side {
  readonly analysis: Analysis;
  readonly location: (span: Span | undefined) => string;
}

/** A responsible policy or rule, located on the side it speaks of. */
function responsibleJson(r: Responsible, before: Side, after: Side): Record<string, unknown> {
  const now = r.role === 'allows' || r.role === 'isolates';
  return {
    role: r.role,
    policy: policyKey(r.policy),
    ...(r.rule ? { rule: `${r.rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${r.rule.index}]` } : {}),
    at: (now ? after : before).location(r.rule?.span ?? r.policy.span),
  };
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
