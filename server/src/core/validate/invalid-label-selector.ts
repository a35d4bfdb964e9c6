import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { labelValue, qualifiedName } from '../k8s/names';
import type { NodeReader } from '../yaml/nodes';
import type { Report, Rule } from '../lint/rule';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export const invalidLabelSelector: Rule = {
  meta: {
    id: 'invalid-label-selector',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'Label selectors: valid label keys and values; operators In, NotIn (with values), Exists, DoesNotExist (without).',
  },
  checkPolicy(ast, report) {
    for (const sel of ast.selectors()) checkSelector(report, ast.reader, sel.node, sel.path);
  },
};

function checkSelector(report: Report, r: NodeReader, node: Node, path: string): void {
  if (!isMap(node)) return;
  const matchLabels = r.map(r.get(node, 'matchLabels'));
  for (const item of matchLabels?.items ?? []) {
    const key = r.keyString(item) ?? '';
    for (const m of qualifiedName(key)) report({ message: `Invalid label key "${key}": ${m}.`, span: r.span(item.key), path: `${path}.matchLabels.${key}` });
    const value = r.scalar(item.value);
    const text = value?.value === null || value === undefined ? '' : String(value.source ?? value.value);
    for (const m of labelValue(text)) report({ message: `Invalid label value "${text}" for ${key}: ${m}.`, span: r.span(r.resolve(item.value)) ?? r.span(item.key), path: `${path}.matchLabels.${key}` });
  }
  const exprs = r.seq(r.get(node, 'matchExpressions'));
  exprs?.items.forEach((item, i) => {
    const expr = r.map(item);
    const base = `${path}.matchExpressions[${i}]`;
    if (!expr) return;
    const keyPair = r.pair(expr, 'key');
    const key = keyPair ? r.text(keyPair.value) : undefined;
    if (key === undefined) report({ message: 'A selector requirement needs a key.', span: r.span(expr), path: `${base}.key` });
    else for (const m of qualifiedName(key)) report({ message: `Invalid label key "${key}": ${m}.`, span: r.span(r.resolve(keyPair?.value)), path: `${base}.key` });
    const opPair = r.pair(expr, 'operator');
    const op = opPair ? r.string(opPair.value) : undefined;
    const valuesPair = r.pair(expr, 'values');
    const valuesNode = valuesPair ? r.resolve(valuesPair.value) : undefined;
    const values = isSeq(valuesNode) ? valuesNode.items : [];
    if (op === undefined || !OPERATORS.includes(op)) {
      const near = OPERATORS.find((o) => o.toLowerCase() === (op ?? '').toLowerCase());
      const hint = near ? ` Operators are case-sensitive: write ${near}.` : ' Use In, NotIn, Exists or DoesNotExist.';
      report({ message: `"${op ?? ''}" is not a valid label selector operator.${hint}`, span: r.span(r.resolve(opPair?.value)) ?? r.span(expr), path: `${base}.operator` });
      return;
    }
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      report({ message: `Operator ${op} needs at least one value: add values: [...].`, span: r.span(r.resolve(opPair?.value)), path: `${base}.values` });
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      report({ message: `Operator ${op} takes no values: remove values.`, span: r.span(valuesPair?.key), path: `${base}.values` });
    }
    values.forEach((v, j) => {
      const s = r.resolve(v);
      const text = isScalar(s) ? String(s.source ?? s.value ?? '') : '';
      for (const m of labelValue(text)) report({ message: `Invalid label value "${text}": ${m}.`, span: r.span(s), path: `${base}.values[${j}]` });
    });
  });
}
