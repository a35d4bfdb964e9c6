import type { NetworkPolicy } from '../model/types';
import { perFile } from './support/model-index';
import type { WorkspaceRule } from './types';

/** At most this many other files are named in one message; the rest are counted. */
const MAX_FILES_NAMED = 3;

export const duplicatePolicyName: WorkspaceRule = {
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
      // Linear in the group: every definition is told where the others are from a
      // summary of the group (20,000 copies of one name took 25 s when each message
      // listed the others one by one).
      const summary = summarize(group);
      for (const p of group) {
        const src = p.source!;
        const r = src.reader;
        const nameNode = r.get(r.map(r.get(src.map, 'metadata')), 'name');
        const assumed = p.defaultedNamespace ? ` (no metadata.namespace: namespace "${p.namespace}" assumed)` : '';
        ctx.report({
          message: `NetworkPolicy ${key}${assumed} is also defined ${elsewhere(summary, p)}. A name identifies the object in its namespace: applying both makes the later one replace the earlier, so only one takes effect. Rename one, or merge their rules into one policy.`,
          span: r.span(nameNode),
          path: 'metadata.name',
        });
      }
    }
  },
};

interface GroupSummary {
  /** The files of the group, in workspace order, each with its definitions in document order. */
  readonly files: readonly { readonly file: string; readonly first: number; readonly members: NetworkPolicy[] }[];
  /** Each definition's file entry and its place among that file's definitions. */
  readonly place: Map<NetworkPolicy, { readonly fileIndex: number; readonly rank: number; readonly index: number }>;
}

function fileOf(p: NetworkPolicy): string {
  return p.source!.span.file;
}

function summarize(group: readonly NetworkPolicy[]): GroupSummary {
  const files: { file: string; first: number; members: NetworkPolicy[] }[] = [];
  const byFile = new Map<string, number>();
  const place = new Map<NetworkPolicy, { fileIndex: number; rank: number; index: number }>();
  group.forEach((p, index) => {
    const file = fileOf(p);
    let fi = byFile.get(file);
    if (fi === undefined) {
      fi = files.push({ file, first: index, members: [] }) - 1;
      byFile.set(file, fi);
    }
    place.set(p, { fileIndex: fi, rank: files[fi].members.push(p) - 1, index });
  });
  return { files, place };
}

/**
 * Where the other definitions are, relative to `self`, in the order they come in the
 * workspace: other files by name (at most MAX_FILES_NAMED, then a count), the same file
 * as "earlier in this file" / "later in this file".
 */
function elsewhere(summary: GroupSummary, self: NetworkPolicy): string {
  const me = summary.place.get(self)!;
  const own = summary.files[me.fileIndex];
  const parts: { at: number; text: string }[] = [];
  if (me.rank > 0) parts.push({ at: own.first, text: 'earlier in this file' });
  if (me.rank < own.members.length - 1) parts.push({ at: summary.place.get(own.members[me.rank + 1])!.index, text: 'later in this file' });
  let named = 0;
  for (let i = 0; i < summary.files.length && named < MAX_FILES_NAMED; i++) {
    if (i === me.fileIndex) continue;
    parts.push({ at: summary.files[i].first, text: `in ${summary.files[i].file}` });
    named++;
  }
  parts.sort((a, b) => a.at - b.at);
  const rest = summary.files.length - 1 - named;
  const texts = parts.map((p) => p.text);
  if (rest > 0) texts.push(`and in ${rest.toLocaleString('en-US')} more file${rest === 1 ? '' : 's'}`);
  return texts.join(', ');
}
