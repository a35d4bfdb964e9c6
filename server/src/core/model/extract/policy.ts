import type { YAMLMap } from 'yaml';
import type { NodeReader } from '../../yaml/nodes';
import type { LabelSelector, NetworkPolicy, Peer, PolicyPort, PolicyRule, PolicyType } from '../types';
import { readIntOrString, readNames, readProtocol } from './common';
import { readSelector } from './selector';
import type { ManifestObject } from '../../manifest/types';

export type RawPolicy = Omit<NetworkPolicy, 'namespace' | 'defaultedNamespace' | 'rejected'> & { readonly namespace?: string };

export function readNetworkPolicy(obj: ManifestObject): RawPolicy {
  const r = obj.reader;
  const meta = readNames(obj);
  const spec = r.map(r.get(obj.map, 'spec'));
  const ingressNodes = r.items(r.get(spec, 'ingress'));
  const egressNodes = r.items(r.get(spec, 'egress'));
  return {
    name: meta.name,
    namespace: meta.namespace,
    // An omitted podSelector is the empty selector: every pod of the namespace.
    podSelector: readSelector(r, r.get(spec, 'podSelector')),
    policyTypes: readPolicyTypes(r, spec, egressNodes.length > 0),
    ingress: ingressNodes.map((n, i) => readRule(r, r.map(n), 'Ingress', i)),
    egress: egressNodes.map((n, i) => readRule(r, r.map(n), 'Egress', i)),
    span: obj.span,
  };
}

/**
 * Kubernetes defaulting (SetDefaults_NetworkPolicySpec): when policyTypes is empty,
 * Ingress always, plus Egress if the policy has at least one egress rule.
 */
function readPolicyTypes(r: NodeReader, spec: YAMLMap | undefined, hasEgressRules: boolean): PolicyType[] {
  const given = r.items(r.get(spec, 'policyTypes')).map((n) => r.string(n));
  if (given.length === 0) return hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress'];
  const types: PolicyType[] = [];
  for (const t of given) if ((t === 'Ingress' || t === 'Egress') && !types.includes(t)) types.push(t);
  // (A copy of its exact size: a list grown by push keeps spare room, ~150 bytes for one entry, and every policy keeps this one.)
  return types.slice();
}

function readRule(r: NodeReader, rule: YAMLMap | undefined, direction: PolicyType, index: number): PolicyRule {
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  const peerNodes = r.items(r.get(rule, peersKey));
  const portNodes = r.items(r.get(rule, 'ports'));
  return {
    direction,
    index,
    // An empty or missing list matches everything (API reference, NetworkPolicyIngressRule).
    peers: peerNodes.length > 0 ? peerNodes.map((n) => readPeer(r, r.map(n))) : undefined,
    ports: portNodes.length > 0 ? readPorts(r, portNodes) : undefined,
    span: r.span(rule),
  };
}

function readPeer(r: NodeReader, peer: YAMLMap | undefined): Peer {
  const span = r.span(peer);
  const ipBlock = r.map(r.get(peer, 'ipBlock'));
  if (ipBlock) {
    return {
      type: 'ipBlock',
      cidr: r.text(r.get(ipBlock, 'cidr')) ?? '',
      except: r.items(r.get(ipBlock, 'except')).map((n) => r.text(n) ?? ''),
      span,
    };
  }
  return {
    type: 'selector',
    podSelector: peerSelector(r, peer, 'podSelector'),
    namespaceSelector: peerSelector(r, peer, 'namespaceSelector'),
    span,
  };
}

/**
 * A peer's selector. Unlike spec.podSelector (a struct, where null decodes as `{}`), the
 * peer selectors are pointers: `namespaceSelector:` with no value (null) decodes as nil,
 * i.e. absent — the policy's own namespace — not `{}` (every namespace).
 */
function peerSelector(r: NodeReader, peer: YAMLMap | undefined, key: 'podSelector' | 'namespaceSelector'): LabelSelector | undefined {
  if (!r.has(peer, key)) return undefined;
  const node = r.get(peer, key);
  if (node === undefined || r.scalar(node)?.value === null) return undefined;
  return readSelector(r, node);
}

/** A rule's port entries, in a list of their exact size (map's; filter's keeps spare room, and every rule keeps its list). */
function readPorts(r: NodeReader, nodes: readonly unknown[]): PolicyPort[] {
  const ports = nodes.map((n) => readPort(r, r.map(n)));
  return ports.includes(undefined) ? ports.filter((p): p is PolicyPort => p !== undefined) : (ports as PolicyPort[]);
}

/**
 * A port entry. A port whose protocol the API server rejects contributes nothing
 * (an empty port range would otherwise read as "all ports"). Validation reports it.
 */
function readPort(r: NodeReader, port: YAMLMap | undefined): PolicyPort | undefined {
  const protocol = readProtocol(r, port);
  if (protocol === undefined) return { protocol: 'TCP', port: '', span: r.span(port) };
  const value = readIntOrString(r, r.get(port, 'port'));
  const endPort = r.number(r.get(port, 'endPort'));
  return {
    protocol,
    ...(value !== undefined ? { port: value } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
    span: r.span(port),
  };
}
