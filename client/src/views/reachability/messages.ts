/** What the reachability webview's script posts to the extension, validated. */
import { VIEW_EXPORT_FORMATS, type ViewExportFormat } from './export';
import type { ReachFilters, ReachView } from './filters';

/** What the webview's script posts to the extension. */
export type ReachMessage =
  | { readonly type: 'filter'; readonly filters: ReachFilters }
  | { readonly type: 'view'; readonly view: ReachView }
  | { readonly type: 'open'; readonly id: string }
  | { readonly type: 'explain'; readonly from: string; readonly to: string }
  | { readonly type: 'export'; readonly format: ViewExportFormat }
  | { readonly type: 'refresh' }
  /** The page (re)loaded: the extension answers with the current content. */
  | { readonly type: 'ready' };

const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length <= max;

/** Validates a message from the webview (which is not trusted more than any page). */
export function parseReachMessage(m: unknown): ReachMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'filter': {
      const f = o.filters as Record<string, unknown> | undefined;
      if (typeof f !== 'object' || f === null || !str(f.namespace) || !str(f.workload) || !str(f.port)) return undefined;
      return { type: 'filter', filters: { namespace: f.namespace, workload: f.workload, port: f.port } };
    }
    case 'view':
      return o.view === 'matrix' || o.view === 'graph' ? { type: 'view', view: o.view } : undefined;
    case 'open':
      return str(o.id) ? { type: 'open', id: o.id } : undefined;
    case 'explain':
      return str(o.from) && str(o.to) ? { type: 'explain', from: o.from, to: o.to } : undefined;
    case 'export':
      return (VIEW_EXPORT_FORMATS as readonly unknown[]).includes(o.format) ? { type: 'export', format: o.format as ViewExportFormat } : undefined;
    case 'refresh':
    case 'ready':
      return { type: o.type };
    default:
      return undefined;
  }
}
