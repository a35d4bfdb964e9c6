/**
 * The CRD schemas of the cluster-level policies (kubernetes-sigs/network-policy-api), as
 * data: AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1,
 * release v0.1.7, experimental channel) and ClusterNetworkPolicy (v1alpha2, v0.2.0,
 * experimental channel). The experimental channel is the superset: a field it alone has
 * is marked `experimental`, so a finding can say the standard CRDs do not know it.
 * Unlike NetworkPolicy, the CRDs do not check label selectors' operators or values.
 */

export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';

export type ClusterKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';

/** The kinds and the one version each is served as. */
export const CLUSTER_KINDS: Readonly<Record<ClusterKind, string>> = {
  AdminNetworkPolicy: `${CLUSTER_POLICY_GROUP}/v1alpha1`,
  BaselineAdminNetworkPolicy: `${CLUSTER_POLICY_GROUP}/v1alpha1`,
  ClusterNetworkPolicy: `${CLUSTER_POLICY_GROUP}/v1alpha2`,
};

export function clusterKindOf(apiVersion: string, kind: string): ClusterKind | undefined {
  return Object.prototype.hasOwnProperty.call(CLUSTER_KINDS, kind) && CLUSTER_KINDS[kind as ClusterKind] === apiVersion ? (kind as ClusterKind) : undefined;
}

export type CShape =
  | { readonly t: 'object'; readonly name: string; readonly fields: Readonly<Record<string, CField>>; readonly exactlyOne?: boolean; readonly minProperties?: number; readonly cel?: CelRule }
  | { readonly t: 'list'; readonly of: CShape; readonly minItems?: number; readonly maxItems?: number; readonly set?: boolean }
  | { readonly t: 'string'; readonly enum?: readonly string[]; readonly maxLength?: number; readonly cidr?: boolean; readonly pattern?: RegExp }
  | { readonly t: 'integer'; readonly minimum: number; readonly maximum: number }
  | { readonly t: 'stringMap' }
  | { readonly t: 'any' };

export interface CField {
  readonly shape: CShape;
  readonly required?: boolean;
  /** Only in the experimental channel's CRD. */
  readonly experimental?: boolean;
}

/** CEL rules of the CRDs that the walker checks on an object (x-kubernetes-validations). */
export type CelRule = 'range-start-below-end' | 'no-named-port-with-ip-peers';

const field = (shape: CShape, extra: Omit<CField, 'shape'> = {}): CField => ({ shape, ...extra });
const req = (shape: CShape): CField => ({ shape, required: true });
const exp = (shape: CShape): CField => ({ shape, experimental: true });
const str: CShape = { t: 'string' };
const port: CShape = { t: 'integer', minimum: 1, maximum: 65535 };
const list = (of: CShape, maxItems: number, minItems?: number, set?: boolean): CShape => ({ t: 'list', of, maxItems, ...(minItems !== undefined ? { minItems } : {}), ...(set ? { set } : {}) });

const REQUIREMENT: CShape = { t: 'object', name: 'a label selector requirement', fields: { key: req(str), operator: req(str), values: field({ t: 'list', of: str }) } };
export const SELECTOR: CShape = {
  t: 'object',
  name: 'a label selector',
  fields: { matchLabels: field({ t: 'stringMap' }), matchExpressions: field({ t: 'list', of: REQUIREMENT }) },
};

const DOMAIN_NAME = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;
const NETWORKS = list({ t: 'string', maxLength: 43, cidr: true }, 25, 1, true);
const DOMAIN_NAMES = list({ t: 'string', pattern: DOMAIN_NAME }, 25, 1, true);

// --- v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy) ---

const V1_PODS: CShape = { t: 'object', name: 'a pods selector', fields: { namespaceSelector: req(SELECTOR), podSelector: req(SELECTOR) } };
const V1_SUBJECT: CShape = { t: 'object', name: 'the subject', exactlyOne: true, fields: { namespaces: field(SELECTOR), pods: field(V1_PODS) } };
const V1_INGRESS_PEER: CShape = { t: 'object', name: 'an ingress peer', exactlyOne: true, fields: { namespaces: field(SELECTOR), pods: field(V1_PODS) } };
const v1EgressPeer = (domainNames: boolean): CShape => ({
  t: 'object',
  name: 'an egress peer',
  exactlyOne: true,
  fields: {
    namespaces: field(SELECTOR),
    pods: field(V1_PODS),
    networks: field(NETWORKS),
    nodes: exp(SELECTOR),
    ...(domainNames ? { domainNames: exp(DOMAIN_NAMES) } : {}),
  },
});
const V1_PORT: CShape = {
  t: 'object',
  name: 'a port',
  exactlyOne: true,
  fields: {
    portNumber: field({ t: 'object', name: 'portNumber', fields: { protocol: field(str), port: req(port) } }),
    portRange: field({ t: 'object', name: 'portRange', fields: { protocol: field(str), start: req(port), end: req(port) } }),
    namedPort: exp(str),
  },
};
const v1Rule = (actions: readonly string[], direction: 'ingress' | 'egress', peer: CShape): CShape => ({
  t: 'object',
  name: `an ${direction} rule`,
  fields: {
    name: field({ t: 'string', maxLength: 100 }),
    action: req({ t: 'string', enum: actions }),
    [direction === 'ingress' ? 'from' : 'to']: req(list(peer, 100, 1)),
    ports: field(list(V1_PORT, 100, 1)),
  },
  ...(direction === 'egress' ? { cel: 'no-named-port-with-ip-peers' as const } : {}),
});

const META: CShape = { t: 'any' };

const ANP_SPEC: CShape = {
  t: 'object',
  name: 'the spec',
  fields: {
    priority: req({ t: 'integer', minimum: 0, maximum: 1000 }),
    subject: req(V1_SUBJECT),
    ingress: field(list(v1Rule(['Allow', 'Deny', 'Pass'], 'ingress', V1_INGRESS_PEER), 100)),
    egress: field(list(v1Rule(['Allow', 'Deny', 'Pass'], 'egress', v1EgressPeer(true)), 100)),
  },
};

const BANP_SPEC: CShape = {
  t: 'object',
  name: 'the spec',
  fields: {
    subject: req(V1_SUBJECT),
    ingress: field(list(v1Rule(['Allow', 'Deny'], 'ingress', V1_INGRESS_PEER), 100)),
    egress: field(list(v1Rule(['Allow', 'Deny'], 'egress', v1EgressPeer(false)), 100)),
  },
};

// --- v1alpha2 (ClusterNetworkPolicy) ---

const V2_PODS: CShape = { t: 'object', name: 'a pods selector', fields: { namespaceSelector: field(SELECTOR), podSelector: req(SELECTOR) } };
const V2_SUBJECT: CShape = { t: 'object', name: 'the subject', exactlyOne: true, fields: { namespaces: field(SELECTOR), pods: field(V2_PODS) } };
const V2_INGRESS_PEER: CShape = { t: 'object', name: 'an ingress peer', exactlyOne: true, fields: { namespaces: field(SELECTOR), pods: field(V2_PODS) } };
const V2_EGRESS_PEER: CShape = {
  t: 'object',
  name: 'an egress peer',
  exactlyOne: true,
  fields: { namespaces: field(SELECTOR), pods: field(V2_PODS), networks: field(NETWORKS), nodes: exp(SELECTOR), domainNames: exp(DOMAIN_NAMES) },
};
const V2_DESTINATION_PORT: CShape = {
  t: 'object',
  name: 'destinationPort',
  exactlyOne: true,
  fields: { number: field(port), range: field({ t: 'object', name: 'a port range', fields: { start: req(port), end: req(port) }, cel: 'range-start-below-end' }) },
};
const V2_PROTOCOL_PORTS: CShape = { t: 'object', name: 'the protocol entry', minProperties: 1, fields: { destinationPort: field(V2_DESTINATION_PORT) } };
const V2_PROTOCOL: CShape = {
  t: 'object',
  name: 'a protocols entry',
  exactlyOne: true,
  fields: { tcp: field(V2_PROTOCOL_PORTS), udp: field(V2_PROTOCOL_PORTS), sctp: field(V2_PROTOCOL_PORTS), destinationNamedPort: field(str) },
};
const v2Rule = (direction: 'ingress' | 'egress', peer: CShape): CShape => ({
  t: 'object',
  name: `an ${direction} rule`,
  fields: {
    name: field({ t: 'string', maxLength: 100 }),
    action: req({ t: 'string', enum: ['Accept', 'Deny', 'Pass'] }),
    [direction === 'ingress' ? 'from' : 'to']: req(list(peer, 25, 1)),
    protocols: field(list(V2_PROTOCOL, 25, 1)),
  },
  ...(direction === 'egress' ? { cel: 'no-named-port-with-ip-peers' as const } : {}),
});
const CNP_SPEC: CShape = {
  t: 'object',
  name: 'the spec',
  fields: {
    tier: req({ t: 'string', enum: ['Admin', 'Baseline'] }),
    priority: req({ t: 'integer', minimum: 0, maximum: 1000 }),
    subject: req(V2_SUBJECT),
    ingress: field(list(v2Rule('ingress', V2_INGRESS_PEER), 25)),
    egress: field(list(v2Rule('egress', V2_EGRESS_PEER), 25)),
  },
};

const root = (kind: ClusterKind, spec: CShape): CShape => ({
  t: 'object',
  name: kind,
  fields: { apiVersion: field(str), kind: field(str), metadata: req(META), spec: req(spec), status: field({ t: 'any' }) },
});

export const CLUSTER_SCHEMAS: Readonly<Record<ClusterKind, CShape>> = {
  AdminNetworkPolicy: root('AdminNetworkPolicy', ANP_SPEC),
  BaselineAdminNetworkPolicy: root('BaselineAdminNetworkPolicy', BANP_SPEC),
  ClusterNetworkPolicy: root('ClusterNetworkPolicy', CNP_SPEC),
};

/** The one name a BaselineAdminNetworkPolicy may have (a CEL rule of its CRD: one per cluster). */
export const BASELINE_NAME = 'default';

/**
 * Fields of older or other versions, with what replaced them: a did-you-mean that a
 * near spelling would not find.
 */
export const RENAMED_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ClusterNetworkPolicy: { ports: 'protocols (v1alpha2 writes ports as protocols: [{tcp: {destinationPort: {number: 80}}}])' },
  AdminNetworkPolicy: { protocols: 'ports (v1alpha1 writes ports as ports: [{portNumber: {protocol: TCP, port: 80}}])' },
  BaselineAdminNetworkPolicy: { protocols: 'ports (v1alpha1 writes ports as ports: [{portNumber: {protocol: TCP, port: 80}}])' },
};

/** Fields removed from the API (v0.1.3): they select nothing any more and have no replacement. */
export const REMOVED_FIELDS: ReadonlySet<string> = new Set(['sameLabels', 'notSameLabels', 'namespaceSelector']);
