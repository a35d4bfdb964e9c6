/**
 * plainlyValid settles the common case of the rejection test (no rejecting rule has
 * anything to report) without running the rules. It must never accept a policy that one
 * of them reports on: checked here on thousands of generated near-valid policies, each
 * a valid policy with a few random edits (renamed keys, wrong values, removed or added
 * lines), about half of which it accepts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFile } from '../../../server/src/core/manifest/load';
import { PolicyAst } from '../../../server/src/core/lint/policy-ast';
import { policyRejections, REJECTING_RULES } from '../../../server/src/core/validate/rejections';
import { policyReports } from '../../../server/src/core/lint/policy-reports';
import { plainlyValid } from '../../../server/src/core/validate/plainly-valid';
import { ParseCache } from '../../../server/src/core/yaml/parse';
import { rng } from '../../bench/generate';

const VALUES = [
  'web', 'a_b', '-x', 'x-', '1', '80', '"80"', '0', '65535', '65536', '-1', '3.5', 'true', 'null', '~', '""', "''", 'TCP', 'tcp', 'UDP', 'SCTP',
  'http', 'my--port', 'abcdefghijklmnopq', '[a, b]', '{a: b}', '[]', '{}', '10.0.0.0/8', '10.0.0.5/24', '::/0', 'fd00::/8', '300.1.1.1/8',
  '0.0.0.0/0', '"a b"', 'example.com/app', 'Example.com/app', 'a/b/c', '/x', 'In', 'NotIn', 'Exists', 'DoesNotExist', 'Ingress', 'Egress',
  'ingress', 'x'.repeat(64), `a.${'b'.repeat(62)}`, 'UPPER', 'é', '1e3', '0x1F', '.inf', 'yes', '"web"', "'web'", '10.1.0.0/16', 'fd00::/16',
];
const KEYS = [
  'podSelector', 'namespaceSelector', 'ipBlock', 'from', 'to', 'ports', 'port', 'endPort', 'protocol', 'matchLabels', 'matchExpressions', 'key',
  'operator', 'values', 'cidr', 'except', 'policyTypes', 'ingress', 'egress', 'name', 'namespace', 'labels', 'annotations', 'spec', 'metadata',
  'status', 'finalizers', 'generateName', 'foo', '<<', 'app', 'a/b', 'Bad Key',
];

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const policy = (i: number): string[] => {
    const l = ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', `  name: p${i}`];
    if (r() < 0.8) l.push('  namespace: ns-a');
    if (r() < 0.5) l.push('  labels:', '    app: web', '    app.kubernetes.io/part-of: shop');
    if (r() < 0.2) l.push('  annotations:', '    note: hi', '    Example.com/Key: v');
    if (r() < 0.1) l.push('status: {}');
    l.push('spec:');
    l.push(...pick(['  podSelector: {}', '  podSelector:\n    matchLabels:\n      app: web', '  podSelector:\n    matchExpressions:\n      - key: tier\n        operator: In\n        values: [a, b]\n      - key: x\n        operator: Exists']).split('\n'));
    if (r() < 0.7) l.push('  policyTypes:', `    - ${pick(['Ingress', 'Egress'])}`, ...(r() < 0.5 ? [`    - ${pick(['Egress', 'Ingress'])}`] : []));
    for (const [direction, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
      if (r() < 0.3) continue;
      l.push(`  ${direction}:`);
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        let first = true;
        const lead = () => {
          const s = first ? '    - ' : '      ';
          first = false;
          return s;
        };
        if (r() < 0.8) {
          l.push(`${lead()}${peersKey}:`);
          for (let q = 0; q < 1 + Math.floor(r() * 2); q++) {
            l.push(
              ...pick([
                ['        - podSelector:', '            matchLabels:', '              app: web'],
                ['        - namespaceSelector:', '            matchLabels:', '              team: t1', '          podSelector: {}'],
                ['        - ipBlock:', '            cidr: 10.0.0.0/8', '            except:', '              - 10.1.0.0/16'],
                ['        - ipBlock:', '            cidr: fd00::/8'],
                ['        - podSelector:', '            matchExpressions:', '              - key: tier', '                operator: NotIn', '                values: [db]'],
              ]),
            );
          }
        }
        if (r() < 0.7) {
          l.push(`${lead()}ports:`);
          for (let q = 0; q < 1 + Math.floor(r() * 2); q++) {
            l.push(`        - port: ${pick(['80', 'http', '443', '5432'])}`);
            if (r() < 0.5) l.push(`          protocol: ${pick(['TCP', 'UDP', 'SCTP'])}`);
            if (r() < 0.15) l.push('          endPort: 90');
          }
        }
        if (first) l.push('    - {}');
      }
    }
    return l;
  };
  const mutate = (lines: string[]): string[] => {
    const out = lines.slice();
    for (let k = Math.floor(r() * 2.5); k > 0; k--) {
      const i = Math.floor(r() * out.length);
      const m = /^(\s*)(- )?([^:]+):( ?)(.*)$/.exec(out[i]);
      const dash = m?.[2] ?? '';
      switch (Math.floor(r() * 7)) {
        case 0:
          if (m) out[i] = `${m[1]}${dash}${pick(KEYS)}:${m[4]}${m[5]}`;
          break;
        case 1:
          if (m && m[5]) out[i] = `${m[1]}${dash}${m[3]}: ${pick(VALUES)}`;
          break;
        case 2:
          if (m) out[i] = `${m[1]}${dash}${m[3]}:`;
          break;
        case 3:
          out.splice(i, 1);
          break;
        case 4:
          if (m) out.splice(i + 1, 0, `${m[1]}${dash ? '  ' : ''}${pick(KEYS)}: ${pick(VALUES)}`);
          break;
        case 5:
          if (m) out[i] = `${m[1]}${dash}${m[3]}: ${pick(['- a', '[1, 2]', '{x: 1}', '- 1', '[]', '{}', 'null'])}`;
          break;
        default: {
          const item = /^(\s*- )(.*)$/.exec(out[i]);
          if (item) out[i] = item[1] + pick(VALUES);
        }
      }
    }
    return out;
  };
  return (i: number) => `${mutate(policy(i)).join('\n')}\n`;
}

describe('plainlyValid', () => {
  test('knows exactly the rejecting rules it stands in for (a new one must be added to it)', () => {
    assert.deepEqual(
      REJECTING_RULES.map((r) => r.meta.id),
      ['unsupported-api-version', 'unknown-field', 'invalid-value-type', 'invalid-name', 'invalid-port', 'invalid-end-port', 'invalid-protocol', 'invalid-cidr', 'invalid-label-selector', 'empty-peer', 'ipblock-with-selector', 'invalid-policy-types', 'invalid-cluster-policy'],
    );
  });

  test('never accepts a policy that a rejecting rule reports on', () => {
    const next = generator(20261126);
    const cache = new ParseCache();
    let accepted = 0;
    let total = 0;
    for (let i = 0; i < 4000; i++) {
      const text = next(i);
      for (const obj of loadFile({ path: `p${i}.yaml`, text }, cache).objects) {
        if (obj.kind !== 'NetworkPolicy' || obj.apiVersion !== 'networking.k8s.io/v1') continue;
        total++;
        if (!plainlyValid(obj.map)) continue;
        accepted++;
        const ast = new PolicyAst(obj);
        const reports: string[] = [];
        for (const rule of REJECTING_RULES) rule.checkPolicy?.(ast, (r) => reports.push(`${rule.meta.id} ${r.path}: ${r.message}`));
        assert.deepEqual(reports, [], text);
      }
    }
    // Both answers are exercised.
    assert.ok(accepted > total / 4 && accepted < (total * 3) / 4, `${accepted} of ${total} accepted`);
  });

  test('accepts the usual policy, and leaves anything unusual to the rules', () => {
    const accepts = (text: string) => loadFile({ path: 'p.yaml', text }, new ParseCache()).objects.some((o) => plainlyValid(o.map));
    const ok = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop, labels: {app: web}}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {}}]
      ports: [{port: 8080, endPort: 8090}, {port: http, protocol: TCP}]
`;
    assert.ok(accepts(ok));
    assert.ok(!accepts(ok.replace('name: allow-web', 'name: Allow_Web')));
    assert.ok(!accepts(ok.replace('port: 8080', 'port: "8080"')));
    assert.ok(!accepts(ok.replace('{team: a}', '{team: a}, matchLabel: {x: y}')));
    assert.ok(!accepts(ok.replace('podSelector: {}}]', 'podSelector: null}]')));
    assert.ok(!accepts(ok.replace('metadata: {', 'metadata: {generateName: x-, ')));
  });
});

describe('policyRejections on a plainly valid policy', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{podSelector: {}}]
`;
  const policyOf = (t: string) => loadFile({ path: 'p.yaml', text: t }, new ParseCache()).objects[0];

  test('records the rejecting rules verdicts (nothing) for the rule runner, which then runs none of them on it', () => {
    const obj = policyOf(text);
    assert.deepEqual(policyRejections(obj), []);
    // A rejecting rule that would now throw is not run on it: its (empty) verdict was recorded.
    const probe = REJECTING_RULES.find((r) => r.meta.id === 'invalid-label-selector');
    assert.ok(probe?.checkPolicy);
    const original = probe.checkPolicy;
    probe.checkPolicy = () => {
      throw new Error('ran');
    };
    try {
      assert.deepEqual(policyReports(obj, probe), []);
      // On a policy that was not proved valid, the rule runs (and fails here, as it should).
      const other = policyOf(text.replace('allow-web', 'allow-api'));
      assert.deepEqual(
        policyReports(other, probe).map((r) => r.failed),
        [true],
      );
    } finally {
      probe.checkPolicy = original;
    }
  });

  test('records nothing for a policy it cannot prove valid: the rules run and report', () => {
    const obj = policyOf(text.replace('allow-web', 'Allow_Web'));
    const reasons = policyRejections(obj);
    assert.equal(reasons.length, 1, reasons.join('\n'));
    assert.match(reasons[0], /metadata\.name/);
  });
});
