import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, type TextEdit } from '../../../server/src/core/base/edits';
import { analyzeOnce, Workspace } from '../../../server/src/core/workspace';
import { docs, yaml } from '../../helpers/manifests';

const app = (name: string, ns: string | undefined, env = '', port = 8080) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${name}${ns ? `\n    namespace: ${ns}` : ''}
  spec:
    selector: {matchLabels: {app: ${name}}}
    template:
      metadata: {labels: {app: ${name}}}
      spec:
        containers:
          - name: ${name}
            image: example/${name}:1
            ports: [{containerPort: ${port}}]${env ? `\n            env: [${env}]` : ''}
`;
const svc = (name: string, ns: string) => yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: ${name}, namespace: ${ns}}
  spec:
    selector: {app: ${name}}
    ports: [{port: 80, targetPort: 8080}]
`;
const denyAll = (ns: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny, namespace: ${ns}}
  spec:
    podSelector: {}
    policyTypes: [Ingress]
`;

function run(text: string) {
  const snapshot = analyzeOnce([{ path: 'm.yaml', text }]);
  const findings = snapshot.findings().filter((f) => f.rule === 'evidenced-flow-blocked');
  return { snapshot, findings, text };
}

test('a caller in another namespace: the fix selects its namespace by name, written in its manifest', () => {
  const r = run(docs(app('api', 'shop'), svc('api', 'shop'), denyAll('shop'), app('worker', 'jobs', '{name: API_URL, value: "http://api.shop/v1"}')));
  assert.equal(r.findings.length, 1);
  assert.match(r.findings[0].message, /^jobs\/worker → shop\/api on TCP 8080 \(Service shop\/api:80\) is needed \(m\.yaml: env API_URL\) but shop\/deny admits no source at all\./);
  const fixes = r.snapshot.fixes(r.findings[0]);
  assert.equal(fixes.length, 1);
  const after = applyEdits(r.text, fixes[0].edits as TextEdit[]);
  // In the file's style (flow mappings for selectors).
  assert.match(after, /name: api-ingress-evidence\n {2}namespace: shop\n[\s\S]*- from:\n {8}- podSelector:\n {12}matchLabels: \{app: worker\}\n {10}namespaceSelector:\n {12}matchLabels: \{kubernetes\.io\/metadata\.name: jobs\}\n/);
  // Applied, the flow is admitted: no finding of the rule is left.
  assert.equal(run(after).findings.length, 0);
});

test('a caller whose namespace is only the default assumption: reported, but no fix writes "default"', () => {
  const r = run(docs(app('api', 'shop'), svc('api', 'shop'), denyAll('shop'), app('worker', undefined, '{name: API_URL, value: "http://api.shop/v1"}')));
  assert.equal(r.findings.length, 1);
  assert.deepEqual(r.snapshot.fixes(r.findings[0]), []);
});

test('an Ingress route is ingress-controller-blocked\'s, and a flow the policies admit is no finding', () => {
  const ing = yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: api, namespace: shop}
    spec:
      defaultBackend: {service: {name: api, port: {number: 80}}}
  `;
  const r = run(docs(app('api', 'shop'), svc('api', 'shop'), denyAll('shop'), ing));
  assert.deepEqual(r.findings, []);
  assert.ok(r.snapshot.findings().some((f) => f.rule === 'ingress-controller-blocked'));
  assert.deepEqual(run(docs(app('api', 'shop'), svc('api', 'shop'), app('web', 'shop', '{name: API_HOST, value: api}'))).findings, []);
});

test('edits replay unchanged verdicts: after each keystroke the findings (spans included) equal a from-scratch analysis, also when the blocking policy\'s document moves in its file', () => {
  const web = app('web', 'shop', '{name: API_URL, value: "http://api.shop/v1"}');
  const other = (port: number) => yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: other, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: nobody}}
      ingress: [{ports: [{port: ${port}}]}]
  `;
  const ws = new Workspace();
  const files = (policies: string) => [
    { kind: 'disk' as const, uri: 'file:///app.yaml', text: docs(web, app('api', 'shop'), svc('api', 'shop')) },
    { kind: 'disk' as const, uri: 'file:///policies.yaml', text: policies },
  ];
  const steps = [
    docs(other(1), denyAll('shop')),
    // A keystroke in the first document: the deny policy's document moves (unchanged text).
    docs(other(10000), denyAll('shop')),
    docs(`# a comment that moves everything below\n${other(10000)}`, denyAll('shop')),
    // The blocking policy itself changes: admits the flow, then blocks it again.
    docs(other(10000), denyAll('shop').replace('policyTypes: [Ingress]', 'policyTypes: [Ingress]\n  ingress: [{ports: [{port: 8080}]}]')),
    docs(other(10000), denyAll('shop')),
  ];
  const shape = (s: ReturnType<Workspace['snapshot']>) =>
    s
      .findings()
      .filter((f) => f.rule === 'evidenced-flow-blocked')
      .map((f) => `${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`)
      .sort();
  // From scratch first: the evidence of the last analysis carries over to the next one, so
  // the incremental run must not be interleaved with other workspaces.
  const expected = steps.map((text) => {
    const scratch = new Workspace();
    scratch.applyChange(files(text));
    return shape(scratch.snapshot());
  });
  let blocked = 0;
  for (const [i, text] of steps.entries()) {
    // The first step loads both files; later ones edit the policies only, as a user types.
    ws.applyChange(i === 0 ? files(text) : files(text).slice(1));
    const incremental = shape(ws.snapshot());
    assert.deepEqual(incremental, expected[i], `step ${i}`);
    if (incremental.length > 0) blocked++;
  }
  assert.equal(blocked, 4, 'the flow is blocked at every step but the one that admits it');
});

test('two callers blocked by a policy with no ingress key: each finding gets its fix (the other finding moves to the new key, it is not a new one)', () => {
  const policy = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: api, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: api}}
      policyTypes: [Ingress]
  `;
  const r = run(docs(app('api', 'shop'), svc('api', 'shop'), policy, app('web', 'shop', '{name: API_URL, value: "http://api:80"}'), app('batch', 'shop', '{name: API_URL, value: "http://api:80"}')));
  assert.equal(r.findings.length, 2);
  for (const f of r.findings) {
    assert.equal(f.path, 'spec.policyTypes[0]');
    const fixes = r.snapshot.fixes(f);
    assert.ok(fixes.length > 0, `a fix for ${f.message}`);
    // Applied, its flow is admitted and the other stays reported (now on the ingress key the fix wrote).
    const left = run(applyEdits(r.text, fixes[0].edits as TextEdit[])).findings;
    assert.equal(left.length, 1);
    assert.equal(left[0].path, 'spec.ingress');
  }
});
