import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';
import { analyze, type AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import type { Finding } from '../../../server/src/core/lint/rule';
import type { Fix } from '../../../server/src/core/lint/fix';
import type { TextEdit } from '../../../server/src/core/base/edits';
import { runRules } from '../../../server/src/core/rules/run';
import { ruleById } from '../../../server/src/core/rules/catalog';

/** The fixes offered for the finding at `finding`'s place, in an analysis of its own. */
function fixesAt(files: readonly { path: string; text: string }[], finding: Finding, options?: AnalyzeOptions): Fix[] {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const analysis = analyze(files, options);
  const same = runRules(analysis, { rules: [ruleById('missing-namespace')!] }).find((f) => f.span.file === finding.span.file && f.span.start === finding.span.start);
  assert.ok(same);
  return fixesFor(same, { analysis, text: (p) => texts.get(p) });
}

/** The titles of the fixes that write a value (not the prompts, which ask for it). */
function fixTitles(files: readonly { path: string; text: string }[], finding: Finding, options?: AnalyzeOptions): string[] {
  return fixesAt(files, finding, options)
    .filter((f) => !f.prompt)
    .map((f) => f.title);
}

/** The one prompt offered, with the text its edit would write at the placeholder. */
function promptOf(files: readonly { path: string; text: string }[], finding: Finding, options?: AnalyzeOptions): { fix: Fix; edit: TextEdit } {
  const prompts = fixesAt(files, finding, options).filter((f) => f.prompt);
  assert.equal(prompts.length, 1);
  const edit = prompts[0].edits[0] as TextEdit;
  assert.equal(edit.newText.slice(prompts[0].prompt!.at, prompts[0].prompt!.at + prompts[0].prompt!.value.length), prompts[0].prompt!.value);
  return { fix: prompts[0], edit };
}

test('the message names the namespace the analysis assumed', () => {
  const text = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny}
    spec: {podSelector: {}}
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: deployer, namespace: team-b}
  `;
  const found = runRule('missing-namespace', text, { analyze: { defaultNamespace: 'team-a' } });
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'deny');
  assert.equal(found[0].path, 'metadata.name');
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /every other manifest of its folder that sets one sets "team-b".* assumes namespace "team-a", not "team-b"\. Set metadata\.namespace: team-b\.$/);
  // Siblings that agree on the namespace the analysis assumes say nothing about this file: info.
  const same = runRule('missing-namespace', text.replace('team-b', 'team-a'), { analyze: { defaultNamespace: 'team-a' } });
  assert.equal(same.length, 1);
  assert.equal(same[0].severity, 'info');
  assert.match(same[0].message, /\("team-a" only\): it is a generic policy, applied into whichever namespace kubectl targets .*places it in "team-a"/);
});

test('a folder of which no manifest sets a namespace is installed with kubectl apply -n: no finding', () => {
  const policy = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: argocd-redis-network-policy}
    spec: {podSelector: {matchLabels: {app.kubernetes.io/name: argocd-redis}}, policyTypes: [Ingress]}
  `;
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: argocd-redis}
    spec:
      selector: {matchLabels: {app.kubernetes.io/name: argocd-redis}}
      template:
        metadata: {labels: {app.kubernetes.io/name: argocd-redis}}
        spec: {containers: [{name: redis, image: redis}]}
  `;
  assert.deepEqual(runRule('missing-namespace', `${policy}---\n${deployment}`), []);
  // The same policy beside manifests that set a namespace is reported.
  assert.equal(runRule('missing-namespace', `${policy}---\n${deployment.replace('name: argocd-redis}', 'name: argocd-redis, namespace: argocd}')}`).length, 1);
});

// kubernetes/website content/en/examples/service/networking/: independent examples; the
// namespaced ones say `namespace: default`, the others are applied into the reader's namespace.
const docsExample = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: default-deny-ingress
  spec:
    podSelector: {}
    policyTypes:
    - Ingress
`;
const docsNamespaced = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: test-network-policy
    namespace: default
  spec:
    podSelector:
      matchLabels:
        role: db
    policyTypes:
    - Ingress
`;

test('siblings that write only `namespace: default`: a generic example, info, and no fix writes default', () => {
  const files = [
    { path: 'examples/service/networking/network-policy-default-deny-ingress.yaml', text: docsExample },
    { path: 'examples/service/networking/networkpolicy.yaml', text: docsNamespaced },
  ];
  const found = runRule('missing-namespace', files);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'info');
  assert.match(found[0].message, /^NetworkPolicy "default-deny-ingress" has no metadata.namespace, while other manifests of its folder set theirs \("default" only\): it is a generic policy/);
  assert.deepEqual(fixTitles(files, found[0]), []);
  // It asks instead: a placeholder to type over, no choice (default is none), never applied unasked.
  const asked = promptOf(files, found[0]);
  assert.equal(asked.fix.title, 'Set metadata.namespace… (type the namespace it belongs to)');
  assert.equal(asked.fix.safe, false);
  assert.deepEqual(asked.fix.prompt!.choices, []);
  assert.equal(asked.edit.newText, '  namespace: namespace\n');
  // With another default namespace the siblings' `default` is still no evidence for this file.
  const other = runRule('missing-namespace', files, { analyze: { defaultNamespace: 'team-a' } });
  assert.equal(other[0].severity, 'info');
  assert.deepEqual(fixTitles(files, other[0], { defaultNamespace: 'team-a' }), []);
  assert.deepEqual(promptOf(files, other[0], { defaultNamespace: 'team-a' }).fix.prompt!.choices, []);
});

// eks-workshop manifests/modules/networking/network-policies/apply-network-policies/: the
// lab applies default-deny.yaml with kubectl apply -n ui; its siblings span four namespaces.
const policyIn = (name: string, ns: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: ${ns}\n  name: ${name}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`;
const lab = 'manifests/modules/networking/network-policies/apply-network-policies';
const labFiles = [
  { path: `${lab}/default-deny.yaml`, text: 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata:\n  name: default-deny\nspec:\n  podSelector:\n    matchLabels: {}\n  policyTypes:\n    - Egress\n' },
  { path: `${lab}/allow-catalog-ingress-db.yaml`, text: policyIn('allow-catalog-ingress-db', 'catalog') },
  { path: `${lab}/allow-order-ingress.yaml`, text: policyIn('allow-orders-ingress-webservice', 'orders') },
  { path: `${lab}/allow-ui-egress.yaml`, text: policyIn('allow-ui-egress', 'ui') },
  { path: `${lab}/example-network-policy.yaml`, text: policyIn('test-network-policy', 'default') },
];

test('siblings that span several namespaces: a generic policy, info naming them, no fix', () => {
  const found = runRule('missing-namespace', labFiles);
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'default-deny');
  assert.equal(found[0].severity, 'info');
  assert.match(found[0].message, /\("catalog", "default", "orders" and "ui"\): it is a generic policy, applied into whichever namespace kubectl targets \(-n, or the current context's namespace\)/);
  assert.deepEqual(fixTitles(labFiles, found[0]), []);
  // The prompt offers the namespaces the folder writes (not default), the first one as the placeholder's value.
  const asked = promptOf(labFiles, found[0]);
  assert.equal(asked.fix.title, 'Set metadata.namespace… (choose catalog, orders and ui, or type one)');
  assert.deepEqual(asked.fix.prompt!.choices, ['catalog', 'orders', 'ui']);
  assert.equal(asked.edit.newText.slice(asked.fix.prompt!.at), 'catalog\n');
  assert.equal(asked.edit.newText, '  namespace: catalog\n');
});

test('siblings that agree on one namespace: a warning, and the fix writes that namespace', () => {
  // (An ingress default-deny: the fix's re-check would drop an egress one that cuts ui's DNS.)
  const files = labFiles
    .filter((f) => f.path.endsWith('default-deny.yaml') || f.path.endsWith('ui-egress.yaml'))
    .map((f) => ({ ...f, text: f.text.replace('- Egress', '- Ingress') }));
  const found = runRule('missing-namespace', files);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.deepEqual(fixTitles(files, found[0]), ['Set metadata.namespace: ui (as the other manifests of this folder)']);
  assert.equal(fixesAt(files, found[0]).filter((f) => f.prompt).length, 0, 'evidence, not a question');
  // Other folders say nothing about this file.
  const elsewhere = [...files, { path: 'manifests/other/p.yaml', text: policyIn('p', 'catalog') }];
  assert.equal(runRule('missing-namespace', elsewhere)[0].severity, 'warning');
});
