/**
 * Hovers over workspace YAML: reachability facts about the object under the cursor,
 * from the workspace analysis (never a second evaluation: verdicts are the
 * Reachability's, lists are `netpol reach`'s). Pure: text, offset and analysis in,
 * Markdown and the hovered span out.
 */
import type { Analysis } from '../../analysis/analyze';
import type { Evidence } from '../../evidence/types';
import { podTemplatePath } from '../../model/extract/workload';
import type { Ingress, Model, NetworkPolicy, Service, Workload } from '../../model/types';
import type { Span } from '../../base/span';
import type { Locate } from './format';
import { cursorPath, onValue, spanAt, startsWith, type CursorPath } from './locate';
import { peerHover, policySelectionHover, portHover } from './policy';
import { backendHover, ingressHover, serviceHover } from './service';
import { workloadHover } from './workload';
import { objectAt } from '../../analysis/object-at';
import type { ManifestObject } from '../../manifest/types';

export type { Locate, SourceLocation } from './format';

export interface HoverInput {
  readonly analysis: Analysis;
  /** The hovered file (as the analysis names it: the server's URI). */
  readonly file: string;
  /** Its current text (an analysis older than the text gets no hover). */
  readonly text: string;
  readonly offset: number;
  /** Spans to file and line, for the links to policies. */
  readonly locate: Locate;
  /** The evidenced flows (a workload's hover lists its callers and callees): asked only by a hover on a workload. */
  readonly evidence?: Evidence | (() => Evidence);
}

export interface HoverResult {
  readonly markdown: string;
  /** What the hover is about (the editor highlights it). */
  readonly span: Span;
}

export function hoverAt(input: HoverInput): HoverResult | undefined {
  const { analysis, file, text, offset } = input;
  const object = objectAt(analysis, { file, start: offset, end: offset });
  if (!object || object.span.end > text.length) return undefined;
  const path = cursorPath(object, offset);
  const found = ownersOf(analysis.model).get(object);
  if (!found) return undefined;
  const result =
    found.type === 'workload'
      ? workloadAt(input, path, found.index)
      : found.type === 'policy'
        ? policyAt(input, path, found.policy)
        : found.type === 'service'
          ? serviceAt(input, path, found.service)
          : ingressAt(input, path, found.ingress);
  return result && { markdown: result.markdown, span: trimmed(result.span, text) };
}

/** Without the line breaks and spaces a block node's range ends with. */
function trimmed(span: Span, text: string): Span {
  let end = Math.min(span.end, text.length);
  while (end > span.start && /\s/.test(text[end - 1])) end--;
  return { file: span.file, start: span.start, end };
}

type Owner =
  | { readonly type: 'workload'; readonly index: number; readonly workload: Workload }
  | { readonly type: 'policy'; readonly policy: NetworkPolicy }
  | { readonly type: 'service'; readonly service: Service }
  | { readonly type: 'ingress'; readonly ingress: Ingress };

const ownerIndex = new WeakMap<Model, Map<ManifestObject, Owner>>();

/** Manifest object -> the model object it became (cached per model). */
function ownersOf(model: Model): Map<ManifestObject, Owner> {
  let map = ownerIndex.get(model);
  if (map) return map;
  map = new Map();
  model.workloads.forEach((workload, index) => {
    for (const src of workload.sources) map!.set(src, { type: 'workload', index, workload });
  });
  for (const policy of model.policies) if (policy.source) map.set(policy.source, { type: 'policy', policy });
  for (const service of model.services) if (service.source && !map.has(service.source)) map.set(service.source, { type: 'service', service });
  for (const ingress of model.ingresses) if (ingress.source) map.set(ingress.source, { type: 'ingress', ingress });
  ownerIndex.set(model, map);
  return map;
}

const identity = (path: CursorPath) => onValue(path, ['kind']) || onValue(path, ['metadata', 'name']);

function workloadAt(input: HoverInput, path: CursorPath, index: number): HoverResult | undefined {
  const template = podTemplatePath(path.object.kind);
  if (template === undefined) return undefined;
  const labels = [...template, 'metadata', 'labels'];
  let span: Span | undefined;
  if (identity(path)) span = spanAt(path, path.steps.length);
  else if (startsWith(path, labels)) span = spanAt(path, labels.length);
  if (!span) return undefined;
  const evidence = typeof input.evidence === 'function' ? input.evidence() : input.evidence;
  return { markdown: workloadHover(input.analysis, index, input.locate, evidence), span };
}

function policyAt(input: HoverInput, path: CursorPath, policy: NetworkPolicy): HoverResult | undefined {
  const { analysis } = input;
  if (identity(path)) return { markdown: policySelectionHover(analysis, policy), span: spanAt(path, path.steps.length) };
  if (startsWith(path, ['spec', 'podSelector'])) return { markdown: policySelectionHover(analysis, policy), span: spanAt(path, 2) };
  for (const [key, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    if (!startsWith(path, ['spec', key, '#'])) continue;
    const rules = key === 'ingress' ? policy.ingress : policy.egress;
    const rule = rules.find((r) => r.index === path.steps[2].key);
    if (!rule) return undefined;
    if (startsWith(path, ['spec', key, '#', peers, '#'])) {
      const markdown = peerHover(analysis, policy, rule, path.steps[4].key as number);
      return markdown ? { markdown, span: spanAt(path, 5) } : undefined;
    }
    if (startsWith(path, ['spec', key, '#', 'ports', '#'])) {
      const markdown = portHover(analysis, policy, rule, path.steps[4].key as number);
      return markdown ? { markdown, span: spanAt(path, 5) } : undefined;
    }
  }
  return undefined;
}

function serviceAt(input: HoverInput, path: CursorPath, service: Service): HoverResult | undefined {
  let span: Span | undefined;
  if (identity(path)) span = spanAt(path, path.steps.length);
  else if (startsWith(path, ['spec', 'selector'])) span = spanAt(path, 2);
  else if (startsWith(path, ['spec', 'ports', '#'])) span = spanAt(path, 3);
  if (!span) return undefined;
  return { markdown: serviceHover(input.analysis, service), span };
}

function ingressAt(input: HoverInput, path: CursorPath, ingress: Ingress): HoverResult | undefined {
  if (identity(path)) return { markdown: ingressHover(input.analysis, ingress, input.locate), span: spanAt(path, path.steps.length) };
  // The innermost backend under the cursor (their spans are the backend mappings).
  let best: Ingress['backends'][number] | undefined;
  for (const b of ingress.backends) {
    if (!b.span || b.span.start > input.offset || input.offset >= b.span.end) continue;
    if (!best?.span || b.span.end - b.span.start < best.span.end - best.span.start) best = b;
  }
  if (!best?.span) return undefined;
  return { markdown: backendHover(input.analysis, ingress, best, input.locate), span: { file: best.span.file, start: best.span.start, end: best.span.end } };
}
