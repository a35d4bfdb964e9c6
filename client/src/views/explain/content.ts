/**
 * What the explain view shows: the verdict, then the chain of policies and rules on the
 * source's egress side and on the destination's ingress side, each a link to file:line;
 * and its toolbar.
 */
import type { ExplainParams, ExplainResult, ExplainSide, ExplainTiers, SourceLocation } from '../../../../server/src/protocol';
import { h, type ViewElement, type ViewNode } from '../../webview/view-node';
import { defaultDisplayPath, locationText } from './links';

export interface ExplainState {
  readonly query: ExplainParams;
  /** Absent while the answer is awaited. */
  readonly result?: ExplainResult;
  readonly error?: string;
  /** How a file is named in the links (the panel passes a workspace-relative path). */
  readonly displayPath?: (uri: string) => string;
}

type DisplayPath = (uri: string) => string;

const isNone = (conn: string) => conn.trim() === '' || /^no connections$/i.test(conn.trim());

/** A link the page posts back as `open` (the panel opens only the locations it showed). */
function link(loc: SourceLocation, text: string, displayPath: DisplayPath): ViewElement {
  return h('a', { href: '#', class: 'loc', 'data-uri': loc.uri, 'data-line': loc.line, title: `Open ${locationText(loc, displayPath)}` }, text);
}

const code = (text: string) => h('code', null, text);

export function explainSide(side: ExplainSide, self: string, other: string, displayPath: DisplayPath = defaultDisplayPath): ViewElement {
  const dir = side.direction;
  const lower = dir.toLowerCase();
  return h(
    'section',
    { class: `side side-${lower}`, 'aria-label': `${dir} of ${self}` },
    h('h2', null, `${dir} of `, code(self)),
    side.tiers ? explainTiers(side.tiers, lower, displayPath) : null,
    side.external
      ? h('p', { class: 'open-side' }, 'Outside the cluster: no NetworkPolicy applies to this side, which allows everything.')
      : !side.isolated
        ? h('p', { class: 'open-side' }, 'No NetworkPolicy selects ', code(self), ` for ${dir}: it is not isolated, so this side allows everything.`)
        : [
            h(
              'p',
              null,
              `Isolated for ${dir} by ${side.policies.length} polic${side.policies.length === 1 ? 'y' : 'ies'}; together they allow `,
              isNone(side.allowed) ? [h('strong', { class: 'deny' }, 'nothing'), ` ${dir === 'Egress' ? 'to' : 'from'} `, code(other)] : h('strong', null, side.allowed),
              '.',
            ),
            h(
              'ol',
              { class: 'chain' },
              side.policies.map((p) =>
                h(
                  'li',
                  { class: 'policy' },
                  h('span', { class: 'policy-name' }, link(p.location, p.name, displayPath)),
                  ' ',
                  h('span', { class: 'muted' }, locationText(p.location, displayPath)),
                  p.rules.length === 0
                    ? h('p', { class: 'no-rule muted' }, `No ${lower} rule of this policy admits `, code(other), '.')
                    : h(
                        'ul',
                        { class: 'rules' },
                        p.rules.map((r) =>
                          h(
                            'li',
                            { class: 'rule' },
                            link(r.location, `${lower}[${r.index}]`, displayPath),
                            ' allows ',
                            h('strong', null, isNone(r.allows) ? 'nothing' : r.allows),
                            ' ',
                            h('span', { class: 'muted' }, locationText(r.location, displayPath)),
                          ),
                        ),
                      ),
                ),
              ),
            ),
          ],
  );
}

const ACTION_VERBS: Readonly<Record<string, string>> = { Allow: 'allows', Accept: 'accepts', Deny: 'denies', Pass: 'passes on' };

/**
 * The cluster tiers of a side, in the order they are consulted: the Admin rules that decided
 * (with a tie the API leaves undefined), what the NetworkPolicies were given, the Baseline,
 * the default, and the tiers never consulted.
 */
function explainTiers(t: ExplainTiers, lower: string, displayPath: DisplayPath): ViewElement {
  const connections = (c: string) => h('strong', null, isNone(c) ? 'nothing' : c);
  return h(
    'div',
    { class: 'tiers', 'aria-label': `Cluster tiers (${lower})` },
    h('p', { class: 'tiers-title' }, h('strong', null, 'Cluster-level tiers')),
    h(
      'ol',
      { class: 'chain' },
      t.decisions.map((d) =>
        h(
          'li',
          { class: `tier-decision tier-${d.tier.toLowerCase()}` },
          `${d.tier} tier: ${d.kind} `,
          code(d.name),
          d.priority !== undefined ? ` (priority ${d.priority})` : '',
          ', ',
          link(d.rule.location, `${lower}[${d.rule.index}]${d.rule.name ? ` ${d.rule.name}` : ''}`, displayPath),
          ` ${ACTION_VERBS[d.action] ?? d.action} `,
          connections(d.connections),
          ' ',
          h('span', { class: 'muted' }, locationText(d.rule.location, displayPath)),
          d.tiedWith && d.tiedWith.length > 0
            ? h('p', { class: 'tie' }, `Tie with ${d.tiedWith.map((x) => `${x.kind} ${x.name}`).join(', ')} at the same priority: the API leaves the order undefined; this analysis uses name order, the cluster may not.`)
            : null,
        ),
      ),
      h('li', { class: 'tier-networkpolicies' }, 'NetworkPolicies were given ', connections(t.networkPolicies.given), t.networkPolicies.decide ? ' and decide it (they isolate this side).' : ', and no NetworkPolicy isolates this side.'),
      t.baseline ? h('li', { class: 'tier-baseline-given' }, 'The Baseline tier was given ', connections(t.baseline.given), '.') : null,
      h('li', { class: 'tier-default' }, 'Allowed by default (no tier decided it): ', connections(t.byDefault), '.'),
    ),
    t.notConsulted.length > 0 ? h('ul', { class: 'not-consulted muted' }, t.notConsulted.map((n) => h('li', null, `Not consulted: ${n}`))) : null,
  );
}

/** The results part, rebuilt for each answer. */
export function explainContent(p: ExplainState): ViewNode[] {
  const q = p.query;
  const asked = q.port !== undefined ? ` on ${q.protocol ?? 'TCP'} ${q.port}` : '';
  if (p.error) return [h('p', { class: 'pair' }, code(q.from), ' → ', code(q.to), asked), h('p', { class: 'error', role: 'alert' }, p.error)];
  const r = p.result;
  if (!r) return [h('p', { class: 'muted', role: 'status' }, 'Explaining ', code(q.from), ' → ', code(q.to), `${asked}…`)];
  const displayPath = p.displayPath ?? defaultDisplayPath;
  return [
    h('h1', { class: `verdict ${r.allowed ? 'allowed' : 'denied'}`, role: 'status' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, r.allowed ? '✔' : '✘'), ` ${r.allowed ? 'Allowed' : 'Denied'}`),
    h('p', { class: 'pair' }, code(r.from), ' → ', code(r.to), asked),
    h(
      'p',
      null,
      'Allowed between them: ',
      h('strong', null, isNone(r.connections) ? 'nothing' : r.connections),
      ' ',
      h('span', { class: 'muted' }, '(what the egress side allows, intersected with what the ingress side allows)'),
    ),
    h('div', { class: 'sides' }, explainSide(r.egress, r.from, r.to, displayPath), explainSide(r.ingress, r.to, r.from, displayPath)),
  ];
}

export function explainToolbar(): ViewElement {
  return h(
    'header',
    { class: 'toolbar' },
    h('button', { type: 'button', 'data-action': 'again', class: 'primary' }, 'Explain another…'),
    h('button', { type: 'button', 'data-action': 'swap', title: 'Explain the opposite direction' }, 'Swap direction'),
    h('button', { type: 'button', 'data-action': 'reach', title: 'Show the reachability of the source' }, 'Show reachability'),
  );
}
