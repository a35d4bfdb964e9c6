import { isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { NodeReader } from '../yaml/nodes';
import { closest, editDistance, EGRESS_RULE, effectiveKeys, INGRESS_RULE, isSet, keyText, MERGE_KEY, NETWORK_POLICY, STRUCTS, type Shape, type StructShape } from '../k8s/schema';
import { own } from '../base/own';
import type { Report, Rule } from '../lint/rule';
import { propose, type FixProposal } from '../lint/fix';
import { pairOf } from '../yaml/nodes';

/**
 * Fields the NetworkPolicy types do not have. `kubectl apply` asks for strict field
 * validation by default, so the API server rejects them; with `--validate=false` they
 * are dropped without a word, which is how a misspelled `matchLabels` turns into an
 * empty selector that selects every pod. Duplicate keys are YAML errors already.
 */
/** The unknown key: its pair, the mapping that holds it and what that mapping is. */
interface Data {
  readonly map: YAMLMap;
  readonly pair: Pair;
  readonly key: string;
  readonly shape: StructShape;
}

export const unknownField: Rule<Data> = {
  meta: {
    id: 'unknown-field',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'Unknown or misspelled fields (kubectl apply rejects them; with --validate=false they are silently dropped).',
    fix: 'safe',
  },
  checkPolicy(ast, report) {
    walk(ast.reader, ast.obj.map, NETWORK_POLICY, '', undefined, report);
  },
  /**
   * A misspelled field -> the field it was meant to be, as the message's "did you mean"
   * says. Sure when there is one candidate (and it is not already in the mapping:
   * renaming would duplicate the key); ties give one uncertain fix each.
   */
  fix({ map, pair, key, shape }, ctx) {
    if (!isScalar(pair.key)) return [];
    const candidates = intended(key, shape).filter((k) => !pairOf(map, k));
    const only = candidates.length === 1;
    return candidates.flatMap((k): FixProposal[] => propose(`Rename "${key}" to "${k}"`, [ctx.editor.renameKey(pair, k)], { preferred: only, uncertain: !only }));
  },
};

/** The fields a key most likely stands for in a struct (the message's reading, with ties). */
function intended(key: string, shape: StructShape): string[] {
  if (shape === INGRESS_RULE && key === 'to') return ['from'];
  if (shape === EGRESS_RULE && key === 'from') return ['to'];
  const fields = Object.keys(shape.fields);
  const lower = key.toLowerCase();
  const same = fields.find((f) => f.toLowerCase() === lower);
  if (same) return [same];
  // A field of another level: moving it is the fix, not renaming it.
  if (STRUCTS.some((s) => s !== shape && Object.keys(s.fields).some((f) => f.toLowerCase() === lower))) return [];
  const budget = key.length <= 3 ? 1 : key.length <= 6 ? 2 : 3;
  let best = Infinity;
  let out: string[] = [];
  for (const f of fields) {
    const d = editDistance(lower, f.toLowerCase());
    if (d > budget || d > best) continue;
    if (d < best) out = [];
    best = d;
    out.push(f);
  }
  return out;
}

function walk(r: NodeReader, node: unknown, shape: Shape, path: string, parent: YAMLMap | undefined, report: Report<Data>): void {
  if (shape.kind === 'list') {
    const of = shape.of;
    if (of.kind === 'list' || of.kind === 'struct') r.seq(node)?.items.forEach((item, i) => walk(r, item, of, `${path}[${i}]`, parent, report));
    return;
  }
  if (shape.kind !== 'struct') return;
  const map = r.map(node);
  // Not a map: a decoding error that invalid-value-type reports.
  if (!map) return;
  for (const item of map.items) {
    const pair = item as Pair;
    const key = keyText(pair);
    // `<<` is a YAML merge, expanded by kubectl's YAML reader; non-scalar keys cannot become JSON.
    if (key === undefined || key === MERGE_KEY) continue;
    const field = own(shape.fields, key);
    if (field) {
      // Only lists and structs have fields inside (and need the path).
      if (field.kind === 'list' || field.kind === 'struct') walk(r, pair.value, field, path ? `${path}.${key}` : key, map, report);
      continue;
    }
    const fieldPath = path ? `${path}.${key}` : key;
    const { text, intended } = message(r, key, shape, map, parent, path);
    report({ message: text, span: r.span(pair.key), path: fieldPath, data: { map, pair, key, shape } });
    // Check what is under the misspelled key as what it was meant to be, so that fixing
    // the key does not reveal a second round of mistakes.
    const meant = intended === undefined ? undefined : own(shape.fields, intended);
    if (meant) walk(r, pair.value, meant, fieldPath, map, report);
  }
}

function message(r: NodeReader, key: string, shape: StructShape, map: YAMLMap, parent: YAMLMap | undefined, path: string): { text: string; intended?: string } {
  const head = `Unknown field "${key}" in ${shape.where}`;
  const strict = 'kubectl apply rejects unknown fields (strict field validation)';
  let hint: string;
  let intended: string | undefined;
  if (shape === INGRESS_RULE && key === 'to') {
    intended = 'from';
    hint = ': `to` belongs to egress rules; an ingress rule lists its sources under `from`';
  } else if (shape === EGRESS_RULE && key === 'from') {
    intended = 'to';
    hint = ': `from` belongs to ingress rules; an egress rule lists its destinations under `to`';
  } else {
    const fields = Object.keys(shape.fields);
    const sameLetters = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    // A field of another level (`port` directly in a rule) says more than a near miss here.
    const misplaced = sameLetters ? undefined : elsewhere(key, shape);
    intended = sameLetters ?? (misplaced ? undefined : closest(key, fields));
    if (sameLetters) hint = `: field names are case-sensitive, write ${sameLetters}`;
    else if (misplaced) hint = misplaced;
    else if (intended) hint = `: did you mean ${intended}?`;
    else hint = `: valid fields are ${fields.join(', ')}`;
  }
  const effect = intended ? consequence(r, shape, intended, map, parent, path) : undefined;
  const dropped = `with --validate=false it is silently dropped${effect ? `, and ${effect}` : ''}`;
  return { text: `${head}${hint}${hint.endsWith('?') ? '' : '.'} ${strict}; ${dropped}.`, intended };
}

/** "`podSelector` belongs in spec or a peer": a field put at the wrong level. */
function elsewhere(key: string, here: StructShape): string | undefined {
  const lower = key.toLowerCase();
  for (const match of [(f: string) => f === key, (f: string) => f.toLowerCase() === lower]) {
    const owners = STRUCTS.filter((s) => s !== here && Object.keys(s.fields).some(match));
    if (owners.length === 0) continue;
    const name = Object.keys(owners[0].fields).find(match) ?? key;
    const wheres = [...new Set(owners.map((s) => s.where))].slice(0, 2);
    return `: ${name} is a field of ${wheres.join(' or ')}, not of ${here.where}; check the indentation`;
  }
  return undefined;
}

/** What dropping the field (as `--validate=false` does) would do to the policy. */
function consequence(r: NodeReader, shape: StructShape, intended: string, map: YAMLMap, parent: YAMLMap | undefined, path: string): string | undefined {
  const keys = effectiveKeys(r, map);
  const has = (f: string) => keys.has(f);
  switch (shape.type) {
    case 'LabelSelector': {
      if (intended !== 'matchLabels' && intended !== 'matchExpressions') return undefined;
      if (has('matchLabels') || has('matchExpressions')) return 'the selector loses these requirements and selects more than intended';
      let what: string;
      if (path === 'spec.podSelector') what = "every pod in the policy's namespace: the policy applies to all of them";
      else if (path.endsWith('.namespaceSelector')) what = 'every namespace';
      else what = parent && isSet(r, effectiveKeys(r, parent).get('namespaceSelector')) ? 'every pod in the selected namespaces' : "every pod in the policy's namespace";
      return `the selector is left empty and selects ${what}`;
    }
    case 'NetworkPolicyIngressRule':
    case 'NetworkPolicyEgressRule': {
      if (has(intended)) return undefined;
      if (intended === 'ports') return 'the rule then allows every port';
      return shape === INGRESS_RULE ? 'the rule then allows traffic from every source' : 'the rule then allows traffic to every destination';
    }
    case 'NetworkPolicySpec':
      return specConsequence(r, intended, map);
    case 'NetworkPolicyPeer': {
      if (has(intended)) return undefined;
      const set = (f: string) => isSet(r, keys.get(f));
      if (!set('podSelector') && !set('namespaceSelector') && !set('ipBlock')) return 'the peer is left empty, which the API server rejects anyway';
      if (intended === 'podSelector' && set('namespaceSelector')) return 'the peer then matches every pod in the selected namespaces';
      if (intended === 'namespaceSelector' && set('podSelector')) return "the peer then matches pods of the policy's own namespace only";
      return undefined;
    }
    case 'IPBlock':
      if (intended === 'except' && !has('except')) return 'the exceptions are lost: the whole cidr is allowed';
      if (intended === 'cidr' && !has('cidr')) return 'the ipBlock has no cidr, which the API server rejects anyway';
      return undefined;
    case 'NetworkPolicyPort':
      if (has(intended)) return undefined;
      if (intended === 'port') return 'the entry then matches every port';
      if (intended === 'protocol') return 'the protocol defaults to TCP';
      return 'the range shrinks to the single port';
    case 'ObjectMeta':
      if (intended === 'namespace' && !has('namespace')) return "the policy lands in the namespace of kubectl's context instead";
      if (intended === 'name' && !has('name')) return 'the policy has no name, which the API server rejects anyway';
      return undefined;
    default:
      return undefined;
  }
}

function specConsequence(r: NodeReader, intended: string, spec: YAMLMap): string | undefined {
  const keys = effectiveKeys(r, spec);
  if (keys.has(intended)) return undefined;
  const types = r.items(keys.get('policyTypes') as Node | undefined).map((n) => r.string(n));
  const explicit = types.length > 0;
  switch (intended) {
    case 'podSelector':
      return "the policy then selects every pod in its namespace";
    case 'ingress':
      // Ingress is always among the defaulted policy types.
      return !explicit || types.includes('Ingress') ? 'its ingress rules are lost: the selected pods accept no ingress at all' : undefined;
    case 'egress':
      if (explicit) return types.includes('Egress') ? 'its egress rules are lost: the selected pods can send no egress at all' : undefined;
      return 'its egress rules are lost and, with no egress rules, Egress is not defaulted in: egress stays open';
    case 'policyTypes':
      return 'policyTypes is defaulted (Ingress, plus Egress only when there are egress rules)';
    default:
      return undefined;
  }
}
