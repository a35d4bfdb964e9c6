import type { Span } from '../../base/span';
import { CHANGE_RULES } from './catalog';
import type { Finding, Severity } from '../../lint/rule';
import type { AnyResponsible, ImpactReport } from '../types';
import type { ManifestObject } from '../../manifest/types';

/** What an anchor is looked up in: a policy of either kind, with its YAML. */
type Anchored = { readonly source?: ManifestObject };

export interface ChangeRunOptions {
  /** Per-rule severity, or 'off' (the settings' netpol.rules). */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
  /**
   * Where to report about a policy the edit deleted (nothing of it is left to point at):
   * the first line of its file, as the caller knows the text.
   */
  readonly fileStart?: (file: string) => Span | undefined;
}

/** The findings of the change rules on an impact, anchored in the edited documents. */
export function runChangeRules(impact: ImpactReport, options: ChangeRunOptions = {}): Finding[] {
  const out: Finding[] = [];
  if (impact.entries.length === 0) return out;
  for (const rule of CHANGE_RULES) {
    const setting = options.severities?.[rule.meta.id];
    if (setting === 'off') continue;
    const severity = setting ?? rule.meta.defaultSeverity;
    rule.checkChange(impact, ({ message, at }) => {
      const anchor = anchorOf(at) ?? fileAnchor(at, options.fileStart);
      if (anchor) out.push({ rule: rule.meta.id, severity, message, span: anchor.span, path: anchor.path });
    });
  }
  return out;
}

/**
 * One line of the edited workspace that stands for a responsible item: the rule (its
 * first key) when it is there as it is now; for what the baseline had, the same policy
 * as it is now (its rule list, else its podSelector); for a policy that now isolates,
 * its podSelector.
 */
export function anchorOf(at: AnyResponsible): { span: Span; path: string } | undefined {
  const now = at.role === 'allows' || at.role === 'isolates';
  const policy = now ? at.policy : at.current;
  if (!policy) return undefined;
  if (at.rule && now) {
    const key = at.rule.direction === 'Ingress' ? 'ingress' : 'egress';
    const path = `spec.${key}[${at.rule.index}]`;
    const span = ruleSpan(policy, key, at.rule.index);
    if (span) return { span, path };
  }
  if (at.rule) {
    const key = at.rule.direction === 'Ingress' ? 'ingress' : 'egress';
    const span = keySpan(policy, ['spec', key]);
    if (span) return { span, path: `spec.${key}` };
  }
  for (const path of [['spec', 'podSelector'], ['spec', 'subject'], ['metadata', 'name']]) {
    const span = keySpan(policy, path);
    if (span) return { span, path: path.join('.') };
  }
  return undefined;
}

function fileAnchor(at: AnyResponsible, fileStart: ChangeRunOptions['fileStart']): { span: Span; path: string } | undefined {
  const file = at.policy.span?.file;
  const span = file === undefined ? undefined : fileStart?.(file);
  return span ? { span, path: '' } : undefined;
}

/** The span of the key at `path` (a chain of mapping keys) in the policy's object. */
function keySpan(policy: Anchored, path: readonly string[]): Span | undefined {
  const obj = policy.source;
  if (!obj) return undefined;
  const r = obj.reader;
  let map = obj.map;
  for (let i = 0; i < path.length; i++) {
    const pair = r.pair(map, path[i]);
    if (!pair) return undefined;
    if (i === path.length - 1) return r.span(pair.key);
    map = r.map(pair.value) as typeof map;
  }
  return undefined;
}

/** The first key of rule `index` in spec.<key> (`from`, `ports`), or the item itself when it has none (`- {}`). */
function ruleSpan(policy: Anchored, key: string, index: number): Span | undefined {
  const obj = policy.source;
  if (!obj) return undefined;
  const r = obj.reader;
  const list = r.seq(r.get(r.map(r.get(obj.map, 'spec')), key));
  const item = list?.items[index];
  if (item === undefined) return undefined;
  const map = r.map(item);
  const first = map?.items[0];
  return first ? r.span(first.key) : r.span(item);
}
