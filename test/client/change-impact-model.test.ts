import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  explainOf,
  fileName,
  flowCount,
  flowNodes,
  hasPendingChange,
  impactSummary,
  impactTree,
  locationText,
  statusText,
  statusTooltip,
  viewMessage,
  type ImpactNode,
} from '../../client/src/views/change-impact/model';
import type { ChangeImpactEntry, ChangeImpactResult } from '../../server/src/protocol';

const POLICIES = 'file:///ws/shop/policies.yaml';
const NONE = 'No Connections';

const NO_CHANGE: ChangeImpactResult = {
  files: [],
  baseline: 'git HEAD',
  opened: 0,
  closed: 0,
  added: 0,
  removed: 0,
  changed: 0,
  breaking: 0,
  entries: [],
  truncated: 0,
  policies: [],
};

/** The frontend loses the port the backend Service routes to: one removed, breaking flow. */
const REMOVED_RULE: ChangeImpactEntry = {
  kind: 'removed',
  src: 'shop/frontend[Deployment]',
  dst: 'shop/backend[Deployment]',
  before: 'TCP 8080',
  after: NONE,
  gained: NONE,
  lost: 'TCP 8080',
  breaking: true,
  external: false,
  responsible: [
    { policy: 'shop/allow-frontend', rule: 'ingress[0]', role: 'no-longer-allows', location: { uri: POLICIES, line: 11 }, text: 'ingress[0] of shop/allow-frontend no longer admits it' },
  ],
};

/** A new rule admits the monitoring namespace: an added flow from outside the namespace. */
const ADDED_SCRAPE: ChangeImpactEntry = {
  kind: 'added',
  src: 'monitoring/prometheus[Deployment]',
  dst: 'shop/backend[Deployment]',
  before: NONE,
  after: 'TCP 9090',
  gained: 'TCP 9090',
  lost: NONE,
  breaking: false,
  external: true,
  responsible: [{ policy: 'shop/allow-scrape', rule: 'ingress[0]', role: 'allows', location: { uri: POLICIES, line: 30 }, text: 'ingress[0] of shop/allow-scrape admits it' }],
};

/** A port list rewritten: gains 8443, loses 8080 (not routed). Listed under both groups. */
const CHANGED_PORTS: ChangeImpactEntry = {
  kind: 'changed',
  src: 'shop/web[Deployment]',
  dst: 'shop/api[Deployment]',
  before: 'TCP 8080',
  after: 'TCP 8443',
  gained: 'TCP 8443',
  lost: 'TCP 8080',
  breaking: false,
  external: false,
  responsible: [
    { policy: 'shop/api-ingress', rule: 'ingress[0]', role: 'allows', location: { uri: POLICIES, line: 50 }, text: 'ingress[0] of shop/api-ingress admits it' },
    { policy: 'shop/api-old', role: 'no-longer-allows', text: 'shop/api-old no longer admits it' },
  ],
};

const MIXED: ChangeImpactResult = {
  files: [POLICIES, 'file:///ws/shop/my%20scrape.yaml'],
  baseline: 'git HEAD',
  opened: 2,
  closed: 2,
  added: 1,
  removed: 1,
  changed: 1,
  breaking: 1,
  entries: [REMOVED_RULE, ADDED_SCRAPE, CHANGED_PORTS],
  truncated: 0,
  policies: [
    { policy: 'shop/allow-frontend', status: 'modified', location: { uri: POLICIES, line: 2 }, opened: 0, closed: 1 },
    { policy: 'shop/allow-scrape', status: 'added', location: { uri: POLICIES, line: 20 }, opened: 1, closed: 0 },
    { policy: 'shop/api-old', status: 'deleted', opened: 0, closed: 1 },
  ],
};

function root(tree: readonly ImpactNode[], label: RegExp): ImpactNode {
  const node = tree.find((n) => label.test(n.label));
  assert.ok(node, `a root node ${label} among ${tree.map((n) => n.label).join(' | ')}`);
  return node;
}

test('no pending change: no status text, no message, an empty tree (the welcome text shows)', () => {
  assert.equal(hasPendingChange(undefined), false);
  assert.equal(hasPendingChange(NO_CHANGE), false);
  assert.equal(statusText(undefined), undefined);
  assert.equal(statusText(NO_CHANGE), undefined);
  assert.equal(viewMessage(NO_CHANGE), undefined);
  assert.deepEqual(impactTree(NO_CHANGE), []);
  assert.deepEqual(impactTree(undefined), []);
});

test('flow counts are singular or plural, closed ones with a real minus sign', () => {
  assert.equal(flowCount(0), '0 flows');
  assert.equal(flowCount(1), '1 flow');
  assert.equal(flowCount(3), '3 flows');
  const one = { ...NO_CHANGE, files: [POLICIES], closed: 1, removed: 1, entries: [{ ...REMOVED_RULE, breaking: false }] };
  assert.equal(statusText(one), '$(git-compare) \u22121 flow');
  assert.equal(statusText({ ...one, opened: 3, closed: 1 }), '$(git-compare) +3 flows \u00b7 \u22121 flow');
  assert.equal(statusText({ ...one, opened: 1, closed: 0 }), '$(git-compare) +1 flow');
  assert.equal(statusText({ ...one, closed: 2 }), '$(git-compare) \u22122 flows');
  assert.equal(impactSummary({ ...one, closed: 0 }), 'no flow change', 'an edit that changes no connectivity still shows');
});

test('a likely-breaking change gets the warning icon in the status text and a line in the tooltip', () => {
  assert.equal(statusText(MIXED), '$(warning) +2 flows \u00b7 \u22122 flows');
  const tooltip = statusTooltip(MIXED);
  assert.match(tooltip, /against git HEAD/);
  assert.match(tooltip, /Files: `policies\.yaml`, `my scrape\.yaml`/);
  assert.match(tooltip, /\+2 flows opened · −2 flows closed \(1 added, 1 removed, 1 changed\)/);
  assert.match(tooltip, /\$\(warning\) 1 likely-breaking flow: a Service or Ingress routes to ports it loses/);
  assert.doesNotMatch(statusTooltip({ ...MIXED, breaking: 0 }), /likely-breaking/);
  assert.equal(viewMessage(MIXED), 'Edits in policies.yaml, my scrape.yaml against git HEAD');
});

test('the tree groups opened flows, closed flows and changed policies, with counts', () => {
  const tree = impactTree(MIXED);
  assert.deepEqual(
    tree.map((n) => [n.label, n.kind, n.expanded]),
    [
      ['Opened flows (2)', 'group', true],
      ['Closed flows (2)', 'group', true],
      ['Changed policies (3)', 'group', true],
    ],
  );
  const opened = root(tree, /^Opened/).children;
  const closed = root(tree, /^Closed/).children;
  // A changed entry that both gains and loses is under both groups.
  assert.deepEqual(opened.map((n) => n.label), ['monitoring/prometheus[Deployment] → shop/backend[Deployment]', 'shop/web[Deployment] → shop/api[Deployment]']);
  assert.deepEqual(closed.map((n) => n.label), ['shop/frontend[Deployment] → shop/backend[Deployment]', 'shop/web[Deployment] → shop/api[Deployment]']);
  assert.equal(flowNodes(tree).length, 4);
  const ids = [...tree, ...tree.flatMap((n) => n.children), ...flowNodes(tree).flatMap((n) => n.children)].map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(', ')}`);
});

test('opened flows show the gained ports, and say when they come from outside the namespace', () => {
  const [scrape, web] = root(impactTree(MIXED), /^Opened/).children;
  assert.equal(scrape.description, 'TCP 9090 · from outside the namespace');
  assert.equal(scrape.icon, 'arrow-right');
  assert.match(scrape.tooltip ?? '', /from outside the namespace/);
  assert.equal(web.description, 'TCP 8443');
});

test('closed flows show the lost ports; breaking ones are marked with a warning', () => {
  const [frontend, web] = root(impactTree(MIXED), /^Closed/).children;
  assert.equal(frontend.description, 'TCP 8080');
  assert.equal(frontend.breaking, true);
  assert.equal(frontend.icon, 'warning');
  assert.match(frontend.tooltip ?? '', /likely breakage: a Service\/Ingress routes to these ports/);
  assert.match(frontend.tooltip ?? '', /Before: `TCP 8080` · after: `No Connections`/);
  assert.equal(web.breaking, false);
  assert.notEqual(web.icon, 'warning');
  assert.doesNotMatch(web.tooltip ?? '', /likely breakage/);
});

test('a flow\'s children are the policies and rules responsible, each opening its location', () => {
  const [frontend] = root(impactTree(MIXED), /^Closed/).children;
  assert.deepEqual(
    frontend.children.map((c) => [c.kind, c.label, c.description, c.location]),
    [['responsible', 'ingress[0] of shop/allow-frontend no longer admits it', 'policies.yaml:12', { uri: POLICIES, line: 11 }]],
  );
  // The changed flow explains each side with the roles that fit it.
  const openedWeb = root(impactTree(MIXED), /^Opened/).children[1];
  const closedWeb = root(impactTree(MIXED), /^Closed/).children[1];
  assert.deepEqual(openedWeb.children.map((c) => c.label), ['ingress[0] of shop/api-ingress admits it']);
  assert.deepEqual(closedWeb.children.map((c) => c.label), ['shop/api-old no longer admits it']);
  assert.equal(closedWeb.children[0].location, undefined, 'a deleted policy has nowhere to go');
  assert.equal(closedWeb.children[0].description, 'no longer in the workspace');
});

test('changed policies show status and flow counts and open where they are', () => {
  const policies = root(impactTree(MIXED), /^Changed policies/).children;
  assert.deepEqual(
    policies.map((p) => [p.label, p.description, p.icon, p.location?.line]),
    [
      ['shop/allow-frontend', 'modified · +0 −1', 'diff-modified', 2],
      ['shop/allow-scrape', 'added · +1 −0', 'diff-added', 20],
      ['shop/api-old', 'deleted · +0 −1', 'diff-removed', undefined],
    ],
  );
});

test('only non-empty flow groups are shown; left-out entries get a closing node', () => {
  const closedOnly: ChangeImpactResult = { ...MIXED, opened: 0, closed: 301, removed: 301, added: 0, changed: 0, entries: [REMOVED_RULE], truncated: 300, policies: [] };
  const tree = impactTree(closedOnly);
  assert.deepEqual(
    tree.map((n) => n.label),
    ['Closed flows (301)', '… 300 more flows (see netpol diff)'],
  );
  assert.equal(tree[1].kind, 'more');
  assert.equal(impactTree({ ...closedOnly, truncated: 1 })[1].label, '… 1 more flow (see netpol diff)');
});

test('edits that change no flow and no policy say so rather than showing nothing', () => {
  const tree = impactTree({ ...NO_CHANGE, files: [POLICIES], baseline: 'last saved' });
  assert.deepEqual(tree.map((n) => [n.kind, n.label, n.description]), [['none', 'No flow changes', 'against last saved']]);
});

test('file names and locations are short and 1-based', () => {
  assert.equal(fileName('file:///c%3A/ws/my%20dir/p.yaml'), 'p.yaml');
  assert.equal(fileName('/home/u/ws/shop/policies.yaml'), 'policies.yaml');
  assert.equal(fileName('C:\\ws\\shop\\policies.yaml'), 'policies.yaml');
  assert.equal(locationText({ uri: POLICIES, line: 0 }), 'policies.yaml:1');
});

test('a flow is explained by its two ends: workloads by id, a range by its first address, not the ingress controller', () => {
  assert.deepEqual(explainOf({ src: 'shop/web[Deployment]', dst: 'shop/api[StatefulSet]' }), { explain: { from: 'shop/web[Deployment]', to: 'shop/api[StatefulSet]' } });
  assert.deepEqual(explainOf({ src: '10.0.0.0-10.255.255.255[External]', dst: 'shop/api[StatefulSet]' }), { explain: { from: '10.0.0.0', to: 'shop/api[StatefulSet]' } });
  assert.deepEqual(explainOf({ src: 'shop/web[Deployment]', dst: '2001:db8::-2001:db8::ffff[External]' }), { explain: { from: 'shop/web[Deployment]', to: '2001:db8::' } });
  assert.deepEqual(explainOf({ src: '{ingress-controller}', dst: 'shop/web[Deployment]' }), {});
});

test('a closed flow that breaks an evidenced flow: a warning, the evidence first (a click away), counted in the status bar', () => {
  const WORKLOADS = 'file:///ws/shop/checkout.yaml';
  const closed: ChangeImpactEntry = {
    ...REMOVED_RULE,
    breaking: false,
    evidence: [{ text: 'TCP 8080: env BACKEND_URL', location: { uri: WORKLOADS, line: 14 } }],
  };
  const result: ChangeImpactResult = { ...NO_CHANGE, files: [POLICIES], closed: 1, removed: 1, breaksEvidence: 1, entries: [closed] };
  const [flow] = flowNodes(impactTree(result));
  assert.equal(flow.icon, 'warning');
  assert.equal(flow.breaking, true);
  assert.equal(flow.description, 'TCP 8080 · breaks an evidenced flow');
  assert.match(flow.tooltip ?? '', /breaks an evidenced flow: `TCP 8080: env BACKEND_URL` \(`checkout\.yaml:15`\)/);
  assert.deepEqual(
    flow.children.map((c) => [c.label, c.description, c.location]),
    [
      ['needed: TCP 8080: env BACKEND_URL', 'checkout.yaml:15', { uri: WORKLOADS, line: 14 }],
      ['ingress[0] of shop/allow-frontend no longer admits it', 'policies.yaml:12', { uri: POLICIES, line: 11 }],
    ],
  );
  assert.equal(statusText(result), '$(warning) \u22121 flow');
  assert.match(statusTooltip(result), /1 closed flow breaks an evidenced flow/);
  // Without evidence (an older server), the flow is as before.
  assert.equal(flowNodes(impactTree({ ...result, breaksEvidence: undefined, entries: [{ ...closed, evidence: undefined }] }))[0].icon, 'circle-slash');
});
