/**
 * Change impact and the evidence (impact/evidence.ts): the flows an edit closes that the
 * manifests show the application needs are marked with the evidence, on a policy edit
 * (the variant baseline), across two worlds (a relabelled caller), from outside the
 * cluster (a LoadBalancer Service); and an upgrade whose new port the policies do not
 * follow, which changes no connectivity line, is found by matching the evidence.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceOf, evidenceOptionsOf } from '../../../server/src/core/analysis/evidence';
import { DEFAULTS } from '../../../server/src/core/analysis/config';
import { changeImpact } from '../../../server/src/core/impact/impact';
import { coveredByEntries, evidenceBrokenBy } from '../../../server/src/core/impact/evidence';
import type { Analysis } from '../../../server/src/core/analysis/analyze';
import { analyzeYaml } from '../../helpers/manifests';
import { ROOT } from '../../helpers/paths';

const DIR = join(ROOT, 'test/fixtures/cli/upgrade');
const read = (name: string) => readFileSync(join(DIR, name, 'shop.yaml'), 'utf8');
const evidence = (a: Analysis) => evidenceOf(a, evidenceOptionsOf(DEFAULTS, { dns: false }));

describe('change impact: breaks an evidenced flow', () => {
  test('a policy edit that drops the caller: the closed entry carries the evidence; without evidence, no mark', () => {
    const before = analyzeYaml(read('before'));
    const edited = read('before').replace('ports: [{port: 8443}]', 'ports: [{port: 8080}]');
    const after = analyzeYaml(edited);
    const baseline = after.reach.withPolicies(before.model.policies);
    const report = changeImpact(baseline, after, { evidence: evidence(after) });
    const closed = report.entries.filter((e) => !e.lost.isEmpty());
    assert.equal(closed.length, 1);
    assert.deepEqual(
      closed[0].evidence.map((m) => [m.protocol, m.port, m.what, edited.slice(m.where.start, m.where.end)]),
      [['TCP', 8443, 'env PAYMENTS_URL', '"http://payments.shop:8443/v1"']],
    );
    assert.deepEqual(changeImpact(baseline, after).entries[0].evidence, []);
    // A port that is opened, not closed, is no breakage.
    const back = changeImpact(after.reach.withPolicies(after.model.policies), before, { evidence: evidence(before) });
    assert.ok(back.entries.every((e) => e.evidence.length === 0));
  });

  test('two worlds: the caller relabelled by an upgrade', () => {
    const before = analyzeYaml(read('before'));
    const after = analyzeYaml(read('after'));
    const report = changeImpact(before.reach, after, { evidence: evidence(after) });
    assert.deepEqual(
      report.entries.map((e) => [e.src, e.dst, e.lost.toString(), e.evidence.map((m) => `${m.protocol} ${m.port} ${m.what}`)]),
      [['shop/checkout[Deployment]', 'shop/payments[Deployment]', 'TCP 8443', ['TCP 8443 env PAYMENTS_URL']]],
    );
    // What the entries mark is not listed again.
    assert.deepEqual(evidenceBrokenBy({ reach: before.reach, evidence: evidence(before) }, { reach: after.reach, evidence: evidence(after) }, coveredByEntries(report.entries)), []);
  });

  test('a new container port the policy does not follow: no entry, one broken evidenced flow with the port it had', () => {
    const before = analyzeYaml(read('before'));
    const after = analyzeYaml(read('after-port'));
    const report = changeImpact(before.reach, after, { evidence: evidence(after) });
    assert.deepEqual(report.entries, []);
    const broken = evidenceBrokenBy({ reach: before.reach, evidence: evidence(before) }, { reach: after.reach, evidence: evidence(after) }, coveredByEntries(report.entries));
    assert.deepEqual(
      broken.map((b) => [b.src, b.dst, b.was, b.mark.protocol, b.mark.port, b.mark.what]),
      [['shop/checkout[Deployment]', 'shop/payments[Deployment]', { protocol: 'TCP', port: 8443 }, 'TCP', 9443, 'env PAYMENTS_URL']],
    );
    // The same change with the policy following the port (by name) breaks nothing.
    const named = analyzeYaml(read('after-port').replace('ports: [{port: 8443}]', 'ports: [{port: https}]'));
    assert.deepEqual(evidenceBrokenBy({ reach: before.reach, evidence: evidence(before) }, { reach: named.reach, evidence: evidence(named) }, new Set()), []);
  });

  test('from outside the cluster: a LoadBalancer Service whose port an edit closes to every address', () => {
    const lb = read('before').replace('spec:\n  selector: {app: payments}\n  ports:', 'spec:\n  type: LoadBalancer\n  selector: {app: payments}\n  ports:');
    assert.notEqual(lb, read('before'));
    const before = analyzeYaml(lb.replace('    - from: [{podSelector: {matchLabels: {app: checkout}}}]\n', '    - from: [{podSelector: {matchLabels: {app: checkout}}}, {ipBlock: {cidr: 0.0.0.0/0}}]\n'));
    const after = analyzeYaml(lb);
    const report = changeImpact(after.reach.withPolicies(before.model.policies), after, { evidence: evidence(after) });
    const marked = report.entries.filter((e) => e.evidence.length > 0);
    assert.ok(marked.length > 0 && marked.every((e) => e.src.endsWith('[External]') && e.dst === 'shop/payments[Deployment]'));
    assert.match(marked[0].evidence[0].what, /LoadBalancer/);
  });
});
