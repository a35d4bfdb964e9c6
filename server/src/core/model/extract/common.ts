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
  const r = obj.reader;
  const metadata = metadataOf(obj);
  return {
    name: nameIn(r, metadata),
    namespace: namespaceIn(r, metadata),
    labels: r.stringMap(r.get(metadata, 'labels')),
    metadata,
  };
}

export function metadataOf(obj: ManifestObject): YAMLMap | undefined {
  const r = obj.reader;
  return r.map(r.get(obj.map, 'metadata'));
}

/** metadata.name ('' when omitted). */
export function nameIn(r: NodeReader, metadata: YAMLMap | undefined): string {
  return r.text(r.get(metadata, 'name')) ?? '';
}

/** metadata.namespace (undefined when omitted or empty). */
export function namespaceIn(r: NodeReader, metadata: YAMLMap | undefined): string | undefined {
  return r.text(r.get(metadata, 'namespace')) || undefined;
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
