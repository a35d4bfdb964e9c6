/** The reachability graph drawn from its layout: namespace columns, edges that explain, nodes that open. */
import { h, type ViewElement } from '../../webview/view-node';
import { GRAPH, truncate, type GraphLayout } from './graph-layout';

/** Characters of a connection string shown on an edge (the whole string is its tooltip). */
const EDGE_LABEL_CHARS = 24;

export function graphSvg(layout: GraphLayout): ViewElement {
  const columns = layout.columns.map((c) =>
    h(
      'g',
      { class: 'column' },
      h('rect', { class: 'column-bg', x: c.x - 8, y: layout.columnTop, width: c.width + 16, height: layout.columnBottom - layout.columnTop, rx: 6 }),
      h('text', { class: 'column-title', x: c.x + c.width / 2, y: layout.columnTop + 17, 'text-anchor': 'middle' }, truncate(c.title, GRAPH.labelChars)),
    ),
  );
  const edges = layout.edges.map((e) =>
    h(
      'g',
      { class: 'edge', 'data-explain-from': e.src, 'data-explain-to': e.dst },
      h('path', { d: e.path, 'marker-end': 'url(#np-arrow)' }),
      h('text', { class: 'edge-label', x: e.labelX, y: e.labelY, 'text-anchor': 'middle' }, truncate(e.conn, EDGE_LABEL_CHARS)),
      h('title', null, `${e.src} → ${e.dst}: ${e.conn}`),
    ),
  );
  const nodes = layout.nodes.map((n) =>
    h(
      'g',
      { class: `node kind-${n.kind}`, 'data-open': n.id, tabindex: 0, role: 'button' },
      h('rect', { x: n.x, y: n.y, width: n.width, height: n.height, rx: 4 }),
      h('text', { x: n.x + 8, y: n.y + n.height / 2 + 4 }, n.label),
      h('title', null, n.id),
    ),
  );
  return h(
    'svg',
    {
      class: `graph${layout.edgeLabels ? ' labels' : ''}`,
      width: layout.width,
      height: layout.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      role: 'img',
      'aria-label': `Reachability graph: ${layout.nodes.length} endpoints, ${layout.edges.length} connections`,
    },
    h(
      'defs',
      null,
      h('marker', { id: 'np-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, h('path', { class: 'arrowhead', d: 'M0,0 L10,5 L0,10 z' })),
    ),
    columns,
    h('g', { class: 'edges' }, edges),
    h('g', { class: 'nodes' }, nodes),
  );
}
