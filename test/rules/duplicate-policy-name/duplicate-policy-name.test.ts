import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { Workspace } from '../../../server/src/core/workspace';

const policy = (ns: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: allow-web${ns}
  spec:
    podSelector: {}
`;

test('duplicates across files name the other file; a defaulted namespace is said', () => {
  const found = runRule('duplicate-policy-name', [
    { path: 'base/allow-web.yaml', text: policy('') },
    { path: 'extra/allow-web.yaml', text: policy('') },
    { path: 'other/allow-web.yaml', text: policy('\n    namespace: other') },
  ]);
  assert.deepEqual(found.map((f) => [f.at, f.text]), [['base/allow-web.yaml:4:8-17', 'allow-web'], ['extra/allow-web.yaml:4:8-17', 'allow-web']]);
  assert.match(found[0].message, /^NetworkPolicy default\/allow-web \(no metadata.namespace: namespace "default" assumed\) is also defined in extra\/allow-web.yaml\./);
  assert.match(found[1].message, /is also defined in base\/allow-web.yaml\./);
});

test('the explicit default namespace and an omitted one are the same namespace', () => {
  const found = runRule('duplicate-policy-name', [
    { path: 'a.yaml', text: policy('') },
    { path: 'b.yaml', text: policy('\n    namespace: default') },
  ]);
  assert.equal(found.length, 2);
  // With another default namespace they no longer collide.
  assert.deepEqual(runRule('duplicate-policy-name', [{ path: 'a.yaml', text: policy('') }, { path: 'b.yaml', text: policy('\n    namespace: default') }], { analyze: { defaultNamespace: 'shop' } }), []);
});

// eks-workshop's network-policies lab: two files of successive steps define one policy
// (a failing version, then the fixed one); no kustomization lists either.
const orders = (from: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: allow-orders-ingress-webservice
    namespace: orders
  spec:
    podSelector: {matchLabels: {app.kubernetes.io/component: service}}
    ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ui}}, podSelector: {matchLabels: {app.kubernetes.io/name: ${from}}}}]
`;

test('different files that nothing deploys together: info, saying which one wins when the folder is applied as a whole', () => {
  const found = runRule('duplicate-policy-name', [
    { path: 'lab/allow-order-ingress-success-debug.yaml', text: orders('ui') },
    { path: 'lab/allow-order-ingress-fail-debug.yaml', text: orders('uii') },
  ]);
  assert.deepEqual(found.map((f) => f.severity), ['info', 'info']);
  assert.match(found[0].message, /is also defined in lab\/allow-order-ingress-fail-debug\.yaml\. Nothing here deploys them together \(no kustomization lists both\)/);
  assert.match(found[0].message, /if the folder is applied as a whole \(kubectl apply -f takes a folder's files in name order\), the one in lab\/allow-order-ingress-success-debug\.yaml wins/);
  // Folder by folder: lab/x.yaml comes before lab-b/x.yaml (a plain string compare says otherwise).
  const across = runRule('duplicate-policy-name', [
    { path: 'lab-b/x.yaml', text: orders('ui') },
    { path: 'lab/x.yaml', text: orders('ui') },
  ]);
  assert.match(across[0].message, /the one in lab-b\/x\.yaml wins/);
});

test('deployed together (one file): a warning; variants of different kustomizations: nothing', () => {
  const same = runRule('duplicate-policy-name', [{ path: 'lab/both.yaml', text: `${orders('ui')}---\n${orders('uii')}` }]);
  assert.deepEqual(same.map((f) => f.severity), ['warning', 'warning']);
  const kustomization = (files: string) => `resources: [${files}]\n`;
  // One kustomization that lists both fails to build (kustomize refuses a second resource
  // with the same id): kustomize-build-error says so, this rule does not repeat it.
  const listed = runRules(
    analyze([
      { path: 'app/kustomization.yaml', text: kustomization('a.yaml, b.yaml') },
      { path: 'app/a.yaml', text: orders('ui') },
      { path: 'app/b.yaml', text: orders('uii') },
    ]),
  ).map((f) => f.rule);
  assert.ok(listed.includes('kustomize-build-error'));
  assert.ok(!listed.includes('duplicate-policy-name'));
  const variants = runRule('duplicate-policy-name', [
    { path: 'one/kustomization.yaml', text: kustomization('p.yaml') },
    { path: 'one/p.yaml', text: orders('ui') },
    { path: 'two/kustomization.yaml', text: kustomization('p.yaml') },
    { path: 'two/p.yaml', text: orders('uii') },
  ]);
  assert.deepEqual(variants, []);
});

test('keystrokes: the findings replayed while no policy defined twice changes are those of a fresh workspace', () => {
  const p = (name: string, port: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - ports: [{port: ${port}}]
`;
  const states: Record<string, string>[] = [
    { 'file:///w/a.yaml': p('web', 80), 'file:///w/b.yaml': `${p('web', 81)}---\n${p('other', 90)}` },
    // A keystroke in a policy defined once: replayed.
    { 'file:///w/a.yaml': p('web', 80), 'file:///w/b.yaml': `${p('web', 81)}---\n${p('other', 91)}` },
    // In one defined twice: judged again (spans and the group stay right).
    { 'file:///w/a.yaml': `# moved\n${p('web', 82)}`, 'file:///w/b.yaml': `${p('web', 81)}---\n${p('other', 91)}` },
    // A rename that ends the duplicate.
    { 'file:///w/a.yaml': `# moved\n${p('web2', 82)}`, 'file:///w/b.yaml': `${p('web', 81)}---\n${p('other', 91)}` },
    // And one that makes another.
    { 'file:///w/a.yaml': `# moved\n${p('web2', 82)}`, 'file:///w/b.yaml': `${p('web', 81)}---\n${p('web2', 91)}` },
  ];
  const where = (f: { rule: string; span: { file: string; start: number; end: number }; message: string }) => `${f.span.file}:${f.span.start}-${f.span.end} ${f.message}`;
  const findingsOf = (ws: Workspace) => ws.snapshot().findings().filter((f) => f.rule === 'duplicate-policy-name').map(where);
  // The keystrokes in a row first (the rule's replay reads what the previous run left), then each state afresh.
  const ws = new Workspace();
  const mine = states.map((state) => {
    ws.applyChange(Object.entries(state).map(([uri, text]) => ({ kind: 'open' as const, uri, text })));
    return findingsOf(ws);
  });
  // (Each in a folder of its own, so that the rule's last run, another workspace's, is never replayed for it.)
  states.forEach((state, i) => {
    const fresh = new Workspace();
    fresh.applyChange(Object.entries(state).map(([uri, text]) => ({ kind: 'disk' as const, uri: uri.replace('/w/', `/fresh${i}/`), text })));
    assert.deepEqual(mine[i], findingsOf(fresh).map((f) => f.replaceAll(`/fresh${i}/`, '/w/')), `state ${i}`);
  });
});
