import { UsageError } from './args';
import { CHECK_USAGE, checkCommand } from './check-command';
import { DIFF_USAGE, diffCommand } from './diff-command';
import { EXPLAIN_USAGE, explainCommand } from './explain-command';
import { REACH_USAGE, reachCommand } from './reach-command';
import { InputError } from '../node/read-files';

/** Exit codes: 0 ok, 1 findings (check, diff --fail-on), 2 usage or I/O error. */
export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2 } as const;

/** Replaced at build time by the package version. */
declare const NETPOL_VERSION: string | undefined;
const VERSION = typeof NETPOL_VERSION === 'string' ? NETPOL_VERSION : '0.0.0-dev';

const USAGE = `usage:
  ${REACH_USAGE}
  ${EXPLAIN_USAGE}
  ${CHECK_USAGE}
  ${DIFF_USAGE}

Options for every command:
  --default-namespace NS             namespace of objects without metadata.namespace (default: default)
  --host-network node|pod            hostNetwork pods act as the node (default) or as ordinary pods
  --ingress-controller-namespace NS  where the ingress controller runs (default: ingress-nginx)
  --ingress-controller-label K=V     its pod labels (repeatable; default app.kubernetes.io/name=ingress-nginx)
  --quiet                            do not print notes about skipped files

check options:
  --format text|json|sarif           findings as text (file:line:col), JSON or SARIF 2.1.0
  --fail-on error|warning|info|hint  exit 1 when a finding is at least this severe (default: error)
  --rule ID=SEVERITY|off             change a rule's severity (repeatable)
  --environment-label KEY            namespace label naming the environment (default: environment)
  --dns-namespace NS --dns-label K=V where cluster DNS runs (default: kube-system, k8s-app=kube-dns)
  --require-egress                   also require egress isolation

diff options:
  --format text|json|md|csv          netpol-analyzer's diff formats (ref1 = BEFORE, ref2 = AFTER), or JSON
  --fail-on added|removed|any        exit 1 when some pair gains / loses connections / differs at all
  --base GIT_REF [PATH...]           compare PATHs (default .) of the working tree with revision GIT_REF

Exit codes: 0 ok, 1 findings at or above --fail-on (check, diff), 2 usage or I/O error.
`;

export function run(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'reach':
        return reachCommand(rest, out, err);
      case 'explain':
        return explainCommand(rest, out, err);
      case 'check':
        return checkCommand(rest, out, err, VERSION);
      case 'diff':
        return diffCommand(rest, out, err);
      case '--version':
        out(`${VERSION}\n`);
        return EXIT.OK;
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
