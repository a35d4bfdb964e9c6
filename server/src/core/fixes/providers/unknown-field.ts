import { isScalar } from 'yaml';
import { editDistance, EGRESS_RULE, INGRESS_RULE, NETWORK_POLICY, STRUCTS, type Shape, type StructShape } from '../../k8s/schema';
import { asMap, fix, pairOf, target } from '../support';
import type { Fix, FixProvider } from '../types';
import { own } from '../../base/own';

/**
 * A misspelled field -> the field it was meant to be, as the rule's "did you mean"
 * says. Safe when there is one candidate (and it is not already in the mapping:
 * renaming would duplicate the key); ties give one non-preferred fix each.
 */
export const unknownFieldFix: FixProvider = {
  rule: 'unknown-field',
  fixesFor(finding, ctx) {
    const at = target(ctx, finding);
    const map = asMap(at?.parent);
    if (!at?.pair || !map || at.key === undefined || !isScalar(at.pair.key)) return [];
    // The shape of the mapping holding the key: walk the schema along the path.
    let shape: Shape = NETWORK_POLICY;
    for (const s of ctx.steps.slice(0, -1)) {
      if (s.index !== undefined) {
        if (shape.kind !== 'list') return [];
        shape = shape.of;
        continue;
      }
      if (shape.kind !== 'struct' || s.key === undefined) return [];
      const field: Shape | undefined = own(shape.fields, s.key) ?? intended(s.key, shape).map((k) => own((shape as StructShape).fields, k))[0];
      if (!field) return [];
      shape = field;
    }
    if (shape.kind !== 'struct') return [];
    const candidates = intended(at.key, shape).filter((k) => !pairOf(map, k));
    const only = candidates.length === 1;
    return candidates.flatMap((k): Fix[] =>
      fix(`Rename "${at.key}" to "${k}"`, [ctx.editor.renameKey(at.pair!, k)], { preferred: only, safe: only }),
    );
  },
};

/** The fields a key most likely stands for in a struct (the rule's reading, with ties). */
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
