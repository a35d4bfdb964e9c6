import type { NetworkPolicy } from '../../model/types';
import { perFile } from '../model-index';
import type { Rule } from '../types';

export const duplicatePolicyName: Rule = {
  meta: {
    id: 'duplicate-policy-name',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'Two NetworkPolicies with the same name in one namespace: applying both makes the later replace the earlier.',
  },
  check(ctx) {
    // Per file, its named policies with their keys (cached: only edited files are read
    // again); a name alone is the common case, so lists only for names seen twice.
    const named = perFile(ctx.analysis, 'duplicate-policy-name', (policies) =>
      policies.filter((p) => p.name && p.source).map((p) => ({ key: `${p.namespace}/${p.name}`, policy: p })),
    );
    const groups = new Map<string, NetworkPolicy | NetworkPolicy[]>();
    for (const list of named) {
      for (const { key, policy: p } of list) {
        const seen = groups.get(key);
        if (seen === undefined) groups.set(key, p);
        else if (Array.isArray(seen)) seen.push(p);
        else groups.set(key, [seen, p]);
      }
    }
    for (const [key, group] of groups) {
      if (!Array.isArray(group)) continue;
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
