/**
 * Completion inside NetworkPolicy YAML (server/src/core/complete/): at many cursor
 * positions of a policy being typed (`|` marks the cursor), in a realistic workspace of
 * namespaces with labels and deployments with labels and named ports.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { complete, type CompleteOptions } from '../../../server/src/core/ide/complete/complete';
import { FIELD_DOCS, METADATA_FIELDS } from '../../../server/src/core/k8s/field-docs';
import { STRUCTS } from '../../../server/src/core/k8s/schema';
import { expandSnippet } from '../../../server/src/core/ide/snippets/expand';
import { NETPOL_SNIPPETS } from '../../../server/src/core/ide/snippets/snippets';
import { deployment, docs, namespace } from '../../helpers/manifests';
import type { CompletionItem } from '../../../server/src/core/ide/complete/item';

/** The workspace: what the disk holds besides the file being edited. */
const WORKSPACE = docs(
  namespace('shop', { team: 'shop', environment: 'production' }),
  namespace('shop-staging', { team: 'shop', environment: 'staging' }),
  namespace('monitoring', { team: 'platform' }),
  namespace('kube-system'),
  deployment('frontend', { namespace: 'shop', labels: { app: 'frontend', tier: 'web' }, ports: [{ containerPort: 8080, name: 'http' }] }),
  deployment('backend', { namespace: 'shop', labels: { app: 'backend', tier: 'api', version: '2' }, ports: [{ containerPort: 9090, name: 'api' }, { containerPort: 9100, name: 'metrics' }] }),
  deployment('cache', { namespace: 'shop', labels: { app: 'redis', tier: 'cache' }, ports: [{ containerPort: 6379, name: 'redis' }] }),
  deployment('frontend', { namespace: 'shop-staging', labels: { app: 'frontend', tier: 'web', track: 'canary' }, ports: [{ containerPort: 8080, name: 'http' }] }),
  deployment('prometheus', { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ containerPort: 9090, name: 'web' }] }),
  deployment('coredns', {
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    ports: [
      { containerPort: 53, name: 'dns', protocol: 'UDP' },
      { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
      { containerPort: 9153, name: 'metrics' },
    ],
  }),
);

/** A finished policy before the one being typed: completion works in any document of a file. */
const FIRST = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

const HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend
  namespace: shop
`;

interface At {
  readonly items: CompletionItem[];
  readonly text: string;
  readonly offset: number;
}

/**
 * Completes at the `|` of `marked` (one document), placed after FIRST in policy.yaml;
 * the model is the analysis of the workspace plus that file, as the server computes it.
 */
function at(marked: string, options: CompleteOptions = {}, file = (doc: string) => `${FIRST}---\n${doc}`): At {
  const cut = marked.indexOf('|');
  assert.ok(cut >= 0, 'no cursor');
  const text = file(marked.slice(0, cut) + marked.slice(cut + 1));
  const offset = file(marked.slice(0, cut)).length;
  const model = analyze([
    { path: 'workspace.yaml', text: WORKSPACE },
    { path: 'policy.yaml', text },
  ]).model;
  return { items: complete(text, offset, model, options), text, offset };
}

const labels = (r: At) => r.items.map((i) => i.label);
const item = (r: At, label: string): CompletionItem => {
  const found = r.items.find((i) => i.label === label);
  assert.ok(found, `no item ${label} among ${labels(r).join(', ')}`);
  return found;
};
/** The text an item replaces. */
const replaced = (r: At, i: CompletionItem = r.items[0]) => r.text.slice(i.start, i.end);
/** The file after accepting an item (snippets with their defaults). */
const accept = (r: At, label: string) => {
  const i = item(r, label);
  const ins = i.format === 'snippet' ? expandSnippet(i.insertText) : i.insertText;
  return r.text.slice(0, i.start) + ins + r.text.slice(i.end);
};

describe('completion: snippets', () => {
  test('an empty file offers every snippet, as snippet items replacing nothing', () => {
    const model = analyze([{ path: 'workspace.yaml', text: WORKSPACE }]).model;
    const items = complete('', 0, model);
    assert.deepEqual(items.map((i) => i.label), NETPOL_SNIPPETS.map((s) => s.prefix));
    for (const i of items) {
      assert.equal(i.kind, 'snippet');
      assert.equal(i.format, 'snippet');
      assert.deepEqual([i.start, i.end], [0, 0]);
      assert.ok(i.multiline);
      assert.match(i.documentation ?? '', /```yaml\napiVersion: /);
    }
  });

  test('after --- the typed word is replaced', () => {
    const r = at('netpol-al|');
    assert.deepEqual(labels(r), NETPOL_SNIPPETS.map((s) => s.prefix));
    assert.equal(replaced(r), 'netpol-al');
    assert.match(accept(r, 'netpol-allow-dns'), /---\napiVersion: networking.k8s.io\/v1\nkind: NetworkPolicy\nmetadata:\n {2}name: allow-dns-egress\n/);
  });

  test('a blank line after --- at column 0 gets snippets; a started document does not', () => {
    assert.equal(at('|').items[0].kind, 'snippet');
    assert.equal(at('|\n# a comment\n').items[0].kind, 'snippet');
    assert.ok(!at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n|').items.some((i) => i.kind === 'snippet'));
  });
});

describe('completion: fields', () => {
  test('top level: the fields not yet there, with documentation', () => {
    const r = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n|');
    assert.deepEqual(labels(r), ['metadata', 'spec']);
    const spec = item(r, 'spec');
    assert.equal(spec.kind, 'field');
    assert.equal(spec.detail, 'NetworkPolicySpec');
    assert.equal(spec.insertText, 'spec:\n  ');
    assert.ok(spec.multiline && spec.retrigger);
  });

  test('apiVersion and kind values', () => {
    assert.deepEqual(labels(at('apiVersion: |\n')), ['networking.k8s.io/v1']);
    const r = at('apiVersion: networking.k8s.io/v1\nkind: Net|\n');
    assert.deepEqual(labels(r), ['NetworkPolicy']);
    assert.equal(r.items[0].kind, 'keyword');
    assert.equal(replaced(r), 'Net');
    // Not a NetworkPolicy: nothing.
    assert.deepEqual(labels(at('apiVersion: apps/v1\nkind: |\n')), []);
  });

  test('metadata: name, namespace, labels, annotations (not the server-set fields), minus those present', () => {
    assert.deepEqual(labels(at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  |')), METADATA_FIELDS);
    const r = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  na|\n');
    assert.deepEqual(labels(r), ['namespace', 'labels', 'annotations']);
    assert.equal(replaced(r), 'na');
    assert.equal(item(r, 'namespace').insertText, 'namespace: ');
    assert.ok(item(r, 'namespace').retrigger);
    assert.match(item(r, 'namespace').documentation ?? '', /own namespace/);
  });

  test('spec: the fields not yet there, in schema order; lists insert their first dash', () => {
    const r = at(`${HEAD}spec:\n  podSelector: {}\n  |\n`);
    assert.deepEqual(labels(r), ['policyTypes', 'ingress', 'egress']);
    assert.equal(item(r, 'ingress').insertText, 'ingress:\n    - ');
    assert.match(item(r, 'policyTypes').documentation ?? '', /default deny/);
    const types = item(r, 'policyTypes');
    assert.equal(types.format, 'snippet');
    assert.equal(expandSnippet(types.insertText), 'policyTypes:\n    - Ingress');
    // Keys below the cursor count as present too.
    assert.deepEqual(labels(at(`${HEAD}spec:\n  |\n  podSelector: {}\n  ingress: []\n`)), ['policyTypes', 'egress']);
  });

  test('a key being retyped before its colon: the name only', () => {
    const r = at(`${HEAD}spec:\n  podSelector: {}\n  ing|ress:\n  - {}\n`);
    assert.equal(replaced(r, item(r, 'ingress')), 'ingress');
    assert.equal(item(r, 'ingress').insertText, 'ingress');
    assert.ok(!item(r, 'ingress').multiline);
  });

  test('indentation follows the document (4 spaces)', () => {
    const r = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n    name: x\nspec:\n    podSelector: {}\n    |\n');
    assert.equal(item(r, 'egress').insertText, 'egress:\n        - ');
  });

  test('rule fields: from/ports for ingress, to/ports for egress; a new item after the dash', () => {
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - |\n`)), ['from', 'ports']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  egress:\n    - to: []\n      |\n`)), ['ports']);
    const r = at(`${HEAD}spec:\n  podSelector: {}\n  egress:\n    - |\n`);
    assert.deepEqual(labels(r), ['to', 'ports']);
    // The key sits after the dash: the next line is indented from there.
    assert.equal(item(r, 'to').insertText, 'to:\n        - ');
  });

  test('peer fields, and the AND / OR pitfall of namespaceSelector and podSelector', () => {
    const base = `${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {team: platform}\n`;
    const next = at(`${base}    - |\n`);
    assert.deepEqual(labels(next), ['podSelector', 'namespaceSelector', 'ipBlock']);
    assert.match(item(next, 'podSelector').documentation ?? '', /Pitfall/);
    assert.match(item(next, 'podSelector').documentation ?? '', /this dash starts a new peer, ORed/);
    const same = at(`${base}      |\n`);
    assert.deepEqual(labels(same), ['podSelector', 'ipBlock']);
    assert.match(item(same, 'podSelector').documentation ?? '', /both must match\*\* \(AND\)/);
  });

  test('selector, ipBlock, port and requirement fields', () => {
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector:\n    |\n`)), ['matchLabels', 'matchExpressions']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        |\n`)), ['cidr', 'except']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - |\n`)), ['protocol', 'port', 'endPort']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n      |\n`)), ['protocol', 'endPort']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector:\n    matchExpressions:\n    - key: app\n      |\n`)), ['operator', 'values']);
  });

  test('inside a flow mapping: single-line insertions', () => {
    const r = at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 80, |}\n`);
    assert.deepEqual(labels(r), ['protocol', 'endPort']);
    assert.equal(item(r, 'protocol').insertText, 'protocol: ');
  });

  test('a selector value: the empty selector', () => {
    const r = at(`${HEAD}spec:\n  podSelector: |\n`);
    assert.deepEqual(labels(r), ['{}']);
    assert.match(r.items[0].documentation ?? '', /every pod of the policy's namespace/);
  });
});

describe('completion: label keys and values of pods', () => {
  const spec = (selector: string) => `${HEAD}spec:\n  podSelector:\n${selector}`;

  test('half-typed key in spec.podSelector.matchLabels: labels of the pods of the policy namespace', () => {
    const r = at(spec('    matchLabels:\n      ap|\n'));
    // shop's pods only: not track (shop-staging), not k8s-app (kube-system).
    assert.deepEqual(labels(r).sort(), ['app', 'tier', 'version']);
    const app = item(r, 'app');
    assert.equal(app.kind, 'value');
    assert.equal(replaced(r, app), 'ap');
    assert.equal(app.insertText, 'app: ');
    assert.ok(app.retrigger);
    assert.equal(app.detail, 'pod label · 3 values');
    assert.match(app.documentation ?? '', /`app: backend`: `shop\/backend\[Deployment\]`/);
    assert.match(app.documentation ?? '', /pods of namespace `shop`/);
  });

  test('values for the key typed on the line, with the workloads they select', () => {
    const r = at(spec('    matchLabels:\n      app: |\n'));
    assert.deepEqual(labels(r).sort(), ['backend', 'frontend', 'redis']);
    const be = item(r, 'backend');
    assert.equal(be.detail, 'app=backend · 1 workload');
    assert.match(be.documentation ?? '', /shop\/backend\[Deployment\]/);
    assert.equal(replaced(r, be), '');
    const typed = at(spec('    matchLabels:\n      app: fr|\n'));
    assert.equal(replaced(typed, item(typed, 'frontend')), 'fr');
  });

  test('other keys of the selector narrow the pods; present keys are not proposed again', () => {
    assert.deepEqual(labels(at(spec('    matchLabels:\n      app: backend\n      |\n'))).sort(), ['tier', 'version']);
    assert.deepEqual(labels(at(spec('    matchLabels:\n      app: backend\n      tier: |\n'))), ['api']);
  });

  test('values YAML would not read as strings are quoted; a typed quote is kept', () => {
    const r = at(spec('    matchLabels:\n      version: |\n'));
    assert.equal(item(r, '2').insertText, '"2"');
    const q = at(spec("    matchLabels:\n      app: 'fr|'\n"));
    const fe = item(q, 'frontend');
    assert.equal(replaced(q, fe), "'fr'");
    assert.equal(fe.insertText, "'frontend'");
    assert.equal(fe.filterText, "'frontend'");
  });

  test('flow matchLabels, closed or half-typed', () => {
    const r = at(spec('    matchLabels: {app: fr|}\n'));
    assert.equal(replaced(r, item(r, 'frontend')), 'fr');
    const keys = at(spec('    matchLabels: {app: backend, |}\n'));
    assert.deepEqual(labels(keys).sort(), ['tier', 'version']);
    const open = at(spec('    matchLabels: {ti|\n'));
    assert.deepEqual(labels(open).sort(), ['app', 'tier', 'version']);
    assert.equal(replaced(open, item(open, 'tier')), 'ti');
  });

  test('matchExpressions: key, operator and values items', () => {
    const keys = at(spec('    matchExpressions:\n      - key: |\n'));
    assert.deepEqual(labels(keys).sort(), ['app', 'tier', 'version']);
    assert.equal(item(keys, 'app').insertText, 'app');
    const ops = at(spec('    matchExpressions:\n      - key: tier\n        operator: |\n'));
    assert.deepEqual(labels(ops), ['In', 'NotIn', 'Exists', 'DoesNotExist']);
    assert.ok(ops.items.every((i) => i.kind === 'keyword'));
    assert.match(item(ops, 'NotIn').documentation ?? '', /without the key/);
    const values = at(spec('    matchExpressions:\n      - key: tier\n        operator: In\n        values:\n          - web\n          - |\n'));
    assert.deepEqual(labels(values).sort(), ['api', 'cache']);
    const flow = at(spec('    matchExpressions:\n      - {key: app, operator: NotIn, values: [redis, |]}\n'));
    assert.deepEqual(labels(flow).sort(), ['backend', 'frontend']);
  });

  test('a matchExpressions item typed after its dash offers its fields', () => {
    const r = at(spec('    matchExpressions:\n      - |\n'));
    assert.deepEqual(labels(r), ['key', 'operator', 'values']);
    assert.equal(item(r, 'values').insertText, 'values:\n          - ');
  });

  test('peer podSelector without namespaceSelector: pods of the policy namespace', () => {
    const r = at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          |\n`);
    assert.deepEqual(labels(r).sort(), ['app', 'tier', 'version']);
  });

  test('peer podSelector with a sibling namespaceSelector: pods of the namespaces it matches', () => {
    const peer = (ns: string) => `${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: ${ns}\n      podSelector:\n        matchLabels:\n          |\n`;
    assert.deepEqual(labels(at(peer('{matchLabels: {team: platform}}'))), ['app.kubernetes.io/name']);
    assert.deepEqual(labels(at(peer('{matchLabels: {environment: staging}}'))).sort(), ['app', 'tier', 'track']);
    // {} is every namespace.
    assert.ok(labels(at(peer('{}'))).includes('k8s-app'));
    // The namespaceSelector written below the podSelector counts too.
    const below = at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {|}\n      namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n`);
    assert.deepEqual(labels(below), ['k8s-app']);
  });

  test('a namespace without workloads falls back to every pod', () => {
    const r = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n  namespace: empty\nspec:\n  podSelector:\n    matchLabels:\n      |\n');
    assert.ok(labels(r).includes('k8s-app'));
    assert.match(item(r, 'k8s-app').documentation ?? '', /every namespace/);
  });
});

describe('completion: namespaces', () => {
  test('namespace labels in a namespaceSelector, including kubernetes.io/metadata.name', () => {
    const base = `${HEAD}spec:\n  podSelector: {}\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n`;
    const keys = at(`${base}          |\n`);
    assert.deepEqual(labels(keys).sort(), ['environment', 'kubernetes.io/metadata.name', 'team']);
    assert.equal(item(keys, 'team').detail, 'namespace label · 2 values');
    assert.match(item(keys, 'kubernetes.io/metadata.name').documentation ?? '', /Set by the API server/);
    const names = at(`${base}          kubernetes.io/metadata.name: |\n`);
    assert.ok(['kube-system', 'monitoring', 'shop', 'shop-staging'].every((n) => labels(names).includes(n)));
    assert.deepEqual(labels(at(`${base}          environment: |\n`)).sort(), ['production', 'staging']);
    assert.deepEqual(labels(at(`${base}          team: shop\n          environment: |\n`)).sort(), ['production', 'staging']);
  });

  test('metadata.namespace: the namespaces of the workspace, declared first', () => {
    const r = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n  namespace: |\n');
    assert.deepEqual(labels(r).slice(0, 4), ['kube-system', 'monitoring', 'shop', 'shop-staging']);
    const shop = item(r, 'shop');
    assert.equal(shop.kind, 'value');
    assert.equal(shop.detail, 'Namespace · 3 workloads');
    assert.match(shop.documentation ?? '', /`environment: production`/);
    const typed = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n  namespace: sh|op-old  # rename\n');
    assert.equal(replaced(typed, item(typed, 'shop')), 'shop-old');
  });
});

describe('completion: ports, protocols, policy types', () => {
  test('ingress port: the named ports of the pods the policy selects, then their numbers', () => {
    const r = at(`${HEAD}spec:\n  podSelector:\n    matchLabels: {app: backend}\n  ingress:\n  - from:\n    - podSelector: {}\n    ports:\n    - port: |\n`);
    assert.deepEqual(labels(r), ['api', 'metrics', '9090', '9100']);
    assert.equal(item(r, 'api').detail, 'named port · TCP 9090');
    assert.match(item(r, 'api').documentation ?? '', /`shop\/backend\[Deployment\]`: TCP 9090/);
    assert.match(item(r, 'api').documentation ?? '', /the pods this policy selects/);
  });

  test('egress port: the ports of the pods the rule\'s to peers match', () => {
    const rule = (extra: string) =>
      `${HEAD}spec:\n  podSelector: {}\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: kube-system}\n      podSelector:\n        matchLabels: {k8s-app: kube-dns}\n    ports:\n    - ${extra}`;
    const r = at(rule('port: |\n'));
    assert.deepEqual(labels(r), ['dns', 'dns-tcp', 'metrics', '53', '9153']);
    assert.equal(item(r, 'dns').detail, 'named port · UDP 53');
    assert.match(item(r, 'dns').documentation ?? '', /add `protocol: UDP`/);
    assert.equal(item(r, '53').detail, 'container port · UDP, TCP (dns, dns-tcp)');
    // The item's protocol keeps the ports of that protocol.
    assert.deepEqual(labels(at(rule('protocol: UDP\n      port: |\n'))), ['dns', '53']);
  });

  test('egress without to: every pod; to an ipBlock only: the ports of the namespace', () => {
    const none = at(`${HEAD}spec:\n  podSelector: {}\n  egress:\n  - ports:\n    - port: |\n`);
    assert.ok(['dns', 'http', 'web', 'redis'].every((p) => labels(none).includes(p)));
    const ip = at(`${HEAD}spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n    ports:\n    - port: |\n`);
    assert.deepEqual(labels(ip).filter((l) => !/^\d/.test(l)), ['api', 'http', 'metrics', 'redis']);
    assert.match(item(ip, 'http').documentation ?? '', /pods of namespace `shop`/);
  });

  test('port typed right after the colon: a space is inserted first', () => {
    const r = at(`${HEAD}spec:\n  podSelector: {matchLabels: {app: frontend}}\n  ingress:\n  - ports:\n    - port:|\n`);
    assert.equal(item(r, 'http').insertText, ' http');
    assert.match(accept(r, 'http'), /- port: http\n$/);
  });

  test('protocol: TCP, UDP, SCTP replacing the typed letters', () => {
    const r = at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n      protocol: t|\n`);
    assert.deepEqual(labels(r), ['TCP', 'UDP', 'SCTP']);
    assert.equal(replaced(r), 't');
    assert.match(accept(r, 'TCP'), /protocol: TCP\n$/);
  });

  test('policyTypes items: Ingress and Egress not yet listed', () => {
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - |\n`)), ['Ingress', 'Egress']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - |\n`)), ['Egress']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  policyTypes: [Egress, |]\n`)), ['Ingress']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  policyTypes: |\n`)), ['[Ingress]', '[Egress]', '[Ingress, Egress]']);
  });
});

describe('completion: trigger characters and robustness', () => {
  const portLine = `${HEAD}spec:\n  podSelector: {matchLabels: {app: frontend}}\n  ingress:\n  - ports:\n    - port: `;

  test('a typed space asks only after `key: ` or `- `; a colon after a key; a dash at an item', () => {
    assert.deepEqual(labels(at(`${portLine}|\n`, { triggerCharacter: ' ' })), ['http', '8080']);
    assert.deepEqual(labels(at(`${HEAD}spec:\n  podSelector: {}\n  policyTypes:\n  - |\n`, { triggerCharacter: ' ' })), ['Ingress', 'Egress']);
    assert.deepEqual(at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: my |\n', { triggerCharacter: ' ' }).items, []);
    assert.deepEqual(at(`${HEAD}spec:\n  podSelector:\n    |\n`, { triggerCharacter: ' ' }).items, []);
    assert.deepEqual(labels(at(`${portLine.slice(0, -1)}|\n`, { triggerCharacter: ':' })), ['http', '8080']);
    const dash = at(`${HEAD}spec:\n  podSelector: {}\n  ingress:\n  - from:\n    -|\n`, { triggerCharacter: '-' });
    assert.deepEqual(labels(dash), ['podSelector', 'namespaceSelector', 'ipBlock']);
    assert.equal(item(dash, 'ipBlock').insertText, ' ipBlock:\n        ');
    assert.deepEqual(at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-|\n', { triggerCharacter: '-' }).items, []);
  });

  test('nothing in comments, block scalars, other kinds of objects, or past the end', () => {
    assert.deepEqual(at(`${HEAD}# podSelector: |\nspec: {}\n`).items, []);
    assert.deepEqual(at(`${HEAD}  annotations:\n    note: >-\n      po|\nspec: {}\n`).items, []);
    assert.deepEqual(at('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  |\n').items, []);
    assert.deepEqual(complete('a: 1\n', 99, undefined), []);
    assert.deepEqual(complete('a: 1\n', -1, undefined), []);
  });

  test('without a model: fields and enumerations still come', () => {
    assert.deepEqual(complete(`${HEAD}spec:\n  podSelector: {}\n  `, `${HEAD}spec:\n  podSelector: {}\n  `.length, undefined).map((i) => i.label), ['policyTypes', 'ingress', 'egress']);
  });

  test('CRLF line endings', () => {
    const r = at(`${HEAD}spec:\n  podSelector:\n    matchLabels:\n      app: fr|\n  ingress: []\n`, {}, (doc) => `${FIRST}---\n${doc}`.replace(/\n/g, '\r\n'));
    assert.equal(replaced(r, item(r, 'frontend')), 'fr');
  });

  test('a blank line at column 0 inside metadata keeps the structure below it (the namespace is still read)', () => {
    const r = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n|\n  name: x\n  namespace: monitoring\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: web\n');
    assert.deepEqual(labels(r), []); // apiVersion, kind, metadata and spec are all there
    const ports = at('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n\n  name: x\n  namespace: monitoring\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: |\n');
    assert.deepEqual(labels(ports), ['web', '9090']);
  });

  test('every cut point of a policy: no exception, ranges on the cursor line around the cursor', () => {
    const text = `${FIRST}---\n${HEAD}spec:\n  podSelector:\n    matchLabels: {app: backend}\n    matchExpressions:\n    - {key: tier, operator: In, values: [api]}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: platform}}\n      podSelector:\n        matchLabels:\n          app.kubernetes.io/name: prometheus\n    ports:\n    - {protocol: TCP, port: metrics}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: ["10.1.0.0/16"]\n    ports:\n    - port: 53\n      protocol: UDP\n`;
    const model = analyze([{ path: 'workspace.yaml', text: WORKSPACE }]).model;
    let withItems = 0;
    for (let cut = 0; cut <= text.length; cut++) {
      for (const partial of [text, text.slice(0, cut)]) {
        const items = complete(partial, cut, model);
        if (items.length > 0) withItems++;
        const lineStart = partial.lastIndexOf('\n', cut - 1) + 1;
        const nl = partial.indexOf('\n', cut);
        const lineEnd = nl === -1 ? partial.length : nl;
        for (const i of items) {
          assert.ok(i.start >= lineStart && i.start <= cut && i.end >= cut && i.end <= lineEnd, `range ${i.start}-${i.end} of ${i.label} at ${cut}`);
        }
      }
    }
    assert.ok(withItems > 200, `only ${withItems} positions had items`);
  });
});

describe('completion: field documentation', () => {
  test('every documented field exists in the NetworkPolicy schema, and every offered one is documented', () => {
    const structs = new Map(STRUCTS.map((s) => [s.type, s]));
    for (const [type, fields] of Object.entries(FIELD_DOCS)) {
      const s = structs.get(type);
      assert.ok(s, `no struct ${type}`);
      for (const f of Object.keys(fields)) assert.ok(f in s.fields, `${type}.${f} is not in the schema`);
    }
    for (const s of STRUCTS) {
      if (['ObjectMeta', 'OwnerReference', 'ManagedFieldsEntry'].includes(s.type)) continue;
      for (const f of Object.keys(s.fields)) if (!(s.type === 'NetworkPolicy' && f === 'status')) assert.ok(FIELD_DOCS[s.type]?.[f], `${s.type}.${f} has no documentation`);
    }
    for (const f of METADATA_FIELDS) assert.ok(FIELD_DOCS.ObjectMeta[f]);
  });
});

describe('completion: cluster-level policies', () => {
  const CNP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: isolate
`;
  test('the fields of a ClusterNetworkPolicy spec, rule and peer, from its CRD schema', () => {
    assert.deepEqual(labels(at(`${CNP}spec:\n  |`)), ['tier', 'priority', 'subject', 'ingress', 'egress']);
    assert.deepEqual(labels(at(`${CNP}spec:\n  tier: Admin\n  |`)), ['priority', 'subject', 'ingress', 'egress']);
    assert.deepEqual(labels(at(`${CNP}spec:\n  egress:\n  - |`)), ['name', 'action', 'to', 'protocols']);
    assert.deepEqual(labels(at(`${CNP}spec:\n  egress:\n  - action: Deny\n    to:\n    - |`)), ['namespaces', 'pods', 'networks', 'nodes', 'domainNames']);
    assert.deepEqual(labels(at(`${CNP}|`)), ['spec']);
  });

  test('the values of action and tier, per API version', () => {
    assert.deepEqual(labels(at(`${CNP}spec:\n  tier: |`)), ['Admin', 'Baseline']);
    assert.deepEqual(labels(at(`${CNP}spec:\n  ingress:\n  - action: |`)), ['Accept', 'Deny', 'Pass']);
    const banp = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  ingress:\n  - action: |`;
    assert.deepEqual(labels(at(banp)), ['Allow', 'Deny']);
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec:\n  |`;
    assert.deepEqual(labels(at(anp)), ['priority', 'subject', 'ingress', 'egress']);
  });
});
