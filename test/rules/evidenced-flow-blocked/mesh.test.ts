/**
 * evidenced-flow-blocked where a service mesh's SMI access control refuses the same call:
 * the finding is an info (two layers agree the call is refused) and its fix is not
 * preferred; where the mesh admits the caller, or is permissive, or does not govern the
 * destination, it stays a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeOnce, Workspace } from '../../../server/src/core/workspace';
import type { Finding } from '../../../server/src/core/lint/rule';
import { ROOT } from '../../helpers/paths';
import { docs, yaml } from '../../helpers/manifests';

const RULE = 'evidenced-flow-blocked';

/** A Deployment in `shop`; `account` is written as `field: value` (serviceAccountName, the deprecated serviceAccount), or not at all. */
const app = (name: string, account?: { field: 'serviceAccountName' | 'serviceAccount'; name: string }, env = '') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ${name}, namespace: shop}
  spec:
    selector: {matchLabels: {app: ${name}}}
    template:
      metadata: {labels: {app: ${name}}}
      spec:${account ? `\n        ${account.field}: ${account.name}` : ''}
        containers:
          - name: ${name}
            image: example/${name}:1
            ports: [{containerPort: 8080}]${env ? `\n            env: [${env}]` : ''}
`;
const svc = (name: string) => yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: ${name}, namespace: shop}
  spec:
    selector: {app: ${name}}
    ports: [{port: 80, targetPort: 8080}]
`;
/**
 * api admits no source: every call to it is blocked by the NetworkPolicies. (Its empty
 * `ingress` keeps the findings' path when a fix adds a rule: without the key, fixing one
 * of two findings moves the other's, which the fix check counts as raised.)
 */
const denyApi = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: api, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: api}}
    policyTypes: [Ingress]
    ingress: []
`;
/** A v1alpha3 TrafficTarget for `destination` (`name` or `ns/name`), admitting `sources` (each `name` or `ns/name`). */
const target = (name: string, destination: string, sources: readonly string[], ns = 'shop') => {
  const account = (ref: string) => {
    const [n, a] = ref.includes('/') ? ref.split('/') : [undefined, ref];
    return `{kind: ServiceAccount, name: ${a}${n ? `, namespace: ${n}` : ''}}`;
  };
  return yaml`
    kind: TrafficTarget
    apiVersion: access.smi-spec.io/v1alpha3
    metadata: {name: ${name}, namespace: ${ns}}
    spec:
      destination: ${account(destination)}
      rules: [{kind: HTTPRouteGroup, name: ${name}, matches: [all]}]
      sources: [${sources.map(account).join(', ')}]
  `;
};
const meshConfig = (permissive: boolean | undefined) => yaml`
  apiVersion: config.openservicemesh.io/v1alpha1
  kind: MeshConfig
  metadata: {name: osm-mesh-config, namespace: osm-system}
  spec:
    traffic: {enableEgress: true${permissive === undefined ? '' : `, enablePermissiveTrafficPolicyMode: ${permissive}`}}
`;
const callsApi = '{name: API_URL, value: "http://api.shop"}';
/** web (ServiceAccount web-sa) and worker (the default ServiceAccount) both call api (ServiceAccount api-sa), whose policy admits neither. */
const shop = (...extra: string[]) =>
  docs(app('api', { field: 'serviceAccountName', name: 'api-sa' }), svc('api'), denyApi, app('web', { field: 'serviceAccountName', name: 'web-sa' }, callsApi), app('worker', undefined, callsApi), ...extra);

function run(text: string) {
  const snapshot = analyzeOnce([{ path: 'm.yaml', text }]);
  return { snapshot, findings: snapshot.findings().filter((f) => f.rule === RULE) };
}

/** Each finding as `caller severity`, sorted. */
function verdicts(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${/^shop\/(\S+) →/.exec(f.message)?.[1] ?? f.message} ${f.severity}`).sort();
}

test('a TrafficTarget that admits only web: worker\'s blocked call is an info naming the TrafficTarget, web\'s stays a warning', () => {
  const r = run(shop(target('api', 'api-sa', ['web-sa'])));
  assert.deepEqual(verdicts(r.findings), ['web warning', 'worker info']);
  const info = r.findings.find((f) => f.severity === 'info')!;
  assert.match(info.message, /^shop\/worker → shop\/api on TCP 8080 \(Service shop\/api:80\) is referenced \(m\.yaml: env API_URL\) but shop\/api admits no source at all; the service mesh's SMI TrafficTargets for ServiceAccount shop\/api-sa \(TrafficTarget shop\/api\) admit only ServiceAccount shop\/web-sa, not shop\/default, so the mesh refuses this call too \(assuming the mesh enforces them: no MeshConfig in the workspace says it is permissive\): if the call is meant to be refused, nothing is wrong; if it is needed, both the NetworkPolicy and a TrafficTarget need a rule/);
  const warning = r.findings.find((f) => f.severity === 'warning')!;
  assert.match(warning.message, /^shop\/web → shop\/api .* is needed /);
});

test('the fix of an info the mesh agrees with is offered but not preferred; the warning\'s stays preferred', () => {
  const r = run(shop(target('api', 'api-sa', ['web-sa'])));
  const fixesOf = (severity: string) => r.snapshot.fixes(r.findings.find((f) => f.severity === severity)!);
  const info = fixesOf('info');
  assert.ok(info.length > 0, 'a fix is still offered');
  for (const fix of info) assert.notEqual(fix.isPreferred, true, fix.title);
  assert.ok(fixesOf('warning').some((fix) => fix.isPreferred === true));
});

test('no TrafficTarget names the destination\'s ServiceAccount: the mesh is not known to refuse, warnings stay', () => {
  assert.deepEqual(verdicts(run(shop(target('other', 'other-sa', ['web-sa']))).findings), ['web warning', 'worker warning']);
  // Without any mesh object, the rule is as it was.
  assert.deepEqual(verdicts(run(shop()).findings), ['web warning', 'worker warning']);
});

test('an OSM MeshConfig in permissive mode (or silent about it) does not enforce TrafficTargets: warnings stay; a strict one says so in the message', () => {
  assert.deepEqual(verdicts(run(shop(target('api', 'api-sa', ['web-sa']), meshConfig(true))).findings), ['web warning', 'worker warning']);
  // Unset: the AKS add-on and the Helm chart install it permissive.
  assert.deepEqual(verdicts(run(shop(target('api', 'api-sa', ['web-sa']), meshConfig(undefined))).findings), ['web warning', 'worker warning']);
  const strict = run(shop(target('api', 'api-sa', ['web-sa']), meshConfig(false)));
  assert.deepEqual(verdicts(strict.findings), ['web warning', 'worker info']);
  assert.match(strict.findings.find((f) => f.severity === 'info')!.message, /so the mesh refuses this call too \(Open Service Mesh runs non-permissive: MeshConfig osm-system\/osm-mesh-config\)/);
});

test('the default ServiceAccount: a pod template that names none is `default`, which a TrafficTarget may admit', () => {
  assert.deepEqual(verdicts(run(shop(target('api', 'api-sa', ['web-sa', 'default']))).findings), ['web warning', 'worker warning']);
  assert.deepEqual(verdicts(run(shop(target('api', 'api-sa', ['default']))).findings), ['web info', 'worker warning']);
});

test('the deprecated spec.serviceAccount names the ServiceAccount when serviceAccountName is unset', () => {
  const text = docs(app('api', { field: 'serviceAccount', name: 'api-sa' }), svc('api'), denyApi, app('web', { field: 'serviceAccount', name: 'web-sa' }, callsApi), target('api', 'api-sa', ['default']));
  assert.deepEqual(verdicts(run(text).findings), ['web info']);
  assert.deepEqual(verdicts(run(text.replace("name: default}", 'name: web-sa}')).findings), ['web warning']);
});

test('namespaces left out of a TrafficTarget are its own, for the destination and the sources; a source in another namespace must say it', () => {
  // Destination and source without a namespace, in shop: shop/api-sa, admitting shop/web-sa.
  const own = yaml`
    kind: TrafficTarget
    apiVersion: access.smi-spec.io/v1alpha3
    metadata: {name: api, namespace: shop}
    spec:
      destination: {kind: ServiceAccount, name: api-sa}
      rules: [{kind: HTTPRouteGroup, name: api}]
      sources: [{kind: ServiceAccount, name: web-sa}]
  `;
  assert.deepEqual(verdicts(run(shop(own)).findings), ['web warning', 'worker info']);
  // The same TrafficTarget in another namespace governs that namespace's api-sa, not shop's.
  assert.deepEqual(verdicts(run(shop(own.replace('namespace: shop', 'namespace: other'))).findings), ['web warning', 'worker warning']);
  // A source named in another namespace is not shop's web-sa.
  assert.deepEqual(verdicts(run(shop(target('api', 'shop/api-sa', ['other/web-sa']))).findings), ['web info', 'worker info']);
});

test('access.smi-spec.io/v1alpha1 writes destination and sources at the top level; a source of another kind may admit anyone', () => {
  const v1alpha1 = yaml`
    kind: TrafficTarget
    apiVersion: access.smi-spec.io/v1alpha1
    metadata: {name: api, namespace: shop}
    destination: {kind: ServiceAccount, name: api-sa, namespace: shop, port: 8080}
    specs: [{kind: HTTPRouteGroup, name: api, matches: [all]}]
    sources: [{kind: ServiceAccount, name: web-sa, namespace: shop}]
  `;
  assert.deepEqual(verdicts(run(shop(v1alpha1)).findings), ['web warning', 'worker info']);
  const group = target('api', 'api-sa', ['web-sa']).replace('sources: [', 'sources: [{kind: Group, name: everyone}, ');
  assert.deepEqual(verdicts(run(shop(group)).findings), ['web warning', 'worker warning']);
});

test('under a strict OSM MeshConfig, a pod in the mesh that no TrafficTarget names admits no caller; outside the mesh (no injection, unmonitored) it is not known', () => {
  const text = readFileSync(join(ROOT, 'test/rules/evidenced-flow-blocked/mesh/osm-strict.yaml'), 'utf8');
  const r = run(text);
  // probe → api (its TrafficTarget admits only web-sa) and probe → web (no TrafficTarget names web-sa): both refused by the mesh too; web → api is admitted.
  assert.deepEqual(verdicts(r.findings), ['probe info', 'probe info']);
  assert.match(r.findings.find((f) => /→ shop\/web /.test(f.message))!.message, /the service mesh admits no caller to the pods of shop\/web: Open Service Mesh runs non-permissive \(MeshConfig kube-system\/osm-mesh-config\), their namespace is in the mesh with sidecar injection and no SMI TrafficTarget names their ServiceAccount shop\/web-sa, so the mesh refuses this call too/);
  // The pod template opts out of injection: web's pods are outside the mesh, the call to them is not known to be refused.
  const optOut = text.replace('      labels:\n        app: web\n', '      labels:\n        app: web\n      annotations:\n        openservicemesh.io/sidecar-injection: disabled\n');
  assert.notEqual(optOut, text);
  assert.deepEqual(verdicts(run(optOut).findings), ['probe info', 'probe warning']);
  // The namespace is not monitored: the same.
  assert.deepEqual(verdicts(run(text.replace('    openservicemesh.io/monitored-by: osm\n', '')).findings), ['probe info', 'probe warning']);
  // The MeshConfig runs permissive: neither layer of the mesh applies.
  assert.deepEqual(verdicts(run(text.replace('enablePermissiveTrafficPolicyMode: false', 'enablePermissiveTrafficPolicyMode: true')).findings), ['probe warning', 'probe warning']);
});

test('editing a TrafficTarget, a MeshConfig or a pod\'s ServiceAccount changes the verdicts on the next run (the in-table replay reads the mesh)', () => {
  const ws = new Workspace();
  const app1 = { kind: 'disk' as const, uri: 'file:///app.yaml', text: shop() };
  const mesh = (text: string) => ({ kind: 'disk' as const, uri: 'file:///mesh.yaml', text });
  const steps: { change: ReturnType<typeof mesh>[]; expected: string[] }[] = [
    { change: [app1, mesh(docs(target('api', 'api-sa', ['web-sa']), meshConfig(false)))], expected: ['web warning', 'worker info'] },
    // The TrafficTarget admits worker's ServiceAccount too.
    { change: [mesh(docs(target('api', 'api-sa', ['web-sa', 'default']), meshConfig(false)))], expected: ['web warning', 'worker warning'] },
    // It admits worker only.
    { change: [mesh(docs(target('api', 'api-sa', ['default']), meshConfig(false)))], expected: ['web info', 'worker warning'] },
    // The mesh turns permissive.
    { change: [mesh(docs(target('api', 'api-sa', ['default']), meshConfig(true)))], expected: ['web warning', 'worker warning'] },
    { change: [mesh(docs(target('api', 'api-sa', ['default']), meshConfig(false)))], expected: ['web info', 'worker warning'] },
    // web now runs as the default ServiceAccount too (an edit of the workload, not of the mesh).
    { change: [{ ...app1, text: shop().replace('serviceAccountName: web-sa', 'serviceAccountName: default') }], expected: ['web warning', 'worker warning'] },
    // The mesh objects are gone.
    { change: [mesh('')], expected: ['web warning', 'worker warning'] },
  ];
  // The files after each step, from scratch first: the rule's verdicts carry over from one analysis to the next, so the incremental run must not be interleaved with other workspaces.
  const filesAt = (i: number) => {
    const files = [app1, mesh('')];
    for (const s of steps.slice(0, i + 1)) for (const c of s.change) files[c.uri === app1.uri ? 0 : 1] = c;
    return files;
  };
  const scratch = steps.map((_, i) => {
    const fresh = new Workspace();
    fresh.applyChange(filesAt(i));
    return fresh.snapshot().findings().filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.message}`);
  });
  for (const [i, step] of steps.entries()) {
    ws.applyChange(step.change);
    const found = ws.snapshot().findings().filter((f) => f.rule === RULE);
    assert.deepEqual(verdicts(found), step.expected, `step ${i}`);
    assert.deepEqual(found.map((f) => `${f.severity} ${f.message}`), scratch[i], `step ${i}: as from scratch`);
  }
});
