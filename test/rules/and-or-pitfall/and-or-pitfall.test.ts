import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import { evaluate } from '../../helpers/evaluate';
import { ROOT } from '../../helpers/paths';

const DIR = join(ROOT, 'test/rules/and-or-pitfall');

test('and-or-pitfall: the merge into one peer is offered, never as the preferred fix (the OR may be meant)', () => {
  const text = readFileSync(join(DIR, 'bad.yaml'), 'utf8');
  const { analysis, findings } = evaluate([{ path: 'bad.yaml', text }]);
  const mine = findings.filter((f) => f.rule === 'and-or-pitfall');
  assert.equal(mine.length, 4);
  let offered = 0;
  for (const f of mine) {
    const fixes = fixesFor(f, { analysis, text: () => text });
    offered += fixes.length;
    for (const fix of fixes) assert.notEqual(fix.isPreferred, true, fix.title);
  }
  assert.ok(offered >= 3, 'the block, flow and mixed shapes get the merge');
});

test('and-or-pitfall: the "and my own namespace" idiom and OR lists with an ipBlock give nothing (kubeflow, Kubernetes docs)', () => {
  const text = readFileSync(join(DIR, 'good.yaml'), 'utf8');
  const { findings } = evaluate([{ path: 'good.yaml', text }]);
  assert.deepEqual(findings.filter((f) => f.rule === 'and-or-pitfall'), []);
});

test('and-or-pitfall and unknown-namespace-label beside an allow-all rule of the same direction: info, saying it changes nothing (OLM collect-profiles)', () => {
  const policy = (extra: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: olm
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: collect-profiles
  namespace: olm
spec:
  podSelector:
    matchLabels:
      app: collect-profiles
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 8443
      to:
        - namespaceSelector:
            matchLabels:
              name: olm
        - podSelector:
            matchLabels:
              app: olm-operator
${extra}`;
  const severities = (text: string) =>
    evaluate([{ path: 'p.yaml', text }])
      .findings.filter((f) => f.rule === 'and-or-pitfall' || f.rule === 'unknown-namespace-label')
      .map((f) => `${f.rule} ${f.severity}${f.message.includes('This changes nothing today') ? ' moot' : ''}`)
      .sort();
  assert.deepEqual(severities(policy('')), ['and-or-pitfall warning', 'unknown-namespace-label warning']);
  assert.deepEqual(severities(policy('    - {}\n')), ['and-or-pitfall info moot', 'unknown-namespace-label info moot']);
  // A rule with ports is no allow-all, and an ingress allow-all says nothing of egress.
  assert.deepEqual(severities(policy('    - ports: [{port: 53, protocol: UDP}]\n')), ['and-or-pitfall warning', 'unknown-namespace-label warning']);
  assert.deepEqual(severities(policy('').replace('policyTypes: [Egress]', 'policyTypes: [Egress, Ingress]\n  ingress: [{}]')), ['and-or-pitfall warning', 'unknown-namespace-label warning']);
});
