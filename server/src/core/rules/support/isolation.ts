import { isCollection, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { readSelector } from '../../model/extract/selector';
import type { LabelSelector, Labels, Workload } from '../../model/types';
import { parseCidr, type Cidr } from '../../base/ip';
import type { HostNetworkMode } from '../../reach/compile';
import type { Reachability } from '../../reach/engine';
import type { Span } from '../../base/span';
import type { NodeReader } from '../../yaml/nodes';
import type { PolicyAst, PolicyRuleAst } from '../../lint/policy-ast';
import { dict } from '../../base/own';

/**
 * Shared helpers of the isolation rules (segmentation/*). Kept apart from the rules so
 * each rule file holds only its own logic.
 */

/**
 * The policy's effective policyTypes read from its YAML, with the Kubernetes default
 * (SetDefaults_NetworkPolicySpec): Ingress always, plus Egress when there is at least
 * one egress rule. Same reading as the model's, so rules and reachability agree.
 */
export function effectiveTypes(ast: PolicyAst): ('Ingress' | 'Egress')[] {
  const r = ast.reader;
  const given = r.items(r.get(ast.spec, 'policyTypes')).map((n) => r.string(n));
  if (given.length === 0) return r.items(r.get(ast.spec, 'egress')).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const out: ('Ingress' | 'Egress')[] = [];
  for (const t of given) if ((t === 'Ingress' || t === 'Egress') && !out.includes(t)) out.push(t);
  return out;
}

/**
 * The rules that take effect: rules of a direction missing from the effective
 * policyTypes are ignored by Kubernetes, so what they "allow" would be a false claim.
 */
export function effectiveRules(ast: PolicyAst): readonly PolicyRuleAst[] {
  let rules = effective.get(ast);
  if (!rules) {
    const types = effectiveTypes(ast);
    rules = ast.rules().filter((rule) => types.includes(rule.direction));
    effective.set(ast, rules);
  }
  return rules;
}

/**
 * The path of a rule of the policy that admits every peer on every port in a direction (the
 * explicit allow-all `- {}`), if it has one: beside it, what another rule of that direction
 * admits or misses changes nothing (OLM's collect-profiles: `- {}` below a rule whose peers
 * are mis-written). The caller says so, at info.
 */
export function allowAllRule(ast: PolicyAst, direction: 'Ingress' | 'Egress'): string | undefined {
  const r = ast.reader;
  for (const rule of effectiveRules(ast)) {
    if (rule.direction !== direction || !rule.node || rule.node.items.length > 0) continue;
    // `{}` (no from/to, no ports): every source or destination, every port.
    if (r.map(rule.node)) return rule.path;
  }
  return undefined;
}

/** The sentence a finding on a rule adds when an allow-all rule of the same direction makes it moot (see allowAllRule). */
export function mootBy(allowAll: string | undefined): string {
  return allowAll === undefined ? '' : ` This changes nothing today: the policy's rule ${allowAll} ({}) admits every peer on every port in this direction.`;
}

/** effectiveRules per policy: several rules ask, and the YAML of an object does not change. */
const effective = new WeakMap<PolicyAst, readonly PolicyRuleAst[]>();

/** readSelector, once per YAML node (the nodes of a document do not change). */
export function selectorOf(r: NodeReader, node: Node): LabelSelector {
  let sel = selectors.get(node);
  if (!sel) selectors.set(node, (sel = readSelector(r, node)));
  return sel;
}

const selectors = new WeakMap<Node, LabelSelector>();

export function peersKeyOf(direction: 'Ingress' | 'Egress'): 'from' | 'to' {
  return direction === 'Ingress' ? 'from' : 'to';
}

export function hostNetworkMode(reach: Reachability): HostNetworkMode {
  return reach.options.hostNetwork ?? 'node';
}

export function workloadLabel(w: Workload): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

/** "a, b, c and 4 more": long lists of names stay readable in a diagnostic. */
export function summarize(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Where a workload is named: its metadata.name, or for Pods shown as their controller
 * owner, the owner reference's name (the name the finding talks about).
 */
export function workloadNameLocation(w: Workload): { span: Span | undefined; path: string } {
  const src = w.sources[0];
  if (!src) return { span: w.span, path: 'metadata.name' };
  const r = src.reader;
  const metadata = r.map(r.get(src.map, 'metadata'));
  if (src.kind === 'Pod' && w.kind !== 'Pod') {
    const refs = r.items(r.get(metadata, 'ownerReferences'));
    for (let i = 0; i < refs.length; i++) {
      const ref = r.map(refs[i]);
      if (r.boolean(r.get(ref, 'controller')) === true && r.text(r.get(ref, 'name')) === w.name) {
        return { span: valueOrKeySpan(r, r.pair(ref, 'name')), path: `metadata.ownerReferences[${i}].name` };
      }
    }
  }
  const name = r.pair(metadata, 'name');
  return { span: valueOrKeySpan(r, name) ?? r.span(r.pair(src.map, 'metadata')?.key), path: 'metadata.name' };
}

/** A pair's value span, or its key's when the value is empty (`name:` with nothing). */
export function valueOrKeySpan(r: NodeReader, pair: Pair | undefined): Span | undefined {
  if (!pair) return undefined;
  const v = r.resolve(pair.value);
  const span = v ? r.span(v) : undefined;
  return span && span.end > span.start ? span : r.span(pair.key);
}

/**
 * Where to point at a selector (or any value): the value itself when it is written on
 * one line (`{}`, `{matchLabels: {app: web}}`), else its key — a block mapping spans
 * several lines, and its range runs on to the next line.
 */
export function valueSpan(r: NodeReader, pair: Pair | undefined): Span | undefined {
  if (!pair) return undefined;
  const v = r.resolve(pair.value);
  if (!v || (isCollection(v) && !v.flow)) return r.span(pair.key);
  return valueOrKeySpan(r, pair);
}

/** Key/value labels as `a=1, b=2`. */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels);
  return keys.length === 0 ? '(no labels)' : keys.map((k) => `${k}=${labels[k]}`).join(', ');
}

/** A selector in words: `app=web, tier in (a, b), !debug`. */
export function formatSelector(sel: LabelSelector): string {
  const parts = Object.keys(sel.matchLabels).map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions) {
    if (e.operator === 'In') parts.push(`${e.key} in (${e.values.join(', ')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${e.values.join(', ')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length === 0 ? '(everything)' : parts.join(', ');
}

const PLAIN = /^[A-Za-z0-9_./-]+$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/** A plain JS value as one-line YAML flow text, for copy-pasteable suggestions. */
export function flowYaml(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${flowScalar(k)}: ${flowYaml(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return flowScalar(value);
  return String(value);
}

function flowScalar(s: string): string {
  // Quote what YAML would read as another type (numbers, booleans, null) or cannot be plain.
  const numeric = /^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) || /^0[xo]/i.test(s);
  return PLAIN.test(s) && !YAML_WORDS.test(s) && !numeric ? s : JSON.stringify(s);
}

/** A YAML node as a plain JS value (aliases resolved), for flowYaml. */
export function nodeValue(r: NodeReader, node: unknown): unknown {
  const n = r.resolve(node);
  if (isMap(n)) {
    const out = dict<unknown>();
    for (const item of n.items) out[r.text(item.key) ?? String(r.scalar(item.key)?.value ?? '')] = nodeValue(r, item.value);
    return out;
  }
  if (isSeq(n)) return n.items.map((i) => nodeValue(r, i));
  if (isScalar(n)) return n.value;
  return null;
}

/** The keys of a mapping as plain strings. */
export function keysOf(r: NodeReader, map: YAMLMap): string[] {
  return map.items.map((i) => r.text(i.key) ?? '');
}

/**
 * A peer's ipBlock when its cidr parses: the cidr's text and node (to report on), the
 * cidr, and the excepts that parse (an invalid one is invalid-cidr's finding).
 */
export function parsedIpBlock(r: NodeReader, peer: YAMLMap): { block: YAMLMap; text: string; node: Node | undefined; cidr: Cidr; excepts: Cidr[] } | undefined {
  const block = r.map(r.get(peer, 'ipBlock'));
  const cidrPair = r.pair(block, 'cidr');
  const text = r.text(cidrPair?.value);
  if (!block || !cidrPair || text === undefined) return undefined;
  const cidr = parseCidr(text);
  if ('error' in cidr) return undefined;
  const excepts = r
    .items(r.get(block, 'except'))
    .map((n) => parseCidr(r.text(n) ?? ''))
    .filter((c): c is Cidr => !('error' in c));
  return { block, text, node: r.resolve(cidrPair.value), cidr, excepts };
}
