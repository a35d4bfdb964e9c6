import type { NetworkPolicy } from '../../model/types';
import type { Rule } from '../types';

export const duplicatePolicyName: Rule = {
  meta: {
    id: 'duplicate-policy-name',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'Two NetworkPolicies with the same name in one namespace: applying both makes the later replace the earlier.',
  },
  check(ctx) {
    const groups = new Map<string, NetworkPolicy[]>();
    for (const p of ctx.analysis.model.policies) {
      if (!p.name || !p.source) continue;
      const key = `${p.namespace}/${p.name}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    for (const [key, group] of groups) {
      if (group.length < 2) continue;
      for (const p of group) {
        const src = p.source!;
        const r = src.reader;
        const nameNode = r.get(r.map(r.get(src.map, 'metadata')), 'name');
        const others = group.filter((o) => o !== p).map((o) => where(o, p));
        const assumed = p.defaultedNamespace ? ` (no metadata.namespace: namespace "${p.namespace}" assumed)` : '';
        ctx.report({
          message: `NetworkPolicy ${key}${assumed} is also defined ${[...new Set(others)].join(', ')}. A name identifies the object in its namespace: applying both makes the later one replace the earlier, so only one takes effect. Rename one, or merge their rules into one policy.`,
          span: r.span(nameNode),
          path: 'metadata.name',
        });
      }
    }
  },
};

/** Where the other definition is, relative to this one. */
function where(other: NetworkPolicy, self: NetworkPolicy): string {
  const o = other.source!.span;
  const s = self.source!.span;
  if (o.file !== s.file) return `in ${o.file}`;
  return o.start < s.start ? 'earlier in this file' : 'later in this file';
}
