import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { analyzeOnce, changeImpact, clusterPolicyKey, coveredByEntries, DIFF_FORMATS, diffEntryJson, evidenceBrokenBy, evidenceJson, formatBrokenEvidence, formatDiff, policyKey, type ClusterResponsible, type DiffFormat, type Responsible, type Snapshot, type SourceFile, type Span } from '../../core';
import { CLI_LIMITS, InputError, MANIFEST_EXTENSIONS } from '../../node/read-files';
import { GitError, gitFailure, isRegularBlob, openRepository, readBlobs, resolveCommit, treeEntries, type TreeEntry } from '../../node/safe-git';
import { looksBinary, sizeText } from '../../node/safe-read';
import { flag, oneOf, parseArgs, UsageError, type FlagSpec } from '../args';
import { configFromFlags, WORKSPACE_FLAGS } from '../config';
import { loadWorkspace, locationIn } from '../load';

export const DIFF_USAGE = `netpol diff BEFORE AFTER | --base GIT_REF [PATH...]  [--format text|json|md|csv] [--fail-on added|removed|any]`;

const FAIL_ON = ['added', 'removed', 'any'] as const;
type FailOn = (typeof FAIL_ON)[number];

/**
 * `netpol diff`: what changes in connectivity from BEFORE to AFTER (files or
 * directories), or from a git revision to the working tree (`--base REF [PATH...]`, the
 * revision's files read with the hardened git runner: ls-tree and cat-file of regular blobs, nothing written). Lines whose
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
    const files = gitFiles(base, paths, err, args.flags.has('quiet'));
    const snapshot = analyzeOnce(files, configFromFlags(args));
    before = { snapshot, location: locationIn(snapshot) };
    after = loadWorkspace({ positional: paths, flags: args.flags }, err);
  } else {
    if (args.positional.length !== 2) throw new UsageError('diff needs BEFORE and AFTER (or --base GIT_REF [PATH...])');
    before = loadWorkspace({ positional: [args.positional[0]], flags: args.flags }, err);
    after = loadWorkspace({ positional: [args.positional[1]], flags: args.flags }, err);
  }

  // The change impact's diff: netpol diff's entries, computed on the workloads that
  // differ and the changed policies' pods only, each marked breaking or not; the JSON
  // also names the policies and rules responsible.
  // Lines that close a flow the AFTER manifests show is needed say so, with the evidence's file:line.
  const evidence = after.snapshot.evidence({ dns: false });
  const { entries } = changeImpact(before.snapshot.analysis.reach, after.snapshot.analysis, { maxAttributed: format === 'json' ? Infinity : 0, evidence });
  const text =
    format === 'json'
      ? JSON.stringify(
          entries.map((e) => ({
            ...diffEntryJson(e),
            ...(e.evidence.length > 0 ? { evidence: evidenceJson(e, after.location) } : {}),
            responsible: [...e.responsible.map((r) => responsibleJson(r, before, after)), ...(e.clusterResponsible ?? []).map((r) => clusterResponsibleJson(r, before, after))],
          })),
          null,
          2,
        )
      : formatDiff(entries, format, after.location);
  out(format === 'json' || (format === 'md' && text !== '') ? text + '\n' : text);
  if (format === 'text') {
    // Evidenced flows broken where no line shows it: a new port or label of the pods that the policies do not follow.
    const broken = evidenceBrokenBy(
      { reach: before.snapshot.analysis.reach, evidence: before.snapshot.evidence({ dns: false }) },
      { reach: after.snapshot.analysis.reach, evidence },
      coveredByEntries(entries),
    );
    out(formatBrokenEvidence(broken, after.location));
  }
  if (failOn === undefined) return 0;
  const trips = entries.some((e) => (failOn === 'any' ? true : failOn === 'added' ? !e.gained.isEmpty() : !e.lost.isEmpty()));
  return trips ? 1 : 0;
}

/** One side of the diff: its analysis and where its spans are (`file:line`). */
interface Side {
  readonly snapshot: Snapshot;
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

/** A responsible rule of a cluster-level policy (`AdminNetworkPolicy guard`), located on the side it speaks of. */
function clusterResponsibleJson(r: ClusterResponsible, before: Side, after: Side): Record<string, unknown> {
  const now = r.role === 'allows' || r.role === 'isolates';
  return {
    role: r.role,
    policy: clusterPolicyKey(r.policy),
    rule: `${r.rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${r.rule.index}]`,
    at: (now ? after : before).location(r.rule.span ?? r.policy.span),
  };
}

/** How long one git run of `--base` may take. */
const GIT_TIMEOUT_MS = 120_000;

/**
 * The manifests under PATHs as of revision REF, read through the hardened git runner
 * (ls-tree + cat-file of regular blobs only; nothing written, nothing of the
 * repository's run). Submodules (gitlinks) and links are skipped with a note.
 */
function gitFiles(ref: string, paths: readonly string[], err: (s: string) => void, quiet: boolean): SourceFile[] {
  const fail = (message: string): never => {
    throw new InputError(`git: ${message}`);
  };
  let runner;
  try {
    runner = openRepository(process.cwd(), { untrusted: [], timeoutMs: GIT_TIMEOUT_MS });
  } catch (e) {
    return fail(e instanceof GitError ? e.message : gitFailure(e));
  }
  const top = runner.repo.top;
  const specs = paths.map((p) => {
    const rel = relative(top, resolve(p)).split('\\').join('/');
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) fail(`${p} is outside the repository ${top}`);
    return rel || '.';
  });
  const note = (path: string, why: string) => {
    if (!quiet) err(`netpol: ${ref}:${path}: ${why}: skipped\n`);
  };
  try {
    const commit = resolveCommit(runner, ref) ?? fail(`${ref} is not a commit of ${top}`);
    const entries = treeEntries(runner, commit, specs, true).filter((e) => MANIFEST_EXTENSIONS.includes(extname(e.path).toLowerCase()) && !e.path.split('/').includes('node_modules'));
    const wanted: TreeEntry[] = [];
    let total = 0;
    for (const e of entries) {
      if (!isRegularBlob(e) || e.size === undefined) {
        note(e.path, e.mode === '160000' ? 'a submodule (gitlink), not a file' : e.mode === '120000' ? 'a symbolic link, not a file' : `a ${e.type}, not a file`);
        continue;
      }
      if (e.size > CLI_LIMITS.maxFileBytes) {
        note(e.path, `${sizeText(e.size)}, over the ${sizeText(CLI_LIMITS.maxFileBytes)} limit`);
        continue;
      }
      total += e.size;
      if (wanted.length + 1 > CLI_LIMITS.maxFiles || total > CLI_LIMITS.maxTotalBytes) fail(`more than ${CLI_LIMITS.maxFiles} files or ${sizeText(CLI_LIMITS.maxTotalBytes)} of manifests under the given paths in ${ref}: give narrower paths`);
      wanted.push(e);
    }
    const blobs = readBlobs(runner, wanted.map((e) => ({ oid: e.oid, size: e.size ?? 0 })));
    const files: SourceFile[] = [];
    for (const e of wanted) {
      const blob = blobs.get(e.oid);
      if (!blob) note(e.path, 'not readable');
      else if (looksBinary(blob)) note(e.path, 'binary file');
      else files.push({ path: `${ref}:${relative(process.cwd(), join(top, e.path)) || e.path}`, text: blob.toString('utf8') });
    }
    return files;
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail(gitFailure(e));
  }
}
