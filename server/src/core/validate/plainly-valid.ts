import { isStrictSubset, parseCidr, type Cidr } from '../base/ip';
import { LightMap, LightScalar, LightSeq, PlainScalar } from '../yaml/fast-yaml';
import { dns1123Label, dns1123Subdomain, labelValue, portName, portNumber, qualifiedName } from '../k8s/names';

/**
 * True when none of the rules that reject a NetworkPolicy (the error-severity
 * validation rules, see rejections.ts) can report anything on this object's YAML:
 * the common case, settled in one walk instead of a dozen.
 *
 * Conservative by construction: it accepts only the fast parser's nodes (no alias, no
 * merge key, no duplicate key) in a narrow form: the fields each level has (a subset:
 * anything else, endPort without a numeric port, generateName, finalizers, status
 * fields under metadata... answers false), values of the expected types (no null), and
 * for every value a rule validates, the rule's own check (dns1123Subdomain,
 * qualifiedName, labelValue, portName, parseCidr, ...). False means "not known to be
 * valid": the rules then run and decide. A rule added to the rejecting rules must be
 * added here (test/unit/rules/plainly-valid.test.ts fails until it is).
 */
export function plainlyValid(root: unknown): boolean {
  if (!(root instanceof LightMap)) return false;
  let named = false;
  for (const p of root.items) {
    switch (p.keyValue) {
      case 'apiVersion':
      case 'kind':
        if (text(p.value) === undefined) return false;
        break;
      case 'metadata':
        if (!metadata(p.value)) return false;
        named = true;
        break;
      case 'spec':
        if (!spec(p.value)) return false;
        break;
      case 'status':
        // Not decoded (NetworkPolicyStatus is gone): anything goes.
        break;
      default:
        return false;
    }
  }
  return named;
}

/** A string value: a plain scalar, or a quoted one. */
function text(n: unknown): string | undefined {
  if (n instanceof PlainScalar) return n.value;
  if (n instanceof LightScalar && typeof n.value === 'string') return n.value;
  return undefined;
}

/** metadata with a valid name, and optionally a namespace, labels and annotations. */
function metadata(n: unknown): boolean {
  if (!(n instanceof LightMap)) return false;
  let named = false;
  for (const p of n.items) {
    switch (p.keyValue) {
      case 'name': {
        const v = text(p.value);
        if (!v || dns1123Subdomain(v).length > 0) return false;
        named = true;
        break;
      }
      case 'namespace': {
        const v = text(p.value);
        if (!v || dns1123Label(v).length > 0) return false;
        break;
      }
      case 'labels':
        if (!labels(p.value)) return false;
        break;
      case 'annotations':
        if (!annotations(p.value)) return false;
        break;
      default:
        return false;
    }
  }
  return named;
}

/** Label keys (qualified names) to string label values: metadata.labels and matchLabels. */
function labels(n: unknown): boolean {
  if (!(n instanceof LightMap)) return false;
  for (const p of n.items) {
    const k = p.keyValue;
    if (typeof k !== 'string' || qualifiedName(k).length > 0) return false;
    const v = text(p.value);
    if (v === undefined || labelValue(v).length > 0) return false;
  }
  return true;
}

/** Annotation keys (qualified names, any case) to strings, well under the size limit. */
function annotations(n: unknown): boolean {
  if (!(n instanceof LightMap)) return false;
  let units = 0;
  for (const p of n.items) {
    const k = p.keyValue;
    if (typeof k !== 'string' || qualifiedName(k.toLowerCase()).length > 0) return false;
    const v = text(p.value);
    if (v === undefined) return false;
    units += k.length + v.length;
  }
  // At most 3 UTF-8 bytes per UTF-16 unit: within the 256 KiB the API server allows.
  return units * 3 <= 256 * 1024;
}

function spec(n: unknown): boolean {
  if (!(n instanceof LightMap)) return false;
  for (const p of n.items) {
    switch (p.keyValue) {
      case 'podSelector':
        if (!selector(p.value)) return false;
        break;
      case 'policyTypes':
        if (!policyTypes(p.value)) return false;
        break;
      case 'ingress':
        if (!rules(p.value, 'from')) return false;
        break;
      case 'egress':
        if (!rules(p.value, 'to')) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function policyTypes(n: unknown): boolean {
  if (!(n instanceof LightSeq) || n.items.length > 2) return false;
  for (const item of n.items) {
    const t = text(item);
    if (t !== 'Ingress' && t !== 'Egress') return false;
  }
  return true;
}

/** spec.ingress (peers under `from`) or spec.egress (under `to`). */
function rules(n: unknown, peersKey: 'from' | 'to'): boolean {
  if (!(n instanceof LightSeq)) return false;
  for (const rule of n.items) {
    if (!(rule instanceof LightMap)) return false;
    for (const p of rule.items) {
      const k = p.keyValue;
      if (k === peersKey) {
        if (!peers(p.value)) return false;
      } else if (k === 'ports') {
        if (!ports(p.value)) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

/** Peers that set a selector or an ipBlock (not both, not null). */
function peers(n: unknown): boolean {
  if (!(n instanceof LightSeq)) return false;
  for (const peer of n.items) {
    if (!(peer instanceof LightMap) || peer.items.length === 0) return false;
    let ipBlocks = false;
    let selectors = false;
    for (const p of peer.items) {
      switch (p.keyValue) {
        case 'podSelector':
        case 'namespaceSelector':
          if (!selector(p.value)) return false;
          selectors = true;
          break;
        case 'ipBlock':
          if (!ipBlock(p.value)) return false;
          ipBlocks = true;
          break;
        default:
          return false;
      }
    }
    if (ipBlocks && selectors) return false;
  }
  return true;
}

/** A label selector mapping (null or any other type: false). */
function selector(n: unknown): boolean {
  if (!(n instanceof LightMap)) return false;
  for (const p of n.items) {
    switch (p.keyValue) {
      case 'matchLabels':
        if (!labels(p.value)) return false;
        break;
      case 'matchExpressions':
        if (!expressions(p.value)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function expressions(n: unknown): boolean {
  if (!(n instanceof LightSeq)) return false;
  for (const e of n.items) {
    if (!(e instanceof LightMap)) return false;
    let key: string | undefined;
    let operator: string | undefined;
    let values = 0;
    for (const p of e.items) {
      switch (p.keyValue) {
        case 'key':
          key = text(p.value);
          if (key === undefined || qualifiedName(key).length > 0) return false;
          break;
        case 'operator':
          operator = text(p.value);
          break;
        case 'values': {
          if (!(p.value instanceof LightSeq)) return false;
          for (const v of p.value.items) {
            const t = text(v);
            if (t === undefined || labelValue(t).length > 0) return false;
          }
          values = p.value.items.length;
          break;
        }
        default:
          return false;
      }
    }
    if (key === undefined) return false;
    if (operator === 'In' || operator === 'NotIn') {
      if (values === 0) return false;
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values > 0) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** A valid cidr, and excepts strictly inside it (same family). */
function ipBlock(n: unknown): boolean {
  if (!(n instanceof LightMap)) return false;
  let cidr: Cidr | undefined;
  let except: LightSeq | undefined;
  for (const p of n.items) {
    switch (p.keyValue) {
      case 'cidr': {
        const t = text(p.value);
        if (!t) return false;
        const c = parseCidr(t);
        if ('error' in c) return false;
        cidr = c;
        break;
      }
      case 'except':
        if (!(p.value instanceof LightSeq)) return false;
        except = p.value;
        break;
      default:
        return false;
    }
  }
  if (!cidr) return false;
  for (const item of except?.items ?? []) {
    const t = text(item);
    if (t === undefined) return false;
    const ex = parseCidr(t);
    if ('error' in ex || ex.family !== cidr.family || !isStrictSubset(ex, cidr)) return false;
  }
  return true;
}

/** Ports: a valid number or name, TCP/UDP/SCTP, an endPort only after a numeric port. */
function ports(n: unknown): boolean {
  if (!(n instanceof LightSeq)) return false;
  for (const entry of n.items) {
    if (!(entry instanceof LightMap)) return false;
    let port: number | undefined;
    let endPort: number | undefined;
    for (const p of entry.items) {
      const v = p.value;
      switch (p.keyValue) {
        case 'port':
          if (v instanceof LightScalar && typeof v.value === 'number') {
            if (portNumber(v.value).length > 0) return false;
            port = v.value;
          } else {
            const t = text(v);
            if (t === undefined || portName(t).length > 0) return false;
          }
          break;
        case 'protocol': {
          const t = text(v);
          if (t !== 'TCP' && t !== 'UDP' && t !== 'SCTP') return false;
          break;
        }
        case 'endPort':
          if (!(v instanceof LightScalar) || typeof v.value !== 'number' || !Number.isInteger(v.value)) return false;
          endPort = v.value;
          break;
        default:
          return false;
      }
    }
    if (endPort !== undefined && (port === undefined || endPort < port || endPort < 1 || endPort > 65535)) return false;
  }
  return true;
}
