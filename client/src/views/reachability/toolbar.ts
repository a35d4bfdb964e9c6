/** The reachability view's toolbar: title and scope, the three filters, view and export buttons. */
import { h, type ViewElement } from '../../webview/view-node';
import { EXPORT_LOOKS, VIEW_EXPORT_FORMATS } from './export';
import type { ReachFilters, ReachView } from './filters';

export interface ToolbarState {
  readonly title: string;
  /** "whole workspace" or "namespace shop". */
  readonly scope: string;
  readonly filters: ReachFilters;
  readonly view: ReachView;
}

const FILTER_INPUTS: readonly { key: keyof ReachFilters; label: string; placeholder: string; help: string }[] = [
  {
    key: 'namespace',
    label: 'Namespace',
    placeholder: 'e.g. shop, staging',
    help: 'Connections from or to these namespaces (comma-separated; a full name matches exactly, a part matches every namespace containing it)',
  },
  {
    key: 'workload',
    label: 'Workload',
    placeholder: 'e.g. shop/web, db',
    help: 'Connections from or to these endpoints (comma-separated; ns/name or ns/name[Kind] matches exactly, a part matches every name containing it)',
  },
  { key: 'port', label: 'Port', placeholder: 'e.g. 80, TCP 8080, 53/UDP', help: 'Connections that admit this port and/or protocol' },
];

export function reachabilityToolbar(p: ToolbarState): ViewElement {
  const input = (f: (typeof FILTER_INPUTS)[number]) =>
    h(
      'label',
      { class: 'filter', for: `f-${f.key}`, title: f.help },
      h('span', null, f.label),
      h('input', { id: `f-${f.key}`, 'data-filter': f.key, type: 'text', value: p.filters[f.key], placeholder: f.placeholder, spellcheck: 'false', autocomplete: 'off' }),
    );
  const viewButton = (v: ReachView, label: string) => h('button', { type: 'button', 'data-view': v, 'aria-pressed': String(p.view === v) }, label);
  return h(
    'header',
    { class: 'toolbar' },
    h('h1', null, `${p.title} `, h('span', { class: 'muted scope' }, p.scope)),
    h('div', { class: 'row' }, FILTER_INPUTS.map(input)),
    h(
      'div',
      { class: 'row' },
      h(
        'span',
        { class: 'group-buttons', role: 'group', 'aria-label': 'View' },
        viewButton('matrix', 'Matrix'),
        viewButton('graph', 'Graph'),
        h('button', { type: 'button', 'data-fit': true, 'aria-pressed': 'false', title: 'Scale the graph to the width of the panel' }, 'Fit width'),
      ),
      h(
        'span',
        { class: 'group-buttons', role: 'group', 'aria-label': 'Export' },
        'Export:',
        VIEW_EXPORT_FORMATS.map((format) => h('button', { type: 'button', 'data-export': format, title: EXPORT_LOOKS[format].title }, EXPORT_LOOKS[format].label)),
      ),
      h('button', { type: 'button', 'data-refresh': true, title: 'Ask the server again' }, 'Refresh'),
    ),
  );
}
