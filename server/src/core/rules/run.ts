import type { Analysis } from '../analyze';
import type { LoadedFile, ManifestObject } from '../manifest/load';
import type { CompiledPolicy } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import { policyReports, policyWorldReports, sameKey, type PolicyReport, type WorldKey } from './policy-reports';
import { RULES } from './registry';
import { DEFAULT_RULE_OPTIONS, type Finding, type PolicyContext, type Report, type Rule, type RuleContext, type RuleOptions, type Severity } from './types';

export interface RunOptions {
  /** Per-rule severity, or 'off'. Missing = the rule's default. */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
  readonly rules?: readonly Rule[];
  readonly options?: Partial<RuleOptions>;
  /** Filled with the milliseconds each rule took (by rule id), for benchmarks. */
  readonly timings?: Map<string, number>;
}

/** What the runner keeps per loaded file: its policies, and per rule the reports of all of them. */
interface FileEntry {
  readonly policies: readonly ManifestObject[];
  readonly reports: Map<Rule, { readonly key: WorldKey | undefined; readonly reports: readonly PolicyReport[] }>;
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

/** Model policies (compiled) by manifest, per reachability: built only when a per-policy hook has to run. */
const compiledBySource = new WeakMap<Reachability, Map<ManifestObject, CompiledPolicy>>();

function compiledOf(reach: Reachability, obj: ManifestObject): CompiledPolicy | undefined {
  let index = compiledBySource.get(reach);
  if (!index) {
    index = new Map();
    for (const cp of reach.compiled.policies) if (cp.policy.source && !index.has(cp.policy.source)) index.set(cp.policy.source, cp);
    compiledBySource.set(reach, index);
  }
  return index.get(obj);
}

/** The reports of one per-policy rule for every policy of a file, in document order. */
function fileReports(file: LoadedFile, rule: Rule, key: WorldKey | undefined, context: (obj: ManifestObject) => PolicyContext): readonly PolicyReport[] {
  const entry = fileEntry(file);
  const hit = entry.reports.get(rule);
  if (hit && (hit.key === key || (hit.key && key && sameKey(hit.key, key)))) return hit.reports;
  const out: PolicyReport[] = [];
  for (const p of entry.policies) {
    const reports = key ? policyWorldReports(p, rule, key, () => context(p)) : policyReports(p, rule);
    for (const r of reports) out.push(r);
  }
  entry.reports.set(rule, { key, reports: out });
  return out;
}

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
  const ruleOptions: RuleOptions = { ...DEFAULT_RULE_OPTIONS, ...options.options };
  const { reach, model } = analysis;
  // Everything a world-dependent verdict may read besides the world itself.
  const optionsKey = JSON.stringify([ruleOptions, model.defaultNamespace, reach.options]);
  const keys = { world: { world: reach.world, options: optionsKey }, options: { world: undefined, options: optionsKey } };
  const context = (obj: ManifestObject): PolicyContext => {
    const compiled = compiledOf(reach, obj);
    return { analysis, options: ruleOptions, policy: compiled?.policy, compiled };
  };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    const severity = options.severities?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const id = rule.meta.id;
    const report: Report = ({ message, span, path }) => {
      if (span) findings.push({ rule: id, severity, message, span, path });
    };
    const t0 = options.timings ? performance.now() : 0;
    try {
      // Per-policy results are cached by manifest object (and per file): only edited policies rerun.
      if (rule.checkPolicy) for (const f of analysis.files) for (const r of fileReports(f, rule, undefined, context)) report(r);
      if (rule.checkPolicyInWorld) {
        const key = rule.policyScope === 'options' ? keys.options : keys.world;
        for (const f of analysis.files) for (const r of fileReports(f, rule, key, context)) report(r);
      }
      if (rule.check) {
        const ctx: RuleContext = {
          analysis,
          get policies() {
            return all().policies;
          },
          get objects() {
            return all().objects;
          },
          options: ruleOptions,
          report,
        };
        rule.check(ctx);
      }
    } catch (e) {
      // One broken rule must not hide the others' findings (nor crash the server).
      const file = all().policies[0]?.span.file ?? '';
      findings.push({ rule: id, severity: 'error', message: `internal error in rule ${id}: ${(e as Error).message}`, span: { file, start: 0, end: 0 }, path: '' });
    }
    if (options.timings) options.timings.set(id, (options.timings.get(id) ?? 0) + performance.now() - t0);
  }
  return findings;
}
