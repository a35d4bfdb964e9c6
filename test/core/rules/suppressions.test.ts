import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeOnce, Workspace } from '../../../server/src/core';
import { docs, yaml } from '../../helpers/manifests';

// kube-prometheus' node-exporter policy: egress `- {}` (info) and an ingress port-only rule (warning).
const NODE_EXPORTER = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: node-exporter
    namespace: monitoring
  spec:
    podSelector:
      matchLabels:
        app.kubernetes.io/name: node-exporter
    policyTypes:
      - Egress
      - Ingress
    egress:
      - {}
    ingress:
      - ports:
          - port: 9100
            protocol: TCP
`;

const rules = (list: readonly { rule: string }[]) => list.map((f) => f.rule);

describe('suppressions', () => {
  test('an annotation with several lines: one directive per line, each with its reason', () => {
    const text = NODE_EXPORTER.replace(
      '  namespace: monitoring\n',
      '  namespace: monitoring\n  annotations:\n    netpol.studio/disable: |\n      allow-all-peers -- scraped by Prometheus from the host network\n      and-or-pitfall -- nothing to say\n',
    );
    const s = analyzeOnce([{ path: 'np.yaml', text }]);
    assert.deepEqual(rules(s.findings()), ['unused-suppression']);
    assert.deepEqual(s.suppressed().map((x) => [x.finding.rule, x.kind, x.justification]), [
      ['allow-all-peers', 'annotation', 'scraped by Prometheus from the host network'],
      ['allow-all-peers', 'annotation', 'scraped by Prometheus from the host network'],
    ]);
  });

  test('a document directive covers its document only; rules that are off and change rules are never "unused"', () => {
    const text = docs('# netpol-disable allow-all-peers, change-opens-external-flow, all-namespaces -- reviewed\n' + NODE_EXPORTER, NODE_EXPORTER.replace('name: node-exporter\n', 'name: node-exporter-2\n'));
    const s = analyzeOnce([{ path: 'np.yaml', text }], { ...analyzeOnce([]).config, rules: { 'all-namespaces': 'off' } });
    assert.deepEqual(rules(s.findings()), ['allow-all-peers', 'allow-all-peers']);
    assert.ok(s.findings().every((f) => f.span.start > text.indexOf('---')), 'the second document keeps its findings');
    assert.equal(s.suppressed().length, 2);
  });

  test('a suppression turned off by its own rule id stays silent; invalid-suppression off leaves the findings as they were', () => {
    const text = '# netpol-disable allow-all-peers\n' + NODE_EXPORTER;
    const base = analyzeOnce([]).config;
    assert.deepEqual(rules(analyzeOnce([{ path: 'np.yaml', text }], base).findings()), ['allow-all-peers', 'allow-all-peers', 'invalid-suppression']);
    assert.deepEqual(rules(analyzeOnce([{ path: 'np.yaml', text }], { ...base, rules: { 'invalid-suppression': 'off' } }).findings()), ['allow-all-peers', 'allow-all-peers']);
  });

  test('"Suppress here" in the editor host: the comment goes above the finding, with its indentation; none inside a block scalar', () => {
    const ws = new Workspace();
    ws.applyChange({ kind: 'open', uri: 'file:///np.yaml', text: NODE_EXPORTER });
    const snap = ws.snapshot();
    const warning = snap.findings().find((f) => f.rule === 'allow-all-peers')!;
    const [here, doc] = snap.suppressions(warning);
    assert.equal(here.edit.newText, '    # netpol-disable-next-line allow-all-peers -- <reason>\n');
    assert.equal(NODE_EXPORTER.slice(here.edit.start, here.edit.start + 7), '    - p');
    assert.equal(doc.edit.start, 0);
    // A comment line inside a block scalar would become text: not offered there.
    const block = NODE_EXPORTER.replace('  namespace: monitoring\n', '  namespace: monitoring\n  annotations:\n    note: |\n      line one\n');
    assert.notEqual(block, NODE_EXPORTER);
    ws.applyChange({ kind: 'open', uri: 'file:///np.yaml', text: block });
    const s2 = ws.snapshot();
    const f = s2.findings().find((x) => x.rule === 'allow-all-peers')!;
    const fake = { ...f, span: { file: f.span.file, start: block.indexOf('line one'), end: block.indexOf('line one') + 4 } };
    assert.deepEqual(s2.suppressions(fake).map((x) => x.kind), ['document']);
  });
});
