import type { NetworkPolicy, PolicyRule, PolicyType, Workload } from '../model/types';
import { propose, type FixProposal } from '../lint/fix';
import { renderDocuments, type YValue } from '../yaml/render';
import { dnsEgressRule, freeFileBeside, freePolicyName, metadataBeside } from './support/fix';
import { isEmptySelector, selectorMatches } from '../reach/selectors';
import { bundleOf, setsNamespace } from '../model/bundles';
import { perFile } from './support/model-index';
import { hostNetworkMode, summarize, valueOrKeySpan } from './support/isolation';
import { perWorld } from './support/world-cache';
import { foreignPoliciesNote } from './support/foreign-policies';
import type { RuleContext, WorkspaceRule, WorldFixContext } from './types';

/** The namespace without a default deny. */
interface Data {
  readonly namespace: string;
}

export const namespaceWithoutDefaultDeny: WorkspaceRule<Data> = {
  meta: {
    id: 'namespace-without-default-deny',
    category: 'segmentation',
    // A posture, as workload-not-isolated's open pods are: nothing that works breaks, and the
    // open pods are open by the cluster's default. The trial's repositories leave workloads
    // beside isolated ones open by design (a lab's one policy, a component that isolates only
    // its own store, a demo that isolates its server): info everywhere, the message saying
    // which case it is and naming the open workloads; `.netpol.yaml` raises it.
    defaultSeverity: 'info',
    description:
      'A namespace with workloads should have a default-deny ingress policy (and egress, with requireEgress); the message says whether policies leave workloads open (naming them), every workload is already isolated, the namespace has no NetworkPolicy for the direction at all, a default deny that sets no namespace may be applied there, or a cluster-level default deny covers it.',
    fix: 'unsafe',
  },
  check(ctx) {
    const { model, reach } = ctx.analysis;
    // The first workload of each namespace that a policy could isolate: with the `node`
    // hostNetwork mode, a namespace of only hostNetwork pods gains nothing from a default deny.
    const firstWorkload = perWorld(reach, 'namespace-without-default-deny', () => {
      const mode = hostNetworkMode(reach);
      const out = new Map<string, Workload>();
      for (const w of model.workloads) {
        if (mode === 'node' && w.pods.every((p) => p.hostNetwork)) continue;
        if (!out.has(w.namespace)) out.set(w.namespace, w);
      }
      return out;
    });
    const deny = { Ingress: new Set<string>(), Egress: new Set<string>() };
    // Namespace-wide policies with rules: they isolate every pod, but as a baseline
    // allowance for all of them, not a deny.
    const wide = { Ingress: new Map<string, string[]>(), Egress: new Map<string, string[]>() };
    // Per file, the namespaces its policies adopt NetworkPolicies in, for which directions
    // (once per namespace: a file of 100 policies of one namespace gives one entry), and its
    // namespace-wide policies (cached: only edited files are read again).
    const namespaceWide = perFile(ctx.analysis, 'namespace-without-default-deny', (policies) => {
      const adoptions = new Map<string, Set<PolicyType>>();
      const entries: { namespace: string; type: PolicyType; deny: boolean; name: string; loose?: string }[] = [];
      for (const p of policies) {
        // Every policy marks its namespace as one whose team writes NetworkPolicies, for
        // the directions it selects pods for.
        let types = adoptions.get(p.namespace);
        if (!types) adoptions.set(p.namespace, (types = new Set()));
        for (const t of p.policyTypes) types.add(t);
        // A rejected policy never reaches the cluster; a non-empty selector leaves some
        // (and every future unlabelled) pod open.
        if (p.rejected.length > 0 || !isEmptySelector(p.podSelector)) continue;
        // A default deny that sets no namespace goes wherever kubectl points (its file, to
        // tell a bundle installed with -n as a whole from a loose policy).
        const loose = p.defaultedNamespace && p.source ? p.source.span.file : undefined;
        for (const t of p.policyTypes) entries.push({ namespace: p.namespace, type: t, deny: (t === 'Ingress' ? p.ingress : p.egress).length === 0, name: p.name, loose });
      }
      return { adoptions: [...adoptions].map(([namespace, types]) => ({ namespace, types: [...types] })), entries };
    });
    const withPolicies = new Set<string>();
    const adopted = { Ingress: new Set<string>(), Egress: new Set<string>() };
    // Default denies without a namespace outside a bundle installed with -n as a whole
    // (eks-workshop's default-deny.yaml, applied with kubectl apply -n ui): whether a
    // namespace gets one rests on where it is applied.
    const loose = { Ingress: [] as { name: string; file: string }[], Egress: [] as { name: string; file: string }[] };
    for (const { adoptions, entries } of namespaceWide) {
      for (const { namespace, types } of adoptions) {
        withPolicies.add(namespace);
        for (const a of types) adopted[a].add(namespace);
      }
      for (const { namespace, type: t, deny: isDeny, name, loose: file } of entries) {
        if (isDeny) {
          deny[t].add(namespace);
          if (file !== undefined && !model.namespacelessBundles.has(bundleOf(file))) loose[t].push({ name, file });
        } else wide[t].set(namespace, [...(wide[t].get(namespace) ?? []), name]);
      }
    }
    // The policies per namespace, indexed only when an isolated namespace needs them.
    let byNamespace: Map<string, NetworkPolicy[]> | undefined;
    for (const [ns, w] of firstWorkload) {
      const types = (['Ingress', 'Egress'] as const).filter((t) => !deny[t].has(ns) && (t === 'Ingress' || ctx.options.requireEgress));
      if (types.length === 0) continue;
      // Every pod of the namespace already selected for those directions: nothing is open
      // today (advice, not a warning).
      const isolated = types.every((t) => isolatedNamespace(ctx, ns, t));
      if (isolated && !types.some((t) => wide[t].has(ns))) {
        // Selected is not closed: a workload an allow-all selects is as open as an
        // unselected one (argo-cd's server, kube-prometheus' adapter).
        byNamespace ??= policiesByNamespace(ctx);
        const inNamespace = byNamespace.get(ns) ?? [];
        const opened = types.map((t) => ({ t, ...allowAllsOf(ctx, inNamespace, ns, t) }));
        const what = types.map((t) => t.toLowerCase()).join(' or ');
        const close = `add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no rules`;
        if (opened.every((o) => o.only)) {
          // Policies that are all allow-alls change nothing on these manifests: they are
          // written against policies made elsewhere (kserve's OpenShift guide: Service Mesh
          // puts its own policies in every member namespace; the allow-all lets the API
          // server reach the webhook through them). Those cover new workloads too.
          const names = [...new Set(opened.flatMap((o) => o.open.map((n) => `${ns}/${n}`)))];
          const message =
            `Namespace ${ns} has no default-deny ${what} NetworkPolicy, and its only NetworkPolicies for ${types.join(' and ')} (${summarize(names)}) admit every source on every port: on these manifests they change nothing, ` +
            `so they are likely written to open pods that a policy made elsewhere isolates (a service mesh's, a platform's default deny), which then covers new workloads too. ` +
            `If nothing else isolates the namespace, its pods accept connections from anywhere and new workloads start open: to close it here, ${close}.`;
          report(ctx, ns, w, message);
          continue;
        }
        const open = [...new Set(opened.flatMap((o) => o.open.map((n) => `${ns}/${n}`)))];
        const message =
          `Namespace ${ns} has no default-deny ${what} NetworkPolicy, but every workload in it is already selected by one for ${types.join(' and ')}: ` +
          (open.length > 0
            ? `${summarize(open)} ${open.length === 1 ? 'admits' : 'admit'} every source on every port (an explicit allow-all), the others only what they list, while a workload added later would start open. `
            : 'nothing is open today, while a workload added later would start open. ') +
          `To keep new workloads closed too, ${close}.`;
        report(ctx, ns, w, message);
        continue;
      }
      const what = types.map((t) => t.toLowerCase()).join(' or ');
      // A default deny for every missing direction that sets no namespace: the namespace
      // gets it if it is applied there, which the manifests do not say.
      const unplaced = types.map((t) => loose[t][0]).filter((l) => l !== undefined);
      if (unplaced.length === types.length) {
        const policies = [...new Set(unplaced.map((l) => `${l.name} (${l.file})`))];
        const one = policies.length === 1;
        const message =
          `Namespace ${ns} has no default-deny ${what} NetworkPolicy of its own, but ${summarize(policies)} ${one ? 'is a default deny' : 'are default denies'} for ${types.join(' and ')} that ${one ? 'sets' : 'set'} no namespace: ` +
          `applied with kubectl apply -n ${ns}, ${one ? 'it closes' : 'they close'} the namespace; whether ${ns} gets ${one ? 'it' : 'them'} rests on where ${one ? 'it is' : 'they are'} applied, which the manifests do not say. ` +
          `To state it, add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no rules.`;
        report(ctx, ns, w, message);
        continue;
      }
      // A namespace without any NetworkPolicy has not adopted them (a mesh, an operator's
      // namespace, a demo app): open by the cluster's default, a posture to know about (info).
      // Policies that isolate some workloads and leave others open are a gap in a story the
      // namespace did start: a warning.
      if (!withPolicies.has(ns)) {
        const message =
          `Namespace ${ns} has workloads but no NetworkPolicy at all: every pod in it accepts connections from anywhere${types.includes('Egress') ? ' and may connect anywhere' : ''}, as the cluster's default allows. ` +
          `If its pods should be isolated, add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no rules, then allow what each workload needs${types.includes('Egress') ? ' (with egress denied, also allow DNS)' : ''}.`;
        report(ctx, ns, w, message);
        continue;
      }
      // Policies that select pods for other directions only (egress rules, as eks-workshop's
      // ui): the namespace has not started isolating these directions, as above.
      if (types.every((t) => !adopted[t].has(ns))) {
        const others = (['Ingress', 'Egress'] as const).filter((t) => adopted[t].has(ns));
        const message =
          `Namespace ${ns} has workloads and NetworkPolicies, but they select pods for ${others.join(' and ')} only: no NetworkPolicy selects a pod of it for ${types.join(' or ')}, so every pod in it ${types.map((t) => (t === 'Ingress' ? 'accepts connections from anywhere' : 'may connect anywhere')).join(' and ')}, as the cluster's default allows. ` +
          `If its pods should be isolated for ${what} too, add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no rules, then allow what each workload needs${types.includes('Egress') ? ' (with egress denied, also allow DNS)' : ''}.`;
        report(ctx, ns, w, message);
        continue;
      }
      // Once per direction.
      const clusterDenies = new Map(types.map((t) => [t, clusterDefaultDeny(ctx, ns, t)] as const));
      const effects = types.map((t) => {
        const policies = wide[t].get(ns);
        if (policies) {
          const names = summarize(policies.map((n) => `${ns}/${n}`));
          return `${names} ${policies.length === 1 ? 'selects' : 'select'} every pod for ${t}, but ${policies.length === 1 ? 'its' : 'their'} ${t.toLowerCase()} rules are a baseline allowance for every pod, present and future`;
        }
        // Cluster-level policies may decide in-cluster traffic for them; never ingress from outside.
        const denies = clusterDenies.get(t);
        if (t === 'Ingress') {
          if (denies) return `a cluster-level default deny (${summarize(denies)}) closes pods that no NetworkPolicy selects to the cluster's pods, but they accept connections from every address outside the cluster, and new workloads start open`;
          return clusterLevel(ctx, ns, t)
            ? 'pods that no NetworkPolicy selects for Ingress accept connections from every address outside the cluster (cluster-level policies decide what pods of the cluster may), and new workloads start open'
            : 'pods that no NetworkPolicy selects for Ingress accept connections from anywhere, and new workloads start open';
        }
        if (denies) return `a cluster-level default deny (${summarize(denies)}) closes egress to the cluster's pods for pods that no NetworkPolicy selects, but not to addresses outside the cluster, and new workloads start open`;
        return clusterLevel(ctx, ns, t)
          ? 'pods that no NetworkPolicy selects for Egress may connect to whatever the cluster-level policies leave open, and new workloads start open'
          : 'pods that no NetworkPolicy selects for Egress may connect anywhere, and new workloads start open';
      });
      // (A cluster-level default deny, a Baseline or Admin Deny from every pod on every port as
      // in network-policy-api's walkthrough, is named in the effects: what a NetworkPolicy
      // default deny would add then is addresses outside the cluster.)
      const rules = types.map((t) => `${t.toLowerCase()} rules`).join(' or ');
      const narrow = types.some((t) => wide[t].has(ns)) ? ' (narrowing the namespace-wide rules to the workloads that need them)' : '';
      const dns = types.includes('Egress') ? ' (with egress denied, also allow DNS)' : '';
      // Which workloads are open, for the reader to tell a forgotten one from a choice.
      const left = types
        .map((t) => [t, openWorkloads(ctx, ns, t)] as const)
        .filter(([, open]) => open.length > 0)
        .map(([t, open]) => ` No NetworkPolicy selects ${summarize(open)} for ${t}.`)
        .join('');
      const message =
        `Namespace ${ns} has workloads but no default-deny ${what} NetworkPolicy: ${effects.join('; and ')}.${left} ` +
        `Add a NetworkPolicy in namespace ${ns} with podSelector: {}, policyTypes: [${types.join(', ')}] and no ${rules}, then allow what each workload needs${narrow}${dns}.`;
      report(ctx, ns, w, message);
    }
  },
  fix({ namespace }, ctx) {
    return defaultDenyFixes(ctx, namespace);
  },
};

/** Some pod of the namespace that no NetworkPolicy isolates for the direction has cluster-level (admin, baseline) rules for it. */
function clusterLevel(ctx: RuleContext<Data>, ns: string, type: PolicyType): boolean {
  const { reach } = ctx.analysis;
  for (const wi of reach.index.workloadsByNamespace.get(ns) ?? []) {
    for (const c of reach.table.workloadClasses[wi]) {
      if (type === 'Ingress' ? !reach.isIngressIsolated(c) && reach.hasClusterIngress(c) : !reach.isEgressIsolated(c) && reach.hasClusterEgress(c)) return true;
    }
  }
  return false;
}

/**
 * The cluster-level policies (`tier/name`) that deny the direction from or to every pod
 * of the cluster, on every port, for each pod of the namespace that no NetworkPolicy
 * isolates for it: a Deny rule whose peer is every namespace (`namespaces: {}`), in the
 * Baseline tier (the default deny below NetworkPolicies) or the Admin tier. Undefined
 * when some such pod has none.
 */
function clusterDefaultDeny(ctx: RuleContext<Data>, ns: string, type: PolicyType): string[] | undefined {
  const { reach } = ctx.analysis;
  const t = reach.tiers;
  if (t.empty) return undefined;
  const all = reach.classes.length;
  const names = new Set<string>();
  let open = false;
  for (const wi of reach.index.workloadsByNamespace.get(ns) ?? []) {
    for (const c of reach.table.workloadClasses[wi]) {
      if (type === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c)) continue;
      open = true;
      const lists = type === 'Ingress' ? [t.baselineIngressOf[c], t.adminIngressOf[c]] : [t.baselineEgressOf[c], t.adminEgressOf[c]];
      let found = false;
      for (const list of lists) {
        for (const p of list) {
          const rules = type === 'Ingress' ? p.ingress : p.egress;
          if (!rules.some((r) => r.verdict === 'Deny' && r.classes.size === all && r.ports.named.length === 0 && r.ports.fixed.isAll())) continue;
          names.add(`${p.policy.kind} ${p.policy.name}`);
          found = true;
        }
      }
      if (!found) return undefined;
    }
  }
  return open && names.size > 0 ? [...names] : undefined;
}

/** A rule with no peers and no ports: every source or destination, on every port. */
function allowsAll(rules: readonly PolicyRule[]): boolean {
  return rules.some((r) => r.peers === undefined && r.ports === undefined);
}

/**
 * For the direction, the namespace's policies with an allow-all rule that select some
 * workload (whose pods are then open), and whether every policy of the namespace for
 * the direction is an allow-all and no cluster-level policy is written (then they change
 * nothing on these manifests).
 */
function allowAllsOf(ctx: RuleContext<Data>, inNamespace: readonly NetworkPolicy[], ns: string, type: PolicyType): { open: string[]; only: boolean } {
  const { reach } = ctx.analysis;
  const rulesOf = (p: NetworkPolicy): readonly PolicyRule[] => (type === 'Ingress' ? p.ingress : p.egress);
  const policies = inNamespace.filter((p) => p.rejected.length === 0 && p.policyTypes.includes(type));
  const allowAll = policies.filter((p) => allowsAll(rulesOf(p)));
  if (allowAll.length === 0) return { open: [], only: false };
  const selects = (p: NetworkPolicy, w: Workload): boolean => w.pods.some((pod) => selectorMatches(p.podSelector, pod.labels));
  const workloads = (reach.index.workloadsByNamespace.get(ns) ?? []).map((wi) => reach.model.workloads[wi]);
  // A pod an allow-all selects is open, whatever else selects it (the rules add up).
  const open = allowAll.filter((p) => workloads.some((w) => selects(p, w)));
  // Beside cluster-level policies, an allow-all may open what a baseline tier denies.
  return { open: open.map((p) => p.name), only: open.length > 0 && allowAll.length === policies.length && reach.tiers.empty };
}

function policiesByNamespace(ctx: RuleContext<Data>): Map<string, NetworkPolicy[]> {
  const out = new Map<string, NetworkPolicy[]>();
  for (const p of ctx.analysis.model.policies) {
    const list = out.get(p.namespace);
    if (list) list.push(p);
    else out.set(p.namespace, [p]);
  }
  return out;
}

/**
 * Whether a workload has a pod that a policy can isolate (hostNetwork pods are out of reach
 * in the `node` mode) and that no NetworkPolicy isolates for the direction.
 */
function leftOpen(ctx: RuleContext<Data>, wi: number, type: PolicyType): boolean {
  const { reach } = ctx.analysis;
  const mode = hostNetworkMode(reach);
  return reach.table.workloadClasses[wi].some(
    (c) => !(mode === 'node' && reach.classes[c].hostNetwork) && !(type === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c)),
  );
}

/** The workloads of the namespace left open for the direction (`namespace/name`). */
function openWorkloads(ctx: RuleContext<Data>, ns: string, type: PolicyType): string[] {
  const { reach } = ctx.analysis;
  return (reach.index.workloadsByNamespace.get(ns) ?? []).filter((wi) => leftOpen(ctx, wi, type)).map((wi) => `${ns}/${reach.model.workloads[wi].name}`);
}

/** Every pod of the namespace that a policy can isolate is isolated for the direction. */
function isolatedNamespace(ctx: RuleContext<Data>, ns: string, type: PolicyType): boolean {
  return !(ctx.analysis.reach.index.workloadsByNamespace.get(ns) ?? []).some((wi) => leftOpen(ctx, wi, type));
}

function report(ctx: RuleContext<Data>, ns: string, w: Workload, said: string): void {
  const data: Data = { namespace: ns };
  const message = said + foreignPoliciesNote(ctx.analysis.model, ns, 'isolate its pods');
  const declared = ctx.analysis.model.namespaces.get(ns);
  if (declared?.declared && declared.source) {
    const r = declared.source.reader;
    const metadata = r.map(r.get(declared.source.map, 'metadata'));
    ctx.report({ message, span: valueOrKeySpan(r, r.pair(metadata, 'name')), path: 'metadata.name', data });
    return;
  }
  const src = w.sources[0];
  const r = src.reader;
  const metadata = r.map(r.get(src.map, 'metadata'));
  const nsPair = r.pair(metadata, 'namespace');
  // A namespace that is written points at itself; a defaulted one at the object that lands there.
  if (nsPair && r.text(nsPair.value)) ctx.report({ message, span: valueOrKeySpan(r, nsPair), path: 'metadata.namespace', data });
  else ctx.report({ message, span: valueOrKeySpan(r, r.pair(metadata, 'name')), path: 'metadata.name', data });
}

/**
 * Adds a default-deny NetworkPolicy (podSelector: {}, no rules) for the namespace: as a
 * new document at the end of the file of the context's object (the Namespace's, or a
 * workload's when the namespace is not declared), or as a new file beside it. A deny of
 * egress comes with an allow-dns policy, or every lookup in the namespace would fail.
 * The namespace is written when the object beside it writes it (a namespace that is only
 * the analysis' default is not written: the policies land where that object lands).
 * (The editor's "Create Default-Deny for Namespace" asks for these fixes: ide/default-deny.ts.)
 */
function defaultDenyFixes(ctx: WorldFixContext, ns: string): FixProposal[] {
  const types = missingTypes(ctx, ns);
  if (types.length === 0) return [];
  const name = freePolicyName(ctx, ns, types.length === 2 ? 'default-deny' : `default-deny-${types[0].toLowerCase()}`);
  // The namespace is written when the object beside writes it (metadataBeside); an
  // assumed one (kubectl apply -n) is not, and the title does not name it.
  const written = ctx.object.kind === 'Namespace' || setsNamespace(ctx.object);
  const docs: { [key: string]: YValue }[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadataBeside(ctx.object, name, ns),
      spec: { podSelector: {}, policyTypes: types },
    },
  ];
  let dns = '';
  if (types.includes('Egress') && !allowsDns(ctx, ns)) {
    const dnsName = freePolicyName(ctx, ns, 'allow-dns');
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadataBeside(ctx.object, dnsName, ns),
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(ctx)] },
    });
    dns = ` (and ${dnsName}, allowing DNS)`;
  }
  const what = `default-deny ${types.map((t) => t.toLowerCase()).join(' and ')} NetworkPolicy${dns} for ${written ? `namespace ${ns}` : 'the namespace these manifests are applied to'}`;
  const newFile = freeFileBeside(ctx, ctx.file, `default-deny-${ns}`);
  const base = newFile.slice(Math.max(newFile.lastIndexOf('/'), newFile.lastIndexOf('\\')) + 1);
  return [
    ...propose(`Add a ${what} to this file`, [ctx.editor.appendDocuments(docs)], { preferred: true }),
    ...propose(`Create ${base} with a ${what}`, [{ file: newFile, create: true, text: renderDocuments(docs, ctx.editor.newFileStyle) }]),
  ];
}

/** The policy types without a default deny in the namespace (as the rule reads them). */
function missingTypes(ctx: WorldFixContext, ns: string): PolicyType[] {
  const deny = new Set<PolicyType>();
  for (const p of ctx.analysis.model.policies) {
    if (p.namespace !== ns || p.rejected.length > 0 || !isEmptySelector(p.podSelector)) continue;
    for (const t of p.policyTypes) if ((t === 'Ingress' ? p.ingress : p.egress).length === 0) deny.add(t);
  }
  return (['Ingress', 'Egress'] as const).filter((t) => !deny.has(t) && (t === 'Ingress' || ctx.options.requireEgress));
}

/** A namespace-wide policy of the namespace already has an egress rule on port 53 (an allow-dns of its own). */
function allowsDns(ctx: WorldFixContext, ns: string): boolean {
  return ctx.analysis.model.policies.some(
    (p) =>
      p.namespace === ns &&
      p.rejected.length === 0 &&
      isEmptySelector(p.podSelector) &&
      p.policyTypes.includes('Egress') &&
      p.egress.some((r) => (r.ports ?? []).some((port) => port.port === 53 || (typeof port.port === 'number' && port.endPort !== undefined && port.port <= 53 && 53 <= port.endPort))),
  );
}
