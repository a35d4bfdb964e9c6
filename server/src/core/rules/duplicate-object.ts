import type { LoadedFile, ManifestObject } from '../manifest/types';
import { bundleOf, compareApplyOrder, deployedApart, deployedTogether, foldersWithKustomization, identityOf } from '../model/bundles';
import { isClusterScoped } from '../manifest/kustomize';
import { BASELINE_NAME, clusterKindOf } from '../k8s/cluster-schema';
import { isKustomizationFile } from '../manifest/kustomized';
import type { RuleContext, WorkspaceRule } from './types';

/** Per file, its named objects with their kind and written namespace (NetworkPolicies are duplicate-policy-name's). */
const namedOf = new WeakMap<LoadedFile, readonly ManifestObject[]>();

function named(file: LoadedFile): readonly ManifestObject[] {
  let list = namedOf.get(file);
  // (A strategic merge patch, `$patch: delete` or `replace`, names the object it patches: not a definition.)
  if (!list) namedOf.set(file, (list = file.objects.filter((o) => o.kind !== 'NetworkPolicy' && identityOf(o).name !== '' && identityOf(o).patch !== true)));
  return list;
}

/** Per file, the identity key of each named object (kind, namespace, name), for one default namespace. */
const keysCache = new WeakMap<LoadedFile, { readonly defaultNamespace: string; readonly keys: readonly string[] }>();

/**
 * The keys of a file's named objects: an edit of one document regroups the workspace's
 * objects by keys made once per file (the same strings, whose hashes are kept), not anew.
 */
function keysOf(file: LoadedFile, defaultNamespace: string): readonly string[] {
  const hit = keysCache.get(file);
  if (hit && hit.defaultNamespace === defaultNamespace) return hit.keys;
  const keys = named(file).map((obj) => {
    // An omitted namespace is the default one: the same object as one written there.
    // A cluster-scoped object has no namespace at all.
    const id = identityOf(obj);
    return `${obj.kind}\u0000${clusterScoped(obj) ? '' : (id.namespace ?? defaultNamespace)}\u0000${id.name}`;
  });
  keysCache.set(file, { defaultNamespace, keys });
  return keys;
}

/** Two files that share this many objects are alternative renderings of one application. */
const ALTERNATIVES = 3;

/** At most this many other places are named in one message. */
const MAX_NAMED = 3;

export const duplicateObject: WorkspaceRule = {
  meta: {
    id: 'duplicate-object',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'Two manifests define the same object (kind, namespace, name): applying both makes the later replace the earlier, while the analysis sees both (info for alternative installs, for a Namespace declared again with the same labels, and for different files that nothing deploys together).',
  },
  check(ctx) {
    // A keystroke in a policy leaves every named object where it was: the last findings
    // stand (grouping 30,000 objects costs 20 ms a keystroke otherwise).
    const files = ctx.analysis.files;
    const model = ctx.analysis.model;
    if (last && last.defaultNamespace === model.defaultNamespace && sameNamed(last.files, files, last.duplicated, model.defaultNamespace)) {
      for (const f of last.findings) ctx.report(f);
      return;
    }
    const findings: Parameters<typeof ctx.report>[0][] = [];
    const duplicated = new Set<string>();
    last = { files, defaultNamespace: model.defaultNamespace, findings, duplicated };
    checkAll(ctx, (f) => {
      findings.push(f);
      ctx.report(f);
    }, duplicated);
  },
};

/**
 * What the last check read and found (findings carry anchored spans: they follow document
 * moves), and the keys defined more than once.
 */
let last:
  | { readonly files: readonly LoadedFile[]; readonly defaultNamespace: string; readonly findings: Parameters<RuleContext['report']>[0][]; readonly duplicated: ReadonlySet<string> }
  | undefined;

/**
 * The same files (by path, in order) naming the same objects (by key, in order), where an
 * object defined more than once is the same object: an edit of a workload's labels or of a
 * Service leaves every group, and so every finding, as it was.
 */
function sameNamed(before: readonly LoadedFile[], now: readonly LoadedFile[], duplicated: ReadonlySet<string>, defaultNamespace: string): boolean {
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) {
    const a = before[i];
    const b = now[i];
    if (a === b) continue;
    // (A kustomization decides which definitions are deployed together.)
    if (a.path !== b.path || isKustomizationFile(b.path)) return false;
    const x = named(a);
    const y = named(b);
    if (x.length !== y.length) return false;
    const kx = keysOf(a, defaultNamespace);
    const ky = keysOf(b, defaultNamespace);
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j] && (kx[j] !== ky[j] || duplicated.has(ky[j]))) return false;
  }
  return true;
}

function checkAll(ctx: RuleContext, report: RuleContext['report'], duplicated: Set<string>): void {
  const model = ctx.analysis.model;
  const groups = new Map<string, ManifestObject[]>();
  const kustomized = foldersWithKustomization(ctx.analysis.files);
  for (const f of ctx.analysis.files) {
    const objects = named(f);
    const keys = keysOf(f, model.defaultNamespace);
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i];
      const g = groups.get(keys[i]);
      if (g) g.push(obj);
      else groups.set(keys[i], [obj]);
    }
  }
  // Files that share several objects are alternative renderings of one application
  // (an all-in-one file beside a quickstart): each is meant to be applied alone.
  // Compared file to file within a folder, folder to folder across folders (an all-in-one
  // file beside a folder of one file per service).
  const shared = new Map<string, number>();
  const pair = (x: ManifestObject, y: ManifestObject) => {
    const [a, b] = bundleOf(x.span.file) === bundleOf(y.span.file) ? [x.span.file, y.span.file] : [bundleOf(x.span.file), bundleOf(y.span.file)];
    return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  };
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    duplicated.add(key);
    const seen = new Set<string>();
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        if (group[i].span.file === group[j].span.file) continue;
        const k = pair(group[i], group[j]);
        if (!seen.has(k)) shared.set(k, (shared.get(k) ?? 0) + 1);
        seen.add(k);
      }
    }
  }
  for (const all of groups.values()) {
    if (all.length < 2) continue;
    for (const obj of all) {
      // Only the definitions deployed together with this one count (not another
      // kustomization's variant, not a file its folder's kustomization leaves out, not a
      // variant for another OpenShift cluster profile).
      const group = all.filter((o) => o === obj || (!deployedApart(o, obj, kustomized) && !otherProfiles(o, obj)));
      if (group.length < 2) continue;
      const alternatives = group.some((o) => o !== obj && o.span.file !== obj.span.file && (shared.get(pair(o, obj)) ?? 0) >= ALTERNATIVES);
      // A Namespace declared again with the same labels (a folder of policies re-declaring
      // the app's namespace to annotate it): whichever is applied last, the labels that
      // namespaceSelectors read are the same.
      const sameLabels = obj.kind === 'Namespace' && group.every((o) => labelsKey(o) === labelsKey(obj));
      const id = identityOf(obj);
      const others = group.filter((o) => o !== obj).map((o) => (o.span.file === obj.span.file ? (o.span.start < obj.span.start ? 'earlier in this file' : 'later in this file') : `in ${o.span.file}`));
      const places = [...new Set(others)];
      const elsewhere = places.slice(0, MAX_NAMED).join(', ') + (places.length > MAX_NAMED ? ` and in ${places.length - MAX_NAMED} more places` : '');
      // Different files that no kustomization deploys together (successive steps,
      // alternatives): which one holds rests on how they are applied.
      const together = group.some((o) => o !== obj && deployedTogether(o, obj));
      const last = group.map((o) => o.span.file).reduce((a, b) => (compareApplyOrder(a, b) >= 0 ? a : b));
      const cluster = clusterScoped(obj);
      const policy = clusterKindOf(obj.apiVersion, obj.kind);
      const ns = cluster ? '' : `${id.namespace ?? model.defaultNamespace}/`;
      const assumed = !cluster && id.namespace === undefined ? ` (namespace not set; analysed as ${model.defaultNamespace})` : '';
      const r = obj.reader;
      const nameNode = r.get(r.map(r.get(obj.map, 'metadata')), 'name');
      report({
        message:
          `${obj.kind} ${ns}${id.name}${assumed} is also defined ${elsewhere}. A kind, namespace and name identify one object: applying both makes the later replace the earlier, ` +
          (policy ? 'while this analysis applies every definition as a policy of its own. ' : `while this analysis reads both (a workload's pods get the labels and ports of every definition). `) +
          (alternatives
            ? 'The files share several objects: if they are alternative installs of one application, analyse one at a time (netpol check FILE), or exclude the others.'
            : sameLabels
              ? 'Every definition carries the same labels, so namespaceSelectors match it alike whichever is applied last; keep one definition if the rest of them (annotations) should not overwrite each other.'
              : policy === 'BaselineAdminNetworkPolicy'
                ? `A cluster has one BaselineAdminNetworkPolicy, named "${BASELINE_NAME}": merge their rules into one definition.`
                : together
                  ? 'Keep one definition, or give them different names; a partial copy meant as a kustomize patch belongs under patches:.'
                  : `Nothing here deploys them together (no kustomization lists both): applied one after the other, the last one applied holds; if the folder is applied as a whole (kubectl apply -f takes a folder's files in name order), the one in ${last} wins. Keep one definition, or give them different names.`),
        span: r.span(nameNode) ?? obj.span,
        path: 'metadata.name',
        ...(alternatives || sameLabels || !together ? { severity: 'info' as const } : {}),
      });
    }
  }
}

/**
 * Cluster-scoped for its identity: kustomize's list, and the cluster-level policy kinds
 * (their CRDs are cluster-scoped, though kustomize would give them a namespace).
 */
function clusterScoped(obj: ManifestObject): boolean {
  return isClusterScoped(obj.apiVersion, obj.kind) || clusterKindOf(obj.apiVersion, obj.kind) !== undefined;
}

/**
 * OpenShift's cluster-version operator applies a release manifest only on the cluster
 * profiles it is annotated for (`include.release.openshift.io/<profile>: "true"`; openshift/
 * enhancements, update/cluster-profiles.md): two definitions for disjoint profiles
 * (cluster-monitoring-operator's Deployment for ibm-cloud-managed beside the one for
 * self-managed-high-availability) are never applied together.
 */
const PROFILE_PREFIX = 'include.release.openshift.io/';

function profilesOf(o: ManifestObject): string[] {
  const r = o.reader;
  const annotations = r.stringMap(r.get(r.map(r.get(o.map, 'metadata')), 'annotations'));
  return Object.entries(annotations)
    .filter(([k, v]) => k.startsWith(PROFILE_PREFIX) && v.trim().toLowerCase() === 'true')
    .map(([k]) => k.slice(PROFILE_PREFIX.length));
}

function otherProfiles(a: ManifestObject, b: ManifestObject): boolean {
  const x = profilesOf(a);
  const y = profilesOf(b);
  return x.length > 0 && y.length > 0 && !x.some((p) => y.includes(p));
}

/** The labels an object writes, as a comparable key (sorted). */
function labelsKey(o: ManifestObject): string {
  const r = o.reader;
  const labels = r.map(r.get(r.map(r.get(o.map, 'metadata')), 'labels'));
  const pairs = (labels?.items ?? []).map((p) => `${r.text(p.key) ?? ''}=${r.text(p.value) ?? ''}`);
  return pairs.sort().join('\u0000');
}
