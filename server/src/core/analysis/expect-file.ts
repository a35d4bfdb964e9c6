import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { dict } from '../base/own';
import { parseCidr, parseIp, type IpFamily } from '../base/ip';
import { PROTOCOLS, type Protocol } from '../base/ports';
import type { RuleMeta } from '../lint/rule';

/**
 * The repository's expectations file, `.netpol-expect.yaml` at the workspace root (the
 * CLI: `netpol test --expect FILE`): the flows that must stay allowed and those that must
 * stay denied, checked against the real reachability (docs/expectations.md).
 *
 *   expectations:
 *     - allow:
 *         from: shop/checkout                # a workload: ns/name, ns/name[Kind], or name
 *         to: shop/payments
 *         ports: [8443]                      # 8443, "53/UDP", {port: 53, protocol: UDP}
 *     - deny:
 *         from: {namespace: dev}             # namespace, namespaceLabels, labels (together)
 *         to: {namespace: shop, labels: {app: db}}
 *     - deny:
 *         from: shop/web
 *         to: {cidr: 0.0.0.0/0}              # addresses outside the cluster
 *
 * This file reads the text alone (what the endpoints match is the checker's,
 * expect-check.ts); what is wrong is a problem with its exact range, never a throw.
 */

export const EXPECT_FILE_NAME = '.netpol-expect.yaml';

export const invalidExpectationMeta: RuleMeta = {
  id: 'invalid-expectation',
  category: 'validation',
  defaultSeverity: 'warning',
  description: 'An entry of the expectations file (.netpol-expect.yaml) that cannot be checked: wrong shape, unknown key, bad port or CIDR, or an endpoint that matches no workload.',
};

export const expectationFailedMeta: RuleMeta = {
  id: 'expectation-failed',
  category: 'segmentation',
  defaultSeverity: 'warning',
  description: 'A flow the expectations file (.netpol-expect.yaml) says must be allowed is blocked by the policies, or one it says must be denied is allowed.',
};

export interface Range {
  readonly start: number;
  readonly end: number;
}

export type Labels = Readonly<Record<string, string>>;

/** One side of an expectation, as written. */
export type EndpointSpec =
  | { readonly type: 'workload'; readonly ref: string; readonly range: Range }
  | { readonly type: 'pods'; readonly namespace?: string; readonly namespaceLabels?: Labels; readonly labels?: Labels; readonly range: Range }
  | { readonly type: 'cidr'; readonly text: string; readonly family: IpFamily; readonly start: bigint; readonly end: bigint; readonly range: Range };

export interface ExpectedPort {
  readonly protocol: Protocol;
  readonly port: number;
  readonly range: Range;
}

export interface Expectation {
  readonly verdict: 'allow' | 'deny';
  /** Its `name`, when it has one (the test's name in JUnit and TAP). */
  readonly name?: string;
  readonly from: EndpointSpec;
  readonly to: EndpointSpec;
  /** Empty: no ports were written (allow: some connection; deny: none at all). */
  readonly ports: readonly ExpectedPort[];
  /** The `allow` or `deny` key: where a failure is shown. */
  readonly range: Range;
}

export interface ExpectationsProblem extends Range {
  readonly message: string;
}

export interface ExpectationsFile {
  readonly expectations: readonly Expectation[];
  readonly problems: readonly ExpectationsProblem[];
}

const MAX_LENGTH = 1024 * 1024;
const ENDPOINT_KEYS = ['workload', 'namespace', 'namespaceLabels', 'labels', 'cidr'];
const RULE_KEYS = ['from', 'to', 'ports'];

export function parseExpectationsFile(text: string): ExpectationsFile {
  const { expectations, problems } = readFile(text);
  // Each range is shown on one line (a block mapping's range runs to its last line).
  const clip = <R extends Range>(r: R): R => ({ ...r, end: lineEnd(text, r.start, r.end) });
  return {
    expectations: expectations.map((e) => ({ ...e, from: { ...e.from, range: clip(e.from.range) }, to: { ...e.to, range: clip(e.to.range) }, range: clip(e.range) })),
    problems: problems.map(clip),
  };
}

function readFile(text: string): ExpectationsFile {
  const problems: ExpectationsProblem[] = [];
  const expectations: Expectation[] = [];
  const at = (node: unknown, message: string) => problems.push({ message, ...rangeOf(node) });
  if (text.length > MAX_LENGTH) {
    at(undefined, `The expectations file is larger than ${MAX_LENGTH / 1024} KB: not read.`);
    return { expectations, problems };
  }
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    at(undefined, `The expectations file could not be read (${(e as Error).message}).`);
    return { expectations, problems };
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    problems.push({ message: `The expectations file is not valid YAML (${e.message.split('\n')[0]}): no expectation is checked until it is fixed.`, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) });
    return { expectations, problems };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { expectations, problems };
  const list = isMap(root) ? (root.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === 'expectations') : undefined;
  if (isMap(root)) {
    for (const p of root.items as Pair<Node, Node>[]) {
      if (!(isScalar(p.key) && p.key.value === 'expectations')) at(p.key, `Unknown key "${keyText(p.key)}" in the expectations file: ignored. The file holds one key, expectations: a list of {allow: …} or {deny: …}.`);
    }
  }
  if (!list) {
    at(root ?? undefined, 'The expectations file must be a mapping with a list under "expectations:" (each item {allow: {from, to, ports}} or {deny: …}).');
    return { expectations, problems };
  }
  if (!isSeq(list.value)) {
    at(list.value ?? list.key, 'expectations must be a list; each item {allow: {from, to, ports}} or {deny: {from, to, ports}}.');
    return { expectations, problems };
  }
  for (const item of list.value.items) {
    const e = readExpectation(item, at);
    if (e) expectations.push(e);
  }
  return { expectations, problems };
}

/** The end of a range cut at the end of its first line (trailing blanks dropped). */
function lineEnd(text: string, start: number, end: number): number {
  const nl = text.indexOf('\n', start);
  let e = nl === -1 || nl > end ? end : nl;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

type At = (node: unknown, message: string) => void;

function readExpectation(item: unknown, at: At): Expectation | undefined {
  if (!isMap(item)) {
    at(item, 'Each expectation is a mapping: {allow: {from, to, ports}} or {deny: {from, to, ports}}, with an optional name.');
    return undefined;
  }
  let name: string | undefined;
  let verdictPair: Pair<Node, Node> | undefined;
  let ok = true;
  for (const p of item.items as Pair<Node, Node>[]) {
    const key = keyText(p.key);
    if (key === 'name') {
      if (isScalar(p.value) && typeof p.value.value === 'string' && p.value.value !== '') name = p.value.value;
      else {
        at(p.value ?? p.key, 'name must be a non-empty string.');
        ok = false;
      }
    } else if (key === 'allow' || key === 'deny') {
      if (verdictPair) {
        at(p.key, 'An expectation is either allow or deny, not both: write two expectations.');
        ok = false;
      }
      verdictPair = p;
    } else {
      at(p.key, `Unknown key "${key}" in an expectation (known: allow, deny, name).`);
      ok = false;
    }
  }
  if (!verdictPair) {
    at(item, 'An expectation needs allow: or deny: with {from, to, ports}.');
    return undefined;
  }
  const verdict = keyText(verdictPair.key) as 'allow' | 'deny';
  const body = verdictPair.value;
  if (!isMap(body)) {
    at(body ?? verdictPair.key, `${verdict} must be a mapping {from: …, to: …, ports: […]}.`);
    return undefined;
  }
  let from: EndpointSpec | undefined;
  let to: EndpointSpec | undefined;
  let ports: ExpectedPort[] = [];
  for (const p of body.items as Pair<Node, Node>[]) {
    const key = keyText(p.key);
    if (key === 'from') from = readEndpoint(p.value, 'from', at);
    else if (key === 'to') to = readEndpoint(p.value, 'to', at);
    else if (key === 'ports') {
      const read = readPorts(p.value ?? p.key, at);
      if (read) ports = read;
      else ok = false;
    } else {
      at(p.key, `Unknown key "${key}" under ${verdict} (known: ${RULE_KEYS.join(', ')}).`);
      ok = false;
    }
  }
  if (!from && !body.items.some((p) => keyText(p.key) === 'from')) at(verdictPair.key, `${verdict} needs from: (a workload ns/name, {namespace: …}, {labels: …} or {cidr: …}).`);
  if (!to && !body.items.some((p) => keyText(p.key) === 'to')) at(verdictPair.key, `${verdict} needs to: (a workload ns/name, {namespace: …}, {labels: …} or {cidr: …}).`);
  if (!from || !to || !ok) return undefined;
  if (from.type === 'cidr' && to.type === 'cidr') {
    at(verdictPair.key, 'from and to are both addresses: no NetworkPolicy applies between two addresses outside the cluster; one side must be pods.');
    return undefined;
  }
  return { verdict, ...(name !== undefined ? { name } : {}), from, to, ports, range: rangeOf(verdictPair.key) };
}

function readEndpoint(node: unknown, side: string, at: At): EndpointSpec | undefined {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') {
    if (!/^(?:[^/[\]\s]+\/)?[^/[\]\s]+(?:\[[A-Za-z]+\])?$/.test(node.value.trim())) {
      at(node, `${side}: "${node.value}" is not a workload reference: write ns/name, ns/name[Kind] or name (the default namespace), or a mapping {namespace: …, labels: …} or {cidr: …}.`);
      return undefined;
    }
    return { type: 'workload', ref: node.value.trim(), range: rangeOf(node) };
  }
  if (!isMap(node)) {
    at(node, `${side} must be a workload (ns/name) or a mapping with workload, namespace, namespaceLabels, labels or cidr.`);
    return undefined;
  }
  const fields = dict<Node>();
  let ok = true;
  for (const p of node.items as Pair<Node, Node>[]) {
    const key = keyText(p.key);
    if (!ENDPOINT_KEYS.includes(key)) {
      at(p.key, `Unknown key "${key}" in ${side} (known: ${ENDPOINT_KEYS.join(', ')}).`);
      ok = false;
    } else fields[key] = (p.value ?? p.key) as Node;
  }
  if (!ok) return undefined;
  const keys = Object.keys(fields);
  if (keys.length === 0) {
    at(node, `${side} is empty: name a workload, a namespace, labels or a cidr (to mean every pod, write {labels: {}}).`);
    return undefined;
  }
  if (fields.cidr !== undefined || fields.workload !== undefined) {
    const key = fields.cidr !== undefined ? 'cidr' : 'workload';
    if (keys.length > 1) {
      at(node, `${side}: ${key} stands alone; namespace, namespaceLabels and labels select pods and cannot be combined with it.`);
      return undefined;
    }
    const v = fields[key];
    if (key === 'workload') {
      if (!isScalar(v) || typeof v.value !== 'string') {
        at(v, `${side}.workload must be a workload reference: ns/name, ns/name[Kind] or name.`);
        return undefined;
      }
      const w = readEndpoint(v, side, at);
      return w && { ...w, range: rangeOf(node) };
    }
    if (!isScalar(v) || typeof v.value !== 'string') {
      at(v, `${side}.cidr must be a CIDR such as 10.0.0.0/8 (or one address).`);
      return undefined;
    }
    const ip = parseIp(v.value);
    const cidr = ip ? undefined : parseCidr(v.value);
    if (cidr && 'error' in cidr) {
      at(v, `${side}.cidr: ${cidr.error}.`);
      return undefined;
    }
    const family = ip ? ip.family : (cidr as { family: IpFamily }).family;
    const [start, end] = ip ? [ip.value, ip.value] : [(cidr as { start: bigint }).start, (cidr as { end: bigint }).end];
    return { type: 'cidr', text: v.value, family, start, end, range: rangeOf(node) };
  }
  let namespace: string | undefined;
  if (fields.namespace !== undefined) {
    const v = fields.namespace;
    if (!isScalar(v) || typeof v.value !== 'string' || v.value === '') {
      at(v, `${side}.namespace must be a namespace name.`);
      return undefined;
    }
    namespace = v.value;
  }
  const namespaceLabels = fields.namespaceLabels !== undefined ? readLabels(fields.namespaceLabels, `${side}.namespaceLabels`, at) : undefined;
  const labels = fields.labels !== undefined ? readLabels(fields.labels, `${side}.labels`, at) : undefined;
  if ((fields.namespaceLabels !== undefined && !namespaceLabels) || (fields.labels !== undefined && !labels)) return undefined;
  return { type: 'pods', ...(namespace !== undefined ? { namespace } : {}), ...(namespaceLabels ? { namespaceLabels } : {}), ...(labels ? { labels } : {}), range: rangeOf(node) };
}

function readLabels(node: unknown, what: string, at: At): Labels | undefined {
  if (!isMap(node)) {
    at(node, `${what} must be a mapping of label keys to values.`);
    return undefined;
  }
  const out = dict<string>();
  for (const p of (node as YAMLMap).items as Pair<Node, Node>[]) {
    const v = isScalar(p.value) && ['string', 'number', 'boolean'].includes(typeof p.value.value) ? String(p.value.value) : undefined;
    if (v === undefined) {
      at(p.value ?? p.key, `${what}: the value of "${keyText(p.key)}" must be a string.`);
      return undefined;
    }
    out[keyText(p.key)] = v;
  }
  return out;
}

/** `ports: [8443, "53/UDP", {port: 53, protocol: UDP}]`; undefined when one is wrong (reported). */
function readPorts(node: unknown, at: At): ExpectedPort[] | undefined {
  if (!isSeq(node)) {
    at(node, 'ports must be a list: [8443], ["53/UDP"] or [{port: 53, protocol: UDP}].');
    return undefined;
  }
  const out: ExpectedPort[] = [];
  let ok = true;
  for (const item of node.items) {
    const p = readPort(item, at);
    if (p) out.push(p);
    else ok = false;
  }
  return ok ? out : undefined;
}

function readPort(item: unknown, at: At): ExpectedPort | undefined {
  let port: unknown;
  let protocol: unknown = 'TCP';
  let portNode: unknown = item;
  let protocolNode: unknown = item;
  if (isScalar(item)) {
    const v = item.value;
    if (typeof v === 'number') port = v;
    else if (typeof v === 'string') {
      const m = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(v.trim());
      if (!m) {
        at(item, `Port "${v}" is not a port: write a number (8443), "53/UDP" or {port: 53, protocol: UDP}. Named ports are not accepted here: which number a name means differs per pod.`);
        return undefined;
      }
      port = Number(m[1]);
      protocol = m[2] ?? 'TCP';
    }
  } else if (isMap(item)) {
    for (const p of item.items as Pair<Node, Node>[]) {
      const key = keyText(p.key);
      if (key === 'port') {
        portNode = p.value;
        port = isScalar(p.value) ? p.value.value : undefined;
      } else if (key === 'protocol') {
        protocolNode = p.value;
        protocol = isScalar(p.value) ? p.value.value : undefined;
      } else {
        at(p.key, `Unknown key "${key}" in a port (known: port, protocol).`);
        return undefined;
      }
    }
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    at(portNode, 'A port is a number from 1 to 65535.');
    return undefined;
  }
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
    at(protocolNode, `The protocol must be one of ${PROTOCOLS.join(', ')} (upper case, as Kubernetes writes it).`);
    return undefined;
  }
  return { port, protocol: protocol as Protocol, range: rangeOf(item) };
}

function keyText(node: unknown): string {
  return isScalar(node) ? String(node.value) : '?';
}

function rangeOf(node: unknown): Range {
  const r = (node as Node | undefined)?.range;
  return { start: r?.[0] ?? 0, end: r?.[1] ?? 0 };
}
