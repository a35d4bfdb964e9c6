import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { checkExpectations, EXPECT_FILE_NAME, formatExpectations, LineIndex, parseExpectationsFile, textLine, type ExpectationsFormat, type Span } from '../../core';
import { InputError } from '../../node/read-files';
import { readRegularFile } from '../../node/safe-read';
import { flag, oneOf, parseArgs, UsageError, type FlagSpec } from '../args';
import { WORKSPACE_FLAGS } from '../config';
import { loadWorkspace } from '../load';

export const TEST_USAGE = `netpol test PATH... [--expect FILE] [--no-evidence] [--format text|junit|tap]`;

export const TEST_FLAGS: FlagSpec = {
  ...WORKSPACE_FLAGS,
  expect: { takesValue: true },
  'no-evidence': { takesValue: false },
  format: { takesValue: true },
};

const FORMATS: readonly ExpectationsFormat[] = ['text', 'junit', 'tap'];

/**
 * `netpol test`: the expectations file (--expect FILE, else the nearest .netpol-expect.yaml
 * in or above the first PATH) and every evidenced flow (unless --no-evidence), checked
 * against the policies. Exit 1 when one fails; 2 when the expectations file is wrong (its
 * problems on stderr as file:line:col, nothing checked).
 */
export function testCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv, TEST_FLAGS);
  const format = oneOf(flag(args, 'format'), FORMATS, 'format', 'text');
  const evidenceOn = !args.flags.has('no-evidence');
  if (args.positional.length === 0) throw new UsageError('give at least one file or directory');
  const path = flag(args, 'expect') ?? findExpectFile(args.positional[0]);
  if (path === undefined && !evidenceOn) throw new UsageError(`nothing to test: no ${EXPECT_FILE_NAME} in or above ${args.positional[0]}, give --expect FILE or leave out --no-evidence`);
  let file: { path: string; text: string } | undefined;
  if (path !== undefined) {
    if (path === '') throw new UsageError('--expect needs a file');
    const r = readRegularFile(path, 1024 * 1024);
    if (!r.ok) throw new InputError(`--expect ${path}: ${r.kind === 'binary' ? 'not a text file' : r.reason}`);
    file = { path, text: r.text };
  }
  const ws = loadWorkspace({ ...args, positional: args.positional }, err, { skip: file ? [file.path] : [] });
  const parsed = file ? parseExpectationsFile(file.text) : undefined;
  const evidence = evidenceOn ? ws.snapshot.evidence({ dns: false }) : undefined;
  const report = checkExpectations(ws.snapshot.analysis, file && parsed ? { path: file.path, parsed } : undefined, evidence);
  const problems = [...(parsed?.problems ?? []), ...report.problems].sort((a, b) => a.start - b.start);
  if (file && problems.length > 0) {
    const idx = new LineIndex(file.text);
    for (const p of problems) {
      const pos = idx.positionAt(p.start);
      err(`netpol: ${textLine(file.path)}:${pos.line + 1}:${pos.character + 1}: error: ${textLine(p.message)}\n`);
    }
    err(`netpol: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in the expectations file: nothing was checked\n`);
    return 2;
  }
  const fileIndex = file ? new LineIndex(file.text) : undefined;
  const location = (span: Span | undefined): string => (span && file && fileIndex && span.file === file.path ? `${span.file}:${fileIndex.positionAt(span.start).line + 1}` : ws.location(span));
  out(formatExpectations(report, format, location));
  return report.results.some((r) => r.failure) ? 1 : 0;
}

/** The nearest .netpol-expect.yaml in the folder of PATH (or PATH itself) or above. */
function findExpectFile(first: string): string | undefined {
  const start = resolve(first);
  let dir = existsSync(start) && statSync(start).isDirectory() ? start : dirname(start);
  for (;;) {
    const candidate = resolve(dir, EXPECT_FILE_NAME);
    if (existsSync(candidate)) {
      const rel = relative(process.cwd(), candidate);
      return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : candidate;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
