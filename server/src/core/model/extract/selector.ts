import type { LabelSelector, SelectorOperator, SelectorRequirement } from '../types';
import type { NodeReader } from '../../yaml/nodes';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Reads a LabelSelector. `null` or `{}` is the empty selector (everything). Anything the
 * API server would reject (unknown operator, In without values) makes it `valid: false`,
 * which matches nothing: such a policy never reaches the cluster.
 */
export function readSelector(r: NodeReader, node: unknown): LabelSelector {
  const map = r.map(node);
  const span = r.span(r.resolve(node));
  if (!map) {
    // `podSelector:` with no value is null, which decodes as the empty selector.
    const isNull = r.resolve(node) === undefined || r.scalar(node)?.value === null;
    return { matchLabels: {}, matchExpressions: [], valid: isNull, span };
  }
  let valid = true;
  const matchLabels = r.stringMap(r.get(map, 'matchLabels'));
  const matchExpressions: SelectorRequirement[] = [];
  for (const item of r.items(r.get(map, 'matchExpressions'))) {
    const m = r.map(item);
    const key = r.text(r.get(m, 'key'));
    const operator = r.string(r.get(m, 'operator')) as SelectorOperator | undefined;
    const values = r.items(r.get(m, 'values')).map((v) => r.text(v) ?? '');
    if (key === undefined || operator === undefined || !OPERATORS.includes(operator)) {
      valid = false;
      continue;
    }
    const needsValues = operator === 'In' || operator === 'NotIn';
    if (needsValues !== values.length > 0) valid = false;
    matchExpressions.push({ key, operator, values });
  }
  return { matchLabels, matchExpressions, valid, span };
}
