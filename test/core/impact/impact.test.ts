/**
 * The change impact core (core/diff/impact.ts).
 * - Differential: on every in-scope corpus case, chains of seeded policy edits; the
 *   impact computed on a variant baseline (only the changed policies' pods visited) must
 *   equal netpol diff's full comparison, entry for entry.
 * - Two worlds (workloads relabelled, removed, re-ported; namespaces relabelled; the
 *   corpus diff pairs): comparing only the endpoints that differ gives the full diff,
 *   and netpol-analyzer's expected output for every in-scope pair.
 * - Attribution: which policy or rule opens or closes each flow, on small manifests:
 *   added rules, removed ports, port ranges, named ports, ipBlock excepts, a new and a
 *   deleted default-deny.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../../server/src/core/analysis/analyze';
import { diffConnections } from '../../../server/src/core/impact/diff';
import { changeImpact } from '../../../server/src/core/impact/impact';
import type { Model, NetworkPolicy, PolicyRule } from '../../../server/src/core/model/types';
import { allConnections } from '../../../server/src/core/reach/connections';
import { Reachability } from '../../../server/src/core/reach/engine';
import { readManifestFiles } from '../../../server/src/node/read-files';
import { loadCorpus, normalize, skipReason } from '../../corpus/corpus';
import { rng } from '../../bench/generate';
import { analyzeYaml, deployment, docs, yaml } from '../../helpers/manifests';
import { GENERIC_INGRESS_CONTROLLER } from '../../../server/src/core/k8s/cluster';
import type { ImpactReport } from '../../../server/src/core/impact/types';
import { policyFingerprint } from '../../../server/src/core/impact/changes';
import { formatDiff } from '../../../server/src/core/ide/formats/diff';
import { impactLenses, summarizeImpact } from '../../../server/src/core/ide/change-impact';

const EVERYTHING = { matchLabels: {}, matchExpressions: [], valid: true };

/** One edit of a policy list: what a user does to a policy file, at the model level. */
function mutate(policies: readonly NetworkPolicy[], rnd: () => number): NetworkPolicy[] {
  const out = [...policies];
  const pick = () => Math.floor(rnd() * out.length);
  const rules = (p: NetworkPolicy, dir: 'ingress' | 'egress', f: (r: readonly PolicyRule[]) => PolicyRule[]): NetworkPolicy => ({ ...p, [dir]: f(p[dir]) });
  const kind = out.length === 0 ? 7 : Math.floor(rnd() * 8);
  const i = pick();
  const p = out[i];
  const dir = rnd() < 0.5 ? 'ingress' : 'egress';
  switch (kind) {
    case 0:
      out.splice(i, 1);
      break;
    case 1:
      out[i] = rules(p, dir, (r) => r.slice(1));
      break;
    case 2:
      out[i] = rules(p, dir, (r) => r.map((x) => (x.peers && x.peers.length > 0 ? { ...x, peers: x.peers.slice(1) } : x)));
      break;
    case 3:
      out[i] = rules(p, dir, (r) => r.map((x) => ({ ...x, ports: undefined })));
      break;
    case 4:
      out[i] = rules(p, dir, (r) => r.map((x) => ({ ...x, peers: undefined })));
      break;
    case 5:
      out[i] = { ...p, policyTypes: p.policyTypes.includes('Egress') ? p.policyTypes.filter((t) => t !== 'Egress') : [...p.policyTypes, 'Egress'] };
      break;
    case 6:
      out[i] = { ...p, podSelector: EVERYTHING };
      break;
    default: {
      // A new default-deny (both directions) in some namespace of the workspace.
      const ns = p?.namespace ?? 'default';
      out.push({ name: `deny-${out.length}`, namespace: ns, defaultedNamespace: false, podSelector: EVERYTHING, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [], rejected: [] });
    }
  }
  return out;
}

/** netpol-analyzer's view of hostNetwork pods and of the ingress controller (as the corpus runner). */
const NETPOL_ANALYZER_OPTIONS = { hostNetwork: 'pod', ingressController: GENERIC_INGRESS_CONTROLLER } as const;

/** The diff lines of an impact, without the breakage marks (netpol diff's own output has none without Services in view). */
const lines = (r: ImpactReport) => formatDiff(r.entries.map((e) => ({ ...e, breaking: false })), 'text');

describe('variant baseline = full comparison (corpus, seeded edits)', () => {
  const cases = loadCorpus().filter((c) => !skipReason(c));
  test('there are cases to run', () => assert.ok(cases.length >= 30, `${cases.length} cases`));
  for (const c of cases) {
    test(c.name, () => {
      const { files } = readManifestFiles([c.inputDir]);
      const original = analyze(files, NETPOL_ANALYZER_OPTIONS);
      const rnd = rng(c.name.length * 7919 + 17);
      let policies: readonly NetworkPolicy[] = original.model.policies;
      let previous: Reachability = original.reach;
      for (let step = 0; step < 4; step++) {
        policies = mutate(policies, rnd);
        // The editor's chain: each edit's reachability patches the previous one.
        const reach = new Reachability({ ...original.model, policies }, NETPOL_ANALYZER_OPTIONS, previous);
        previous = reach;
        const current: Analysis = { files: original.files, model: reach.model, reach };
        const variant = reach.withPolicies(original.model.policies);
        assert.equal(variant.table, reach.table, 'the variant shares the class table');
        const scoped = changeImpact(variant, current);
        assert.ok(scoped.scoped);
        const names = original.reach.index.endpoints.map((e) => `${e.workload.namespace}/${e.workload.name}[${e.workload.kind}]`);
        const full = diffConnections(allConnections(new Reachability(original.model, NETPOL_ANALYZER_OPTIONS)), allConnections(reach), { workloads: { before: names, after: names } });
        assert.equal(lines(scoped), formatDiff(full, 'text'), `step ${step}`);
        // A baseline analysed on its own (the slow path) agrees too.
        const separate = changeImpact(new Reachability(original.model, NETPOL_ANALYZER_OPTIONS), current);
        assert.ok(!separate.scoped);
        assert.equal(lines(separate), lines(scoped), `step ${step}, separate baseline`);
        // The variant left the current reachability as it was.
        assert.equal(formatDiff(diffConnections(allConnections(reach), allConnections(new Reachability(reach.model, NETPOL_ANALYZER_OPTIONS))), 'text'), '');
      }
    });
  }
});

/** One edit of the world at the model level: a workload relabelled, removed or given other ports, a namespace relabelled. */
function mutateWorld(model: Model, rnd: () => number): Model {
  const workloads = [...model.workloads];
  const namespaces = new Map(model.namespaces);
  const i = Math.floor(rnd() * workloads.length);
  const w = workloads[i];
  switch (workloads.length === 0 ? 3 : Math.floor(rnd() * 4)) {
    case 0:
      workloads[i] = { ...w, pods: w.pods.map((p) => ({ ...p, labels: { ...p.labels, app: `moved-${i}` } })) };
      break;
    case 1:
      workloads.splice(i, 1);
      break;
    case 2:
      workloads[i] = { ...w, pods: w.pods.map((p) => ({ ...p, ports: p.ports.map((port) => ({ ...port, port: port.port + 1 })) })) };
      break;
    default: {
      const names = [...namespaces.keys()];
      const name = names[Math.floor(rnd() * names.length)];
      const ns = namespaces.get(name);
      if (ns) namespaces.set(name, { ...ns, labels: { ...ns.labels, tier: 'moved' } });
    }
  }
  return { ...model, workloads, namespaces };
}

describe('two worlds: only the endpoints that differ are compared (corpus, seeded world edits and diff pairs)', () => {
  const cases = loadCorpus().filter((c) => !skipReason(c));
  for (const c of cases) {
    test(c.name, () => {
      const original = analyze(readManifestFiles([c.inputDir]).files, NETPOL_ANALYZER_OPTIONS);
      const rnd = rng(c.name.length * 104729 + 3);
      let model = original.model;
      for (let step = 0; step < 3; step++) {
        model = mutateWorld(model, rnd);
        const reach = new Reachability(model, NETPOL_ANALYZER_OPTIONS);
        const report = changeImpact(original.reach, { files: original.files, model, reach });
        const names = (m: Model) => m.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}]`);
        const full = diffConnections(allConnections(original.reach), allConnections(reach), { workloads: { before: names(original.model), after: names(model) } });
        assert.equal(lines(report), formatDiff(full, 'text'), `step ${step}`);
      }
    });
  }
  const byName = new Map(cases.map((c) => [c.name, c]));
  for (const c of cases) {
    for (const d of c.diffs) {
      const other = byName.get(d.dir1);
      if (!other) continue;
      test(`diff ${c.name} vs ${d.dir1}: netpol-analyzer's expected diff`, () => {
        const before = analyze(readManifestFiles([other.inputDir]).files, NETPOL_ANALYZER_OPTIONS);
        const after = analyze(readManifestFiles([c.inputDir]).files, NETPOL_ANALYZER_OPTIONS);
        assert.deepEqual(normalize(lines(changeImpact(before.reach, after))), normalize(d.expectedText));
      });
    }
  }
});

const APP = docs(
  yaml`
    apiVersion: v1
    kind: Namespace
    metadata: {name: other}
  `,
  deployment('frontend', { labels: { app: 'frontend' } }),
  deployment('backend', { labels: { app: 'backend' }, ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] }),
  deployment('client', { namespace: 'other', labels: { app: 'client' } }),
  yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: backend}
    spec:
      selector: {app: backend}
      ports: [{port: 80, targetPort: http}]
  `,
);

function backendPolicy(ingress: string, name = 'backend'): string {
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: ${name}}
    spec:
      podSelector: {matchLabels: {app: backend}}
      policyTypes: [Ingress]
      ingress: ${ingress}
  `;
}

const DENY_ALL = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny-all}
  spec:
    podSelector: {}
    policyTypes: [Ingress]
`;

/** The impact of going from `before` to `after` (both beside APP), one line per entry with its responsible items. */
function impact(before: string, after: string): { entries: string[]; policies: string[] } {
  const b = analyzeYaml(docs(APP, before));
  const a = analyzeYaml(docs(APP, after));
  const report = changeImpact(b.reach, a);
  return {
    entries: report.entries.map((e) => {
      const who = e.responsible.map((r) => `${r.role} ${r.policy.name}${r.rule ? ` ${r.rule.direction.toLowerCase()}[${r.rule.index}]` : ''}`);
      return `${e.kind} ${e.src} -> ${e.dst}: +${e.gained.toString()} -${e.lost.toString()}${e.breaking ? ' BREAKING' : ''}${e.external ? ' EXTERNAL' : ''} (${who.join('; ')})`;
    }),
    policies: report.policies.map((p) => `${p.status} ${p.key} +${p.opened} -${p.closed}`),
  };
}

describe('attribution', () => {
  const FROM_FRONTEND = `[{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8080}, {port: 9090}]}]`;

  test('a new rule allows; its flows are counted on its policy', () => {
    assert.deepEqual(impact(backendPolicy('[]'), backendPolicy(FROM_FRONTEND)), {
      entries: ['added default/frontend[Deployment] -> default/backend[Deployment]: +TCP 8080,9090 -No Connections (allows backend ingress[0])'],
      policies: ['modified default/backend +1 -0'],
    });
  });

  test('a port removed from a rule: a changed flow that loses the routed port is breaking', () => {
    const after = backendPolicy(`[{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 9090}]}]`);
    assert.deepEqual(impact(backendPolicy(FROM_FRONTEND), after).entries, [
      'changed default/frontend[Deployment] -> default/backend[Deployment]: +No Connections -TCP 8080 BREAKING (no-longer-allows backend ingress[0])',
    ]);
  });

  test('a port range narrowed (endPort)', () => {
    const range = (end: number) => backendPolicy(`[{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8000, endPort: ${end}}]}]`);
    assert.deepEqual(impact(range(8100), range(8050)).entries, [
      'changed default/frontend[Deployment] -> default/backend[Deployment]: +No Connections -TCP 8051-8100 BREAKING (no-longer-allows backend ingress[0])',
    ]);
  });

  test('a named port switched to another container port', () => {
    const named = (port: string) => backendPolicy(`[{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: ${port}}]}]`);
    assert.deepEqual(impact(named('http'), named('metrics')).entries, [
      'changed default/frontend[Deployment] -> default/backend[Deployment]: +TCP 9090 -TCP 8080 BREAKING (allows backend ingress[0]; no-longer-allows backend ingress[0])',
    ]);
  });

  test('an ipBlock except cuts a range out; opening another namespace is external', () => {
    const block = (except: string) => backendPolicy(`[{from: [{ipBlock: {cidr: 10.0.0.0/8${except}}}]}]`);
    assert.deepEqual(impact(block(''), block(', except: [10.1.0.0/16]')).entries, [
      'removed 10.1.0.0-10.1.255.255[External] -> default/backend[Deployment]: +No Connections -All Connections BREAKING (no-longer-allows backend ingress[0])',
    ]);
    const other = backendPolicy(`[{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}]}]`);
    assert.deepEqual(impact(backendPolicy('[]'), other).entries, ['added other/client[Deployment] -> default/backend[Deployment]: +All Connections -No Connections EXTERNAL (allows backend ingress[0])']);
  });

  test('a new default-deny isolates; deleting it no longer isolates', () => {
    const closes = impact('', DENY_ALL);
    assert.deepEqual(closes.entries, [
      'removed 0.0.0.0-255.255.255.255[External] -> default/backend[Deployment]: +No Connections -All Connections BREAKING (isolates deny-all)',
      'removed 0.0.0.0-255.255.255.255[External] -> default/frontend[Deployment]: +No Connections -All Connections (isolates deny-all)',
      'removed default/backend[Deployment] -> default/frontend[Deployment]: +No Connections -All Connections (isolates deny-all)',
      'removed default/frontend[Deployment] -> default/backend[Deployment]: +No Connections -All Connections BREAKING (isolates deny-all)',
      'removed other/client[Deployment] -> default/backend[Deployment]: +No Connections -All Connections BREAKING (isolates deny-all)',
      'removed other/client[Deployment] -> default/frontend[Deployment]: +No Connections -All Connections (isolates deny-all)',
    ]);
    assert.deepEqual(closes.policies, ['added default/deny-all +0 -6']);
    const opens = impact(DENY_ALL, '');
    assert.equal(opens.entries.length, 6);
    assert.ok(opens.entries.every((e) => e.endsWith('(no-longer-isolates deny-all)')), opens.entries.join('\n'));
    assert.deepEqual(opens.policies, ['deleted default/deny-all +6 -0']);
  });

  test('an edit of a cluster policy names it and its rule for each flow it opens and closes', () => {
    const anp = (action: string) => yaml`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: guard}
      spec:
        priority: 10
        subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: default}}}
        ingress:
        - action: ${action}
          from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: other}}}]
    `;
    const report = (before: string, after: string) => {
      const r = changeImpact(analyzeYaml(docs(APP, before)).reach, analyzeYaml(docs(APP, after)));
      return {
        entries: r.entries.map((e) => `${e.src} -> ${e.dst}: +${e.gained.toString()} -${e.lost.toString()} (${(e.clusterResponsible ?? []).map((x) => `${x.role} ${x.policy.name} ${x.rule.direction.toLowerCase()}[${x.rule.index}]`).join('; ')})`),
        policies: (r.clusterPolicies ?? []).map((p) => `${p.status} ${p.key} +${p.opened} -${p.closed}`),
        ns: r.policies.length,
      };
    };
    // A new Deny closes other/client's ingress into both pods of default.
    assert.deepEqual(report('', anp('Deny')), {
      entries: [
        'other/client[Deployment] -> default/backend[Deployment]: +No Connections -All Connections (isolates guard ingress[0])',
        'other/client[Deployment] -> default/frontend[Deployment]: +No Connections -All Connections (isolates guard ingress[0])',
      ],
      policies: ['added AdminNetworkPolicy guard +0 -2'],
      ns: 0,
    });
    // Deny -> Allow over a NetworkPolicy default deny: the Allow opens, the old Deny no longer closes.
    assert.deepEqual(report(`${anp('Deny')}\n---\n${DENY_ALL}`, `${anp('Allow')}\n---\n${DENY_ALL}`), {
      entries: [
        'other/client[Deployment] -> default/backend[Deployment]: +All Connections -No Connections (allows guard ingress[0]; no-longer-isolates guard ingress[0])',
        'other/client[Deployment] -> default/frontend[Deployment]: +All Connections -No Connections (allows guard ingress[0]; no-longer-isolates guard ingress[0])',
      ],
      policies: ['modified AdminNetworkPolicy guard +2 -0'],
      ns: 0,
    });
    // Deleting it: what it denied is open again.
    assert.deepEqual(report(anp('Deny'), '').policies, ['deleted AdminNetworkPolicy guard +2 -0']);
  });

  test('the editor summary lists the changed cluster policy with its counts, its rule and a lens on it', () => {
    const guard = yaml`
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata: {name: guard}
      spec:
        tier: Admin
        priority: 10
        subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: default}}}
        ingress:
        - action: Deny
          from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: other}}}]
    `;
    const after = analyzeYaml(docs(APP, guard));
    const report = changeImpact(analyzeYaml(APP).reach, after);
    const summary = summarizeImpact({ report, files: [{ uri: 'manifests.yaml', kind: 'git HEAD' }] });
    assert.ok(summary);
    assert.deepEqual(summary.policies.map((p) => `${p.status} ${p.policy} +${p.opened} -${p.closed} ${p.span ? 'here' : 'nowhere'}`), ['added ClusterNetworkPolicy guard +0 -2 here']);
    const text = docs(APP, guard);
    for (const e of summary.entries) {
      assert.deepEqual(e.responsible.map((r) => r.text), ['ingress[0] of ClusterNetworkPolicy guard denies it']);
      const span = e.responsible[0].span;
      assert.ok(span);
      assert.ok(text.slice(span.start).startsWith('action: Deny'), text.slice(span.start, span.start + 40));
    }
    assert.deepEqual(impactLenses({ report, files: [{ uri: 'manifests.yaml', kind: 'git HEAD' }] }, 'manifests.yaml').map((l) => l.title), ['$(git-compare) new vs git HEAD: +0 flows · \u22122 flows']);
  });

  test('layout and comments are no change; a policy renamed is one deleted and one added', () => {
    const a = analyzeYaml(docs(APP, backendPolicy(FROM_FRONTEND)));
    const b = analyzeYaml(docs(APP, `# a comment\n${backendPolicy(FROM_FRONTEND).replace('policyTypes: [Ingress]', 'policyTypes:\n  - Ingress')}`));
    assert.equal(policyFingerprint(a.model.policies[0]), policyFingerprint(b.model.policies[0]));
    assert.deepEqual(changeImpact(a.reach, b), { entries: [], policies: [], scoped: false });
    assert.deepEqual(impact(backendPolicy(FROM_FRONTEND), backendPolicy(FROM_FRONTEND, 'renamed')).policies, ['added default/renamed +0 -0', 'deleted default/backend +0 -0']);
  });
});
