import type { NetworkPolicy, Workload } from '../../model/types';
import type { Connection, Endpoint } from '../../reach/connections';
import { endpointName } from '../../reach/connections';
import type { Span } from '../../base/span';
import { codeSpan, markdownText } from '../../base/escape';

/** A place in the workspace: the file's URI and a 0-based line. */
export interface SourceLocation {
  readonly uri: string;
  readonly line: number;
}

/** Offsets to lines: the caller (the LSP layer) converts, the core only asks. */
export type Locate = (span: Span) => SourceLocation | undefined;

/** Items shown before a list is cut ("and 37 more"). */
export const MAX_ITEMS = 5;
/** Lines of a list shown before it is cut. */
export const MAX_LINES = 8;

/** A name, label or value as a Markdown code span, whatever it holds (see core/format/escape.ts). */
export const code = codeSpan;

/** Text from the files inside a Markdown sentence (a message, a kind). */
export const text = markdownText;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `a, b and c`; beyond `max`, `a, b, c, d, e and 37 more` (never "and 1 more": that one is shown). */
export function summarize(items: readonly string[], max = MAX_ITEMS): string {
  if (items.length <= max + 1) return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** At most `max` lines; the rest as one "and N more …" line (which never stands for a single line). */
export function capLines(lines: readonly string[], more: (n: number) => string, max = MAX_LINES): string[] {
  if (lines.length <= max + 1) return [...lines];
  return [...lines.slice(0, max), more(lines.length - max)];
}

/** A Markdown link to a place in the workspace: `[text](file-uri#Lline)`, 1-based line. */
export function link(label: string, span: Span | undefined, locate: Locate): string {
  const at = span ? locate(span) : undefined;
  if (!at) return markdownText(label);
  const target = at.uri.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
  return `[${markdownText(label)}](${target}#L${at.line + 1})`;
}

export function policyLink(p: NetworkPolicy, locate: Locate): string {
  return link(`${p.namespace}/${p.name}`, p.span, locate);
}

/** `name[Kind]`: a workload inside its namespace's group. */
export function shortName(w: Workload): string {
  return `${w.name}[${w.kind}]`;
}

/**
 * Connections as Markdown list lines, the other end grouped: workloads by namespace
 * (`- \`shop\` (TCP 80): \`a[Deployment]\`, \`b[Deployment]\``, or each with its own
 * connections when they differ), then the ingress controller, then address ranges.
 */
export function connectionLines(list: readonly Connection[], other: (c: Connection) => Endpoint): string[] {
  const groups = new Map<string, { name: string; conn: string }[]>();
  const controller: string[] = [];
  const ranges: string[] = [];
  for (const c of list) {
    const e = other(c);
    const conn = c.conn.toString();
    if (e.type === 'workload') {
      const g = groups.get(e.workload.namespace) ?? [];
      g.push({ name: shortName(e.workload), conn });
      groups.set(e.workload.namespace, g);
    } else if (e.type === 'ingress-controller') {
      controller.push(`- ${code(endpointName(e))} (${conn})`);
    } else {
      ranges.push(`- ${code(endpointName(e))} (${conn})`);
    }
  }
  const sorted = [...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const nsLines = sorted.map(([ns, items]) =>
    items.every((i) => i.conn === items[0].conn)
      ? `- ${code(ns)} (${items[0].conn}): ${summarize(items.map((i) => code(i.name)))}`
      : `- ${code(ns)}: ${summarize(items.map((i) => `${code(i.name)} (${i.conn})`))}`,
  );
  const hidden = (n: number) => sorted.slice(-n).reduce((sum, [, items]) => sum + items.length, 0);
  const lines = capLines(nsLines, (n) => `- and ${plural(n, 'more namespace')} (${plural(hidden(n), 'workload')})`);
  lines.push(...controller);
  lines.push(...capLines(ranges, (n) => `- and ${plural(n, 'more address range')}`, 4));
  return lines;
}
