/**
 * The results part of the reachability view, rebuilt on every answer of the server and
 * every change of the filters (the toolbar and its inputs stay, with their focus and
 * caret): a summary line, then the matrix and the graph (the page shows one of them).
 */
import type { ReachabilityResult } from '../../../../server/src/protocol';
import { h, type ViewNode } from '../../webview/view-node';
import { applyFilters, type ReachFilters } from './filters';
import { graphSvg } from './graph-svg';
import { layoutGraph } from './graph-layout';
import { buildMatrix, matrixTable } from './matrix';

export interface ReachabilityState {
  readonly filters: ReachFilters;
  /** Absent while the first answer is awaited. */
  readonly model?: ReachabilityResult;
  readonly error?: string;
}

export function reachabilityContent(p: ReachabilityState): ViewNode[] {
  if (p.error) return [h('p', { class: 'error', role: 'alert' }, p.error)];
  if (!p.model) return [h('p', { class: 'muted', role: 'status' }, 'Waiting for the NetPol analysis…')];
  const f = applyFilters(p.model, p.filters);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out: ViewNode[] = [
    h(
      'p',
      { class: 'summary', role: 'status' },
      `${plural(f.connections.length, 'connection')}${f.connections.length !== f.total ? ` (of ${f.total})` : ''} between ${plural(f.endpoints.length, 'endpoint')}. `,
      h('span', { class: 'muted' }, 'Click a workload to open its definition, a connection to explain it.'),
    ),
  ];
  if (f.portError) out.push(h('p', { class: 'error', id: 'port-error' }, `Port filter ignored: ${f.portError}`));
  if (f.connections.length === 0) {
    out.push(h('p', { class: 'muted empty' }, f.total === 0 ? 'No connection is allowed in this scope.' : 'No connection matches the filters.'));
    return out;
  }
  const layout = layoutGraph(f);
  out.push(
    h('section', { class: 'matrix-view', 'aria-label': 'Matrix' }, matrixTable(buildMatrix(f))),
    h(
      'section',
      { class: 'graph-view', 'aria-label': 'Graph' },
      layout.truncated && h('p', { class: 'muted' }, `Only the first ${layout.nodes.length} endpoints are drawn: filter to see the others.`),
      graphSvg(layout),
    ),
  );
  return out;
}
