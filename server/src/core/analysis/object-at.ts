import type { ManifestObject } from '../manifest/load';
import type { Span } from '../base/span';
import type { Analysis } from './analyze';

/**
 * The innermost object of the analysis whose span holds the finding's start (a List's
 * items are objects of their own).
 */
export function objectAt(analysis: Analysis, span: Span): ManifestObject | undefined {
  let best: ManifestObject | undefined;
  for (const f of analysis.files) {
    if (f.path !== span.file) continue;
    for (const o of f.objects) {
      if (o.span.start <= span.start && span.start <= o.span.end && (!best || o.span.end - o.span.start < best.span.end - best.span.start)) best = o;
    }
  }
  return best;
}
