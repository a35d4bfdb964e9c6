/**
 * The change impact as the client shows it: the status-bar text and tooltip and the
 * tree of the "NetPol Change Impact" view, computed from the server's
 * ChangeImpactResult. Pure (no `vscode`): view.ts adapts these plain nodes to
 * TreeItems, and the unit tests check them under node.
 *
 * Names and paths come from the workspace's files: labels, descriptions and messages are
 * plain text made one line, tooltips are Markdown with names in code spans (labels.ts).
 */
import { markdownCode, markdownText, oneLine } from '../../labels';
import type { ChangeImpactEntry, ChangeImpactResult, ChangeResponsible, ChangedPolicy, ResponsibleRole, SourceLocation } from '../../../../server/src/protocol';

/** What the server writes for an empty connection set. */
const NO_CONNECTIONS = 'No Connections';
/** U+2212, not a hyphen: the status bar's `−1 flow` reads as a count, not a dash. */
const MINUS = '\u2212';

export type ImpactNodeKind = 'group' | 'flow' | 'responsible' | 'policy' | 'more' | 'none';

/** One row of the tree, free of editor types. */
export interface ImpactNode {
  /** Unique in the tree and the same across updates, so the view keeps what is expanded. */
  readonly id: string;
  readonly kind: ImpactNodeKind;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  /** A codicon id (`warning`, `arrow-right`…). */
  readonly icon: string;
  /** A theme colour id for the icon. */
  readonly color?: string;
  /** Where a click goes (0-based line). */
  readonly location?: SourceLocation;
  /** Flows only: loses ports a Service or Ingress routes to. */
  readonly breaking?: boolean;
  /** Flows with an end the explain command understands: its question (`netpol.explainConnection`). */
  readonly explain?: { readonly from: string; readonly to: string };
  /** Shown expanded at first (groups); other nodes with children start collapsed. */
  readonly expanded?: boolean;
  readonly children: readonly ImpactNode[];
}

/** Open files differ from their baseline: there is something to show. */
export function hasPendingChange(result: ChangeImpactResult | undefined): result is ChangeImpactResult {
  return result !== undefined && result.files.length > 0;
}

/** `1 flow`, `3 flows`. */
export function flowCount(n: number): string {
  return `${n} flow${n === 1 ? '' : 's'}`;
}

/** `+3 flows · −1 flow`, `−1 flow`, or `no flow change` for edits that change no connectivity. */
export function impactSummary(result: ChangeImpactResult): string {
  const parts: string[] = [];
  if (result.opened > 0) parts.push(`+${flowCount(result.opened)}`);
  if (result.closed > 0) parts.push(`${MINUS}${flowCount(result.closed)}`);
  return parts.length > 0 ? parts.join(' · ') : 'no flow change';
}

/** The status-bar text, undefined when the item is hidden (no pending change). */
export function statusText(result: ChangeImpactResult | undefined): string | undefined {
  if (!hasPendingChange(result)) return undefined;
  return `${result.breaking > 0 || (result.breaksEvidence ?? 0) > 0 ? '$(warning)' : '$(git-compare)'} ${impactSummary(result)}`;
}

/** The status-bar tooltip (markdown with theme icons). */
export function statusTooltip(result: ChangeImpactResult): string {
  const lines = [
    `**NetPol change impact** of the pending edits against ${markdownText(result.baseline)}`,
    `Files: ${result.files.map((f) => code(fileName(f))).join(', ')}`,
    `+${flowCount(result.opened)} opened · ${MINUS}${flowCount(result.closed)} closed ` +
      `(${result.added} added, ${result.removed} removed, ${result.changed} changed)`,
  ];
  if ((result.breaksEvidence ?? 0) > 0) {
    const n = result.breaksEvidence ?? 0;
    lines.push(`$(warning) ${n} closed ${n === 1 ? 'flow breaks' : 'flows break'} an evidenced flow: the manifests show the application needs ${n === 1 ? 'it' : 'them'}`);
  }
  if (result.breaking > 0) {
    lines.push(`$(warning) ${result.breaking} likely-breaking ${result.breaking === 1 ? 'flow' : 'flows'}: a Service or Ingress routes to ports ${result.breaking === 1 ? 'it loses' : 'they lose'}`);
  }
  lines.push('Click to show the NetPol Change Impact view.');
  return lines.join('\n\n');
}

/** The line above the tree: what is compared with what. */
export function viewMessage(result: ChangeImpactResult | undefined): string | undefined {
  if (!hasPendingChange(result)) return undefined;
  return oneLine(`Edits in ${result.files.map(fileName).join(', ')} against ${result.baseline}`);
}

/** The view's tree: opened flows, closed flows, changed policies, then what was left out. */
export function impactTree(result: ChangeImpactResult | undefined): ImpactNode[] {
  if (!hasPendingChange(result)) return [];
  const opened = result.entries.filter(opensConnections);
  const closed = result.entries.filter(closesConnections);
  const roots: ImpactNode[] = [];
  // The server's counts include the entries it left out (truncated); the lists cannot.
  const openedCount = Math.max(result.opened, opened.length);
  const closedCount = Math.max(result.closed, closed.length);
  if (openedCount > 0) roots.push(group('opened', `Opened flows (${openedCount})`, 'unlock', opened.map((e) => openedFlow(e))));
  if (closedCount > 0) roots.push(group('closed', `Closed flows (${closedCount})`, 'lock', closed.map((e) => closedFlow(e))));
  if (result.policies.length > 0) roots.push(group('policies', `Changed policies (${result.policies.length})`, 'shield', result.policies.map(policyNode)));
  if (result.truncated > 0) {
    roots.push({
      id: 'more',
      kind: 'more',
      label: `… ${result.truncated} more ${result.truncated === 1 ? 'flow' : 'flows'} (see netpol diff)`,
      tooltip: 'The view lists the first flows only; `netpol diff` on the command line lists them all.',
      icon: 'ellipsis',
      children: [],
    });
  }
  if (roots.length === 0) {
    roots.push({ id: 'none', kind: 'none', label: 'No flow changes', description: oneLine(`against ${result.baseline}`), icon: 'check', children: [] });
  }
  return roots;
}

export function opensConnections(e: ChangeImpactEntry): boolean {
  return e.gained !== NO_CONNECTIONS;
}

export function closesConnections(e: ChangeImpactEntry): boolean {
  return e.lost !== NO_CONNECTIONS;
}

/** Every flow node of a tree (under "Opened flows" and "Closed flows"). */
export function flowNodes(tree: readonly ImpactNode[]): ImpactNode[] {
  return tree.flatMap((root) => root.children.filter((n) => n.kind === 'flow'));
}

function group(id: string, label: string, icon: string, children: ImpactNode[]): ImpactNode {
  return { id, kind: 'group', label, icon, expanded: true, children };
}

/** `src → dst`: the reachability's endpoint ids, as `netpol diff` names them (one line, whatever they hold). */
export function flowLabel(e: Pick<ChangeImpactEntry, 'src' | 'dst'>): string {
  return oneLine(`${e.src} → ${e.dst}`);
}

/** Roles that explain a gain, and those that explain a loss (a changed flow can have both). */
const GAIN_ROLES: readonly ResponsibleRole[] = ['allows', 'no-longer-isolates'];
const LOSS_ROLES: readonly ResponsibleRole[] = ['no-longer-allows', 'isolates'];

function openedFlow(e: ChangeImpactEntry): ImpactNode {
  const id = `opened/${e.src} → ${e.dst}`;
  const outside = e.external ? ' · from outside the namespace' : '';
  return {
    id,
    kind: 'flow',
    label: flowLabel(e),
    description: oneLine(`${e.gained}${outside}`),
    tooltip: flowTooltip(e, `Opens ${code(e.gained)}${e.external ? ' from outside the namespace (another namespace, an IP range or the ingress controller)' : ''}.`),
    icon: 'arrow-right',
    color: 'charts.green',
    ...explainOf(e),
    children: responsibleNodes(id, e.responsible, GAIN_ROLES),
  };
}

function closedFlow(e: ChangeImpactEntry): ImpactNode {
  const id = `closed/${e.src} → ${e.dst}`;
  const closes = `Closes ${code(e.lost)}.`;
  const evidence = e.evidence ?? [];
  const needed = evidence.length > 0 ? `\n\n$(warning) breaks an evidenced flow: ${evidence.map((m) => `${code(m.text)} (${code(locationText(m.location))})`).join(', ')}.` : '';
  const warn = e.breaking || evidence.length > 0;
  return {
    id,
    kind: 'flow',
    label: flowLabel(e),
    description: oneLine(evidence.length > 0 ? `${e.lost} · breaks an evidenced flow` : e.lost),
    tooltip: flowTooltip(e, (e.breaking ? `${closes}\n\n$(warning) likely breakage: a Service/Ingress routes to these ports.` : closes) + needed),
    icon: warn ? 'warning' : 'circle-slash',
    color: warn ? 'problemsWarningIcon.foreground' : undefined,
    breaking: warn,
    ...explainOf(e),
    children: [...evidenceNodes(id, evidence), ...responsibleNodes(id, e.responsible, LOSS_ROLES)],
  };
}

/** The evidence of a closed flow: what shows the application needs it, a click away. */
function evidenceNodes(parentId: string, evidence: NonNullable<ChangeImpactEntry['evidence']>): ImpactNode[] {
  return evidence.map((m, i) => ({
    id: `${parentId}/evidence/${i}`,
    kind: 'responsible',
    label: oneLine(`needed: ${m.text}`),
    description: oneLine(locationText(m.location)),
    tooltip: `The manifests show the application needs this flow: ${code(m.text)}. Open ${code(locationText(m.location))}`,
    icon: 'warning',
    location: m.location,
    children: [],
  }));
}

/**
 * The explain question for a flow: workloads by their id, an address range by its first
 * address; none with the ingress controller at an end (the explain command cannot name it).
 */
export function explainOf(e: Pick<ChangeImpactEntry, 'src' | 'dst'>): { explain?: { from: string; to: string } } {
  // `a-b[External]`: addresses have no '-' (IPv6 uses ':'), so the first one ends the start address.
  const end = (id: string) => (id.startsWith('{') ? undefined : id.endsWith('[External]') ? id.slice(0, id.indexOf('-')) : id);
  const from = end(e.src);
  const to = end(e.dst);
  return from && to ? { explain: { from, to } } : {};
}

function flowTooltip(e: ChangeImpactEntry, what: string): string {
  return `${code(`${e.src} → ${e.dst}`)} (${markdownText(e.kind)})\n\nBefore: ${code(e.before)} · after: ${code(e.after)}\n\n${what}`;
}

const ROLE_ICONS: Record<ResponsibleRole, string> = {
  allows: 'check',
  'no-longer-allows': 'close',
  isolates: 'lock',
  'no-longer-isolates': 'unlock',
};

/**
 * The policies and rules behind one side of a flow's change. A changed flow is listed
 * under both groups: each shows the roles that explain its side, or all of them when
 * none of the roles fits (better too much than an unexplained flow).
 */
function responsibleNodes(parentId: string, responsible: readonly ChangeResponsible[], roles: readonly ResponsibleRole[]): ImpactNode[] {
  const fitting = responsible.filter((r) => roles.includes(r.role));
  return (fitting.length > 0 ? fitting : responsible).map((r, i) => ({
    id: `${parentId}/${i}`,
    kind: 'responsible',
    label: oneLine(r.text),
    description: r.location ? oneLine(locationText(r.location)) : 'no longer in the workspace',
    tooltip: r.location ? `Open ${code(locationText(r.location))}` : `${code(r.policy)} is gone from the edited files.`,
    icon: ROLE_ICONS[r.role] ?? 'circle-outline',
    location: r.location,
    children: [],
  }));
}

const POLICY_ICONS: Record<ChangedPolicy['status'], { icon: string; color: string }> = {
  added: { icon: 'diff-added', color: 'gitDecoration.addedResourceForeground' },
  modified: { icon: 'diff-modified', color: 'gitDecoration.modifiedResourceForeground' },
  deleted: { icon: 'diff-removed', color: 'gitDecoration.deletedResourceForeground' },
};

function policyNode(p: ChangedPolicy): ImpactNode {
  const look = POLICY_ICONS[p.status] ?? POLICY_ICONS.modified;
  return {
    id: `policies/${p.policy}`,
    kind: 'policy',
    label: oneLine(p.policy),
    description: oneLine(`${p.status} · +${p.opened} ${MINUS}${p.closed}`),
    tooltip: `${code(p.policy)} ${markdownText(p.status)}: opens ${flowCount(p.opened)}, closes ${flowCount(p.closed)}` + (p.location ? `\n\n${code(locationText(p.location))}` : ''),
    icon: look.icon,
    color: look.color,
    location: p.location,
    children: [],
  };
}

/** The last path segment of a URI or a path, decoded. */
export function fileName(uriOrPath: string): string {
  const last = uriOrPath.split(/[?#]/)[0].split(/[\\/]/).filter((s) => s !== '').pop() ?? uriOrPath;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** `policy.yaml:12` (lines are 0-based in the protocol, 1-based on screen). */
export function locationText(location: SourceLocation): string {
  return `${fileName(location.uri)}:${location.line + 1}`;
}

/** A name, path or connection string as a Markdown code span, whatever it holds. */
const code = markdownCode;
