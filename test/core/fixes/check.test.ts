/**
 * The engine's re-check of fixes (fixes/check.ts): what a fix's result raises, and that a
 * proposal raising something is not offered while its repaired form is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { applyEdits, isCreateFile, type TextEdit } from '../../../server/src/core/base/edits';
import { checkBaseOf, newFindings, raisedBy } from '../../../server/src/core/fixes/check';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import type { SourceFile } from '../../../server/src/core/manifest/types';
import { runRules } from '../../../server/src/core/rules/run';
import { callersOf } from '../../../server/src/core/rules/support/callers';
import { join } from 'node:path';
import { fixtureFiles, KUSTOMIZE_FIXTURES } from '../../helpers/kustomize';

function setUp(text: string) {
  const files: SourceFile[] = [{ path: 'ws.yaml', text }];
  const analysis = analyze(files);
  const findings = runRules(analysis);
  const base = checkBaseOf(files, analysis, findings);
  return { text, analysis, findings, base };
}

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: other}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: client, image: client, env: [{name: WEB_URL, value: 'http://web.shop/api'}]}]}
`;

test('a tightening that closes a flow a Service routes to raises change-removes-routed-flow; the offered one keeps the routed port open', () => {
  const { text, findings, base, analysis } = setUp(`${WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - {}
`);
  const finding = findings.find((f) => f.rule === 'allow-all-peers');
  assert.ok(finding);
  // Narrowing every port would close other/client -> web:8080, which Service shop/web routes to.
  const plain = `${text.slice(0, text.lastIndexOf('- {}'))}- {from: [{podSelector: {}}]}\n`;
  const closing: TextEdit = { file: 'ws.yaml', start: 0, end: text.length, newText: plain };
  // other/client names the Service in its env: the evidence says the flow is needed, too.
  assert.deepEqual([...new Set(raisedBy(base, [closing]).findings.map((f) => f.rule))].sort(), ['change-removes-routed-flow', 'evidenced-flow-blocked']);
  const offered = fixesFor(finding, { analysis, text: base.text, check: base });
  // Ranked by evidence: other/client names the Service in its env, so its pods come first.
  assert.deepEqual(offered.map((f) => f.title), [
    'Keep port 8080 open to every source (routed by Service shop/web); allow the other ports only from the evidenced callers: other/client (env WEB_URL)',
    'Keep port 8080 open to every source (routed by Service shop/web); allow the other ports only from pods of namespace shop (podSelector: {})',
    'Keep port 8080 open to every source (routed by Service shop/web); allow the other ports only from namespace other',
  ]);
  const after = applyEdits(text, offered[1].edits.filter((e): e is TextEdit => !isCreateFile(e)));
  assert.ok(after.endsWith('  ingress:\n    - {ports: [{port: 8080, protocol: TCP}]}\n    - from:\n        - podSelector: {}\n'), after);
});

test('an egress tightening without DNS raises egress-blocks-dns; the offered fix keeps DNS in the same edit', () => {
  const { text, findings, base, analysis } = setUp(`${WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - {}
`);
  const finding = findings.find((f) => f.rule === 'allow-all-peers');
  assert.ok(finding);
  const at = text.lastIndexOf('- {}') + 2;
  const bare: TextEdit = { file: 'ws.yaml', start: at, end: at + 2, newText: '{to: [{podSelector: {}}]}' };
  assert.deepEqual([...new Set(raisedBy(base, [bare]).findings.map((f) => f.rule))], ['egress-blocks-dns']);
  const offered = fixesFor(finding, { analysis, text: base.text, check: base });
  assert.ok(offered.length > 0 && offered.length <= 3);
  for (const fix of offered) {
    const after = applyEdits(text, fix.edits.filter((e): e is TextEdit => !isCreateFile(e)));
    assert.match(after, /port: 53, protocol: UDP[\s\S]*port: 53, protocol: TCP/, fix.title);
    assert.deepEqual(raisedBy(base, fix.edits).findings, []);
  }
});

const POLICY_WITHOUT_NAMESPACE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
`;

test('missing-namespace never offers the assumed default namespace', () => {
  // Alone, the policy is a namespace-less bundle (kubectl apply -n): no finding, no fix.
  const alone = setUp(POLICY_WITHOUT_NAMESPACE);
  assert.equal(alone.findings.find((f) => f.rule === 'missing-namespace'), undefined);

  const beside = setUp(`${POLICY_WITHOUT_NAMESPACE}---\n${WEB}`);
  const f2 = beside.findings.find((f) => f.rule === 'missing-namespace');
  assert.ok(f2);
  // Beside objects of shop and other, it is a generic policy (info): no fix picks for the user.
  assert.equal(f2.severity, 'info');
  // It asks instead: a prompt with the folder's namespaces as choices, never applied unasked.
  const asked = fixesFor(f2, { analysis: beside.analysis, text: beside.base.text });
  assert.deepEqual(asked.map((f) => [f.safe, f.prompt?.choices]), [[false, ['other', 'shop']]]);

  // Beside objects of shop only, the fix writes shop, the folder's evidence.
  const shopOnly = setUp(`${POLICY_WITHOUT_NAMESPACE}---\n${WEB.split('---\n').slice(0, 2).join('---\n')}`);
  const f3 = shopOnly.findings.find((f) => f.rule === 'missing-namespace');
  assert.ok(f3);
  assert.equal(f3.severity, 'warning');
  const titles = fixesFor(f3, { analysis: shopOnly.analysis, text: shopOnly.base.text }).map((f) => f.title);
  assert.deepEqual(titles, ['Set metadata.namespace: shop (as the other manifests of this folder)']);
});

test('a fix whose result has a new error with a safe fix of its own is offered repaired: the two in one edit', () => {
  const { text, findings, base, analysis } = setUp(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: partner, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
  - ports:
    - protocl: tcp # the partner's API
      port: 443
`);
  const finding = findings.find((f) => f.rule === 'unknown-field');
  assert.ok(finding);
  const raw = fixesFor(finding, { analysis, text: base.text });
  assert.deepEqual([...new Set(raisedBy(base, raw[0].edits).findings.map((f) => f.rule))], ['invalid-protocol']);
  const [fix] = fixesFor(finding, { analysis, text: base.text, check: base });
  assert.equal(fix.title, 'Rename "protocl" to "protocol"');
  const after = applyEdits(text, fix.edits.filter((e): e is TextEdit => !isCreateFile(e)));
  assert.equal(after, text.replace('protocl: tcp', 'protocol: TCP'));
});

test('callers: a workload calls a Service when its env, args or command name the Service as a host', () => {
  const svc = (name: string, namespace: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n`;
  const client = (name: string, namespace: string, env: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: c, args: ['--upstream=${env}']}]}\n`;
  const text = [
    svc('web', 'shop'),
    client('near', 'shop', 'web:80'),
    client('far-short', 'other', 'web:80'),
    client('far-long', 'other', 'http://web.shop.svc.cluster.local/x'),
    client('lookalike', 'shop', 'webapp:80'),
  ].join('---\n');
  const { analysis } = setUp(text);
  const names = callersOf(analysis.model.workloads, analysis.model.services).map((w) => w.name);
  // `web` alone resolves only in the Service's namespace; `webapp` is another host.
  assert.deepEqual(names.sort(), ['far-long', 'near']);
});

test("a fix in a kustomize base is judged as the overlay renders it: the edited file is kustomized again (no missing-namespace, no 'default')", () => {
  const files = fixtureFiles(join(KUSTOMIZE_FIXTURES, 'catalog'));
  const analysis = analyze(files);
  const findings = runRules(analysis);
  const base = checkBaseOf(files, analysis, findings);
  // An edit that changes no meaning, in a base's policy file and in its workload file.
  const edits: TextEdit[] = ['base/policies.yaml', 'base/deployment.yaml'].map((file) => ({ file, start: 0, end: 0, newText: '# reviewed\n' }));
  const raised = raisedBy(base, edits);
  assert.deepEqual(raised.findings.map((f) => `${f.rule} ${f.span.file}`), []);
  const policy = raised.after.model.policies.find((p) => p.name === 'prod-catalog-from-web');
  assert.equal(policy?.namespace, 'catalog', 'the edited policy keeps the namespace and prefix of its overlay');
});

test('newFindings: a finding under a new path takes the place of one of the same rule and object that vanished, never of the finding fixed', () => {
  const k = (object: string, path: string) => [`r\u0000f\u0000${object}\u0000${path}`, `r\u0000f\u00000\u0000${path}`] as const;
  const fixing = k('P', 'spec.policyTypes[0]');
  // Two findings on one policyTypes entry; the fix of one writes ingress:, the other moves there.
  assert.deepEqual(newFindings([fixing, fixing], [k('P', 'spec.ingress')], fixing), [false]);
  // Only the finding fixed vanished: a finding of the same group elsewhere is new.
  assert.deepEqual(newFindings([fixing], [k('P', 'spec.ingress')], fixing), [true]);
  // Another object's vanished finding does not make room; nor does anything without a fix being checked.
  assert.deepEqual(newFindings([fixing, k('Q', 'spec.egress')], [k('P', 'spec.ingress')], fixing), [true]);
  assert.deepEqual(newFindings([fixing, fixing], [k('P', 'spec.ingress')]), [true]);
  // One for one: two moved findings need two that vanished.
  assert.deepEqual(newFindings([fixing, fixing, fixing], [k('P', 'spec.ingress'), k('P', 'spec.ingress[1]')], fixing), [false, false]);
  assert.deepEqual(newFindings([fixing, fixing], [k('P', 'spec.ingress'), k('P', 'spec.ingress[1]')], fixing), [false, true]);
});
