import type { YAMLMap } from 'yaml';
import { PROTOCOLS, type Protocol } from '../../base/ports';
import type { NodeReader } from '../../yaml/nodes';
import type { ManifestObject } from '../../manifest/types';

export interface ObjectMeta {
  readonly name: string;
  /** Undefined when metadata.namespace is omitted. */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly metadata?: YAMLMap;
}

export function readMeta(obj: ManifestObject): ObjectMeta {
  const { name, namespace, metadata } = readNames(obj);
  return { name, namespace, labels: obj.reader.stringMap(obj.reader.get(metadata, 'labels')), metadata };
}

/** readMeta without the labels (a map per object that most kinds never read). */
export function readNames(obj: ManifestObject): Omit<ObjectMeta, 'labels'> {
  const r = obj.reader;
  const metadata = r.map(r.get(obj.map, 'metadata'));
  return {
    name: r.text(r.get(metadata, 'name')) ?? '',
    namespace: r.text(r.get(metadata, 'namespace')) || undefined,
    metadata,
  };
}

/**
 * A protocol field: absent means TCP (the Kubernetes default). A value that is not
 * exactly TCP, UDP or SCTP is rejected by the API server: we return undefined and the
 * caller drops the port (validation reports it).
 */
export function readProtocol(r: NodeReader, map: YAMLMap | undefined): Protocol | undefined {
  if (!r.has(map, 'protocol')) return 'TCP';
  const p = r.string(r.get(map, 'protocol'));
  return (PROTOCOLS as readonly string[]).includes(p ?? '') ? (p as Protocol) : undefined;
}

/** An int-or-string field: numbers stay numbers, quoted text stays text ("80" is a name). */
export function readIntOrString(r: NodeReader, node: unknown): number | string | undefined {
  const s = r.scalar(node);
  if (!s) return undefined;
  if (typeof s.value === 'number' && Number.isInteger(s.value)) return s.value;
  if (typeof s.value === 'string') return s.value;
  return undefined;
}
