/**
 * Verdicts that rest on the tie rule: two cluster policies of one tier and priority whose
 * rules match the same connection with different actions. The API leaves the order to
 * the implementation; the engine uses name order. Explain (text and JSON) and the
 * workload hover say so, for exactly the connections where the order matters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeYaml, deployment, docs, namespace } from '../../helpers/manifests';
import { explainConnection, findWorkloads } from '../../../server/src/core/reach/explain';
import { formatExplanationText } from '../../../server/src/core/ide/formats/explain-text';
import { explanationJson } from '../../../server/src/core/ide/formats/explain-json';
import { workloadHover } from '../../../server/src/core/ide/hover/workload';

const WORLD = docs(
  namespace('a'),
  namespace('b'),
  namespace('c'),
  deployment('web', { namespace: 'a', labels: { app: 'web' } }),
  deployment('api', { namespace: 'b', labels: { app: 'api' } }),
  deployment('dev', { namespace: 'c', labels: { app: 'dev' } }),
);

const SUBJECT_A = '  subject:\n    namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}\n';
const FROM = (ns: string) => (ns === '*' ? '{namespaces: {}}' : `{namespaces: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}}`);

function anp(name: string, priority: number, action: string, from: string, ports = ''): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n${SUBJECT_A}  ingress:\n  - action: ${action}\n    from: [${FROM(from)}]\n${ports}`;
}

function explain(yamlText: string, from: string, to: string) {
  const analysis = analyzeYaml(yamlText);
  const w = analysis.model.workloads;
  const ex = explainConnection(analysis.reach, { type: 'workload', index: findWorkloads(w, from, 'default')[0] }, { type: 'workload', index: findWorkloads(w, to, 'default')[0] });
  return { analysis, ex, text: formatExplanationText(ex, { from, to }, undefined, (s) => (s ? `${s.file}:${s.start}` : '?')) };
}

const NOTE = 'at priority 4: the API leaves the order undefined; this analysis uses name order, the cluster may not)';

describe('verdicts decided in a tie', () => {
  test('explain names the tied policy that would decide the connection differently', () => {
    const { ex, text } = explain(docs(WORLD, anp('a-allow', 4, 'Allow', 'b'), anp('z-deny', 4, 'Deny', '*')), 'b/api', 'a/web');
    assert.equal(ex.allowed.toString(), 'All Connections');
    const d = ex.ingress.tiers?.decisions ?? [];
    assert.deepEqual(
      d.map((x) => [x.policy.name, x.verdict, (x.tiedWith ?? []).map((p) => p.name)]),
      [['a-allow', 'Allow', ['z-deny']]],
    );
    assert.ok(text.includes(`      decided by a-allow (tie with AdminNetworkPolicy z-deny ${NOTE}\n`), text);
    const json = explanationJson(ex, { from: 'b/api', to: 'a/web' }, undefined, () => undefined) as { ingress: { tiers: { decisions: { tiedWith?: unknown }[] } } };
    assert.deepEqual(json.ingress.tiers.decisions[0].tiedWith, [{ kind: 'AdminNetworkPolicy', name: 'z-deny' }]);
  });

  test('no tie note where the order does not matter: same action, other peers, other ports, other priorities', () => {
    const cases = [
      docs(WORLD, anp('a-allow', 4, 'Allow', 'b'), anp('z-allow', 4, 'Allow', '*')),
      // The rival comes first in name order and does not match: it never decides this connection.
      docs(WORLD, anp('a-deny', 4, 'Deny', 'c'), anp('z-allow', 4, 'Allow', 'b')),
      docs(WORLD, anp('a-allow', 4, 'Allow', 'b', '    ports: [{portNumber: {protocol: TCP, port: 80}}]\n'), anp('z-deny', 4, 'Deny', 'b', '    ports: [{portNumber: {protocol: TCP, port: 443}}]\n')),
      docs(WORLD, anp('a-allow', 3, 'Allow', 'b'), anp('z-deny', 4, 'Deny', '*')),
    ];
    for (const c of cases) {
      const { ex, text } = explain(c, 'b/api', 'a/web');
      assert.ok((ex.ingress.tiers?.decisions.length ?? 0) > 0);
      assert.ok(ex.ingress.tiers?.decisions.every((x) => x.tiedWith === undefined), text);
      assert.ok(!text.includes('tie with'), text);
    }
  });

  test('a rival that disagrees on some ports only still marks the decision', () => {
    const ports = '    ports: [{portNumber: {protocol: TCP, port: 80}}]\n';
    const { ex } = explain(docs(WORLD, anp('a-allow', 4, 'Allow', 'b'), anp('z-deny', 4, 'Deny', 'b', ports)), 'b/api', 'a/web');
    const d = ex.ingress.tiers?.decisions ?? [];
    assert.equal(d.length, 1);
    assert.deepEqual(d[0].tiedWith?.map((p) => p.name), ['z-deny']);
  });

  test("the workload hover says which of its connections rest on the tie, and only the subject's", () => {
    const { analysis } = explain(docs(WORLD, anp('a-allow', 4, 'Allow', 'b'), anp('z-deny', 4, 'Deny', '*')), 'b/api', 'a/web');
    const locate = (s: { file: string; start: number }) => ({ uri: s.file, line: s.start });
    const w = analysis.model.workloads;
    const web = workloadHover(analysis, findWorkloads(w, 'a/web', 'default')[0], locate);
    assert.match(web, new RegExp(`^- Ingress: some connections are decided by AdminNetworkPolicy \\[a-allow\\]\\([^)]*\\) \\(tie with AdminNetworkPolicy \\[z-deny\\]\\([^)]*\\) ${NOTE.replace(/[().]/g, '\\$&')}$`, 'm'));
    assert.ok(!/Egress: some connections/.test(web));
    const api = workloadHover(analysis, findWorkloads(w, 'b/api', 'default')[0], locate);
    assert.ok(!api.includes('tie with'), api);
    const plain = explain(docs(WORLD, anp('a-allow', 4, 'Allow', 'b'), anp('z-deny', 5, 'Deny', '*')), 'b/api', 'a/web').analysis;
    assert.ok(!workloadHover(plain, findWorkloads(plain.model.workloads, 'a/web', 'default')[0], locate).includes('tie with'));
  });
});
