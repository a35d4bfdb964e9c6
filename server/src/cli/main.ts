import { UsageError } from './args';
import { EXPLAIN_USAGE, explainCommand } from './explain-command';
import { REACH_USAGE, reachCommand } from './reach-command';
import { InputError } from '../node/read-files';

/** Exit codes: 0 ok, 1 findings (check), 2 usage or I/O error. */
export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2 } as const;

const USAGE = `usage:
  ${REACH_USAGE}
  ${EXPLAIN_USAGE}

Options for every command:
  --default-namespace NS             namespace of objects without metadata.namespace (default: default)
  --host-network node|pod            hostNetwork pods act as the node (default) or as ordinary pods
  --ingress-controller-namespace NS  where the ingress controller runs (default: ingress-nginx)
  --ingress-controller-label K=V     its pod labels (repeatable; default app.kubernetes.io/name=ingress-nginx)
  --quiet                            do not print notes about skipped files

Exit codes: 0 ok, 1 findings, 2 usage or I/O error.
`;

export function run(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'reach':
        return reachCommand(rest, out, err);
      case 'explain':
        return explainCommand(rest, out, err);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command === undefined ? EXIT.ERROR : EXIT.OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`netpol: ${e.message}\n\n${USAGE}`);
      return EXIT.ERROR;
    }
    if (e instanceof InputError) {
      err(`netpol: ${e.message}\n`);
      return EXIT.ERROR;
    }
    // A bug of ours: say so in one line; the stack only on request.
    err(`netpol: internal error: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.NETPOL_DEBUG) err(`${(e as Error).stack}\n`);
    return EXIT.ERROR;
  }
}

if (require.main === module) {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  process.exitCode = run(process.argv.slice(2), out, err);
}
