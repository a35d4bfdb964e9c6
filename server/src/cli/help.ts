import { CHECK_FLAGS, CHECK_USAGE } from './commands/check';
import { DIFF_FLAGS, DIFF_USAGE } from './commands/diff';
import { EVIDENCE_FLAGS, EVIDENCE_USAGE } from './commands/evidence';
import { EXPLAIN_FLAGS, EXPLAIN_USAGE } from './commands/explain';
import { GENERATE_FLAGS, GENERATE_USAGE } from './commands/generate';
import { REACH_FLAGS, REACH_USAGE } from './commands/reach';
import { TEST_FLAGS, TEST_USAGE } from './commands/test';
import type { FlagSpec } from './args';

/** One option line: how it is written and what it does. */
type Option = readonly [syntax: string, description: string];

interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  /** The command's own options, by flag name (every flag of `flags` but the common ones). */
  readonly options: Readonly<Record<string, Option>>;
  readonly flags: FlagSpec;
}

/** Options every analysing command accepts (WORKSPACE_FLAGS). */
const COMMON: Readonly<Record<string, Option>> = {
  'default-namespace': ['--default-namespace NS', 'namespace of objects without metadata.namespace (default: default)'],
  'host-network': ['--host-network node|pod', 'hostNetwork pods act as the node (default) or as ordinary pods'],
  cni: ['--cni NAME', 'the network plugin: what ipBlocks, endPort and SCTP do (default: default, the upstream expectations; see docs/semantics.md); explain --cni all compares every profile'],
  'ingress-controller-namespace': ['--ingress-controller-namespace NS', 'where the ingress controller runs (default: ingress-nginx)'],
  'ingress-controller-label': ['--ingress-controller-label K=V', 'its pod labels (repeatable; default app.kubernetes.io/name=ingress-nginx)'],
  config: ['--config FILE', 'the configuration file (default: the nearest .netpol.yaml in or above the first PATH); flags win over it'],
  quiet: ['--quiet', 'do not print notes about skipped files'],
  'max-file-mb': ['--max-file-mb N', 'read files up to N MB (default: 64; at most 511): a larger file is skipped with a note'],
  'max-total-mb': ['--max-total-mb N', 'read up to N MB in all (default: 512): past it the run stops'],
};

/** `--kustomize DIR` (check, reach, explain). */
const KUSTOMIZE: Option = ['--kustomize DIR', 'also analyse DIR as kubectl kustomize renders it (no remote bases, plugins or exec); findings on the source lines'];

const PORT: Option = ['--port N', 'only connections on this port (1-65535)'];
const PROTOCOL: Option = ['--protocol TCP|UDP|SCTP', 'the protocol of --port (default: TCP)'];

export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  reach: {
    usage: REACH_USAGE,
    summary: 'Prints the connectivity: one line per allowed source => destination with its protocols and ports.',
    flags: REACH_FLAGS,
    options: {
      kustomize: KUSTOMIZE,
      format: ['--format text|json|csv|md|dot|mermaid', "netpol-analyzer's connlist formats, or a DOT / Mermaid graph (default: text)"],
      port: ['--port N', 'print the workload pairs that may connect on this port instead'],
      protocol: PROTOCOL,
    },
  },
  explain: {
    usage: EXPLAIN_USAGE,
    summary: 'Explains one connection: the verdict, the policies that isolate each side and the rules (file:line) that admit the other side.',
    flags: EXPLAIN_FLAGS,
    options: {
      kustomize: KUSTOMIZE,
      from: ['--from NS/NAME|IP', 'the source: a workload (ns/name or ns/name[Kind]) or an address'],
      to: ['--to NS/NAME|IP', 'the destination'],
      port: PORT,
      protocol: PROTOCOL,
      format: ['--format text|json', 'the explanation as text or JSON (default: text)'],
    },
  },
  check: {
    usage: CHECK_USAGE,
    summary: 'Runs every rule of the editor on the manifests (same ids, same messages).',
    flags: CHECK_FLAGS,
    options: {
      kustomize: KUSTOMIZE,
      format: ['--format text|json|sarif', 'findings as text (file:line:col), JSON or SARIF 2.1.0'],
      'fail-on': ['--fail-on error|warning|info|hint', 'exit 1 when a finding is at least this severe (default: error)'],
      rule: ['--rule ID=SEVERITY|off', "change a rule's severity (repeatable)"],
      'show-suppressed': ['--show-suppressed', 'also list the findings suppressed in the manifests, with their reasons (never counted for --fail-on)'],
      'environment-label': ['--environment-label KEY', 'namespace label naming the environment (default: environment)'],
      'dns-namespace': ['--dns-namespace NS', 'where cluster DNS runs (default: kube-system)'],
      'dns-label': ['--dns-label K=V', 'the DNS pods\' labels (repeatable; default: k8s-app=kube-dns)'],
      'require-egress': ['--require-egress', 'also require egress isolation'],
    },
  },
  evidence: {
    usage: EVIDENCE_USAGE,
    summary:
      'Prints the flows the manifests show the application needs (Service addresses in env, args and ConfigMaps, Ingress and Gateway routes, exposed Services, monitors, webhooks, headless StatefulSets, netpol.studio/allow-* annotations, DNS, the API server for pods whose service-account token RBAC binds), each with the file:line that shows it, then the references to Services not in the files (info).',
    flags: EVIDENCE_FLAGS,
    options: {
      format: ['--format text|json', 'one line per flow, or JSON {flows, notes} (default: text)'],
      'no-dns': ['--no-dns', 'leave out the DNS baseline (every pod to the cluster DNS on UDP and TCP 53)'],
      'no-api-server': ['--no-api-server', 'leave out the API-server baseline (pods that mount a service-account token a RoleBinding or ClusterRoleBinding names, to the API server)'],
      'dns-namespace': ['--dns-namespace NS', 'where cluster DNS runs (default: kube-system)'],
      'dns-label': ['--dns-label K=V', "the DNS pods' labels (repeatable; default: k8s-app=kube-dns)"],
    },
  },
  generate: {
    usage: GENERATE_USAGE,
    summary:
      'Prints least-privilege NetworkPolicies from the evidence (see netpol evidence): one per workload, admitting exactly its evidenced flows on their ports and protocols (and DNS) and nothing else, each rule with the file:line of its evidence (a comment and the netpol.studio/evidence annotation). Existing policies are never edited; a workload they already cover gets nothing. Flows no manifest shows stay closed and are listed on stderr (info), with the annotation that would declare them.',
    flags: GENERATE_FLAGS,
    options: {
      namespace: ['--namespace NS', 'only the workloads of this namespace (repeatable; default: all)'],
      'ingress-only': ['--ingress-only', 'policies of type Ingress only: egress is left as it is'],
      output: ['--output DIR', 'write one file per namespace to DIR (<ns>-netpol.yaml; netpol.yaml for manifests without a namespace) instead of printing'],
      'dns-namespace': ['--dns-namespace NS', 'where cluster DNS runs (default: kube-system)'],
      'dns-label': ['--dns-label K=V', "the DNS pods' labels (repeatable; default: k8s-app=kube-dns)"],
    },
  },
  test: {
    usage: TEST_USAGE,
    summary:
      'Checks the expectations file (flows that must stay allowed or denied, docs/expectations.md) and every evidenced flow (an implicit allow) against the policies; prints pass or fail with the policy and rule (file:line) that decide each. Exit 1 when one fails, 2 when the expectations file is wrong.',
    flags: TEST_FLAGS,
    options: {
      expect: ['--expect FILE', 'the expectations file (default: the nearest .netpol-expect.yaml in or above the first PATH)'],
      'no-evidence': ['--no-evidence', 'check the expectations file only, not the evidenced flows'],
      format: ['--format text|junit|tap', 'the report as text, JUnit XML or TAP 14 (default: text)'],
    },
  },
  diff: {
    usage: DIFF_USAGE,
    summary: 'Prints what a change does to the connectivity: flows added, removed and changed, with the connections before and after.',
    flags: DIFF_FLAGS,
    options: {
      format: ['--format text|json|md|csv', "netpol-analyzer's diff formats (ref1 = BEFORE, ref2 = AFTER), or JSON with the rules responsible"],
      'fail-on': ['--fail-on added|removed|any', 'exit 1 when some pair gains / loses connections / differs at all'],
      base: ['--base GIT_REF', 'compare PATHs (default .) of the working tree with revision GIT_REF'],
    },
  },
};

const HELP: Option = ['-h, --help', 'print this help'];
const EXIT_CODES = 'Exit codes: 0 ok, 1 findings at or above --fail-on (check, diff) or a failed expectation (test), 2 usage or I/O error or a wrong expectations file (test).';

function table(options: readonly Option[]): string {
  const width = Math.max(...options.map(([syntax]) => syntax.length));
  return options.map(([syntax, description]) => `  ${syntax.padEnd(width)}  ${description}`).join('\n');
}

/** `netpol --help`: every command's usage line, the common options, where to read more. */
export function mainHelp(): string {
  return `usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}
  netpol --version | -V
  netpol COMMAND --help | -h

Options for every command:
${table(Object.values(COMMON))}

Run "netpol COMMAND --help" for a command's own options.
${EXIT_CODES}
`;
}

/** `netpol COMMAND --help`: what it does and every option it takes. */
export function commandHelp(name: string): string {
  const c = COMMANDS[name];
  return `usage: ${c.usage}

${c.summary}

Options:
${table(Object.values(c.options))}

Options for every command:
${table([...Object.values(COMMON), HELP])}

${EXIT_CODES}
`;
}

/** Whether the arguments of a command ask for its help (`-h` or `--help` before a `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
