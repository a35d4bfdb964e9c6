import type { NetworkPolicy } from '../model/types';
import { bundleOf, compareApplyOrder, foldersWithKustomization } from '../model/bundles';
import { perFile } from './support/model-index';
import type { RuleContext, WorkspaceRule } from './types';
import type { LoadedFile } from '../manifest/types';
import { isKustomizationFile } from '../manifest/kustomized';

/** At most this many other files are named in one message; the rest are counted. */
const MAX_FILES_NAMED = 3;

export const duplicatePolicyName: WorkspaceRule = {
  meta: {
    id: 'duplicate-policy-name',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description:
      'Two NetworkPolicies with the same name in one namespace: applying both makes the later replace the earlier (info when nothing deploys them together: different files that no kustomization lists both of).',
  },
  check(ctx) {
    // Per file, its named policies with their keys (cached: only edited files are read
    // again); a name alone is the common case, so lists only for names seen twice.
    const named = perFile(ctx.analysis, 'duplicate-policy-name', (policies) =>
      policies.filter((p) => p.name && p.source).map((p) => ({ key: `${p.namespace}/${p.name}`, policy: p })),
    );
    // A keystroke in a policy that keeps every file's names, where no policy defined twice
    // changed: the last findings stand (grouping 20,000 names costs a few ms a keystroke).
    const files = ctx.analysis.files;
    if (last && sameNames(last, named, files)) {
      for (const f of last.findings) ctx.report(f);
      return;
    }
    const findings: Parameters<typeof ctx.report>[0][] = [];
    const duplicated = new Set<string>();
    last = { named, paths: files.map((f) => f.path), duplicated, findings };
    const report = (f: Parameters<typeof ctx.report>[0]) => {
      findings.push(f);
      ctx.report(f);
    };
    const groups = new Map<string, NetworkPolicy | NetworkPolicy[]>();
    for (const list of named) {
      for (const { key, policy: p } of list) {
        const seen = groups.get(key);
        if (seen === undefined) groups.set(key, p);
        else if (Array.isArray(seen)) seen.push(p);
        else groups.set(key, [seen, p]);
      }
    }
    let kustomized: ReadonlySet<string> | undefined;
    for (const [key, group] of groups) {
      if (!Array.isArray(group)) continue;
      duplicated.add(key);
      // Linear in the group: every definition is told where the others are from a
      // summary of the group (20,000 copies of one name took 25 s when each message
      // listed the others one by one).
      const summary = summarize(group);
      const deployment = deploymentOf(group, (kustomized ??= foldersWithKustomization(ctx.analysis.files)));
      for (const p of group) {
        const how = deployment(p, summary);
        if (how === 'apart') continue;
        const src = p.source!;
        const r = src.reader;
        const nameNode = r.get(r.map(r.get(src.map, 'metadata')), 'name');
        const assumed = p.defaultedNamespace ? ` (no metadata.namespace: namespace "${p.namespace}" assumed)` : '';
        const where = `NetworkPolicy ${key}${assumed} is also defined ${elsewhere(summary, p)}.`;
        if (how === 'together') {
          report({
            message: `${where} A name identifies the object in its namespace: applying both makes the later one replace the earlier, so only one takes effect. Rename one, or merge their rules into one policy.`,
            span: r.span(nameNode),
            path: 'metadata.name',
          });
          continue;
        }
        // Different files that nothing here deploys together (no kustomization lists both):
        // successive steps of a lab, alternatives. Which one holds rests on how they are
        // applied, which the files do not say.
        const last = summary.files.map((f) => f.file).reduce((a, b) => (compareApplyOrder(a, b) >= 0 ? a : b));
        report({
          message:
            `${where} Nothing here deploys them together (no kustomization lists both), so which one holds rests on how they are applied: applied one after the other (successive steps, alternatives), the last one applied replaces the others; ` +
            `if the folder is applied as a whole (kubectl apply -f takes a folder's files in name order), the one in ${last} wins. If both should hold, rename one, or merge their rules into one policy.`,
          span: r.span(nameNode),
          path: 'metadata.name',
          severity: 'info',
        });
      }
    }
  },
};

/** The last check's per-file names (the perFile arrays), file paths, names defined twice and findings. */
let last:
  | {
      readonly named: readonly (readonly { readonly key: string; readonly policy: NetworkPolicy }[])[];
      readonly paths: readonly string[];
      readonly duplicated: ReadonlySet<string>;
      readonly findings: Parameters<RuleContext['report']>[0][];
    }
  | undefined;

/**
 * The same files (by path, in order, no kustomization among the changed ones) naming the
 * same policies by key, where no policy defined twice is another object: the groups, and so
 * the findings, are the same.
 */
function sameNames(before: NonNullable<typeof last>, named: readonly (readonly { readonly key: string; readonly policy: NetworkPolicy }[])[], files: readonly LoadedFile[]): boolean {
  if (before.named.length !== named.length) return false;
  for (let i = 0; i < named.length; i++) {
    const a = before.named[i];
    const b = named[i];
    if (a === b) continue;
    if (before.paths[i] !== files[i].path || isKustomizationFile(files[i].path) || a.length !== b.length) return false;
    for (let j = 0; j < b.length; j++) if (a[j].key !== b[j].key || (a[j].policy !== b[j].policy && before.duplicated.has(b[j].key))) return false;
  }
  return true;
}

/**
 * How each definition of a group is deployed with the others, in time linear in the group:
 * `together` when another is in the same file or a kustomization deploys both, `apart` when
 * every other one is never applied with it (another kustomization's variant, a file its
 * folder's kustomization leaves out: model/bundles.ts deployedApart), `unknown` otherwise.
 */
function deploymentOf(group: readonly NetworkPolicy[], kustomized: ReadonlySet<string>): (p: NetworkPolicy, summary: GroupSummary) => 'together' | 'apart' | 'unknown' {
  const roots = new Map<string, number>();
  let plain = 0;
  let unlisted = 0;
  const rootsOf = (p: NetworkPolicy): string[] => {
    const k = p.source!.kustomize;
    return k ? [k.variant.root, ...k.alsoIn] : [];
  };
  const isUnlisted = (p: NetworkPolicy): boolean => !p.source!.kustomize && kustomized.has(bundleOf(fileOf(p)));
  for (const p of group) {
    if (p.source!.kustomize) for (const r of new Set(rootsOf(p))) roots.set(r, (roots.get(r) ?? 0) + 1);
    else if (isUnlisted(p)) unlisted++;
    else plain++;
  }
  return (p, summary) => {
    const me = summary.place.get(p)!;
    const shared = rootsOf(p).some((r) => (roots.get(r) ?? 0) >= 2);
    if (summary.files[me.fileIndex].members.length > 1 || shared) return 'together';
    // A kustomized definition meets the plain ones (folders without a kustomization);
    // one its folder's kustomization leaves out meets every other not kustomized.
    if (p.source!.kustomize) return plain > 0 ? 'unknown' : 'apart';
    if (isUnlisted(p)) return plain + unlisted > 1 ? 'unknown' : 'apart';
    return 'unknown';
  };
}

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
