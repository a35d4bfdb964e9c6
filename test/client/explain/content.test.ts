import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainContent, explainSide, explainToolbar } from '../../../client/src/views/explain/content';
import { defaultDisplayPath, explainLinks, linkKey, locationText } from '../../../client/src/views/explain/links';
import { parseExplainMessage } from '../../../client/src/views/explain/messages';
import type { ExplainResult, ExplainSide } from '../../../server/src/protocol';
import { toHtml } from '../view-tree';

const U = 'file:///ws/shop/policies.yaml';

const RESULT: ExplainResult = {
  from: 'shop/frontend[Deployment]',
  to: 'shop/backend[Deployment]',
  allowed: true,
  connections: 'TCP 80',
  egress: { direction: 'Egress', external: false, isolated: false, allowed: 'All Connections', policies: [] },
  ingress: {
    direction: 'Ingress',
    external: false,
    isolated: true,
    allowed: 'TCP 80',
    policies: [
      { name: 'default-deny', location: { uri: 'file:///ws/shop/deny.yaml', line: 0 }, rules: [] },
      {
        name: 'allow-frontend',
        location: { uri: U, line: 9 },
        rules: [
          { index: 0, location: { uri: U, line: 14 }, allows: 'TCP 80' },
          { index: 2, location: { uri: U, line: 30 }, allows: 'No Connections' },
        ],
      },
    ],
  },
};

test('file links show workspace paths and 1-based lines', () => {
  assert.equal(defaultDisplayPath('file:///home/u/ws/shop/policies.yaml'), 'shop/policies.yaml');
  assert.equal(defaultDisplayPath('file:///c%3A/ws/my%20dir/p.yaml'), 'my dir/p.yaml');
  assert.equal(locationText({ uri: U, line: 9 }), 'shop/policies.yaml:10');
  assert.equal(locationText({ uri: U, line: 9 }, () => 'x.yaml'), 'x.yaml:10');
});

test('both sides are rendered with their policies and rules, each a link to file:line', () => {
  const html = toHtml(explainContent({ query: { from: RESULT.from, to: RESULT.to }, result: RESULT, displayPath: (u) => u.replace('file:///ws/', '') }));
  assert.match(html, /<h1 class="verdict allowed" role="status">.*Allowed<\/h1>/);
  assert.match(html, /Allowed between them: <strong>TCP 80<\/strong>/);
  // Egress side: not isolated.
  assert.match(html, /Egress of <code>shop\/frontend\[Deployment\]<\/code>[\s\S]*No NetworkPolicy selects <code>shop\/frontend\[Deployment\]<\/code> for Egress/);
  // Ingress side: two policies, in order, rules with links.
  assert.match(html, /Isolated for Ingress by 2 policies; together they allow <strong>TCP 80<\/strong>/);
  const deny = html.indexOf('>default-deny</a>');
  const allow = html.indexOf('>allow-frontend</a>');
  assert.ok(deny > 0 && allow > deny, 'policies in the server\'s order');
  assert.match(html, /No ingress rule of this policy admits <code>shop\/frontend\[Deployment\]<\/code>/);
  assert.match(html, /<a href="#" class="loc" data-uri="file:\/\/\/ws\/shop\/policies.yaml" data-line="14" title="Open shop\/policies.yaml:15">ingress\[0\]<\/a> allows <strong>TCP 80<\/strong>/);
  assert.match(html, /ingress\[2\]<\/a> allows <strong>nothing<\/strong>/);
  assert.match(html, /data-line="9" title="Open shop\/policies.yaml:10">allow-frontend<\/a><\/span> <span class="muted">shop\/policies.yaml:10<\/span>/);
});

test('a denied connection, an external side and an isolated side allowing nothing', () => {
  const egress: ExplainSide = { direction: 'Egress', external: false, isolated: true, allowed: 'No Connections', policies: [{ name: 'lockdown', location: { uri: U, line: 1 }, rules: [] }] };
  const ingress: ExplainSide = { direction: 'Ingress', external: true, isolated: false, allowed: 'All Connections', policies: [] };
  const html = toHtml(explainContent({ query: { from: 'shop/a[Pod]', to: '8.8.8.8', port: 53, protocol: 'UDP' }, result: { ...RESULT, from: 'shop/a[Pod]', to: '8.8.8.8', allowed: false, connections: 'No Connections', egress, ingress } }));
  assert.match(html, /<h1 class="verdict denied"/);
  assert.match(html, /→ <code>8.8.8.8<\/code> on UDP 53<\/p>/);
  assert.match(html, /Allowed between them: <strong>nothing<\/strong>/);
  assert.match(html, /Isolated for Egress by 1 policy; together they allow <strong class="deny">nothing<\/strong> to <code>8.8.8.8<\/code>/);
  assert.match(html, /Outside the cluster: no NetworkPolicy applies/);
  assert.match(toHtml(explainSide({ ...egress, direction: 'Ingress' }, 'x', 'y')), /nothing<\/strong> from <code>y<\/code>/);
});

test('waiting and error states, and names are text', () => {
  assert.equal(toHtml(explainContent({ query: { from: 'a', to: '<b>' } })), '<p class="muted" role="status">Explaining <code>a</code> → <code>&lt;b&gt;</code>…</p>');
  assert.equal(
    toHtml(explainContent({ query: { from: 'a', to: 'b', port: 80 }, error: 'unknown workload "b"' })),
    '<p class="pair"><code>a</code> → <code>b</code> on TCP 80</p><p class="error" role="alert">unknown workload &quot;b&quot;</p>',
  );
  const tree = explainContent({ query: { from: 'a', to: 'b' }, result: { ...RESULT, ingress: { ...RESULT.ingress, policies: [{ name: '<img src=x>', location: { uri: 'file:///"x".yaml', line: 0 }, rules: [] }] } } });
  const html = toHtml(tree);
  assert.ok(!html.includes('<img'));
  assert.match(html, /<a href="#" class="loc" data-uri="file:\/\/\/&quot;x&quot;.yaml" data-line="0" title="Open &quot;x&quot;.yaml:1">&lt;img src=x&gt;<\/a>/);
});

test('the toolbar: explain another, swap, show reachability', () => {
  assert.equal(
    toHtml(explainToolbar()),
    '<header class="toolbar"><button type="button" data-action="again" class="primary">Explain another…</button>' +
      '<button type="button" data-action="swap" title="Explain the opposite direction">Swap direction</button>' +
      '<button type="button" data-action="reach" title="Show the reachability of the source">Show reachability</button></header>',
  );
});

test('links are restricted to the locations of the result; messages are validated', () => {
  const links = explainLinks(RESULT);
  assert.deepEqual([...links].sort(), [linkKey({ uri: 'file:///ws/shop/deny.yaml', line: 0 }), linkKey({ uri: U, line: 14 }), linkKey({ uri: U, line: 30 }), linkKey({ uri: U, line: 9 })].sort());
  assert.deepEqual(parseExplainMessage({ type: 'open', uri: U, line: '14' }), { type: 'open', uri: U, line: 14 });
  assert.equal(parseExplainMessage({ type: 'open', uri: U, line: -1 }), undefined);
  assert.equal(parseExplainMessage({ type: 'open', uri: U, line: 1.5 }), undefined);
  assert.equal(parseExplainMessage({ type: 'open', line: 1 }), undefined);
  assert.deepEqual(parseExplainMessage({ type: 'swap' }), { type: 'swap' });
  assert.deepEqual(parseExplainMessage({ type: 'ready' }), { type: 'ready' });
  assert.equal(parseExplainMessage({ type: 'rm -rf' }), undefined);
});

test('a side with cluster-level rules shows the tiers in order: the Admin decision with its tie, what the NetworkPolicies and the Baseline were given, the default, what was never consulted; the rule link is one the panel opens', () => {
  const A = 'file:///ws/cluster/admin.yaml';
  const result: ExplainResult = {
    ...RESULT,
    allowed: false,
    ingress: {
      ...RESULT.ingress,
      tiers: {
        decisions: [
          {
            tier: 'Admin',
            kind: 'ClusterNetworkPolicy',
            name: 'deny-dev',
            priority: 10,
            rule: { index: 0, name: 'no-dev', location: { uri: A, line: 12 } },
            action: 'Deny',
            connections: 'TCP 80',
            tiedWith: [{ kind: 'ClusterNetworkPolicy', name: 'allow-dev' }],
          },
        ],
        networkPolicies: { given: 'All but TCP 80', decide: true },
        baseline: { given: 'No Connections' },
        byDefault: 'No Connections',
        notConsulted: ['Baseline tier: the NetworkPolicies decided every connection left'],
      },
    },
  };
  const html = toHtml(explainContent({ query: { from: result.from, to: result.to }, result, displayPath: (u) => u.replace('file:///ws/', '') }));
  const tiers = html.slice(html.indexOf('Cluster-level tiers'));
  assert.match(tiers, /Admin tier: ClusterNetworkPolicy <code>deny-dev<\/code> \(priority 10\), <a href="#" class="loc" data-uri="file:\/\/\/ws\/cluster\/admin.yaml" data-line="12" title="Open cluster\/admin.yaml:13">ingress\[0\] no-dev<\/a> denies <strong>TCP 80<\/strong>/);
  assert.match(tiers, /Tie with ClusterNetworkPolicy allow-dev at the same priority: the API leaves the order undefined/);
  const order = ['Admin tier:', 'NetworkPolicies were given <strong>All but TCP 80</strong> and decide it', 'The Baseline tier was given <strong>nothing</strong>', 'Allowed by default (no tier decided it): <strong>nothing</strong>', 'Not consulted: Baseline tier'].map((s) => tiers.indexOf(s));
  assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])), `in order: ${order.join(', ')}`);
  assert.ok(explainLinks(result).has(linkKey({ uri: A, line: 12 })), 'the panel opens the rule it links to');
  // No tiers, no section.
  assert.doesNotMatch(toHtml(explainContent({ query: { from: RESULT.from, to: RESULT.to }, result: RESULT })), /Cluster-level tiers/);
});
