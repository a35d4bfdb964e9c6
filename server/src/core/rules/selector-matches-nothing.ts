import { isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { LabelSelector, Labels, Workload } from '../model/types';
import type { ClassTable, PodClass } from '../reach/classes';
import type { Reachability } from '../reach/engine';
import { LabelIndex, selectorMatches } from '../reach/selectors';
import { pairOf, type NodeReader } from '../yaml/nodes';
import type { Located, PolicyAst } from '../lint/policy-ast';
import { effectiveRules, formatLabels, formatSelector, hostNetworkMode, selectorOf, summarize, valueSpan, workloadLabel } from './support/isolation';
import { perWorld } from './support/world-cache';
import { hasOwn, own } from '../base/own';
import { NAMESPACE_NAME_LABEL } from '../k8s/cluster';
import { setsNamespace } from '../model/bundles';
import type { Report, Severity } from '../lint/rule';
import { propose } from '../lint/fix';
import { likelyMeant } from './support/label-typo';
import { runTimePods } from './support/run-time-pods';
import { editDistance } from './support/traffic';
import type { WorkspaceRule } from './types';

/** A matchLabels value that reads as a slip for a value workloads of the namespace carry. */
interface Typo {
  readonly key: string;
  readonly written: string;
  readonly meant: string;
}

/**
 * For the fix: the value node as written and what it likely means (a typo), or the peer
 * and the namespaces whose workloads carry its labels (a missing namespaceSelector).
 */
type Data = { readonly value: Scalar; readonly meant: string } | { readonly peer: YAMLMap; readonly namespaces: readonly string[] };

/** At most this many namespaces are offered by the namespaceSelector fix. */
const MAX_NAMESPACE_FIXES = 3;

export const selectorMatchesNothing: WorkspaceRule<Data> = {
  meta: {
    id: 'selector-matches-nothing',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description:
      'A policy podSelector (warning) or a peer selector (info; a warning when a label value is a likely typo of one the namespace\'s workloads carry) that matches no workload of the workspace where it looks (checked only where the workspace has workloads).',
    fix: 'unsafe',
  },
  checkPolicyInWorld(ast, ctx, rep) {
    const { model, reach } = ctx.analysis;
    const policy = ctx.policy;
    // A rejected policy is an error already and never reaches the cluster.
    if (model.workloads.length === 0 || !policy || policy.rejected.length > 0) return;
    const pods = perWorld(reach, 'selector-matches-nothing', () => new PodsByNamespace(reach, hostNetworkMode(reach) === 'node'));
    const r = ast.reader;
    // The selectors to judge (from the YAML alone, once per policy).
    const { hasPodSelector, peers } = ast.memo('selector-matches-nothing', selectorsToJudge);
    // The pods the policy applies to. An empty selector cannot miss, and a namespace
    // without workloads here is deployed from elsewhere: nothing to compare with.
    if (hasPodSelector && pods.has(policy.namespace) && !pods.anyMatch(policy.namespace, policy.podSelector)) {
      const custom = model.customResources.get(policy.namespace);
      const podPair = r.pair(ast.spec, 'podSelector');
      const typo = pods.typo(policy.namespace, policy.podSelector);
      // A policy that names its namespace, where the only workloads are ones that set none
      // (the Kubernetes docs' examples: each file applied on its own, wherever kubectl
      // points): which pods that namespace will hold is not in the manifests.
      const assumed = !policy.defaultedNamespace && pods.placedByDefault(policy.namespace);
      // Other manifests show pods that only run time makes: a Service for the same labels, an operator's API group.
      const runTime = typo || custom || assumed ? undefined : runTimePods(model, policy.namespace, policy.podSelector, (sel) => pods.anyMatch(policy.namespace, sel));
      // A near miss of a label the namespace's workloads carry is a slip whatever operators
      // may create: a warning even beside custom resources.
      report(rep, r, podPair, 'spec.podSelector',
        `spec.podSelector (${formatSelector(policy.podSelector)}) matches no workload in namespace ${policy.namespace}, ` +
        `${runTime ? 'so this policy applies to no pod that a pod template of this workspace makes. ' : 'so this policy applies to nothing. '}` +
        `${pods.why(policy.namespace, policy.podSelector)} ` +
        (typo
          ? `${didYouMean(typo)} Otherwise make it match the labels of the pod template.`
          : custom
            ? `Namespace ${policy.namespace} also holds custom resources this analysis does not model (${summarize(custom)}): if their operators make pods with these labels, the policy applies to them. Otherwise make it match the labels of the pod template.`
            : assumed
              ? `But the workloads analysed in ${policy.namespace} set no namespace (analysed as ${policy.namespace}, an assumption: they go wherever kubectl applies them), so which pods ${policy.namespace} holds is not in these manifests. If the pods this policy is for are deployed from here, make it match the labels of their pod template.`
              : runTime ?? 'Make it match the labels of the pod template.'),
        (custom || assumed || runTime) && !typo ? 'info' : undefined,
        typoData(r, podPair?.value, typo));
    }

    for (const { peer, podSel, nsSel, named, onlyByName } of peers) {
      if (!nsSel) {
        // A podSelector alone: pods of the policy's own namespace.
        if (!podSel || !pods.has(policy.namespace)) continue;
        const host = pods.hostOnly(policy.namespace, podSel);
        if (host && host.length > 0) {
          reportHostOnly(rep, r, peer.node, peer.path, podSel, host);
          continue;
        }
        if (host) continue;
        const podPair = r.pair(peer.node, 'podSelector');
        const typo = pods.typo(policy.namespace, podSel);
        const where = `No workload in this workspace has ${formatSelector(podSel)} in namespace ${policy.namespace}${policy.defaultedNamespace ? ' (namespace not set; analysed as ' + policy.namespace + ')' : ''}, ` +
          `the policy's own namespace, where this podSelector looks without a namespaceSelector. ${pods.why(policy.namespace, podSel)} `;
        if (typo) {
          report(rep, r, podPair, `${peer.path}.podSelector`, `${where}${didYouMean(typo)} As written, this peer matches nothing.`, undefined, typoData(r, podPair?.value, typo));
          continue;
        }
        // The labels are those of workloads in other namespaces: the peer lacks the
        // namespaceSelector that would reach them (eks-workshop's orders policy admits
        // app.kubernetes.io/name=ui, whose pods run in namespace ui), the classic slip.
        const elsewhere = pods.elsewhere(policy.namespace, podSel);
        if (elsewhere.length > 0) {
          const one = elsewhere.length === 1;
          report(rep, r, podPair, `${peer.path}.podSelector`,
            `${where}Workloads with these labels run in namespace${one ? '' : 's'} ${summarize(elsewhere)}: a podSelector without a namespaceSelector looks only in ${policy.namespace}, so this peer matches none of them. ` +
            `If they are the pods you mean, add namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${one ? elsewhere[0] : '<namespace>'}}} to this peer (the same list item, so both must match).`,
            undefined, { peer: peer.node, namespaces: elsewhere.slice(0, MAX_NAMESPACE_FIXES) });
          continue;
        }
        report(rep, r, podPair, `${peer.path}.podSelector`,
          `${where}${ELSEWHERE} Otherwise fix the labels, or add a namespaceSelector in the same peer if the pods live in another namespace.`,
          'info');
        continue;
      }
      // A selector by other labels may match namespaces that are not in the workspace;
      // only a selector that names its namespaces, all with workloads here, can be judged.
      if (!named || named.length === 0 || !named.every((n) => pods.has(n))) continue;
      const known = named.map((n) => model.namespaces.get(n));
      // Other namespace labels are known only for declared namespaces.
      if (!onlyByName && !known.every((ns) => ns?.declared)) continue;
      const targets = named.filter((_n, i) => selectorMatches(nsSel, known[i]?.labels ?? { [NAMESPACE_NAME_LABEL]: named[i] }));
      if (targets.length === 0) {
        report(rep, r, r.pair(peer.node, 'namespaceSelector'), `${peer.path}.namespaceSelector`,
          `This namespaceSelector names namespace${named.length > 1 ? 's' : ''} ${summarize(named)}, but ${named.length === 1 ? 'its labels do' : 'their labels do'} not satisfy the rest of the selector ` +
          `(${named.map((n, i) => `${n}: ${formatLabels(known[i]?.labels ?? {})}`).join('; ')}), so this peer matches nothing. Fix the selector or the Namespace labels.`);
        continue;
      }
      if (!podSel) continue;
      const found = targets.map((n) => pods.hostOnly(n, podSel));
      if (found.some((h) => h !== undefined && h.length === 0)) continue;
      const host = found.flatMap((h) => h ?? []);
      if (host.length > 0) {
        reportHostOnly(rep, r, peer.node, peer.path, podSel, host);
        continue;
      }
      const podPair = r.pair(peer.node, 'podSelector');
      const typo = targets.length === 1 ? pods.typo(targets[0], podSel) : undefined;
      const where =
        `No workload in this workspace has ${formatSelector(podSel)} in namespace${targets.length > 1 ? 's' : ''} ${summarize(targets)}, the namespace${targets.length > 1 ? 's' : ''} this peer's namespaceSelector names. ` +
        `${targets.length === 1 ? pods.why(targets[0], podSel) + ' ' : ''}`;
      if (typo) report(rep, r, podPair, `${peer.path}.podSelector`, `${where}${didYouMean(typo)} As written, this peer matches nothing.`, undefined, typoData(r, podPair?.value, typo));
      else report(rep, r, podPair, `${peer.path}.podSelector`, `${where}${ELSEWHERE} Otherwise make it match the labels of the pods you mean.`, 'info');
    }
  },
  /** Replaces the value that reads as a typo by the one the workloads carry (quoting kept). */
  fix(data, ctx) {
    if (!data) return [];
    if ('meant' in data) return propose(`Change the label value to ${data.meant}`, [ctx.editor.replaceScalar(data.value, data.meant)]);
    // The namespaceSelector goes before the podSelector: the peer then reads as it selects.
    const podPair = pairOf(data.peer, 'podSelector');
    return data.namespaces.flatMap((ns) =>
      propose(`Look for these pods in namespace ${ns} (add a namespaceSelector)`, [
        ctx.editor.insertPairs(data.peer, { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } }, podPair ? { before: podPair } : 'end'),
      ]),
    );
  },
};

/**
 * Said when a value is a near miss: a peer that matches nothing because of a slip is a
 * real problem (sock-shop's carts-db-access admits name=cart, its pods are name=carts),
 * which pods made at run time do not explain away.
 */
function didYouMean(t: Typo): string {
  const d = t.written.toLowerCase() === t.meant.toLowerCase() ? 'differs only in letter case from' : editDistance(t.written, t.meant) === 1 ? 'is one letter away from' : 'is two letters away from';
  return `${t.key}=${t.written} ${d} ${t.key}=${t.meant}, which workloads here carry: a typo? If so, change it to ${t.meant}.`;
}

/** The fix's data: the matchLabels value node of the typo, when it is a plain scalar (not an alias). */
function typoData(r: NodeReader, selectorNode: unknown, typo: Typo | undefined): Data | undefined {
  if (!typo) return undefined;
  const labels = r.map(r.get(r.map(selectorNode), 'matchLabels'));
  const value = r.pair(labels, typo.key)?.value;
  return isScalar(value) ? { value, meant: typo.meant } : undefined;
}

/** A peer with selectors, as written: the selectors read, and the namespaces its namespaceSelector names. */
interface JudgedPeer {
  readonly peer: Located<YAMLMap>;
  readonly podSel: LabelSelector | undefined;
  readonly nsSel: LabelSelector | undefined;
  readonly named: string[] | undefined;
  /** The namespaceSelector requires nothing but the automatic name label. */
  readonly onlyByName: boolean;
}

function selectorsToJudge(ast: PolicyAst): { hasPodSelector: boolean; peers: JudgedPeer[] } {
  const r = ast.reader;
  const peers: JudgedPeer[] = [];
  for (const rule of effectiveRules(ast)) {
    for (const peer of rule.peers) {
      const podNode = selectorNode(r, peer.node, 'podSelector');
      const nsNode = selectorNode(r, peer.node, 'namespaceSelector');
      if (r.has(peer.node, 'ipBlock') || (!podNode && !nsNode)) continue;
      const podSel = podNode ? selectorOf(r, podNode) : undefined;
      const nsSel = nsNode ? selectorOf(r, nsNode) : undefined;
      const onlyByName = nsSel !== undefined && Object.keys(nsSel.matchLabels).every((k) => k === NAMESPACE_NAME_LABEL) && nsSel.matchExpressions.every((e) => e.key === NAMESPACE_NAME_LABEL);
      peers.push({ peer, podSel, nsSel, named: nsSel ? pinnedNamespaces(nsSel) : undefined, onlyByName });
    }
  }
  return { hasPodSelector: Boolean(r.get(ast.spec, 'podSelector')), peers };
}

/**
 * A peer admits or reaches pods; clients and servers are often made where no manifest of
 * the workspace shows them (the Kubernetes docs' `kubectl run busybox --labels=access=true`,
 * an operator's Jobs, another repository), so a peer that matches nothing here is advice,
 * and says only what is known: no workload here has the labels. A policy that selects
 * nothing protects nothing (a warning).
 */
const ELSEWHERE =
  'Pods created at run time (kubectl run --labels, Jobs and pods made by operators or controllers) and pods deployed from another repository are not seen here: if this peer is for such pods, nothing is wrong.';

function report(rep: Report<Data>, r: NodeReader, pair: Pair | undefined, path: string, message: string, severity?: Severity, data?: Data): void {
  rep({ message, span: valueSpan(r, pair), path, ...(severity ? { severity } : {}), ...(data ? { data } : {}) });
}

/** A peer whose podSelector matches only hostNetwork pods: with the `node` mode, none of them. */
function reportHostOnly(rep: Report<Data>, r: NodeReader, peer: YAMLMap, path: string, sel: LabelSelector, host: readonly string[]): void {
  report(rep, r, r.pair(peer, 'podSelector'), `${path}.podSelector`,
    `This podSelector (${formatSelector(sel)}) matches only pods with hostNetwork: true (${summarize([...host])}). ` +
    'They use the node\'s network, which pod and namespace selectors do not match, so this peer matches nothing. Remove the peer, or select the pods you mean.');
}

/** A peer selector node, or undefined when absent or null (nil: not `{}`). */
function selectorNode(r: NodeReader, peer: YAMLMap, key: string): Node | undefined {
  const n = r.get(peer, key);
  return n === undefined || r.scalar(n)?.value === null ? undefined : n;
}

/**
 * The namespaces a selector names through the automatic `kubernetes.io/metadata.name`
 * label (matchLabels or In), intersected; undefined when it does not name them.
 */
function pinnedNamespaces(sel: LabelSelector): string[] | undefined {
  let names: string[] | undefined;
  const keep = (values: readonly string[]) => {
    names = names === undefined ? [...values] : names.filter((n) => values.includes(n));
  };
  if (hasOwn(sel.matchLabels, NAMESPACE_NAME_LABEL)) keep([sel.matchLabels[NAMESPACE_NAME_LABEL]]);
  for (const e of sel.matchExpressions) if (e.key === NAMESPACE_NAME_LABEL && e.operator === 'In') keep(e.values);
  return names;
}

/**
 * Workload pod classes per namespace, indexed by label. hostNetwork pods are kept apart:
 * with the `node` host-network mode selectors cannot match them.
 */
class PodsByNamespace {
  /** Built per namespace on first use: an edit that changes the world re-reads only the namespaces the re-checked policies look at. */
  private readonly byNs = new Map<string, { index: LabelIndex; labels: Labels[]; classes: PodClass[] } | undefined>();
  /** The model's workloads and the class table (the same objects for as long as the world is the same: not the reachability, which policy edits replace). */
  private readonly workloads: readonly Workload[];
  private readonly table: ClassTable;

  constructor(reach: Reachability, private readonly hostNetworkIsNode: boolean) {
    this.workloads = reach.model.workloads;
    this.table = reach.table;
  }

  private entry(ns: string): { index: LabelIndex; labels: Labels[]; classes: PodClass[] } | undefined {
    if (this.byNs.has(ns)) return this.byNs.get(ns);
    let entry: { index: LabelIndex; labels: Labels[]; classes: PodClass[] } | undefined;
    // Ascending ids: the order a walk over every class would give.
    for (const id of this.table.byNamespace.get(ns) ?? []) {
      const c = this.table.classes[id];
      if (c.virtual) continue;
      entry ??= { index: new LabelIndex(), labels: [], classes: [] };
      entry.index.add(entry.labels.length, c.labels);
      entry.labels.push(c.labels);
      entry.classes.push(c);
    }
    this.byNs.set(ns, entry);
    return entry;
  }

  has(ns: string): boolean {
    return this.entry(ns) !== undefined;
  }

  /** Whether the selector matches workloads of the namespace, hostNetwork ones included. */
  anyMatch(ns: string, sel: LabelSelector): boolean {
    return this.hostOnly(ns, sel) !== undefined;
  }

  /**
   * undefined: matches nothing; []: matches pods selectors can reach; otherwise the
   * hostNetwork workloads that are all it matches (with the `node` mode).
   */
  hostOnly(ns: string, sel: LabelSelector): string[] | undefined {
    const entry = this.entry(ns);
    if (!entry) return undefined;
    const host: PodClass[] = [];
    for (const id of entry.index.candidates(sel)) {
      if (!selectorMatches(sel, entry.labels[id])) continue;
      const c = entry.classes[id];
      if (!this.hostNetworkIsNode || !c.hostNetwork) return [];
      host.push(c);
    }
    if (host.length === 0) return undefined;
    const names = new Set(host.flatMap((c) => c.workloads.map((wi) => workloadLabel(this.workloads[wi]))));
    return [...names];
  }

  /** Namespaces other than `ns` (sorted) with workloads the selector matches, hostNetwork ones aside with the `node` mode. */
  elsewhere(ns: string, sel: LabelSelector): string[] {
    this.all ??= this.indexAll();
    const out = new Set<string>();
    for (const id of this.all.index.candidates(sel)) {
      const c = this.all.classes[id];
      if (c.namespace === ns || (this.hostNetworkIsNode && c.hostNetwork) || !selectorMatches(sel, c.labels)) continue;
      out.add(c.namespace);
    }
    return [...out].sort();
  }

  /** Every workload class of the world, indexed by label (built on first use). */
  private all: { index: LabelIndex; classes: PodClass[] } | undefined;

  private indexAll(): { index: LabelIndex; classes: PodClass[] } {
    const index = new LabelIndex();
    const classes: PodClass[] = [];
    for (const c of this.table.classes) {
      if (c.virtual || c.workloads.length === 0) continue;
      index.add(classes.length, c.labels);
      classes.push(c);
    }
    return { index, classes };
  }

  /** Every workload of the namespace is there because it sets no namespace (none writes it, no kustomization sets it). */
  placedByDefault(ns: string): boolean {
    const entry = this.entry(ns);
    if (!entry) return false;
    return entry.classes.every((c) => c.workloads.every((wi) => this.workloads[wi].sources.every((o) => !setsNamespace(o) && o.kustomize?.variant.namespace === undefined)));
  }

  /**
   * A matchLabels value no workload of the namespace carries that reads as a slip for one
   * they do carry, and with which the selector would match a workload.
   */
  typo(ns: string, sel: LabelSelector): Typo | undefined {
    const entry = this.entry(ns);
    if (!entry) return undefined;
    for (const key of Object.keys(sel.matchLabels)) {
      const written = sel.matchLabels[key];
      if (entry.labels.some((l) => own(l, key) === written)) continue;
      const values = entry.labels.filter((l) => hasOwn(l, key)).map((l) => l[key]);
      for (const meant of likelyMeant(written, values)) {
        const fixed: LabelSelector = { ...sel, matchLabels: { ...sel.matchLabels, [key]: meant } };
        if (entry.labels.some((l) => selectorMatches(fixed, l))) return { key, written, meant };
      }
      return undefined;
    }
    return undefined;
  }

  /** Which requirement no workload of the namespace meets, in words. */
  why(ns: string, sel: LabelSelector): string {
    const all = this.entry(ns)?.labels ?? [];
    const valuesOf = (key: string) => [...new Set(all.filter((l) => hasOwn(l, key)).map((l) => l[key]))];
    const describe = (key: string): string => {
      const values = valuesOf(key);
      return values.length === 0
        ? `No workload in ${ns} has the label ${key}.`
        : `Workloads in ${ns} have ${summarize(values.map((v) => `${key}=${v}`), 5)}.`;
    };
    for (const key of Object.keys(sel.matchLabels)) {
      if (!all.some((l) => own(l, key) === sel.matchLabels[key])) return describe(key);
    }
    for (const e of sel.matchExpressions) {
      const one: LabelSelector = { matchLabels: {}, matchExpressions: [e], valid: true };
      if (all.some((l) => selectorMatches(one, l))) continue;
      if (e.operator === 'In' || e.operator === 'Exists') return describe(e.key);
      return `Every workload in ${ns} fails the requirement ${formatSelector(one)}.`;
    }
    return `Each requirement is met by some workload in ${ns}, but no single workload meets them all.`;
  }
}
