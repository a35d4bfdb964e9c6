import type { Pair, YAMLMap } from 'yaml';
import type { Protocol } from '../base/ports';
import type { Span } from '../base/span';
import { evidenceOf, evidenceOptionsOf } from '../analysis/evidence';
import { meshOf } from '../analysis/mesh';
import { meshRefusal, type MeshAccess, type MeshRefusal } from '../evidence/mesh';
import { endName } from '../evidence/evidence';
import type { Evidence, EvidencedFlow } from '../evidence/types';
import { DEFAULT_INGRESS_CONTROLLER } from '../k8s/cluster';
import { propose } from '../lint/fix';
import type { Workload } from '../model/types';
import type { PodClass } from '../reach/classes';
import { readMeta } from '../model/extract/common';
import type { CompiledPolicy } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import { isEmptySelector, selectorMatches } from '../reach/selectors';
import { asMap, asSeq, pairOf } from '../yaml/nodes';
import type { YValue } from '../yaml/render';
import { freePolicyName, labelText, namespaceSelectorFor } from './support/fix';
import { workloadList } from './support/traffic';
import type { WorkspaceRule, WorldFixContext } from './types';

/** What the fix needs: which side to open, the other end by name, the port. */
interface Data {
  readonly direction: 'Ingress' | 'Egress';
  /** The workload the reported policy protects. */
  readonly self: { readonly namespace: string; readonly name: string };
  /** The other end: a workload, or outside the cluster. */
  readonly peer: { readonly namespace: string; readonly name: string } | 'external';
  readonly protocol: Protocol;
  readonly port: number;
}

/** What one flow's check reported, and what it read. */
interface Report {
  readonly message: string;
  /** Where the finding sits: located when it is reported (an unchanged policy's document may have moved in its file). */
  readonly at: { readonly policy: CompiledPolicy; readonly direction: 'Ingress' | 'Egress' };
  readonly data: Data;
  /** Lowered to info when the service mesh refuses the call too. */
  readonly severity?: 'info';
  /** Where, once located (the policy object is the same while the report is replayed). */
  located?: { readonly span: Span | undefined; readonly path: string };
}

/** The verdicts per flow key, per option set (checked before they are replayed: see sameVerdictInputs). */
const memos = new Map<string, Map<string, Verdict>>();

/** The flows the rule judges, one group per flow (src, dst, port) whatever number of places show it; per evidence (it carries over keystrokes in policies). */
const groupsOf = new WeakMap<Evidence, ReadonlyMap<string, EvidencedFlow[]>>();

function flowsOf(evidence: Evidence): ReadonlyMap<string, EvidencedFlow[]> {
  let byFlow = groupsOf.get(evidence);
  if (byFlow) return byFlow;
  const out = new Map<string, EvidencedFlow[]>();
  for (const f of evidence.flows) {
    if (f.kind === 'ingress' || f.kind === 'dns' || f.dst.type !== 'workload') continue;
    if (f.src.type === 'peer' && f.src.peer !== 'external') continue;
    const key = flowKey(f);
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  groupsOf.set(evidence, (byFlow = out));
  return byFlow;
}
/** A flow's group key, per flow object (a flow kept across edits of the world keeps its key). */
const flowKeys = new WeakMap<EvidencedFlow, string>();

function flowKey(f: EvidencedFlow): string {
  let key = flowKeys.get(f);
  if (key === undefined) flowKeys.set(f, (key = `${endName(f.src)}>${endName(f.dst)}>${f.protocol}/${f.port}`));
  return key;
}

interface Verdict {
  readonly flows: readonly EvidencedFlow[];
  /** The class table the verdict was made in, and the ends' classes there (the same while the table is). */
  readonly table: object;
  /** The evidence and world it was made from: while both are the same objects, so are its flows and the classes' workloads. */
  readonly evidence: object;
  readonly world: object;
  readonly dstClasses: readonly number[];
  readonly srcClasses: readonly number[];
  /** The policies isolating each end class (dstClasses' ingress, then srcClasses' egress). */
  readonly lists: readonly (readonly CompiledPolicy[])[];
  readonly tiers: object;
  readonly sourceRanges: readonly unknown[];
  /** The mesh access control it read (the same object while the TrafficTargets and MeshConfigs are the same: collectMesh). */
  readonly mesh: MeshAccess;
  /** The pod classes the verdict read (both ends, the peers a message lists), with their workloads then. */
  classes: readonly PodClass[];
  workloads: readonly Workload[];
  readonly reports: readonly Report[];
}

/** What a flow says, for the flows of a new evidence (collected again after an edit of the world): the same text, the same ends. */
const flowSignatures = new WeakMap<EvidencedFlow, string>();

function flowSignature(f: EvidencedFlow): string {
  let t = flowSignatures.get(f);
  if (t === undefined) {
    const end = (e: EvidencedFlow['src']) => (e.type === 'workload' ? `w${e.index}` : `p${e.peer}`);
    t = JSON.stringify([end(f.src), end(f.dst), f.protocol, f.port, f.service ?? null, f.kind, f.where.file, f.where.start, f.where.end, f.what]);
    flowSignatures.set(f, t);
  }
  return t;
}

function sameFlow(a: EvidencedFlow, b: EvidencedFlow): boolean {
  if (a === b) return true;
  const ends = (x: EvidencedFlow['src'], y: EvidencedFlow['src']) => (x.type === 'workload' ? y.type === 'workload' && x.workload === y.workload : true);
  return ends(a.src, b.src) && ends(a.dst, b.dst) && flowSignature(a) === flowSignature(b);
}

/**
 * The same evidence (the same flows, or flows that say the same of the same workloads),
 * the same policies selecting both ends (element by element), the same tiers and external
 * ranges, and the classes read the same objects (ids, ports, workloads) in this table.
 */
function sameVerdictInputs(v: Verdict, flows: readonly EvidencedFlow[], lists: readonly (readonly CompiledPolicy[])[], reach: Reachability, mesh: MeshAccess): boolean {
  if (v.mesh !== mesh || v.lists.length !== lists.length || !sameWorldInputs(v, flows, reach)) return false;
  for (let i = 0; i < lists.length; i++) if (!samePolicies(v.lists[i], lists[i])) return false;
  return true;
}

/**
 * sameVerdictInputs in the class table the verdict was made in (a keystroke in a policy
 * keeps the table): the ends' classes are the same, and their policy lists are compared
 * where they are, with nothing built per flow.
 */
function sameInputsInTable(v: Verdict, flows: readonly EvidencedFlow[], evidence: object, reach: Reachability, mesh: MeshAccess): boolean {
  if (v.mesh !== mesh) return false;
  const same = v.evidence === evidence && v.world === reach.world && v.tiers === reach.tiers && v.sourceRanges === reach.sourceRanges;
  if (!same && !sameWorldInputs(v, flows, reach)) return false;
  const { ingressOf, egressOf } = reach.compiled;
  let i = 0;
  for (const d of v.dstClasses) if (!samePolicies(v.lists[i++], ingressOf[d])) return false;
  for (const c of v.srcClasses) if (!samePolicies(v.lists[i++], egressOf[c])) return false;
  return true;
}

/** The same tiers, external ranges and flows, and the classes read hold the same workloads. */
function sameWorldInputs(v: Verdict, flows: readonly EvidencedFlow[], reach: Reachability): boolean {
  if (v.tiers !== reach.tiers || v.sourceRanges !== reach.sourceRanges) return false;
  if (v.flows.length !== flows.length) return false;
  for (let i = 0; i < flows.length; i++) if (!sameFlow(v.flows[i], flows[i])) return false;
  let w = 0;
  for (const c of v.classes) {
    if (reach.classes[c.id] !== c) return false;
    for (const wi of c.workloads) if (reach.model.workloads[wi] !== v.workloads[w++]) return false;
  }
  return true;
}

/** The same policies, element by element. */
function samePolicies(a: readonly CompiledPolicy[], b: readonly CompiledPolicy[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/**
 * An evidenced flow (evidence/) that the policies block: the application needs it (an
 * address in its env, a LoadBalancer, an annotation…) and the policy set drops it. The
 * finding sits on the policy that should admit it, on the side that blocks it. Routes
 * of the ingress controller are ingress-controller-blocked's, DNS is egress-blocks-dns's;
 * flows from Prometheus and the control plane, whose pods are not modelled, are not judged here.
 */
export const evidencedFlowBlocked: WorkspaceRule<Data> = {
  meta: {
    id: 'evidenced-flow-blocked',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A flow the manifests show the application needs (a Service address in env or a ConfigMap, an exposed Service, an allow annotation) that the NetworkPolicies block.',
    fix: 'unsafe',
  },
  scopedCheck: true,
  check(ctx) {
    const { reach } = ctx.analysis;
    const { only } = ctx;
    const ingressController = reach.options.ingressController ?? DEFAULT_INGRESS_CONTROLLER;
    const evidence = evidenceOf(ctx.analysis, evidenceOptionsOf({ ingressController, dns: ctx.options.dns }, { dns: false }));
    const byFlow = flowsOf(evidence);
    // A second layer that may refuse the same calls: the service mesh's access control.
    const mesh = meshOf(ctx.analysis);
    // Kept across edits of the world too (every input of a verdict is checked before it is replayed), per option set.
    const memoKey = JSON.stringify([ingressController, ctx.options.dns, reach.options.hostNetwork ?? 'node']);
    let memo = memos.get(memoKey);
    if (!memo) memos.set(memoKey, (memo = new Map<string, Verdict>()));
    // Spans are anchored to their document: one located once follows the document's moves.
    const emit = (r: Report): void => {
      const { span, path } = (r.located ??= location(r.at.policy, r.at.direction));
      ctx.report({ message: r.message, span, path, data: r.data, ...(r.severity ? { severity: r.severity } : {}) });
    };
    const seen = new Set<string>();
    for (const [key, flows] of byFlow) {
      const f = flows[0];
      if (f.dst.type !== 'workload') continue;
      // In the same class table (a keystroke in a policy), a verdict whose inputs are the same is replayed before anything is built for the flow.
      const kept = memo.get(key);
      if (!only && kept !== undefined && kept.table === reach.table && sameInputsInTable(kept, flows, evidence, reach, mesh)) {
        seen.add(key);
        for (const r of kept.reports) emit(r);
        continue;
      }
      const dstClasses = reach.table.workloadClasses[f.dst.index].filter((c) => !reach.classes[c].hostNetwork || reach.options.hostNetwork === 'pod');
      if (dstClasses.length === 0) continue;
      // A keystroke in one policy leaves most flows' verdicts alone: the verdict of a flow
      // reads only the policies that select its ends (and the cluster tiers), so it is
      // replayed while those are the same compiled objects (the same policy objects, whose
      // spans are still right) and the evidence is the same flows.
      const srcClassesOf = f.src.type === 'workload' ? reach.table.workloadClasses[f.src.index] : [];
      const lists = [...dstClasses.map((d) => reach.compiled.ingressOf[d]), ...srcClassesOf.map((c) => reach.compiled.egressOf[c])];
      // Asked for some files only: a flow is reported on a policy isolating one of its ends, or not at all.
      if (only && !lists.some((list) => list.some((p) => p.policy.source !== undefined && only.has(p.policy.source.span.file)))) continue;
      seen.add(key);
      const before = memo.get(key);
      if (before && sameVerdictInputs(before, flows, lists, reach, mesh)) {
        for (const r of before.reports) emit(r);
        continue;
      }
      const reports: Report[] = [];
      // What the verdict reads of the pod classes: both ends, and the peers a message lists (admitsText).
      const read = new Set<number>([...dstClasses, ...srcClassesOf]);
      const classesRead = () => {
        const classes = [...read].map((c) => reach.classes[c]);
        return { classes, workloads: classes.flatMap((c) => c.workloads.map((wi) => reach.model.workloads[wi])) };
      };
      const verdict: Verdict = { flows, table: reach.table, evidence, world: reach.world, dstClasses, srcClasses: srcClassesOf, lists, tiers: reach.tiers, sourceRanges: reach.sourceRanges, mesh, classes: [], workloads: [], reports };
      memo.set(key, verdict);
      const report = (r: Report): void => {
        reports.push(r);
        emit(r);
      };
      const admits = (p: CompiledPolicy, direction: 'Ingress' | 'Egress', peers: readonly number[]) => admitsText(reach, p, direction, peers, f, read);
      const dstWorkload = f.dst.workload;
      const judge = (): void => {
        const shown = `${f.where.file}: ${f.what}${flows.length > 1 ? ` and ${flows.length - 1} more` : ''}`;
        const flowText = `${endName(f.src)} → ${endName(f.dst)} on ${f.protocol} ${f.port}${f.service ? ` (Service ${f.service.namespace}/${f.service.name}:${f.service.port})` : ''}`;
        const self = { namespace: dstWorkload.namespace, name: dstWorkload.name };
        if (f.src.type === 'peer') {
          const admitted = dstClasses.some((d) => reach.sourceRanges.some((r) => reach.ingressFromRange(d, r).allows(f.protocol, f.port)));
          if (admitted) return;
          const policy = reportingPolicy(reach, dstClasses, 'Ingress');
          if (!policy) return;
          report({
            at: { policy, direction: 'Ingress' },
            message: `${flowText} is needed (${shown}) but ${policyName(policy)} admits no address outside the cluster on that port: the exposed Service is unreachable. Add an ingress rule with ports: [{port: ${f.port}, protocol: ${f.protocol}}] (from the load balancer's or clients' addresses), or remove the evidence if the Service is no longer exposed.`,
            data: { direction: 'Ingress', self, peer: 'external', protocol: f.protocol, port: f.port },
          });
          return;
        }
        const srcClasses = reach.table.workloadClasses[f.src.index];
        const pairs = srcClasses.flatMap((s) => dstClasses.map((d) => [s, d] as const));
        if (pairs.some(([s, d]) => reach.between(s, d).allows(f.protocol, f.port))) return;
        const ingressBlocks = !pairs.some(([s, d]) => reach.ingressFromClass(d, s).allows(f.protocol, f.port));
        const egressBlocks = !pairs.some(([s, d]) => reach.egressToClass(s, d).allows(f.protocol, f.port));
        const src = f.src.workload;
        // The mesh refuses it too: two independent layers agree, so the reference is no evidence of a needed flow (a probe, a leftover).
        const refusal = meshRefusal(mesh, src, dstWorkload);
        if (ingressBlocks) {
          const policy = reportingPolicy(reach, dstClasses, 'Ingress');
          if (policy) {
            const blocked = `${policyName(policy)} ${admits(policy, 'Ingress', srcClasses)}`;
            const rule = `an ingress rule from ${endName(f.src)} on ${f.protocol} ${f.port}`;
            report({
              at: { policy, direction: 'Ingress' },
              message: refusal ? refusedText(flowText, shown, blocked, endName(f.dst), refusal, `${rule} in ${policyName(policy)}`) : `${flowText} is needed (${shown}) but ${blocked}. Add to it ${rule}, or remove the evidence if the flow is gone.`,
              data: { direction: 'Ingress', self, peer: { namespace: src.namespace, name: src.name }, protocol: f.protocol, port: f.port },
              ...(refusal ? { severity: 'info' as const } : {}),
            });
          }
        }
        if (egressBlocks) {
          const policy = reportingPolicy(reach, srcClasses, 'Egress');
          if (policy) {
            const blocked = `the egress of ${endName(f.src)} is blocked: ${policyName(policy)} ${admits(policy, 'Egress', dstClasses)}`;
            const rule = `an egress rule to ${endName(f.dst)} on ${f.protocol} ${f.port}`;
            report({
              at: { policy, direction: 'Egress' },
              message: refusal ? refusedText(flowText, shown, blocked, endName(f.dst), refusal, `${rule} in ${policyName(policy)}`) : `${flowText} is needed (${shown}) but ${blocked}. Add to it ${rule}, or remove the evidence if the flow is gone.`,
              data: { direction: 'Egress', self: { namespace: src.namespace, name: src.name }, peer: self, protocol: f.protocol, port: f.port },
              ...(refusal ? { severity: 'info' as const } : {}),
            });
          }
        }
      };
      judge();
      Object.assign(verdict, classesRead());
    }
    // Flows gone from the evidence leave the memo (known only when every flow was looked at).
    if (!only) for (const key of memo.keys()) if (!seen.has(key)) memo.delete(key);
  },
  fix(data, ctx) {
    const entry = ctx.policy();
    if (!entry) return [];
    const { policy, compiled } = entry;
    const { model, reach } = ctx.analysis;
    const self = model.workloads.find((w) => w.namespace === data.self.namespace && w.name === data.self.name);
    if (!self) return [];
    const port: YValue = { port: data.port, protocol: data.protocol };
    // From outside the cluster the sources are the load balancer's or the clients' addresses, which no manifest says: no guess.
    if (data.peer === 'external') return [];
    const peerRef = data.peer;
    const peer = model.workloads.find((w) => w.namespace === peerRef.namespace && w.name === peerRef.name);
    const selector = peer && exactSelector(model.workloads, peer);
    if (!peer || !selector) return [];
    const item: { [key: string]: YValue } = { podSelector: { matchLabels: { ...selector } } };
    if (peer.namespace !== policy.namespace) {
      // The peer's namespace is written only when its manifest says it: the default namespace is an assumption.
      if (namespaceDefaulted(peer)) return [];
      item.namespaceSelector = namespaceSelectorFor(peer.namespace);
    }
    const rule: { [key: string]: YValue } = { [data.direction === 'Ingress' ? 'from' : 'to']: [item], ports: [port] };
    const peerText = `${peer.namespace}/${peer.name} (${labelText(selector)})`;
    const key = data.direction === 'Ingress' ? 'ingress' : 'egress';
    const what = `${data.direction === 'Ingress' ? 'from' : 'to'} ${peerText} on ${data.protocol} ${data.port}`;
    const selfClasses = new Set(reach.table.workloadClasses[model.workloads.indexOf(self)]);
    // Where the mesh refuses the call too, the finding is an info and the call may be meant to fail: the fix is offered, never preferred.
    const preferred = !meshRefusal(meshOf(ctx.analysis), data.direction === 'Ingress' ? peer : self, data.direction === 'Ingress' ? self : peer);
    // A policy that selects only this workload gets the rule; a wider one (a namespace's
    // default deny) would open the port to every pod it selects: a new policy for this workload instead.
    if (compiled && !isEmptySelector(policy.podSelector) && compiled.selected.every((c) => selfClasses.has(c) || reach.classes[c].virtual)) {
      const r = ctx.object.reader;
      const spec = r.map(r.get(ctx.object.map, 'spec'));
      if (!spec) return [];
      const pair = pairOf(spec, key) as Pair | undefined;
      const seq = asSeq(pair?.value);
      const edit = seq && seq.items.length > 0 ? ctx.editor.appendItems(seq, [rule]) : pair ? ctx.editor.replacePair(spec, pair, [rule]) : ctx.editor.insertPairs(spec, { [key]: [rule] });
      return propose(`Add an ${key} rule ${what} to ${policy.namespace}/${policy.name}`, [edit], { preferred });
    }
    const labels = exactSelector(model.workloads, self);
    if (!labels) return [];
    const name = freePolicyName(ctx as WorldFixContext, policy.namespace, `${self.name}-${key}-evidence`);
    const doc: { [key: string]: YValue } = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: policy.defaultedNamespace ? { name } : { name, namespace: policy.namespace },
      spec: { podSelector: { matchLabels: { ...labels } }, policyTypes: [data.direction], [key]: [rule] },
    };
    return propose(`Add NetworkPolicy ${name} for ${self.namespace}/${self.name}: ${key} ${what}`, [ctx.editor.insertDocumentsAfter(ctx.object.span.start, [doc])], { preferred });
  },
};

/** The labels that select exactly this workload's pods in its namespace (all its pods' common labels), or undefined. */
function exactSelector(workloads: readonly Workload[], w: Workload): Record<string, string> | undefined {
  const first = w.pods[0]?.labels ?? {};
  const labels: Record<string, string> = {};
  for (const k of Object.keys(first)) if (w.pods.every((p) => p.labels[k] === first[k])) labels[k] = first[k];
  if (Object.keys(labels).length === 0) return undefined;
  const sel = { matchLabels: labels, matchExpressions: [], valid: true };
  if (workloads.some((o) => o !== w && o.namespace === w.namespace && o.pods.some((p) => selectorMatches(sel, p.labels)))) return undefined;
  return labels;
}

function namespaceDefaulted(w: Workload): boolean {
  return w.sources.every((s) => readMeta(s).namespace === undefined);
}

/**
 * The policy that should admit the flow: among those isolating the pods on that side,
 * one that selects nothing else (where a rule belongs), else the first in workspace order.
 */
function reportingPolicy(reach: Reachability, classes: readonly number[], direction: 'Ingress' | 'Egress'): CompiledPolicy | undefined {
  const seen = new Map<number, CompiledPolicy>();
  for (const c of classes) for (const p of direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c]) if (p.policy.source) seen.set(p.index, p);
  const all = [...seen.values()];
  // A policy without metadata.namespace isolates whichever namespace it is applied to
  // (missing-namespace says so): which flows it blocks is not known, and the bundles that
  // ship one (a lab's generic default deny) apply it elsewhere than their workloads.
  if (all.some((p) => p.policy.defaultedNamespace)) return undefined;
  const list = all.sort((a, b) => a.index - b.index);
  const mine = new Set(classes);
  return list.find((p) => !isEmptySelector(p.policy.podSelector) && p.selected.every((c) => mine.has(c) || reach.classes[c].virtual)) ?? list[0];
}

/** The message of a blocked flow the service mesh refuses as well. */
function refusedText(flowText: string, shown: string, blocked: string, dstName: string, refusal: MeshRefusal, rule: string): string {
  const layer =
    refusal.targets.length > 0
      ? `the service mesh's SMI TrafficTargets for ServiceAccount ${refusal.account} (TrafficTarget ${refusal.targets.map((t) => t.name).join(', ')}) admit only ${admittedText(refusal)}, not ${refusal.caller}, so the mesh refuses this call too (${refusal.strictConfig ? `Open Service Mesh runs non-permissive: MeshConfig ${refusal.strictConfig}` : 'assuming the mesh enforces them: no MeshConfig in the workspace says it is permissive'})`
      : `the service mesh admits no caller to the pods of ${dstName}: Open Service Mesh runs non-permissive (MeshConfig ${refusal.strictConfig}), their namespace is in the mesh with sidecar injection and no SMI TrafficTarget names their ServiceAccount ${refusal.account}, so the mesh refuses this call too`;
  return `${flowText} is referenced (${shown}) but ${blocked}; ${layer}: if the call is meant to be refused, nothing is wrong; if it is needed, both the NetworkPolicy and a TrafficTarget need a rule (${rule}; ${refusal.caller} among the sources of a TrafficTarget for ${refusal.account}).`;
}

function admittedText(refusal: MeshRefusal): string {
  const accounts = [...new Set(refusal.targets.flatMap((t) => (t.sources === 'any' ? [] : t.sources)))];
  if (accounts.length === 0) return 'no source';
  return `ServiceAccount${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')}`;
}

function policyName(p: CompiledPolicy): string {
  return `${p.policy.namespace}/${p.policy.name}`;
}

/** What the policy admits instead: the peers of its rules on that side, or nothing. */
function admitsText(reach: Reachability, p: CompiledPolicy, direction: 'Ingress' | 'Egress', peerClasses: readonly number[], f: EvidencedFlow, read: Set<number>): string {
  const rules = direction === 'Ingress' ? p.ingress : p.egress;
  if (rules.length === 0) return `admits no ${direction === 'Ingress' ? 'source' : 'destination'} at all`;
  if (rules.some((r) => r.allPeers || peerClasses.some((c) => r.classes.has(c)))) return `admits ${direction === 'Ingress' ? endName(f.src) : endName(f.dst)} only on other ports`;
  const classes = new Set<number>();
  for (const r of rules) for (const c of r.classes.members) if (!reach.classes[c].virtual) classes.add(c);
  if (classes.size === 0) {
    const selectors = rules.some((r) => r.rule.peers?.some((peer) => peer.type === 'selector'));
    return selectors ? 'admits only pods that are not in the workspace' : 'admits only addresses outside the cluster (ipBlock)';
  }
  for (const c of classes) read.add(c);
  return `admits only ${workloadList(reach, classes)}`;
}

/** The rules' key (`spec.ingress`), else the policyTypes entry, else metadata.name: one line to show. */
function location(p: CompiledPolicy, direction: 'Ingress' | 'Egress'): { span: Span | undefined; path: string } {
  const src = p.policy.source!;
  const r = src.reader;
  const spec = r.map(r.get(src.map, 'spec'));
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const rulesPair = r.pair(spec, key);
  if (rulesPair) return { span: r.span(rulesPair.key), path: `spec.${key}` };
  const types = r.seq(r.get(spec, 'policyTypes'))?.items ?? [];
  for (let i = 0; i < types.length; i++) if (r.string(types[i]) === direction) return { span: r.span(r.resolve(types[i])), path: `spec.policyTypes[${i}]` };
  const meta = asMap(r.get(src.map, 'metadata')) as YAMLMap | undefined;
  const name = r.pair(meta, 'name');
  return { span: r.span(name?.value ?? name?.key), path: 'metadata.name' };
}

