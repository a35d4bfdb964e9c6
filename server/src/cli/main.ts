import { setFlagsFromString } from 'node:v8';
import { textLine } from '../core';
import { InputError } from '../node/read-files';
import { UsageError } from './args';
import { checkCommand } from './commands/check';
import { diffCommand } from './commands/diff';
import { evidenceCommand } from './commands/evidence';
import { explainCommand } from './commands/explain';
import { generateCommand } from './commands/generate';
import { reachCommand } from './commands/reach';
import { testCommand } from './commands/test';
import { COMMANDS, commandHelp, mainHelp, wantsHelp } from './help';

/** Exit codes: 0 ok, 1 findings (check, diff --fail-on) or a failed expectation (test), 2 usage or I/O error, or a wrong expectations file. */
export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2 } as const;

/** Replaced at build time by the package version. */
declare const NETPOL_VERSION: string | undefined;
const VERSION = typeof NETPOL_VERSION === 'string' ? NETPOL_VERSION : '0.0.0-dev';

export function run(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(COMMANDS, command) && wantsHelp(rest)) {
      out(commandHelp(command));
      return EXIT.OK;
    }
    switch (command) {
      case 'reach':
        return reachCommand(rest, out, err);
      case 'explain':
        return explainCommand(rest, out, err);
      case 'check':
        return checkCommand(rest, out, err, VERSION);
      case 'diff':
        return diffCommand(rest, out, err);
      case 'evidence':
        return evidenceCommand(rest, out, err);
      case 'generate':
        return generateCommand(rest, out, err);
      case 'test':
        return testCommand(rest, out, err);
      case '--version':
      case '-V':
        out(`${VERSION}\n`);
        return EXIT.OK;
      case 'help':
        // `netpol help COMMAND` as `netpol COMMAND --help`.
        out(rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? commandHelp(rest[0]) : mainHelp());
        return EXIT.OK;
      case '--help':
      case '-h':
        out(mainHelp());
        return EXIT.OK;
      case undefined:
        err(mainHelp());
        return EXIT.ERROR;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    // Messages may quote names and paths from the files: one line each, whatever they hold.
    if (e instanceof UsageError) {
      const help = command !== undefined && Object.hasOwn(COMMANDS, command) ? `usage: ${COMMANDS[command].usage}\nRun "netpol ${command} --help" for its options.\n` : mainHelp();
      err(`netpol: ${textLine(e.message)}\n\n${help}`);
      return EXIT.ERROR;
    }
    if (e instanceof InputError) {
      err(`netpol: ${textLine(e.message)}\n`);
      return EXIT.ERROR;
    }
    // A bug of ours: say so in one line; the stack only on request.
    err(`netpol: internal error: ${textLine((e as Error).message ?? String(e))}\n`);
    if (process.env.NETPOL_DEBUG) err(`${(e as Error).stack}\n`);
    return EXIT.ERROR;
  }
}

/**
 * A reader that stops early (`netpol reach . | head`) closes the pipe: the next write
 * fails with EPIPE. That is the reader's choice, not an error: stop writing and end
 * with the command's exit code, without a word (Node's default is a stack trace). Any
 * other failure to write ends with one line and exit code 2.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (failure?: string) => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => exit(e.code === 'EPIPE' ? undefined : `netpol: cannot write the output: ${e.message}\n`));
}

/** How much V8 lets the old space grow past the live set before its next full collection (its default grows it up to 2x and more). */
const HEAP_GROWING_PERCENT = 50;

if (require.main === module) {
  // One run holds one large working set (a cluster dump: the file's text and its objects,
  // about 1 GB at 100,000 Pods) and makes much short-lived garbage while it reads: V8's
  // default growth lets the old space reach about twice the live set before a full
  // collection (2.1 GB at 100,000 Pods); growing by half keeps the peak near 1.4 GB for a
  // few more collections (npm run bench: cluster-dump-bench).
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let closed = false;
  const exit = (failure?: string) => {
    if (closed) return;
    closed = true;
    if (failure !== undefined) {
      process.exitCode = EXIT.ERROR;
      try {
        process.stderr.write(failure);
      } catch {
        // Nowhere left to say it.
      }
    }
    process.exit();
  };
  endQuietlyOnClosedPipe(process.stdout, exit);
  endQuietlyOnClosedPipe(process.stderr, () => exit());
  const out = (s: string) => void (closed || process.stdout.write(s));
  const err = (s: string) => void (closed || process.stderr.write(s));
  process.exitCode = run(process.argv.slice(2), out, err);
}
