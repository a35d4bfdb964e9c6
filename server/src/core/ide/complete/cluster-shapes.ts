import { OBJECT_META, type Shape, type StructShape } from '../../k8s/schema';
import { CLUSTER_SCHEMAS, type CShape, type ClusterKind } from '../../k8s/cluster-schema';
import type { KeywordDoc } from '../../k8s/field-docs';

/**
 * The cluster-level policies' CRD schemas (k8s/cluster-schema.ts) in the shape language of
 * completion (k8s/schema.ts): fields to offer at each place, and the values of their
 * enumerations (`action`, `tier`).
 */

/** `<struct type>.<field>` -> its values. */
const enums = new Map<string, readonly string[]>();

let counter = 0;

function convert(c: CShape, kind: ClusterKind): Shape {
  switch (c.t) {
    case 'object': {
      const type = `${kind}:${c.name}#${counter++}`;
      const fields: Record<string, Shape> = {};
      for (const [name, f] of Object.entries(c.fields)) {
        if (name === 'metadata') fields[name] = OBJECT_META;
        else fields[name] = convert(f.shape, kind);
        if (f.shape.t === 'string' && f.shape.enum) enums.set(`${type}.${name}`, f.shape.enum);
      }
      const s: StructShape = { kind: 'struct', type, where: c.name, fields };
      return s;
    }
    case 'list':
      return { kind: 'list', of: convert(c.of, kind) };
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'integer' };
    case 'stringMap':
      return { kind: 'stringMap' };
    case 'any':
      return { kind: 'any' };
  }
}

const roots = new Map<ClusterKind, Shape>();

export function clusterRootShape(kind: ClusterKind): Shape {
  let s = roots.get(kind);
  if (!s) roots.set(kind, (s = convert(CLUSTER_SCHEMAS[kind], kind)));
  return s;
}

const VALUE_DOCS: Readonly<Record<string, string>> = {
  Allow: 'Allows the connection: final for this direction (v1alpha1).',
  Accept: 'Accepts the connection, with its replies: final for this direction (v1alpha2).',
  Deny: 'Denies the connection: final for this direction.',
  Pass: 'Skips the rest of this tier: the NetworkPolicies (Admin tier) or the default, allow (Baseline tier), decide.',
  Admin: 'Evaluated before every NetworkPolicy.',
  Baseline: 'Evaluated after the NetworkPolicies, for pods no NetworkPolicy isolates.',
};

/** The values of an enumerated field, or undefined. */
export function clusterEnum(structType: string, field: string): readonly KeywordDoc[] | undefined {
  const values = enums.get(`${structType}.${field}`);
  return values?.map((value) => ({ value, detail: field, doc: VALUE_DOCS[value] ?? '' }));
}
