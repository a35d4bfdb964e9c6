/**
 * Documentation of the NetworkPolicy fields offered by completion: short, after the
 * Kubernetes API reference (networking.k8s.io/v1), with the pitfalls that the rules of
 * this project catch. The field set itself comes from the schema that unknown-field uses
 * (rules/validation/schema.ts), so completion never proposes a field the API server would
 * reject; a unit test checks that every documented field exists there.
 */

export interface FieldDoc {
  /** One line: the type as the API reference names it. */
  readonly detail: string;
  /** Markdown. */
  readonly doc: string;
}

/** By struct type (schema.ts `type`) and field name. */
export const FIELD_DOCS: Readonly<Record<string, Readonly<Record<string, FieldDoc>>>> = {
  NetworkPolicy: {
    apiVersion: { detail: 'string', doc: 'The API group and version: `networking.k8s.io/v1`.' },
    kind: { detail: 'string', doc: 'The object type: `NetworkPolicy`.' },
    metadata: { detail: 'ObjectMeta', doc: "The policy's name and namespace (and labels, annotations)." },
    spec: {
      detail: 'NetworkPolicySpec',
      doc: 'Which pods the policy applies to (`podSelector`), for which directions (`policyTypes`), and what traffic it allows (`ingress`, `egress`).',
    },
  },
  ObjectMeta: {
    name: { detail: 'string', doc: 'Name of the policy, unique in its namespace: a DNS subdomain (lowercase letters, digits, `-` and `.`, at most 253 characters).' },
    namespace: {
      detail: 'string',
      doc:
        "The namespace the policy lives in. A policy only ever applies to pods of **its own namespace**, and a peer `podSelector` without `namespaceSelector` also means pods of this namespace.\n\n" +
        'Omitted: the namespace of the kubectl context at apply time (here: the `netpol.defaultNamespace` setting).',
    },
    labels: { detail: 'map[string]string', doc: "Labels of the policy object itself (not of the pods it selects: that is `spec.podSelector`)." },
    annotations: { detail: 'map[string]string', doc: 'Free-form annotations of the policy object.' },
  },
  NetworkPolicySpec: {
    podSelector: {
      detail: 'LabelSelector (required)',
      doc:
        "Selects the pods **of the policy's namespace** that this policy applies to: they become isolated for the policy's types and accept (or send) only what the rules of the policies selecting them allow.\n\n" +
        '`{}` selects every pod of the namespace.',
    },
    policyTypes: {
      detail: '[]string: Ingress, Egress',
      doc:
        'The directions the policy isolates. Omitted: `Ingress` always, plus `Egress` when the policy has `egress` rules.\n\n' +
        'A type listed without rules of that direction denies all of it (a default deny): `policyTypes: [Egress]` with no `egress` rules blocks every connection out, DNS included.',
    },
    ingress: {
      detail: '[]NetworkPolicyIngressRule',
      doc:
        'Rules for traffic **to** the selected pods; a connection is allowed if any rule (of any policy selecting the pod) allows it.\n\n' +
        'No rules (with `Ingress` in the types): nothing comes in. A rule `- {}` allows everything.',
    },
    egress: {
      detail: '[]NetworkPolicyEgressRule',
      doc:
        'Rules for traffic **from** the selected pods; a connection is allowed if any rule allows it.\n\n' +
        'No rules (with `Egress` in the types): nothing goes out, including DNS lookups (allow UDP and TCP 53 to the cluster DNS).',
    },
  },
  NetworkPolicyIngressRule: {
    from: {
      detail: '[]NetworkPolicyPeer',
      doc:
        'The sources allowed; the items are **ORed**. Omitted or empty: every source, in and outside the cluster.\n\n' +
        'In one item, `namespaceSelector` and `podSelector` are **ANDed**; as two items (two dashes) they are two peers, ORed.',
    },
    ports: {
      detail: '[]NetworkPolicyPort',
      doc:
        'The ports of the **selected pods** that the sources may connect to (the container ports, not a Service port). Omitted or empty: every port.\n\n' +
        'A named port resolves on each selected pod by its container port name.',
    },
  },
  NetworkPolicyEgressRule: {
    to: {
      detail: '[]NetworkPolicyPeer',
      doc:
        'The destinations allowed; the items are **ORed**. Omitted or empty: every destination, in and outside the cluster.\n\n' +
        'In one item, `namespaceSelector` and `podSelector` are **ANDed**; as two items (two dashes) they are two peers, ORed.',
    },
    ports: {
      detail: '[]NetworkPolicyPort',
      doc:
        'The ports of the **destination pods** that may be connected to (their container ports: traffic to a Service is translated to the target pod port before policies apply). Omitted or empty: every port.\n\n' +
        'A named port resolves on each destination pod; it never matches traffic to an ipBlock.',
    },
  },
  NetworkPolicyPeer: {
    podSelector: {
      detail: 'LabelSelector',
      doc:
        "Pods matched by their labels.\n\n- Alone: pods of **the policy's own namespace**.\n- With `namespaceSelector` **in the same item**: pods matching it in the namespaces that `namespaceSelector` selects (AND).\n\n" +
        '**Pitfall:** `- namespaceSelector: …` and `- podSelector: …` (two dashes) are two peers, ORed: every pod of those namespaces, plus the matching pods of this namespace.',
    },
    namespaceSelector: {
      detail: 'LabelSelector',
      doc:
        'Namespaces matched by their labels; `{}` selects every namespace.\n\n- Alone: every pod of the matching namespaces.\n- With `podSelector` in the same item: only the pods matching it there (AND).\n\n' +
        'Select one namespace by name with the label the API server sets on each: `kubernetes.io/metadata.name: <name>`.',
    },
    ipBlock: {
      detail: 'IPBlock',
      doc:
        'An IP range (`cidr`, minus `except`). Not combinable with the selectors in one item.\n\n' +
        'Meant for traffic to and from outside the cluster: whether it also matches pod IPs depends on the network plugin, so select pods with selectors.',
    },
  },
  IPBlock: {
    cidr: { detail: 'string (required)', doc: 'The range, e.g. `10.0.0.0/8` or `2001:db8::/32`; `0.0.0.0/0` is every IPv4 address.' },
    except: { detail: '[]string', doc: 'Ranges excluded from `cidr`; each must lie inside it (e.g. the cloud metadata endpoint `169.254.169.254/32`).' },
  },
  NetworkPolicyPort: {
    protocol: { detail: 'string: TCP, UDP, SCTP', doc: 'The protocol: `TCP` (the default), `UDP` or `SCTP`, in capitals.' },
    port: {
      detail: 'int or string',
      doc:
        "A port number or a named container port. Omitted: every port of the protocol.\n\n" +
        'It is the port **on the pod** (`containerPort`, a Service\'s `targetPort`), never the Service `port`. A name resolves on each destination pod; pods without a port of that name get nothing from it.',
    },
    endPort: { detail: 'int32', doc: 'With a numeric `port`: the last port of the range `port`–`endPort` (inclusive). Not allowed with a named port.' },
  },
  LabelSelector: {
    matchLabels: { detail: 'map[string]string', doc: 'Labels that must all be present with these values (ANDed with `matchExpressions`). An empty selector `{}` matches everything.' },
    matchExpressions: {
      detail: '[]LabelSelectorRequirement',
      doc: 'Requirements (`key`, `operator`, `values`) that must all hold, ANDed with `matchLabels`.',
    },
  },
  LabelSelectorRequirement: {
    key: { detail: 'string (required)', doc: 'The label key the requirement is about.' },
    operator: { detail: 'string: In, NotIn, Exists, DoesNotExist', doc: '`In`, `NotIn` (needs `values`), `Exists`, `DoesNotExist` (no `values`).' },
    values: { detail: '[]string', doc: 'For `In` and `NotIn`: the label values (at least one). Must be absent for `Exists` and `DoesNotExist`.' },
  },
};

/** Fields of ObjectMeta worth proposing when writing a policy (the rest is set by the API server). */
export const METADATA_FIELDS: readonly string[] = ['name', 'namespace', 'labels', 'annotations'];

export interface KeywordDoc {
  readonly value: string;
  readonly detail: string;
  readonly doc: string;
}

export const PROTOCOLS: readonly KeywordDoc[] = [
  { value: 'TCP', detail: 'protocol (default)', doc: 'TCP: the default when `protocol` is omitted.' },
  { value: 'UDP', detail: 'protocol', doc: 'UDP: DNS lookups (port 53) and most streaming and metrics agents.' },
  { value: 'SCTP', detail: 'protocol', doc: 'SCTP: needs a network plugin that supports it.' },
];

export const POLICY_TYPES: readonly KeywordDoc[] = [
  { value: 'Ingress', detail: 'policy type', doc: 'Isolates the selected pods for incoming traffic: only what `ingress` rules allow comes in.' },
  { value: 'Egress', detail: 'policy type', doc: 'Isolates the selected pods for outgoing traffic: only what `egress` rules allow goes out (remember DNS).' },
];

export const OPERATORS: readonly KeywordDoc[] = [
  { value: 'In', detail: 'operator (needs values)', doc: 'The label is present and its value is one of `values`.' },
  { value: 'NotIn', detail: 'operator (needs values)', doc: 'The label is absent, or its value is none of `values` (objects without the key match too).' },
  { value: 'Exists', detail: 'operator (no values)', doc: 'The label is present, whatever its value. Leave `values` out.' },
  { value: 'DoesNotExist', detail: 'operator (no values)', doc: 'The label is absent. Leave `values` out.' },
];
