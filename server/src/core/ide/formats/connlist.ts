import type { ConnSet } from '../../base/ports';
import { endpointName, type Connection, type Endpoint } from '../../reach/connections';
import { csvCell, dotString, markdownCell, mermaidLabel, textLine } from '../../base/escape';

export const CONNLIST_FORMATS = ['text', 'json', 'csv', 'md', 'dot', 'mermaid'] as const;
export type ConnlistFormat = (typeof CONNLIST_FORMATS)[number];

export interface Row {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

/**
 * Names endpoints and connection sets once each: a large list repeats the same
 * workloads, ranges and port sets on every line. Keyed by the objects the names derive
 * from (a workload, an address range, a connection set).
 */
class Namer {
  private readonly endpoints = new Map<object, string>();
  private readonly conns = new Map<ConnSet, string>();

  /** `escape` makes a name safe for the output format (identity for rows kept as data). */
  constructor(private readonly escape: (name: string) => string = (name) => name) {}

  endpoint(e: Endpoint): string {
    const key = e.type === 'workload' ? e.workload : e.type === 'ip' ? e.range : INGRESS_CONTROLLER_KEY;
    let name = this.endpoints.get(key);
    if (name === undefined) {
      name = this.escape(endpointName(e));
      this.endpoints.set(key, name);
    }
    return name;
  }

  conn(c: ConnSet): string {
    let text = this.conns.get(c);
    if (text === undefined) {
      text = c.toString();
      this.conns.set(c, text);
    }
    return text;
  }
}

const INGRESS_CONTROLLER_KEY = {};

function rows(list: readonly Connection[]): Row[] {
  const n = new Namer();
  return list.map((c) => ({ src: n.endpoint(c.src), dst: n.endpoint(c.dst), conn: n.conn(c.conn) }));
}

/** `src => dst : conn` lines, joined from shared pieces (no string per line, no row objects). */
function formatText(list: readonly Connection[]): string {
  // Names come from the files: each one is made safe for a line once (see textLine).
  const n = new Namer(textLine);
  const parts: string[] = [];
  for (const c of list) parts.push(n.endpoint(c.src), ' => ', n.endpoint(c.dst), ' : ', n.conn(c.conn), '\n');
  return parts.join('');
}

/** The connectivity list in netpol-analyzer's formats (txt/json/csv/md), plus DOT and Mermaid. */
export function formatConnlist(list: readonly Connection[], format: ConnlistFormat): string {
  if (format === 'text') return formatText(list);
  const r = rows(list);
  return formatRows(r, format);
}

/**
 * Connection rows (endpoint names and connection strings, as `netpol reach` writes them)
 * as a list, a table or a graph, ending with a newline: what the CLI prints and the
 * reachability view exports (netpol/export). Every name is escaped for its format
 * (core/base/escape.ts); JSON needs none.
 */
export function formatRows(r: readonly Row[], format: ConnlistFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(r, null, 2) + '\n';
    case 'text': {
      const e = memo(textLine);
      return r.map((x) => `${e(x.src)} => ${e(x.dst)} : ${e(x.conn)}\n`).join('');
    }
    case 'csv': {
      const e = memo(csvCell);
      return ['src,dst,conn', ...r.map((x) => `${e(x.src)},${e(x.dst)},${e(x.conn)}`)].join('\n') + '\n';
    }
    case 'md': {
      const e = memo(markdownCell);
      return ['| src | dst | conn |', '|-----|-----|------|', ...r.map((x) => `| ${e(x.src)} | ${e(x.dst)} | ${e(x.conn)} |`)].join('\n') + '\n';
    }
    case 'dot':
      return formatDot(r);
    case 'mermaid':
      return formatMermaid(r);
  }
}

/** An escaper that escapes each distinct name once (a list repeats the same endpoints on every line). */
function memo(escape: (s: string) => string): (s: string) => string {
  const done = new Map<string, string>();
  return (s) => {
    let out = done.get(s);
    if (out === undefined) done.set(s, (out = escape(s)));
    return out;
  };
}

function nodeIds(r: readonly Row[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const x of r) for (const n of [x.src, x.dst]) if (!ids.has(n)) ids.set(n, `n${ids.size}`);
  return ids;
}

function formatDot(r: readonly Row[]): string {
  const ids = nodeIds(r);
  const lines = ['digraph netpol {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const [name, id] of ids) {
    const shape = name.endsWith('[External]') ? ', shape=ellipse' : name === '{ingress-controller}' ? ', shape=hexagon' : '';
    lines.push(`  ${id} [label=${dotString(name)}${shape}];`);
  }
  for (const x of r) lines.push(`  ${ids.get(x.src)} -> ${ids.get(x.dst)} [label=${dotString(x.conn)}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function formatMermaid(r: readonly Row[]): string {
  const ids = nodeIds(r);
  const lines = ['flowchart LR'];
  for (const [name, id] of ids) lines.push(`  ${id}[${mermaidLabel(name)}]`);
  for (const x of r) lines.push(`  ${ids.get(x.src)} -->|${mermaidLabel(x.conn)}| ${ids.get(x.dst)}`);
  return lines.join('\n') + '\n';
}
