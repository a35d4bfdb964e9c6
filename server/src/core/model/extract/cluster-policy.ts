import type { YAMLMap } from 'yaml';
import type { NodeReader } from '../../yaml/nodes';
import type { ManifestObject } from '../../manifest/types';
import type { ClusterKind } from '../../k8s/cluster-schema';
import { PROTOCOLS, type Protocol } from '../../base/ports';
import type { ClusterAction, ClusterPeer, ClusterPolicy, ClusterPort, ClusterRule, LabelSelector, PolicyType } from '../types';
import { readNames } from './common';
import { readSelector } from './selector';

export type RawClusterPolicy = Omit<ClusterPolicy, 'rejected'>;

const EVERYTHING: LabelSelector = { matchLabels: {}, matchExpressions: [], valid: true };

/**
 * Reads an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy. The
 * object may be invalid (the model then marks it rejected and the engine leaves it out),
 * so every read is tolerant.
 */
export function readClusterPolicy(obj: ManifestObject, kind: ClusterKind): RawClusterPolicy {
  const r = obj.reader;
  const spec = r.map(r.get(obj.map, 'spec'));
  const v2 = kind === 'ClusterNetworkPolicy';
  const tier = kind === 'AdminNetworkPolicy' ? 'Admin' : kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : r.string(r.get(spec, 'tier')) === 'Baseline' ? 'Baseline' : 'Admin';
  const priority = kind === 'BaselineAdminNetworkPolicy' ? undefined : r.number(r.get(spec, 'priority'));
  const rules = (direction: PolicyType) => r.items(r.get(spec, direction === 'Ingress' ? 'ingress' : 'egress')).map((n, i) => readRule(r, r.map(n), direction, i, v2));
  return {
    kind,
    name: readNames(obj).name,
    tier,
    ...(priority !== undefined ? { priority } : {}),
    subject: readSubject(r, r.map(r.get(spec, 'subject'))),
    ingress: rules('Ingress'),
    egress: rules('Egress'),
    span: obj.span,
    source: obj,
  };
}

function readSubject(r: NodeReader, subject: YAMLMap | undefined): ClusterPolicy['subject'] {
  const peer = readPeer(r, subject);
  return peer?.type === 'pods' ? { namespaceSelector: peer.namespaceSelector, ...(peer.podSelector ? { podSelector: peer.podSelector } : {}) } : { namespaceSelector: { ...EVERYTHING, valid: false } };
}

/** `namespaces: S` is every pod of S; `pods: {namespaceSelector, podSelector}` (an omitted namespaceSelector, v1alpha2, is every namespace). */
function readPeer(r: NodeReader, peer: YAMLMap | undefined): ClusterPeer | undefined {
  const span = r.span(peer);
  if (r.has(peer, 'namespaces')) {
    // v0.1.0–v0.1.2 wrote the selector one level down: namespaces: {namespaceSelector: S}.
    const ns = r.map(r.get(peer, 'namespaces'));
    const earlier = ns?.items.length === 1 && r.has(ns, 'namespaceSelector');
    return { type: 'pods', namespaceSelector: readSelector(r, earlier ? r.get(ns, 'namespaceSelector') : r.get(peer, 'namespaces')), span };
  }
  if (r.has(peer, 'pods')) {
    const pods = r.map(r.get(peer, 'pods'));
    return {
      type: 'pods',
      namespaceSelector: r.has(pods, 'namespaceSelector') ? readSelector(r, r.get(pods, 'namespaceSelector')) : EVERYTHING,
      podSelector: readSelector(r, r.get(pods, 'podSelector')),
      span,
    };
  }
  if (r.has(peer, 'networks')) return { type: 'networks', cidrs: r.items(r.get(peer, 'networks')).map((n) => r.text(n) ?? ''), span };
  for (const field of ['nodes', 'domainNames']) if (r.has(peer, field)) return { type: 'unmodelled', field, span };
  return undefined;
}

function readRule(r: NodeReader, rule: YAMLMap | undefined, direction: PolicyType, index: number, v2: boolean): ClusterRule {
  const peers = r.items(r.get(rule, direction === 'Ingress' ? 'from' : 'to')).map((n) => readPeer(r, r.map(n))).filter((p): p is ClusterPeer => p !== undefined);
  const portsKey = v2 ? 'protocols' : 'ports';
  const ports = r.has(rule, portsKey) ? r.items(r.get(rule, portsKey)).flatMap((n) => (v2 ? readV2Port(r, r.map(n)) : readV1Port(r, r.map(n)))) : undefined;
  const name = r.text(r.get(rule, 'name'));
  return {
    direction,
    index,
    ...(name !== undefined ? { name } : {}),
    action: (r.string(r.get(rule, 'action')) ?? 'Deny') as ClusterAction,
    peers,
    ...(ports ? { ports } : {}),
    span: r.span(rule),
  };
}

/** v1alpha1's protocol is a plain string (no enum, TCP by default): anything but TCP, UDP or SCTP matches no traffic. */
function protocolOf(r: NodeReader, map: YAMLMap | undefined): Protocol | undefined {
  if (!r.has(map, 'protocol')) return 'TCP';
  const p = r.string(r.get(map, 'protocol'));
  return (PROTOCOLS as readonly string[]).includes(p ?? '') ? (p as Protocol) : undefined;
}

function readV1Port(r: NodeReader, port: YAMLMap | undefined): ClusterPort[] {
  const span = r.span(port);
  const number = r.map(r.get(port, 'portNumber'));
  if (number) {
    const protocol = protocolOf(r, number);
    const p = r.number(r.get(number, 'port'));
    return protocol && p !== undefined ? [{ type: 'range', protocol, start: p, end: p, span }] : [];
  }
  const range = r.map(r.get(port, 'portRange'));
  if (range) {
    const protocol = protocolOf(r, range);
    const start = r.number(r.get(range, 'start'));
    const end = r.number(r.get(range, 'end'));
    // The v1alpha1 CRD admits start > end: such a range holds no port.
    return protocol && start !== undefined && end !== undefined && start <= end ? [{ type: 'range', protocol, start, end, span }] : [];
  }
  const named = r.text(r.get(port, 'namedPort'));
  return named !== undefined ? [{ type: 'named', name: named, span }] : [];
}

function readV2Port(r: NodeReader, entry: YAMLMap | undefined): ClusterPort[] {
  const span = r.span(entry);
  const named = r.text(r.get(entry, 'destinationNamedPort'));
  if (named !== undefined) return [{ type: 'named', name: named, span }];
  for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
    const dp = r.map(r.get(r.map(r.get(entry, key)), 'destinationPort'));
    if (!dp) continue;
    const n = r.number(r.get(dp, 'number'));
    if (n !== undefined) return [{ type: 'range', protocol, start: n, end: n, span }];
    const range = r.map(r.get(dp, 'range'));
    const start = r.number(r.get(range, 'start'));
    const end = r.number(r.get(range, 'end'));
    if (start !== undefined && end !== undefined && start <= end) return [{ type: 'range', protocol, start, end, span }];
  }
  return [];
}
