/**
 * The NetworkPolicy snippets: the one source of truth.
 *
 * The language server offers them as completion items (any LSP editor), and
 * `snippets/netpol.code-snippets` (what VS Code loads through `contributes.snippets`) is
 * exactly `codeSnippetsFile()`: a unit test (test/unit/snippets/snippets.test.ts)
 * compares the two, so edit the snippets here and regenerate that file with
 * `npx tsc -p tsconfig.json && NETPOL_UPDATE_SNIPPETS=1 node --test out/test/unit/snippets/`.
 *
 * Bodies use the snippet syntax of VS Code and LSP (`${1:default}`, `${1|A,B|}`, `$0`,
 * mirrors `$1`). Each body is one whole YAML document starting at `apiVersion:`, and with
 * its defaults (expandSnippet) it is valid and lint-clean next to matching workloads.
 */

export interface SnippetDefinition {
  /** The title: the key in the .code-snippets file, the label of the completion item. */
  readonly name: string;
  /** What the user types; always `netpol-…`. */
  readonly prefix: string;
  readonly description: string;
  /** The body in snippet syntax, one string per line (joined with `\n`). */
  readonly body: readonly string[];
}

const POLICY_HEAD = ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:'];
/** `- protocol: <choice>` / `port: <placeholder>` under `ports:`, at the rule's indentation. */
function portLines(protocolStop: number, portStop: number, port: string, indent = '      '): string[] {
  return [
    `${indent}ports:`,
    `${indent}  - protocol: \${${protocolStop}|TCP,UDP,SCTP|}`,
    `${indent}    port: \${${portStop}:${port}}$0`,
  ];
}

/** The comment that explains the AND form of a namespaceSelector + podSelector peer. */
const AND_COMMENT = [
  '        # ONE peer (a single "-"): the namespaceSelector AND the podSelector must both',
  '        # match. A "-" before podSelector too would make two peers, ORed: every pod of',
  "        # that namespace, plus matching pods of this policy's own namespace.",
];

export const NETPOL_SNIPPETS: readonly SnippetDefinition[] = [
  {
    name: 'NetworkPolicy: default-deny ingress',
    prefix: 'netpol-deny-ingress',
    description: 'Default-deny ingress for every pod of a namespace: no connection in, until allow policies admit it.',
    body: [
      ...POLICY_HEAD,
      '  name: ${1:default-deny-ingress}',
      '  namespace: ${2:default}',
      'spec:',
      '  # {} selects every pod of the namespace; no ingress rules: nothing is admitted.',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Ingress$0',
    ],
  },
  {
    name: 'NetworkPolicy: default-deny egress',
    prefix: 'netpol-deny-egress',
    description: 'Default-deny egress for every pod of a namespace (add netpol-allow-dns so that name lookups still work).',
    body: [
      ...POLICY_HEAD,
      '  name: ${1:default-deny-egress}',
      '  namespace: ${2:default}',
      'spec:',
      '  # {} selects every pod of the namespace; no egress rules: no connection out.',
      '  # Allow DNS next (netpol-allow-dns), or every name lookup fails.',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Egress$0',
    ],
  },
  {
    name: 'NetworkPolicy: default-deny all (ingress and egress)',
    prefix: 'netpol-deny-all',
    description: 'Default-deny ingress and egress for every pod of a namespace (add netpol-allow-dns so that name lookups still work).',
    body: [
      ...POLICY_HEAD,
      '  name: ${1:default-deny-all}',
      '  namespace: ${2:default}',
      'spec:',
      '  # {} selects every pod of the namespace; no rules: nothing in, nothing out.',
      '  # Allow DNS next (netpol-allow-dns), or every name lookup fails.',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Ingress',
      '    - Egress$0',
    ],
  },
  {
    name: 'NetworkPolicy: allow from the same namespace',
    prefix: 'netpol-allow-same-namespace',
    description: 'Allow ingress to every pod of a namespace from the pods of that same namespace, on one port.',
    body: [
      ...POLICY_HEAD,
      '  name: ${1:allow-same-namespace}',
      '  namespace: ${2:default}',
      'spec:',
      '  # Every pod of the namespace (narrow with matchLabels).',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Ingress',
      '  ingress:',
      '    - from:',
      '        # A podSelector without namespaceSelector: pods of this namespace only.',
      '        - podSelector: {}',
      ...portLines(3, 4, '8080'),
    ],
  },
  {
    name: 'NetworkPolicy: allow from pods with a label',
    prefix: 'netpol-allow-from-pods',
    description: 'Allow ingress to pods with a label from pods with another label of the same namespace (frontend → backend), on one port.',
    body: [
      ...POLICY_HEAD,
      '  name: allow-${3:frontend}-to-${2:backend}',
      '  namespace: ${1:default}',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      app: $2',
      '  policyTypes:',
      '    - Ingress',
      '  ingress:',
      '    - from:',
      '        # A podSelector without namespaceSelector: pods of this namespace only.',
      '        - podSelector:',
      '            matchLabels:',
      '              app: $3',
      '      # The port the pods listen on (containerPort), not a Service port.',
      ...portLines(4, 5, '8080'),
    ],
  },
  {
    name: 'NetworkPolicy: allow from a namespace',
    prefix: 'netpol-allow-from-namespace',
    description: 'Allow ingress to pods with a label from every pod of another namespace, selected by its kubernetes.io/metadata.name label.',
    body: [
      ...POLICY_HEAD,
      '  name: allow-${3:web}-namespace-to-${2:backend}',
      '  namespace: ${1:default}',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      app: $2',
      '  policyTypes:',
      '    - Ingress',
      '  ingress:',
      '    - from:',
      '        # Every pod of that namespace. The API server sets kubernetes.io/metadata.name',
      '        # on every namespace, and nobody can put it on another one.',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: $3',
      ...portLines(4, 5, '8080'),
    ],
  },
  {
    name: 'NetworkPolicy: allow from pods of a namespace (namespace AND pod)',
    prefix: 'netpol-allow-from-namespace-pods',
    description: 'Allow ingress from pods with a label in another namespace: one peer with namespaceSelector AND podSelector (not the OR of two peers).',
    body: [
      ...POLICY_HEAD,
      '  name: allow-${3:web}-${4:frontend}-to-${2:backend}',
      '  namespace: ${1:default}',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      app: $2',
      '  policyTypes:',
      '    - Ingress',
      '  ingress:',
      '    - from:',
      ...AND_COMMENT,
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: $3',
      '          podSelector:',
      '            matchLabels:',
      '              app: $4',
      ...portLines(5, 6, '8080'),
    ],
  },
  {
    name: 'NetworkPolicy: allow DNS egress',
    prefix: 'netpol-allow-dns',
    description: 'Allow every pod of a namespace to resolve names: egress to kube-dns in kube-system on UDP and TCP port 53.',
    body: [
      ...POLICY_HEAD,
      '  name: ${1:allow-dns-egress}',
      '  namespace: ${2:default}',
      'spec:',
      '  # Every pod of the namespace. This isolates them for egress: other destinations',
      '  # need their own egress rules.',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Egress',
      '  egress:',
      '    - to:',
      '        # One peer: the cluster DNS pods (CoreDNS, labelled k8s-app: kube-dns) of kube-system.',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: kube-system',
      '          podSelector:',
      '            matchLabels:',
      '              k8s-app: kube-dns',
      '      # Resolvers ask over UDP, and retry over TCP when an answer is too large.',
      '      ports:',
      '        - protocol: UDP',
      '          port: 53',
      '        - protocol: TCP',
      '          port: 53$0',
    ],
  },
  {
    name: 'NetworkPolicy: allow egress to a CIDR',
    prefix: 'netpol-allow-egress-cidr',
    description: 'Allow egress from pods with a label to addresses outside the cluster, except the private ranges and the cloud metadata endpoint 169.254.169.254.',
    body: [
      ...POLICY_HEAD,
      '  name: allow-${2:backend}-egress-external',
      '  namespace: ${1:default}',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      app: $2',
      '  policyTypes:',
      '    - Egress',
      '  egress:',
      '    - to:',
      '        - ipBlock:',
      '            # 0.0.0.0/0 is the whole internet: narrow it to the networks the pods need',
      '            # (each except entry must lie inside cidr).',
      '            cidr: ${3:0.0.0.0/0}',
      '            except:',
      '              # Private ranges (RFC 1918): nodes, pods and internal services.',
      '              - 10.0.0.0/8',
      '              - 172.16.0.0/12',
      '              - 192.168.0.0/16',
      '              # The cloud instance-metadata endpoint: it hands out node credentials.',
      '              - 169.254.169.254/32',
      ...portLines(4, 5, '443'),
    ],
  },
  {
    name: 'NetworkPolicy: allow from the ingress controller',
    prefix: 'netpol-allow-ingress-controller',
    description: 'Allow ingress from the ingress-nginx controller pods (namespace ingress-nginx, app.kubernetes.io/name: ingress-nginx) to the pods behind an Ingress.',
    body: [
      ...POLICY_HEAD,
      '  name: allow-ingress-controller-to-${2:frontend}',
      '  namespace: ${1:default}',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      app: $2',
      '  policyTypes:',
      '    - Ingress',
      '  ingress:',
      '    - from:',
      '        # One peer: the controller pods (labels of the upstream manifest) in their namespace.',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: ${3:ingress-nginx}',
      '          podSelector:',
      '            matchLabels:',
      '              app.kubernetes.io/name: ${4:ingress-nginx}',
      "      # The Service's targetPort (the pod's port), not the Service port.",
      '      ports:',
      '        - protocol: TCP',
      '          port: ${5:8080}$0',
    ],
  },
  {
    name: 'NetworkPolicy: allow Prometheus scraping',
    prefix: 'netpol-allow-prometheus',
    description: 'Allow Prometheus (app.kubernetes.io/name: prometheus in namespace monitoring) to scrape the container ports named metrics.',
    body: [
      ...POLICY_HEAD,
      '  name: ${1:allow-prometheus-scrape}',
      '  namespace: ${2:default}',
      'spec:',
      '  # Every pod of the namespace: the named port resolves on each pod, so pods',
      '  # without a container port named like it get nothing from this rule.',
      '  podSelector: {}',
      '  policyTypes:',
      '    - Ingress',
      '  ingress:',
      '    - from:',
      '        # One peer: the Prometheus pods, in their namespace.',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: ${3:monitoring}',
      '          podSelector:',
      '            matchLabels:',
      '              app.kubernetes.io/name: ${4:prometheus}',
      '      ports:',
      '        - protocol: TCP',
      '          port: ${5:metrics}$0',
    ],
  },
  {
    name: 'Namespace with environment labels',
    prefix: 'netpol-namespace',
    description: 'A Namespace labelled with its environment (read by the cross-environment rule) and its team.',
    body: [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: ${1:shop}',
      '  labels:',
      '    # kubernetes.io/metadata.name: <name> is added by the API server.',
      '    # environment: the label the cross-environment rule reads (netpol.environmentLabel).',
      '    environment: ${2|production,staging,development|}',
      '    team: ${3:platform}$0',
    ],
  },
];

/** A snippet's body as one string, as an LSP completion item's insertText (snippet format). */
export function snippetText(snippet: SnippetDefinition): string {
  return snippet.body.join('\n');
}

/**
 * The exact text of `snippets/netpol.code-snippets`: VS Code's snippet-file format (an
 * object keyed by title), for the language the package.json entry names (yaml).
 */
export function codeSnippetsFile(snippets: readonly SnippetDefinition[] = NETPOL_SNIPPETS): string {
  const out: Record<string, { prefix: string; description: string; body: readonly string[] }> = {};
  for (const s of snippets) out[s.name] = { prefix: s.prefix, description: s.description, body: s.body };
  return JSON.stringify(out, null, 2) + '\n';
}
