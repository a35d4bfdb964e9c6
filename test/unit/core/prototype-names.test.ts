/**
 * Names of Object.prototype members (`constructor`, `toString`, `__proto__`,
 * `hasOwnProperty`, …) are data like any other name: as a kind, a label key or value,
 * a field name, a namespace, a policy, a port name, in every position of a workspace.
 * Nothing throws (the whole pipeline runs on each), nothing is skipped, and they
 * select, match and resolve as Kubernetes would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hoverAt } from '../../../server/src/core/ide/hover/hover';
import { runRules } from '../../../server/src/core/rules/run';
import { LineIndex } from '../../../server/src/core/base/span';
import { rng } from '../../bench/generate';
import { PROTOTYPE_NAMES } from '../../fuzz/mutate';
import { runPipeline } from '../../fuzz/pipeline';
import { analyzeYaml, connlist, docs, yaml } from '../helpers/manifests';

/** A small workspace with a placeholder `$N` in one position. */
const TEMPLATE = docs(
  yaml`
    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
      labels: {team: shop, $N: $N}
  `,
  yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
      annotations: {$N: $N}
    spec:
      template:
        metadata:
          labels: {app: web, $N: $N}
        spec:
          containers:
          - name: $N
            ports:
            - {name: $N, containerPort: 8080}
  `,
  yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec:
      selector: {app: web, $N: $N}
      ports: [{name: $N, port: 80, targetPort: $N}]
  `,
  yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      defaultBackend: {service: {name: $N, port: {name: $N}}}
  `,
  yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: $N
      namespace: shop
      labels: {$N: $N}
    spec:
      podSelector: {matchLabels: {$N: $N}, matchExpressions: [{key: $N, operator: $N, values: [$N]}]}
      policyTypes: [$N, Ingress]
      $N: $N
      ingress:
      - $N: $N
        from:
        - podSelector: {matchLabels: {$N: $N}}
          namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: $N}}
        - ipBlock: {cidr: $N, except: [$N]}
        ports:
        - {port: $N, protocol: $N}
  `,
  yaml`
    apiVersion: $N
    kind: $N
    metadata: {name: $N, namespace: $N}
    $N:
      $N: [$N]
  `,
  yaml`
    apiVersion: v1
    kind: List
    items:
    - apiVersion: v1
      kind: Pod
      metadata:
        name: $N
        namespace: $N
        ownerReferences: [{kind: $N, name: $N, controller: true}]
        labels: {$N: $N}
    - {apiVersion: v1, kind: $NList, items: [{metadata: {name: x}}]}
  `,
);

/** The template with `name` in its k-th position, every other position a plain word. */
function variant(name: string, k: number): string {
  let i = 0;
  return TEMPLATE.replace(/\$N/g, () => (i++ === k ? name : `p${i}`));
}

const POSITIONS = TEMPLATE.match(/\$N/g)!.length;

test('a prototype-member name in any position: the whole pipeline runs, nothing is skipped', () => {
  const r = rng(18);
  // (The fuzzer tries the others of PROTOTYPE_NAMES too.)
  for (const name of PROTOTYPE_NAMES.slice(0, 5)) {
    for (let k = 0; k < POSITIONS; k++) {
      const text = variant(name, k);
      const { failures } = runPipeline([{ path: 'ws.yaml', text }], 0, TEMPLATE.replace(/\$N/g, 'x'), r);
      assert.deepEqual(failures, [], `${name} at position ${k}`);
    }
  }
});

test('every position at once, in the CLI: findings, never an internal error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-proto-'));
  try {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      writeFileSync(join(dir, `${name}.yaml`), TEMPLATE.replace(/\$N/g, name));
    }
    const cli = resolve(__dirname, '../../../../dist/cli.js');
    for (const command of [['check'], ['reach'], ['check', '--format', 'json']]) {
      const run = spawnSync(process.execPath, [cli, ...command, dir], { encoding: 'utf8' });
      assert.ok(run.status === 0 || run.status === 1, `${command.join(' ')}: exit ${run.status}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr + run.stdout, /internal error|document-skipped|rule-failed|at \S+ \(/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const pod = (name: string, labels: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: ${name}, namespace: shop, labels: ${labels}}
  spec:
    containers: [{name: c, ports: [{name: constructor, containerPort: 8080}]}]
`;

const policy = (podSelector: string, port = '8080') => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: constructor, namespace: shop}
  spec:
    podSelector: ${podSelector}
    ingress: [{ports: [{port: ${port}}]}]
`;

test('label keys named like prototype members select exactly the pods that carry them', () => {
  const pods = docs(pod('with', '{constructor: web, toString: a, __proto__: b}'), pod('without', '{app: other}'));
  // The policy isolates what it selects (TCP 8080 only); the rest stays open.
  const isolates = (sel: string, target: string) => connlist(docs(pods, policy(sel)), {}, { external: false }).some((l) => l.endsWith(`=> shop/${target}[Pod] : TCP 8080`));
  assert.equal(isolates('{matchLabels: {constructor: web}}', 'with'), true);
  assert.equal(isolates('{matchExpressions: [{key: toString, operator: Exists}]}', 'with'), true);
  assert.equal(isolates('{matchExpressions: [{key: hasOwnProperty, operator: Exists}]}', 'with'), false);
  assert.equal(isolates('{matchExpressions: [{key: valueOf, operator: In, values: [x]}]}', 'with'), false);
  // `without` inherits nothing: DoesNotExist holds, Exists does not.
  assert.equal(isolates('{matchExpressions: [{key: constructor, operator: DoesNotExist}]}', 'without'), true);
  assert.equal(isolates('{matchExpressions: [{key: constructor, operator: Exists}]}', 'without'), false);
  assert.equal(isolates('{matchLabels: {constructor: web}}', 'without'), false);
  // `__proto__` is not a valid label key: the API server rejects such a selector, and
  // the policy is left out; in the pod's labels it is kept as the data it is.
  const rejected = analyzeYaml(docs(pods, policy('{matchLabels: {__proto__: b}}')));
  assert.match(rejected.model.policies[0].rejected.join('\n'), /Invalid label key "__proto__"/);
  assert.deepEqual(Object.keys(rejected.model.workloads[0].pods[0].labels), ['constructor', 'toString', '__proto__']);
});

test('a named port called constructor resolves to its container port; a namespace called constructor is a namespace', () => {
  const lines = connlist(docs(pod('with', '{app: web}'), pod('without', '{app: other}'), policy('{matchLabels: {app: web}}', 'constructor')), {}, { external: false });
  assert.ok(lines.includes('shop/without[Pod] => shop/with[Pod] : TCP 8080'), lines.join('\n'));
  const a = analyzeYaml(docs(yaml`
    apiVersion: v1
    kind: Namespace
    metadata: {name: constructor, labels: {hasOwnProperty: "yes"}}
  `, pod('p', '{app: web}').replace('namespace: shop', 'namespace: constructor')));
  assert.deepEqual([...a.model.namespaces.keys()].sort(), ['constructor']);
  assert.deepEqual(Object.keys(a.model.namespaces.get('constructor')!.labels).sort(), ['hasOwnProperty', 'kubernetes.io/metadata.name']);
});

test('a document of kind constructor is not a workload, and hovers elsewhere still answer', () => {
  const text = docs(yaml`
    apiVersion: v1
    kind: constructor
    metadata: {name: x, namespace: shop}
  `, pod('web', '{app: web}'));
  const analysis = analyzeYaml(text);
  assert.deepEqual(analysis.model.workloads.map((w) => w.name), ['web']);
  assert.deepEqual(runRules(analysis).filter((f) => f.rule === 'document-skipped' || f.rule === 'rule-failed'), []);
  const idx = new LineIndex(text);
  const hover = hoverAt({ analysis, file: 'manifests.yaml', text, offset: text.indexOf('app: web'), locate: (s) => ({ uri: s.file, line: idx.positionAt(s.start).line }) });
  assert.ok(hover && hover.markdown.length > 0);
});

test('field names like prototype members are unknown fields, reported as such', () => {
  const analysis = analyzeYaml(policy('{}').replace('podSelector: {}', 'podSelector: {}\n  constructor: {}\n  __proto__: x'));
  const unknown = runRules(analysis).filter((f) => f.rule === 'unknown-field');
  assert.deepEqual(unknown.map((f) => f.message.match(/Unknown field "([^"]+)"/)?.[1]), ['constructor', '__proto__']);
});
