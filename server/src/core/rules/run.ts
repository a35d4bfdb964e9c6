import { sameItems } from '../base/arrays';
import type { Analysis } from '../analysis/analyze';
import { DEFAULTS } from '../analysis/config';
import { RULE_FAILED, ruleFailed } from './rule-failed';
import { compiledPoliciesOf, compiledPolicyOf } from './support/model-index';
import { carryWorldReports, policyReports, policyWorldReports, releasePolicyTree, sameKey, type PolicyReport, type WorldKey } from '../lint/policy-reports';
import { allUnchangedFor, NAMESPACE_CARRIED_RULES, namespacesUnchangedFor, unchangedFor } from './support/world-history';
import { WORKSPACE_RULES } from './catalog';
import { ruleOptionsOf, type PolicyContext, type RuleContext, type RuleOptions } from './types';
import type { Finding, Report, Severity } from '../lint/rule';
import type { PolicyAst } from '../lint/policy-ast';
import type { WorkspaceRule } from './types';
import type { LoadedFile, ManifestObject } from '../manifest/types';
import { errorText } from '../manifest/notes';
import { noteAssumedNamespace } from './support/assumed-namespace';

export interface RunOptions {
  /** Per-rule severity, or 'off'. Missing = the rule's default. */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
  readonly rules?: readonly WorkspaceRule[];
  readonly options?: Partial<RuleOptions>;
  /** Filled with the milliseconds each rule took (by rule id), for benchmarks. */
  readonly timings?: Map<string, number>;
  /**
   * No later run asks of these objects (the CLI): each policy's per-policy verdicts are all
   * computed while its tree is at hand, and the tree is let go (policy-reports.ts:
   * releasePolicyTree) instead of staying for the whole run.
   */
  readonly once?: boolean;
  /**
   * Only the findings in these files (by URI): the per-policy and per-file hooks run for
   * the files that hold them (and for the policies whose spans are in them), and the
   * workspace checks' findings are filtered. The findings of a file come in the order a
   * whole run gives them, so a server can publish a large workspace's first analysis
   * file by file, the per-policy caches filling as it goes.
   */
  readonly only?: ReadonlySet<string>;
  /**
   * The workspace checks' findings of this analysis and options, filled by the first run
   * that computes them and reused by the next (runs restricted with `only` then the whole).
   */
  readonly checks?: Map<WorkspaceRule, CheckResult>;
}

/** What one rule's workspace check (`check`) found: its findings, or that it threw. */
export interface CheckResult {
  readonly findings: readonly Finding[];
  readonly error?: unknown;
  /** Judged for the files of one run only (RuleContext.only): the next run judges the whole. */
  readonly partial?: boolean;
}

/** What the runner keeps per loaded file: its policies, and per rule the reports of all of them. */
interface FileEntry {
  readonly policies: readonly ManifestObject[];
  readonly reports: Map<WorkspaceRule, { readonly key: WorldKey | undefined; readonly reports: readonly PolicyReport[] }>;
}

/**
 * Per-file results of the per-policy hooks. The server keeps the LoadedFile of every file
 * whose text did not change, so after an edit the files not touched answer from here
 * and only the edited file asks its policies (which answer from their own cache unless
 * they changed): the cost of an edit does not grow with the number of policies.
 */
const byFile = new WeakMap<LoadedFile, FileEntry>();

function fileEntry(file: LoadedFile): FileEntry {
  let entry = byFile.get(file);
  if (!entry) {
    const policies = file.objects.filter((o) => o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/'));
    entry = { policies, reports: new Map() };
    byFile.set(file, entry);
  }
  return entry;
}

function fileReportsFresh(file: LoadedFile, rule: WorkspaceRule, key: WorldKey | undefined): boolean {
  const hit = fileEntry(file).reports.get(rule);
  return hit !== undefined && (hit.key === key || (hit.key !== undefined && key !== undefined && sameKey(hit.key, key)));
}

/** Carries a file's reports of one rule over to another key (see carryWorldReports): true when there were reports under `from`. */
function carryFileReports(file: LoadedFile, rule: WorkspaceRule, from: (key: WorldKey) => boolean, to: WorldKey): boolean {
  const entry = fileEntry(file);
  const hit = entry.reports.get(rule);
  if (!hit || hit.key === undefined || !from(hit.key)) return false;
  entry.reports.set(rule, { key: to, reports: hit.reports });
  return true;
}

/** The reports of one per-policy rule for every policy of a file, in document order. */
function fileReports(file: LoadedFile, rule: WorkspaceRule, key: WorldKey | undefined, context: (file: LoadedFile, obj: ManifestObject) => PolicyContext): readonly PolicyReport[] {
  const entry = fileEntry(file);
  const hit = entry.reports.get(rule);
  if (hit && fileReportsFresh(file, rule, key)) return hit.reports;
  const out: PolicyReport[] = [];
  for (const p of entry.policies) {
    const reports = key ? policyWorldReports(p, rule, key, worldCheck(rule, () => context(file, p))) : policyReports(p, rule);
    for (const r of reports) out.push(r);
  }
  entry.reports.set(rule, { key, reports: out });
  return out;
}

/** The rule's checkPolicyInWorld on one policy; the context is made only when the check runs. */
function worldCheck(rule: WorkspaceRule, context: () => PolicyContext): (ast: PolicyAst, report: Report) => void {
  return (ast, report) => rule.checkPolicyInWorld?.(ast, context(), report);
}

/** A rule's checkFile reports on each loaded file, cached per file: its verdict depends on that file alone. */
const fileChecks = new WeakMap<LoadedFile, Map<WorkspaceRule, readonly PolicyReport[]>>();

function fileCheckReports(file: LoadedFile, rule: WorkspaceRule): readonly PolicyReport[] {
  let byRule = fileChecks.get(file);
  if (!byRule) fileChecks.set(file, (byRule = new Map()));
  let reports = byRule.get(rule);
  if (!reports) {
    const out: PolicyReport[] = [];
    rule.checkFile?.(file, (r) => out.push(r));
    byRule.set(rule, (reports = out));
  }
  return reports;
}

/** The findings made of a file's reports of one rule (runRules: reportAll), per reports array. */
const madeFindings = new WeakMap<readonly PolicyReport[], { readonly rule: WorkspaceRule; readonly severities: string; readonly findings: readonly Finding[] }>();

/** How a stale per-policy verdict may be carried over to this run's world (see runRules). */
const NOT_CARRIED = 0;
const WORLD = 1;
const NAMESPACES = 2;

/** Runs the rules over an analysis; a rule that throws is reported, not fatal. */
export function runRules(analysis: Analysis, options: RunOptions = {}): Finding[] {
  let lists: { policies: ManifestObject[]; objects: ManifestObject[] } | undefined;
  const all = () => {
    if (!lists) {
      lists = { policies: [], objects: [] };
      for (const f of analysis.files) {
        for (const o of f.objects) lists.objects.push(o);
        for (const p of fileEntry(f).policies) lists.policies.push(p);
      }
    }
    return lists;
  };
  const rules = options.rules ?? WORKSPACE_RULES;
  const severityOf = (rule: WorkspaceRule) => options.severities?.[rule.meta.id] ?? rule.meta.defaultSeverity;
  const ruleOptions: RuleOptions = { ...ruleOptionsOf(DEFAULTS), ...options.options };
  const { reach, model } = analysis;
  // Everything a world-dependent verdict may read besides the world itself.
  const optionsKey = JSON.stringify([ruleOptions, model.defaultNamespace, reach.options]);
  const keys = {
    world: { world: reach.world, options: optionsKey },
    namespaces: { world: reach.namespacesToken, options: optionsKey },
    options: { world: undefined, options: optionsKey },
  };
  const keyOf = (rule: WorkspaceRule): WorldKey => keys[rule.policyScope ?? 'world'];
  const contexts = new Map<ManifestObject, PolicyContext>();
  const context = (file: LoadedFile, obj: ManifestObject): PolicyContext => {
    let ctx = contexts.get(obj);
    if (!ctx) {
      const compiled = compiledPolicyOf(analysis, file, obj);
      contexts.set(obj, (ctx = { analysis, options: ruleOptions, policy: compiled?.policy, compiled }));
    }
    return ctx;
  };

  // When the world changed, every policy is checked again: policy by policy, all rules
  // in a row, while its YAML is at hand (the rules below then read the caches). A
  // verdict against an earlier world is carried over when the world changed only where
  // the policy reads nothing (support/world-history.ts).
  const inWorld = rules.filter((r) => r.checkPolicyInWorld && severityOf(r) !== 'off');
  const plain = options.once ? rules.filter((r) => r.checkPolicy && severityOf(r) !== 'off') : [];
  const carryable = reach.worldHistory.length > 0;
  const only = options.only;
  const selected = only && selectedFiles(analysis, only);
  const files = selected ? analysis.files.filter((f) => selected.has(f)) : analysis.files;
  const inOnly = (f: { readonly span?: { readonly file: string } }) => only === undefined || (f.span !== undefined && only.has(f.span.file));
  for (const f of files) {
    let stale = inWorld.filter((r) => !fileReportsFresh(f, r, keyOf(r)));
    if (stale.length === 0 && !options.once) continue;
    let carry = carryable ? stale.filter((r) => (r.policyScope ?? 'world') === 'world') : [];
    const carryNamespaces = reach.namespacesHistory.length > 0 ? stale.filter((r) => r.policyScope === 'namespaces' && NAMESPACE_CARRIED_RULES.has(r.meta.id)) : [];
    // A file none of whose policies reads what changed: its reports as they are.
    const cps = carry.length > 0 ? compiledPoliciesOf(analysis, f) : [];
    if (carry.length > 0 && cps.length === fileEntry(f).policies.length) {
      const verdicts = new Map<object | undefined, boolean>();
      const from = (k: WorldKey) => {
        if (k.options !== keys.world.options) return false;
        let v = verdicts.get(k.world);
        if (v === undefined) verdicts.set(k.world, (v = allUnchangedFor(reach, k.world, cps)));
        return v;
      };
      const carried = new Set(carry.filter((rule) => carryFileReports(f, rule, from, keys.world)));
      if (carried.size > 0) {
        stale = stale.filter((r) => !carried.has(r));
        carry = carry.filter((r) => !carried.has(r));
        if (stale.length === 0 && !options.once) continue;
      }
    }
    // Each stale rule's reports of this file, gathered policy by policy (then fresh for the findings below).
    const gathered = stale.map((): PolicyReport[] => []);
    // How each stale rule's verdict may be carried over: by the world's history, the namespaces', or not at all.
    const carriedBy = stale.map((rule) => (carry.includes(rule) ? WORLD : carryNamespaces.includes(rule) ? NAMESPACES : NOT_CARRIED));
    // Whether the policy at hand reads nothing that changed since a world (asked once per
    // world and policy; one pair of closures for the file, not per policy).
    let current: ManifestObject = fileEntry(f).policies[0];
    let worldAsked: object | undefined;
    let worldVerdict = false;
    let namespacesAsked: object | undefined;
    let namespacesVerdict = false;
    const fromWorld = (k: WorldKey) => {
      if (k.options !== keys.world.options) return false;
      if (worldAsked !== k.world || worldAsked === undefined) {
        const ctx = context(f, current);
        worldVerdict = unchangedFor(reach, k.world, ctx.compiled, ctx.policy);
        worldAsked = k.world;
      }
      return worldVerdict;
    };
    const fromNamespaces = (k: WorldKey) => {
      if (k.options !== keys.namespaces.options) return false;
      if (namespacesAsked !== k.world || namespacesAsked === undefined) {
        namespacesVerdict = namespacesUnchangedFor(reach, k.world, context(f, current).policy, ruleOptions.environmentLabel);
        namespacesAsked = k.world;
      }
      return namespacesVerdict;
    };
    for (const p of fileEntry(f).policies) {
      current = p;
      worldAsked = undefined;
      namespacesAsked = undefined;
      for (let i = 0; i < stale.length; i++) {
        const rule = stale[i];
        const by = carriedBy[i];
        let reports = by === WORLD ? carryWorldReports(p, rule, fromWorld, keys.world) : by === NAMESPACES ? carryWorldReports(p, rule, fromNamespaces, keys.namespaces) : undefined;
        if (reports === undefined) {
          const t0 = options.timings ? performance.now() : 0;
          // (A rule that throws on a policy has that recorded as its report: see policy-reports.)
          reports = policyWorldReports(p, rule, keyOf(rule), worldCheck(rule, () => context(f, p)));
          if (options.timings) options.timings.set(rule.meta.id, (options.timings.get(rule.meta.id) ?? 0) + performance.now() - t0);
        }
        for (const r of reports) gathered[i].push(r);
      }
      if (options.once) {
        for (const rule of plain) policyReports(p, rule);
        releasePolicyTree(p);
      }
    }
    stale.forEach((rule, i) => {
      // The same reports as before (every one carried over) keep their array: the findings made of it stand too.
      const last = fileEntry(f).reports.get(rule)?.reports;
      fileEntry(f).reports.set(rule, { key: keyOf(rule), reports: last && sameItems(last, gathered[i]) ? last : gathered[i] });
    });
  }

  const findings: Finding[] = [];
  const failedSeverity = options.severities?.[RULE_FAILED] ?? ruleFailed.meta.defaultSeverity;
  const ruleFailedFinding = (id: string, e: unknown): Finding | undefined => {
    // One broken rule must not hide the others' findings (nor crash the server): it
    // is named, at the top of the first file, as a bug of ours.
    const file = analysis.files[0]?.path;
    if (failedSeverity === 'off' || file === undefined) return undefined;
    return {
      rule: RULE_FAILED,
      severity: failedSeverity,
      message: `Rule ${id} could not finish on this workspace (${errorText(e)}): its findings are missing. A NetPol bug, please report it. The other rules' findings stand.`,
      span: { file, start: 0, end: 0 },
      path: '',
    };
  };
  for (const rule of rules) {
    const severity = severityOf(rule);
    if (severity === 'off') continue;
    const id = rule.meta.id;
    const configured = options.severities?.[id] as Severity | undefined;
    const reportTo = (out: Finding[]): Report => ({ message, span, path, data, severity: own }) => {
      if (!span) return;
      // A finding's own severity (a deliberate case) gives way to one the user set for the rule.
      const s = configured ?? own ?? severity;
      out.push(data === undefined ? { rule: id, severity: s, message, span, path } : { rule: id, severity: s, message, span, path, data });
    };
    const report = reportTo(findings);
    const reportPolicy = (r: PolicyReport, out: Finding[], to: Report) => {
      if (!inOnly(r)) return;
      if (!r.failed) to(r);
      else if (failedSeverity !== 'off' && r.span) out.push({ rule: RULE_FAILED, severity: failedSeverity, message: r.message, span: r.span, path: r.path });
    };
    // A file's per-policy reports become findings once per reports array and severities (an
    // unchanged file keeps its array across edits: 8,000 findings are not made again per keystroke).
    const severities = `${configured ?? ''}\u0000${severity}\u0000${failedSeverity}`;
    const reportAll = (reports: readonly PolicyReport[]) => {
      if (only !== undefined) {
        for (const r of reports) reportPolicy(r, findings, report);
        return;
      }
      let made = madeFindings.get(reports);
      if (!made || made.rule !== rule || made.severities !== severities) {
        const out: Finding[] = [];
        const to = reportTo(out);
        for (const r of reports) reportPolicy(r, out, to);
        madeFindings.set(reports, (made = { rule, severities, findings: out }));
      }
      for (const x of made.findings) findings.push(x);
    };
    const t0 = options.timings ? performance.now() : 0;
    try {
      // Per-policy results are cached by manifest object (and per file): only edited policies rerun.
      if (rule.checkPolicy) for (const f of files) reportAll(fileReports(f, rule, undefined, context));
      if (rule.checkPolicyInWorld) for (const f of files) reportAll(fileReports(f, rule, keyOf(rule), context));
      if (rule.checkFile) for (const f of files) for (const r of fileCheckReports(f, rule)) if (inOnly(r)) report(r);
      if (rule.check) {
        const cached = options.checks?.get(rule);
        let result = cached?.partial ? undefined : cached;
        if (!result) {
          // The first run restricted to some files (a workspace's first files, published
          // before the others) lets a scoped check judge only what can be reported there;
          // the next run, restricted or not, judges the whole (what the first judged is memoised by the rule).
          const scoped = only !== undefined && rule.scopedCheck === true && cached === undefined;
          const out: Finding[] = [];
          const ctx: RuleContext = {
            analysis,
            get policies() {
              return all().policies;
            },
            get objects() {
              return all().objects;
            },
            options: ruleOptions,
            report: reportTo(out),
            ...(scoped ? { only } : {}),
          };
          try {
            rule.check(ctx);
            result = { findings: out, ...(scoped ? { partial: true } : {}) };
          } catch (e) {
            result = { findings: out, error: e, ...(scoped ? { partial: true } : {}) };
          }
          options.checks?.set(rule, result);
        }
        // (What a check reported before it threw stands, as it did when reports went straight to the findings.)
        for (const f of result.findings) if (inOnly(f)) findings.push(f);
        if (result.error !== undefined) throw result.error;
      }
    } catch (e) {
      const failed = ruleFailedFinding(id, e);
      if (failed && inOnly(failed)) findings.push(failed);
    }
    if (options.timings) options.timings.set(id, (options.timings.get(id) ?? 0) + performance.now() - t0);
  }
  return noteAssumedNamespace(findings, model);
}

/**
 * The files whose hooks a run restricted to `only` asks: those named, and those holding a
 * policy whose span is in one named (a kustomized variant reports on its source's lines).
 */
function selectedFiles(analysis: Analysis, only: ReadonlySet<string>): Set<LoadedFile> {
  const out = new Set<LoadedFile>();
  for (const f of analysis.files) if (only.has(f.path)) out.add(f);
  const elsewhere = policiesElsewhere(analysis);
  for (const uri of only) for (const f of elsewhere.get(uri) ?? []) out.add(f);
  return out;
}

/** Per analysis: the files holding a policy whose span is in another file, by that file (asked once per slice of a run in steps). */
const elsewhereCache = new WeakMap<Analysis, Map<string, LoadedFile[]>>();

function policiesElsewhere(analysis: Analysis): Map<string, LoadedFile[]> {
  let byFile = elsewhereCache.get(analysis);
  if (!byFile) {
    byFile = new Map();
    for (const f of analysis.files) {
      for (const p of fileEntry(f).policies) {
        const file = p.span.file;
        if (file === f.path) continue;
        const list = byFile.get(file);
        if (!list) byFile.set(file, [f]);
        else if (!list.includes(f)) list.push(f);
      }
    }
    elsewhereCache.set(analysis, byFile);
  }
  return byFile;
}
