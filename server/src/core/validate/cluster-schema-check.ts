import { isMap, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Span } from '../base/span';
import { parseCidr } from '../base/ip';
import type { NodeReader } from '../yaml/nodes';
import type { ManifestObject } from '../manifest/types';
import { BASELINE_NAME, CLUSTER_SCHEMAS, REMOVED_FIELDS, RENAMED_FIELDS, SELECTOR, clusterKindOf, type CShape, type ClusterKind } from '../k8s/cluster-schema';
import { closest, decodedType, keyText, spanOr, valueSpan } from '../k8s/schema';
import { dns1123Subdomain } from '../k8s/names';

/** One reason the API server rejects a cluster-level policy, on the node that is wrong. */
export interface ClusterProblem {
  readonly message: string;
  readonly span: Span | undefined;
  readonly path: string;
  /**
   * Accepted by the CRDs of an earlier release the object is written for, rejected by the
   * current ones (the peer `namespaces: {namespaceSelector: …}` of v0.1.0–v0.1.2): which
   * one the cluster runs is not in the manifests, so the policy is not marked rejected and
   * the model reads it as that release does.
   */
  readonly earlierRelease?: true;
}

/** A problem that makes the API server reject the object whatever release of the CRDs is installed. */
export function isRejection(p: ClusterProblem): boolean {
  return p.earlierRelease !== true;
}

const problemsByObject = new WeakMap<ManifestObject, readonly ClusterProblem[]>();

/**
 * Why the API server rejects this AdminNetworkPolicy, BaselineAdminNetworkPolicy or
 * ClusterNetworkPolicy: its CRD's OpenAPI schema (required fields, enums, bounds, item
 * counts, exactly-one objects, unknown fields under strict decoding) and its CEL rules.
 * Computed once per object (the model and the rule both ask).
 */
export function clusterPolicyProblems(obj: ManifestObject): readonly ClusterProblem[] {
  let problems = problemsByObject.get(obj);
  if (!problems) {
    const kind = clusterKindOf(obj.apiVersion, obj.kind);
    problems = kind ? check(obj, kind) : [];
    problemsByObject.set(obj, problems);
  }
  return problems;
}

function check(obj: ManifestObject, kind: ClusterKind): ClusterProblem[] {
  const out: ClusterProblem[] = [];
  const w = new Walker(obj.reader, kind, out);
  const kindKey = obj.reader.pair(obj.map, 'kind')?.key as Node | undefined;
  w.walk(obj.map, CLUSTER_SCHEMAS[kind], '', kindKey);
  w.checkName(obj.map, kindKey);
  return out;
}

class Walker {
  constructor(
    private readonly r: NodeReader,
    private readonly kind: ClusterKind,
    private readonly out: ClusterProblem[],
  ) {}

  private reject(path: string, span: Span | undefined, what: string, server: string, todo: string): void {
    this.out.push({ path, span, message: `${what}: the API server rejects the ${this.kind} (${path ? `${path}: ` : ''}${server}). ${todo}` });
  }

  checkName(root: YAMLMap, at: Node | undefined): void {
    const r = this.r;
    const metadata = r.map(r.get(root, 'metadata'));
    const pair = r.pair(metadata, 'name');
    const name = r.text(pair?.value);
    if (!name) {
      this.reject('metadata.name', r.span(pair?.key) ?? r.span(r.pair(root, 'metadata')?.key) ?? r.span(at), 'metadata.name is missing', 'Required value', 'Name the policy.');
      return;
    }
    const errs = dns1123Subdomain(name);
    if (errs.length > 0) {
      this.reject('metadata.name', r.span(pair?.value), `Name ${JSON.stringify(name)} is not a valid object name`, `Invalid value: ${JSON.stringify(name)}: ${errs.join('; ')}`, 'Use lowercase letters, digits, "-" and ".".');
    } else if (this.kind === 'BaselineAdminNetworkPolicy' && name !== BASELINE_NAME) {
      this.reject(
        'metadata.name',
        r.span(pair?.value),
        `A BaselineAdminNetworkPolicy must be named "${BASELINE_NAME}", not ${JSON.stringify(name)}`,
        `Invalid value: "object": Only one baseline admin network policy with metadata.name="${BASELINE_NAME}" can be created in the cluster`,
        `Rename it to "${BASELINE_NAME}" (the cluster has one baseline policy, so merge its rules into that one).`,
      );
    }
  }

  /** `at`: the key that leads to `node` (where a missing field or an empty list is reported). */
  walk(node: unknown, shape: CShape, path: string, at: Node | undefined): void {
    const r = this.r;
    const type = decodedType(r, node);
    // A null value decodes as the field being absent (omitempty pointers and lists).
    if (type === 'null' && shape.t !== 'any') return;
    const here = spanOr(r, r.resolve(node), at);
    switch (shape.t) {
      case 'any':
        return;
      case 'string': {
        if (type !== 'string') return this.typeError(path, here, node, 'string');
        const value = r.text(node) ?? '';
        if (shape.enum && !shape.enum.includes(value)) {
          const near = closest(value, shape.enum) ?? shape.enum.find((e) => e.toLowerCase() === value.toLowerCase());
          const hint =
            this.kind === 'ClusterNetworkPolicy' && value === 'Allow'
              ? 'ClusterNetworkPolicy (v1alpha2) calls it Accept: write action: Accept.'
              : this.kind === 'BaselineAdminNetworkPolicy' && value === 'Pass'
                ? 'The baseline policy is the last tier, there is nothing to pass to: write Allow or Deny.'
                : near ? `Did you mean ${near}?` : `Use one of ${shape.enum.join(', ')}.`;
          return this.reject(path, here, `${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}`, `Unsupported value: ${JSON.stringify(value)}: supported values: ${shape.enum.map((e) => JSON.stringify(e)).join(', ')}`, hint);
        }
        if (shape.maxLength !== undefined && value.length > shape.maxLength) {
          return this.reject(path, here, `The value is ${value.length} characters long, more than ${shape.maxLength}`, `Too long: may not be more than ${shape.maxLength} bytes`, 'Shorten it.');
        }
        if (shape.pattern && !shape.pattern.test(value)) {
          return this.reject(path, here, `${JSON.stringify(value)} is not a domain name`, `should match '${shape.pattern.source}'`, 'Write a domain name such as example.com or *.example.com.');
        }
        if (shape.cidr) this.checkCidr(value, path, here);
        return;
      }
      case 'integer': {
        if (type !== 'integer') return this.typeError(path, here, node, 'integer');
        const value = r.number(node) ?? 0;
        if (value < shape.minimum) return this.reject(path, here, `${value} is below the minimum ${shape.minimum}`, `Invalid value: ${value}: should be greater than or equal to ${shape.minimum}`, `Use a value from ${shape.minimum} to ${shape.maximum}.`);
        if (value > shape.maximum) return this.reject(path, here, `${value} is above the maximum ${shape.maximum}`, `Invalid value: ${value}: should be less than or equal to ${shape.maximum}`, `Use a value from ${shape.minimum} to ${shape.maximum}.`);
        return;
      }
      case 'stringMap': {
        const map = r.map(node);
        if (!map) return this.typeError(path, here, node, 'object');
        for (const pair of map.items as Pair[]) {
          const key = keyText(pair);
          const t = decodedType(r, pair.value);
          if (t !== 'string' && t !== 'null') this.typeError(`${path}.${key ?? ''}`, spanOr(r, r.resolve(pair.value), pair.key), pair.value, 'string');
        }
        return;
      }
      case 'list': {
        const seq = r.seq(node);
        if (!seq) return this.typeError(path, here, node, 'array');
        const n = seq.items.length;
        const listSpan = spanOr(r, at, here);
        if (shape.maxItems !== undefined && n > shape.maxItems) {
          this.reject(path, listSpan, `${n} items, more than ${shape.maxItems}`, `Too many: ${n}: must have at most ${shape.maxItems} items`, `Split the list (at most ${shape.maxItems} items).`);
        }
        if (shape.minItems !== undefined && n < shape.minItems) {
          this.reject(path, listSpan, `The list is empty`, `Invalid value: 0: ${path} in body should have at least ${shape.minItems} items`, 'Add an item, or leave the field out.');
        }
        if (shape.set) {
          const seen = new Set<string>();
          seq.items.forEach((item, i) => {
            const t = r.text(item);
            if (t === undefined) return;
            if (seen.has(t)) this.reject(`${path}[${i}]`, r.span(r.resolve(item)), `${JSON.stringify(t)} is listed twice`, `Duplicate value: ${JSON.stringify(t)}`, 'Remove the duplicate.');
            seen.add(t);
          });
        }
        seq.items.forEach((item, i) => this.walk(item, shape.of, `${path}[${i}]`, isMap(r.resolve(item)) ? undefined : (item as Node)));
        return;
      }
      case 'object': {
        const map = r.map(node);
        if (!map) return this.typeError(path, here, node, 'object');
        const present: { key: string; pair: Pair }[] = [];
        for (const pair of map.items as Pair[]) {
          const key = keyText(pair);
          if (key === undefined) continue;
          if (!Object.prototype.hasOwnProperty.call(shape.fields, key)) {
            if (this.earlierPeer(shape, map, key, pair, path)) continue;
            this.unknownField(shape, key, pair, path);
            continue;
          }
          if (decodedType(r, pair.value) !== 'null') present.push({ key, pair });
        }
        const objSpan = spanOr(r, at, r.span(map.items[0]?.key));
        if (shape.exactlyOne) {
          const names = Object.keys(shape.fields);
          if (present.length !== 1) {
            const what = present.length === 0 ? `${capital(shape.name)} sets none of ${names.join(', ')}` : `${capital(shape.name)} sets ${present.map((p) => p.key).join(' and ')}`;
            const server = present.length === 0 ? `Invalid value: 0: ${path} in body should have at least 1 properties` : `Too many: ${present.length}: must have at most 1 items`;
            const span = present.length > 1 ? r.span(present[1].pair.key) : objSpan;
            return this.reject(path, span, what, server, `Set exactly one of ${names.join(', ')}${present.length > 1 && shape.name.endsWith('peer') ? ' (one list item per kind of peer)' : ''}.`);
          }
        }
        if (shape.minProperties !== undefined && present.length < shape.minProperties) {
          return this.reject(path, objSpan, `${capital(shape.name)} is empty`, `Invalid value: 0: ${path} in body should have at least ${shape.minProperties} properties`, 'Write destinationPort: {number: N} or {range: {start: A, end: B}}; for every port of the protocol, range: {start: 1, end: 65535}.');
        }
        for (const [name, f] of Object.entries(shape.fields)) {
          if (f.required && !present.some((p) => p.key === name)) {
            this.reject(join(path, name), objSpan, `Required field ${name} is missing`, 'Required value', requiredHint(name));
          }
        }
        for (const { key, pair } of present) this.walk(pair.value, shape.fields[key].shape, join(path, key), pair.key as Node);
        if (shape.cel) this.cel(shape.cel, map, path, objSpan);
        return;
      }
    }
  }

  private cel(rule: 'range-start-below-end' | 'no-named-port-with-ip-peers', map: YAMLMap, path: string, span: Span | undefined): void {
    const r = this.r;
    if (rule === 'range-start-below-end') {
      const start = r.number(r.get(map, 'start'));
      const end = r.number(r.get(map, 'end'));
      if (start !== undefined && end !== undefined && !(start < end)) {
        const s = start === end ? `a single port is written destinationPort: {number: ${start}}` : `swap them: start: ${end}, end: ${start}`;
        this.reject(path, r.span(r.get(map, 'end')) ?? span, `The range starts at ${start} and ends at ${end}`, 'Invalid value: "object": Start port must be less than End port', `The start must be below the end; ${s}.`);
      }
      return;
    }
    const peers = r.items(r.get(map, 'to')).map((p) => r.map(p));
    const ipPeer = peers.find((p) => r.has(p, 'networks') || r.has(p, 'nodes') || r.has(p, 'domainNames'));
    const portsKey = this.kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
    const namedKey = this.kind === 'ClusterNetworkPolicy' ? 'destinationNamedPort' : 'namedPort';
    const named = r.items(r.get(map, portsKey)).map((p) => r.map(p)).find((p) => r.has(p, namedKey));
    if (ipPeer && named) {
      this.reject(
        path,
        r.span(r.pair(named, namedKey)?.key) ?? span,
        `A ${namedKey} cannot be combined with a networks, nodes or domainNames peer in one egress rule`,
        'Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
        'Addresses outside the cluster have no named ports: move the address peers into a rule of their own with numeric ports.',
      );
    }
  }

  private checkCidr(value: string, path: string, span: Span | undefined): void {
    const parsed = parseCidr(value);
    // isCIDR is netip.ParsePrefix: host bits may be set; IPv4-mapped IPv6 is refused.
    const bad = 'error' in parsed ? parsed.error : parsed.leadingZeros ? 'leading zeros are not allowed' : /^::ffff:[0-9.]+\//i.test(value) ? 'IPv4-mapped IPv6 addresses are not allowed' : undefined;
    if (bad) this.reject(path, span, `Invalid CIDR ${JSON.stringify(value)} (${bad})`, 'Invalid value: "string": Invalid CIDR format provided', 'Write an address range such as 10.0.0.0/8.');
  }

  private typeError(path: string, span: Span | undefined, node: unknown, want: string): void {
    const got = decodedType(this.r, node);
    this.reject(path, span, `${path || 'The object'} must be ${want === 'integer' || want === 'object' || want === 'array' ? `an ${want}` : `a ${want}`}, not ${got === 'map' ? 'a map' : got === 'list' ? 'a list' : `${got === 'integer' ? 'an' : 'a'} ${got}`}`, `Invalid value: "${got}": ${path} in body must be of type ${want}`, 'Write the value as the API expects it.');
  }

  /**
   * A peer's `namespaces: {namespaceSelector: S}`: the NamespacedPeer of v0.1.0–v0.1.2
   * (kubernetes-sigs/network-policy-api, removed in v0.1.3 where `namespaces` became the
   * selector itself). Said as what it is, not as a rejection: the policy-assistant demos
   * still install the v0.1.1 CRDs. S is checked as a selector.
   */
  private earlierPeer(shape: CShape & { t: 'object' }, map: YAMLMap, key: string, pair: Pair, path: string): boolean {
    if (shape !== SELECTOR || key !== 'namespaceSelector' || this.kind === 'ClusterNetworkPolicy' || !/\.(from|to)\[\d+\]\.namespaces$/.test(path) || map.items.length !== 1) return false;
    const r = this.r;
    const full = join(path, key);
    this.out.push({
      path: full,
      span: r.span(pair.key) ?? valueSpan(r, pair),
      earlierRelease: true,
      message:
        `namespaces: {namespaceSelector: …} is the peer of the v0.1.0–v0.1.2 CRDs (policy.networking.k8s.io/v1alpha1 before v0.1.3): they accept it, and this analysis reads it as they do; ` +
        `the CRDs of v0.1.3 and later reject the ${this.kind} (${full}: strict decoding error: unknown field "${full}"). ` +
        'Which release the cluster runs is not in these manifests, and a cluster that rejects it says so when it is applied. ' +
        'If the cluster runs v0.1.3 or later (or will), write the selector itself: namespaces: {matchLabels: …}, or namespaces: {} for every namespace.',
    });
    this.walk(pair.value, SELECTOR, full, pair.key as Node);
    return true;
  }

  private unknownField(shape: CShape & { t: 'object' }, key: string, pair: Pair, path: string): void {
    const r = this.r;
    const full = join(path, key);
    const fields = Object.keys(shape.fields);
    const renamed = RENAMED_FIELDS[this.kind]?.[key];
    let hint: string;
    if (renamed && !fields.includes(key)) hint = `Did you mean ${renamed}?`;
    else if (shape === SELECTOR && REMOVED_FIELDS.has(key)) {
      hint =
        key === 'namespaceSelector'
          ? 'namespaces is itself the namespace selector since v0.1.3: write namespaces: {matchLabels: …} (with --validate=false the field is dropped and namespaces: {} selects every namespace).'
          : `${key} was removed from the API in v0.1.3 and has no replacement.`;
    } else {
      const near = closest(key, fields) ?? fields.find((f) => f.toLowerCase() === key.toLowerCase());
      hint = near ? `Did you mean ${near}?` : `${capital(shape.name)} has the fields ${fields.join(', ')}.`;
    }
    this.reject(full, r.span(pair.key) ?? valueSpan(r, pair), `Unknown field "${key}" in ${shape.name}`, `strict decoding error: unknown field "${full}"`, hint);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function requiredHint(name: string): string {
  switch (name) {
    case 'podSelector':
      return 'Add podSelector: {} for every pod of the selected namespaces.';
    case 'namespaceSelector':
      return 'Add namespaceSelector: {} for every namespace (v1alpha1 requires it).';
    case 'priority':
      return 'Add a priority from 0 to 1000 (lower values take precedence).';
    case 'tier':
      return 'Add tier: Admin (before NetworkPolicies) or tier: Baseline (after them).';
    case 'action':
      return 'Add the action the rule takes.';
    case 'subject':
      return 'Add the subject: subject: {namespaces: {}} or subject: {pods: {…}}.';
    case 'from':
    case 'to':
      return `Add ${name}: the peers the rule applies to.`;
    default:
      return `Add ${name}.`;
  }
}
