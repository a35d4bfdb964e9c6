import type { Span } from '../base/span';
import { policyKey } from '../impact/changes';
import { type DiffKind } from '../impact/diff';
import type { ImpactState } from '../impact/baselines';
import { anchorOf } from '../impact/rules/run';
import type { ClusterResponsible, Responsible, ResponsibleRole } from '../impact/types';
import { clusterPolicyKey } from '../impact/cluster-attribution';
import { diffEntryStrings } from './formats/diff';

/**
 * The change impact as the editor shows it (status bar, Change Impact view, lenses):
 * counts, netpol diff's entries as strings, who is responsible for each, the changed
 * policies. Places are spans; the LSP turns them into locations (lsp/to-lsp.ts).
 */
export interface ImpactSummary {
  /** Open files whose text differs from their baseline. Empty: no pending change. */
  readonly files: readonly string[];
  /** What the files are compared with: `git HEAD`, `last saved`, or both joined by ` / `. */
  readonly baseline: string;
  readonly opened: number;
  readonly closed: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly breaking: number;
  /** Entries that close an evidenced flow. */
  readonly breaksEvidence: number;
  readonly entries: readonly ImpactSummaryEntry[];
  /** Entries left out of `entries`. */
  readonly truncated: number;
  readonly policies: readonly ImpactSummaryPolicy[];
}

export interface ImpactSummaryEntry {
  readonly kind: DiffKind;
  readonly src: string;
  readonly dst: string;
  readonly before: string;
  readonly after: string;
  readonly gained: string;
  readonly lost: string;
  readonly breaking: boolean;
  readonly external: boolean;
  readonly responsible: readonly ImpactSummaryResponsible[];
  /** The evidenced flows it closes: `TCP 8443: env PAYMENTS_URL`, where the evidence is. */
  readonly evidence: readonly { readonly text: string; readonly span: Span }[];
}

export interface ImpactSummaryResponsible {
  readonly policy: string;
  /** `ingress[0]`/`egress[1]`, absent when the policy as a whole is responsible. */
  readonly rule?: string;
  readonly role: ResponsibleRole;
  /** Where it is in the edited workspace; absent when the policy is gone. */
  readonly span?: Span;
  /** One line for the view: `ingress[0] of shop/allow-web admits it`. */
  readonly text: string;
}

export interface ImpactSummaryPolicy {
  readonly policy: string;
  readonly status: 'added' | 'modified' | 'deleted';
  /** Absent for a deleted policy. */
  readonly span?: Span;
  readonly opened: number;
  readonly closed: number;
}

/** Entries sent to the client (the counts cover all). */
const MAX_ENTRIES = 300;

/** The summary of an impact; undefined when no open file differs from its baseline. */
export function summarizeImpact(state: ImpactState): ImpactSummary | undefined {
  if (state.files.length === 0) return undefined;
  const { entries, policies } = state.report;
  let opened = 0;
  let closed = 0;
  let breaking = 0;
  let breaksEvidence = 0;
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const e of entries) {
    counts[e.kind]++;
    if (!e.gained.isEmpty()) opened++;
    if (!e.lost.isEmpty()) closed++;
    if (e.breaking) breaking++;
    if (e.evidence.length > 0) breaksEvidence++;
  }
  const out: ImpactSummaryEntry[] = entries.slice(0, MAX_ENTRIES).map((e) => ({
    ...diffEntryStrings(e),
    breaking: e.breaking,
    external: e.external,
    responsible: [...e.responsible.map(responsible), ...(e.clusterResponsible ?? []).map(clusterResponsible)],
    evidence: e.evidence.map((m) => ({ text: `${m.protocol} ${m.port}: ${m.what}`, span: m.where })),
  }));
  return {
    files: state.files.map((f) => f.uri),
    baseline: [...new Set(state.files.map((f) => f.kind))].join(' / '),
    opened,
    closed,
    ...counts,
    breaking,
    breaksEvidence,
    entries: out,
    truncated: entries.length - out.length,
    policies: [...policies, ...(state.report.clusterPolicies ?? [])].map((p) => ({ policy: p.key, status: p.status, ...(p.after?.span ? { span: p.after.span } : {}), opened: p.opened, closed: p.closed })),
  };
}

/** A cluster policy's rule, named as the view shows it: `ingress[0] of AdminNetworkPolicy deny-dev`. */
function clusterResponsible(r: ClusterResponsible): ImpactSummaryResponsible {
  const rule = `${r.rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${r.rule.index}]`;
  const name = clusterPolicyKey(r.policy);
  const text = {
    allows: `${rule} of ${name} ${r.rule.action === 'Pass' ? 'passes it to the tiers below, which admit it' : 'admits it'}`,
    'no-longer-allows': `${rule} of ${name} admitted it before the edit`,
    isolates: `${rule} of ${name} ${r.rule.action === 'Pass' ? 'passes it to the tiers below, which deny it' : 'denies it'}`,
    'no-longer-isolates': `${rule} of ${name} denied it before the edit`,
  }[r.role];
  const span = anchorOf(r)?.span;
  return { policy: name, rule, role: r.role, ...(span ? { span } : {}), text };
}

function responsible(r: Responsible): ImpactSummaryResponsible {
  const rule = r.rule ? `${r.rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${r.rule.index}]` : undefined;
  const name = policyKey(r.policy);
  const text = {
    allows: `${rule} of ${name} admits it`,
    'no-longer-allows': `${rule} of ${name} admitted it before the edit`,
    isolates: `${name} now isolates it and admits it nowhere`,
    'no-longer-isolates': `${name} isolated it before the edit`,
  }[r.role];
  const anchor = anchorOf(r);
  return { policy: name, ...(rule ? { rule } : {}), role: r.role, ...(anchor ? { span: anchor.span } : {}), text };
}

/** Lenses above the changed policies of one document: where (the policy's start) and what they say. */
export function impactLenses(state: ImpactState, uri: string): { readonly span: Span; readonly title: string }[] {
  const kind = state.files.find((f) => f.uri === uri)?.kind;
  if (!kind) return [];
  const out: { span: Span; title: string }[] = [];
  for (const p of [...state.report.policies, ...(state.report.clusterPolicies ?? [])]) {
    const span = p.after?.span;
    if (!span || span.file !== uri) continue;
    const effect = p.opened + p.closed === 0 ? 'no connectivity change' : `+${flows(p.opened)} · \u2212${flows(p.closed)}`;
    out.push({ span: { file: uri, start: span.start, end: span.start }, title: `$(git-compare) ${p.status === 'added' ? 'new' : 'changed'} vs ${kind}: ${effect}` });
  }
  return out;
}

function flows(n: number): string {
  return `${n} ${n === 1 ? 'flow' : 'flows'}`;
}
