import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffConnections, formatDiff, type DiffEntry } from '../../../server/src/core/impact/diff';
import { allConnections } from '../../../server/src/core/reach/connections';
import { ConnSet } from '../../../server/src/core/base/ports';
import { analyzeYaml, deployment, docs, yaml } from '../helpers/manifests';
import { CORPUS_DIR } from '../../corpus/corpus';

const APP = docs(
  deployment('frontend', { labels: { app: 'frontend' } }),
  deployment('backend', { labels: { app: 'backend' }, ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] }),
);

function policy(ingress: string): string {
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: backend}
    spec:
      podSelector: {matchLabels: {app: backend}}
      ingress: ${ingress}
  `;
}

function diffYaml(before: string, after: string): DiffEntry[] {
  const b = analyzeYaml(before);
  const a = analyzeYaml(after);
  const names = (x: typeof b) => x.model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}]`);
  return diffConnections(allConnections(b.reach), allConnections(a.reach), { workloads: { before: names(b), after: names(a) } });
}

function lines(entries: DiffEntry[]): string[] {
  return formatDiff(entries, 'text').split('\n').filter((l) => l !== '');
}

const FE = 'default/frontend[Deployment]';
const BE = 'default/backend[Deployment]';

test('identical workspaces: no entries, empty output in every netpol-analyzer format', () => {
  const entries = diffYaml(APP, APP);
  assert.deepEqual(entries, []);
  for (const f of ['text', 'csv', 'md'] as const) assert.equal(formatDiff(entries, f), '');
  assert.equal(formatDiff(entries, 'json'), '[]');
});

test('a new isolating policy removes connections; dropping it adds them back', () => {
  const isolated = docs(APP, policy('[{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8080}]}]'));
  const entries = diffYaml(APP, isolated);
  const toBackend = entries.filter((e) => e.dst === BE);
  assert.deepEqual(
    toBackend.map((e) => [e.src, e.kind, e.before.toString(), e.after.toString(), e.lost.toString()]),
    [
      [FE, 'changed', 'All Connections', 'TCP 8080', 'SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535'],
      ['0.0.0.0-255.255.255.255[External]', 'removed', 'All Connections', 'No Connections', 'All Connections'],
    ],
  );
  assert.ok(toBackend[0].gained.isEmpty());
  const back = diffYaml(isolated, APP);
  assert.deepEqual(back.map((e) => e.kind), ['changed', 'added']);
  assert.equal(back[1].after, ConnSet.ALL);
  assert.equal(lines(back)[0], 'Connectivity diff:');
  assert.equal(lines(back)[2], `diff-type: added, source: 0.0.0.0-255.255.255.255[External], destination: ${BE}, ref1: No Connections, ref2: All Connections`);
});

test('port-range changes: endPort widening is a change with gained ports only', () => {
  const narrow = docs(APP, policy('[{from: [{podSelector: {}}], ports: [{port: 8000, endPort: 8080}]}]'));
  const wide = docs(APP, policy('[{from: [{podSelector: {}}], ports: [{port: 8000, endPort: 8090}, {port: 53, protocol: UDP}]}]'));
  const [e] = diffYaml(narrow, wide);
  assert.equal(e.kind, 'changed');
  assert.equal(e.before.toString(), 'TCP 8000-8080');
  assert.equal(e.after.toString(), 'TCP 8000-8090,UDP 53');
  assert.equal(e.gained.toString(), 'TCP 8081-8090,UDP 53');
  assert.ok(e.lost.isEmpty());
});

test('named ports resolve against the destination pod: renaming the port in the policy changes the port', () => {
  const http = docs(APP, policy('[{from: [{podSelector: {}}], ports: [{port: http}]}]'));
  const metrics = docs(APP, policy('[{from: [{podSelector: {}}], ports: [{port: metrics}]}]'));
  const unknown = docs(APP, policy('[{from: [{podSelector: {}}], ports: [{port: nosuch}]}]'));
  const [e] = diffYaml(http, metrics);
  assert.deepEqual([e.kind, e.before.toString(), e.after.toString()], ['changed', 'TCP 8080', 'TCP 9090']);
  const [r] = diffYaml(http, unknown);
  assert.deepEqual([r.src, r.kind, r.after.toString()], [FE, 'removed', 'No Connections']);
});

test('ipBlock changes: both sides cut on the union of boundaries, touching cells merged back', () => {
  const before = docs(APP, policy('[{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.10.0.0/16]}}]}]'));
  const after = docs(APP, policy('[{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.11.0.0/16]}}], ports: [{port: 53, protocol: UDP}]}]'));
  assert.deepEqual(lines(diffYaml(before, after)).slice(1), [
    `diff-type: changed, source: 10.0.0.0-10.9.255.255[External], destination: ${BE}, ref1: All Connections, ref2: UDP 53`,
    `diff-type: changed, source: 10.12.0.0-10.255.255.255[External], destination: ${BE}, ref1: All Connections, ref2: UDP 53`,
    `diff-type: added, source: 10.10.0.0-10.10.255.255[External], destination: ${BE}, ref1: No Connections, ref2: UDP 53`,
    `diff-type: removed, source: 10.11.0.0-10.11.255.255[External], destination: ${BE}, ref1: All Connections, ref2: No Connections`,
  ]);
});

test('added and removed workloads are named in workloads-diff-info', () => {
  const more = docs(APP, deployment('cache', { labels: { app: 'cache' } }));
  const entries = diffYaml(APP, more);
  const both = entries.find((e) => e.src === 'default/cache[Deployment]' && e.dst === FE);
  assert.equal(both?.workloadsInfo, 'workload default/cache[Deployment] added');
  assert.ok(entries.every((e) => e.kind === 'added'));
  const removed = diffYaml(more, APP);
  assert.ok(removed.every((e) => e.kind === 'removed' && e.workloadsInfo.endsWith(' removed')));
});

test('csv and md reproduce netpol-analyzer files (anp_test_6_swapping_rules, formatted from its text diff)', () => {
  const dir = join(CORPUS_DIR, 'anp_test_6_swapping_rules', 'expected', 'diff');
  const text = readFileSync(join(dir, 'vs_anp_test_6.txt'), 'utf8');
  // Rebuild the entries from the expected text, then format them again.
  const parse = (s: string): ConnSet => {
    if (s === 'All Connections') return ConnSet.ALL;
    if (s === 'No Connections') return ConnSet.NONE;
    let c = ConnSet.NONE;
    let proto: 'TCP' | 'UDP' | 'SCTP' = 'TCP';
    for (const tok of s.split(',')) {
      const m = /^(TCP|UDP|SCTP) (.*)$/.exec(tok);
      if (m) proto = m[1] as typeof proto;
      const [lo, hi] = (m ? m[2] : tok).split('-').map(Number);
      c = c.union(ConnSet.forProtocol(proto, [lo, hi ?? lo]));
    }
    return c;
  };
  const entries: DiffEntry[] = text
    .split('\n')
    .slice(1)
    .filter((l) => l)
    .map((l) => {
      const m = /^diff-type: (\w+), source: (.*), destination: (.*), ref1: (.*), ref2: (.*)$/.exec(l)!;
      const before = parse(m[4]);
      const after = parse(m[5]);
      return { kind: m[1] as DiffEntry['kind'], src: m[2], dst: m[3], before, after, gained: after.subtract(before), lost: before.subtract(after), workloadsInfo: '' };
    });
  assert.equal(formatDiff(entries, 'text'), text);
  assert.equal(formatDiff(entries, 'csv'), readFileSync(join(dir, 'vs_anp_test_6.csv'), 'utf8'));
  assert.equal(formatDiff(entries, 'md'), readFileSync(join(dir, 'vs_anp_test_6.md'), 'utf8'));
  const json = JSON.parse(formatDiff(entries, 'json')) as Record<string, unknown>[];
  assert.deepEqual(json[1], { kind: 'removed', src: entries[1].src, dst: entries[1].dst, before: 'All Connections', after: 'No Connections', gained: 'No Connections', lost: 'All Connections' });
});
