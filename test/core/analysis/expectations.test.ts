import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpectationsFile, type ExpectationsFile } from '../../../server/src/core/analysis/expect-file';
import { checkExpectations, type ExpectationsReport } from '../../../server/src/core/analysis/expect-check';
import { evidenceOf, evidenceOptionsOf } from '../../../server/src/core/analysis/evidence';
import { DEFAULTS } from '../../../server/src/core/analysis/config';
import { analyzeYaml, docs, yaml } from '../../helpers/manifests';
import type { Analysis } from '../../../server/src/core/analysis/analyze';

const EXPECT = '.netpol-expect.yaml';

/** The text a range covers. */
const at = (text: string, r: { start: number; end: number }) => text.slice(r.start, r.end);

function deployment(ns: string, name: string, labels: string, extra = ''): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}, namespace: ${ns}}
    spec:
      selector: {matchLabels: ${labels}}
      template:
        metadata: {labels: ${labels}}
        spec:
          containers:
            - name: main
              image: example/${name}:1
${extra}`;
}

const NAMESPACES = docs(
  yaml`
    apiVersion: v1
    kind: Namespace
    metadata: {name: shop, labels: {team: shop}}`,
  yaml`
    apiVersion: v1
    kind: Namespace
    metadata: {name: dev, labels: {team: dev}}`,
);

const PAYMENTS_ENV = `              env:\n                - {name: PAYMENTS_URL, value: "http://payments.shop:8443/v1"}\n`;

const WORLD = docs(
  NAMESPACES,
  deployment('shop', 'checkout', '{app: checkout}', PAYMENTS_ENV),
  deployment('shop', 'billing', '{app: billing}'),
  deployment('shop', 'payments', '{app: payments}', '              ports: [{containerPort: 8443, name: https}]\n'),
  yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: payments, namespace: shop}
    spec:
      selector: {app: payments}
      ports: [{port: 8443, targetPort: https}]`,
  deployment('dev', 'debug', '{app: debug}'),
);

const PAYMENTS_FROM_BILLING = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: payments-ingress, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: payments}}
    policyTypes: [Ingress]
    ingress:
      - from: [{podSelector: {matchLabels: {app: billing}}}]
        ports: [{port: https}]`;

function check(analysis: Analysis, text: string, evidence = false): { parsed: ExpectationsFile; report: ExpectationsReport } {
  const parsed = parseExpectationsFile(text);
  assert.deepEqual(parsed.problems, [], 'the expectations parse');
  const ev = evidence ? evidenceOf(analysis, evidenceOptionsOf(DEFAULTS, { dns: false })) : undefined;
  return { parsed, report: checkExpectations(analysis, { path: EXPECT, parsed }, ev) };
}

describe('expectations file: parsing', () => {
  test('every endpoint and port form, with exact one-line ranges', () => {
    const text = yaml`
      expectations:
        - name: billing pays
          allow:
            from: shop/billing
            to: {workload: "shop/payments[Deployment]"}
            ports: [8443, "53/UDP", {port: 9000, protocol: SCTP}]
        - deny:
            from:
              namespaceLabels: {team: dev}
              labels: {app: debug}
            to: {namespace: shop}
        - deny:
            from: checkout
            to: {cidr: 10.0.0.0/8}
        - allow: {from: {cidr: 192.168.1.7}, to: {labels: {}}}
    `;
    const { expectations, problems } = parseExpectationsFile(text);
    assert.deepEqual(problems, []);
    assert.equal(expectations.length, 4);
    const [a, b, c, d] = expectations;
    assert.equal(a.verdict, 'allow');
    assert.equal(a.name, 'billing pays');
    assert.equal(at(text, a.range), 'allow');
    assert.deepEqual(a.from, { type: 'workload', ref: 'shop/billing', range: a.from.range });
    assert.equal(at(text, a.from.range), 'shop/billing');
    assert.deepEqual(a.to.type === 'workload' && a.to.ref, 'shop/payments[Deployment]');
    assert.deepEqual(a.ports.map((p) => `${p.protocol}/${p.port}:${at(text, p.range)}`), ['TCP/8443:8443', 'UDP/53:"53/UDP"', 'SCTP/9000:{port: 9000, protocol: SCTP}']);
    assert.equal(b.verdict, 'deny');
    assert.deepEqual(b.from.type === 'pods' && { ...b.from.namespaceLabels }, { team: 'dev' });
    assert.deepEqual(b.from.type === 'pods' && { ...b.from.labels }, { app: 'debug' });
    // A block mapping's range is cut to its first line.
    assert.equal(at(text, b.from.range), 'namespaceLabels: {team: dev}');
    assert.deepEqual(b.ports, []);
    assert.ok(c.to.type === 'cidr' && c.to.start === 10n << 24n && c.to.end === (11n << 24n) - 1n);
    assert.ok(d.from.type === 'cidr' && d.from.start === d.from.end);
    assert.deepEqual(d.to.type === 'pods' && { ...d.to.labels }, {});
    assert.deepEqual(parseExpectationsFile(''), { expectations: [], problems: [] });
    assert.deepEqual(parseExpectationsFile('# none yet\n'), { expectations: [], problems: [] });
  });

  test('what is wrong is a problem on its exact range, never a throw; one wrong expectation costs only itself', () => {
    const text = yaml`
      expectations:
        - allow: {from: shop/a, to: shop/b, ports: [http]}
        - allow: {from: shop/a, to: shop/b}
          deny: {from: shop/a, to: shop/b}
        - deny: {from: shop/a}
        - allow: {from: {cidr: 10.0.0.0/33}, to: shop/b}
        - allow: {from: {cidr: 10.0.0.0/8}, to: {cidr: 0.0.0.0/0}}
        - allow: {from: {namespace: shop, workload: shop/a}, to: shop/b}
        - allow: {from: shop/a, to: shop/b, ports: [{port: 70000}]}
        - allow: {from: shop/a, to: shop/b, ports: ["53/udp"]}
        - allow: {from: "a b", to: shop/b, colour: blue}
        - constructor: {from: shop/a, to: shop/b}
        - allow: {from: shop/a, to: shop/b}
      __proto__: 1
    `;
    const { expectations, problems } = parseExpectationsFile(text);
    assert.equal(expectations.length, 1, 'only the last expectation is whole');
    const shown = problems.map((p) => [at(text, p), p.message.slice(0, 30)]);
    assert.deepEqual(shown, [
      ['__proto__', 'Unknown key "__proto__" in the'],
      ['http', 'Port "http" is not a port: wri'],
      ['deny', 'An expectation is either allow'],
      ['deny', 'deny needs to: (a workload ns/'],
      ['10.0.0.0/33', 'from.cidr: "10.0.0.0/33": pref'],
      ['allow', 'from and to are both addresses'],
      ['{namespace: shop, workload: shop/a}', 'from: workload stands alone; n'],
      ['70000', 'A port is a number from 1 to 6'],
      ['"53/udp"', 'The protocol must be one of TC'],
      ['"a b"', 'from: "a b" is not a workload '],
      ['colour', 'Unknown key "colour" under all'],
      ['constructor', 'Unknown key "constructor" in a'],
      ['constructor: {from: shop/a, to: shop/b}', 'An expectation needs allow: or'],
    ]);
    for (const p of problems) assert.ok(!text.slice(p.start, p.end).includes('\n'), `one line: ${p.message}`);
    assert.match(parseExpectationsFile('expectations: [\n').problems[0].message, /not valid YAML/);
    assert.match(parseExpectationsFile('- allow: {}\n').problems[0].message, /must be a mapping with a list under "expectations:"/);
    assert.match(parseExpectationsFile('expectations: {allow: 1}\n').problems[0].message, /expectations must be a list/);
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nexpectations: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    assert.ok(parseExpectationsFile(bomb).problems.length > 0);
    assert.ok(parseExpectationsFile('\u0000\u0001binary\uFFFD').problems.length > 0);
  });
});

describe('expectations: checked with the reach engine', () => {
  test('allow: holds while the policy admits the source, fails with the isolating policy when it does not', () => {
    const analysis = analyzeYaml(docs(WORLD, PAYMENTS_FROM_BILLING));
    const text = 'expectations:\n  - allow: {from: shop/billing, to: shop/payments, ports: [8443]}\n  - allow: {from: shop/checkout, to: shop/payments, ports: [8443]}\n  - allow: {from: shop/checkout, to: shop/payments}\n';
    const { report } = check(analysis, text);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(
      report.results.map((r) => [r.title, r.failure?.observed ?? 'pass']),
      [
        ['allow shop/billing → shop/payments on TCP 8443', 'pass'],
        ['allow shop/checkout → shop/payments on TCP 8443', 'denied'],
        ['allow shop/checkout → shop/payments', 'denied'],
      ],
    );
    const f = report.results[1].failure!;
    assert.deepEqual({ from: f.from, to: f.to, port: f.port, otherPairs: f.otherPairs }, { from: 'shop/checkout', to: 'shop/payments', port: { protocol: 'TCP', port: 8443 }, otherPairs: 0 });
    assert.deepEqual(
      f.reasons.map((r) => r.text),
      ['shop/payments-ingress isolates the ingress of shop/payments and none of its ingress rules admits shop/checkout'],
    );
    assert.equal(f.reasons[0].span?.file, 'manifests.yaml');
    assert.equal(at(text, report.results[1].span), 'allow');
  });

  test('deny: fails on the rule that admits (named ports resolved) or on the side no policy isolates', () => {
    const analysis = analyzeYaml(docs(WORLD, PAYMENTS_FROM_BILLING));
    const { report } = check(analysis, 'expectations:\n  - deny: {from: shop/billing, to: shop/payments, ports: [8443, 9000]}\n  - deny: {from: {namespace: dev}, to: shop/payments}\n  - deny: {from: shop/payments, to: {namespaceLabels: {team: dev}}}\n');
    const [admitted, held, open] = report.results;
    assert.equal(admitted.failure?.observed, 'allowed');
    assert.deepEqual(admitted.failure?.port, { protocol: 'TCP', port: 8443 });
    const rule = admitted.failure!.reasons.find((r) => r.text.startsWith('ingress rule'));
    assert.equal(rule?.text, 'ingress rule #1 of shop/payments-ingress admits shop/billing on TCP 8443');
    assert.ok(admitted.failure!.reasons.some((r) => r.text === 'no NetworkPolicy isolates the egress of shop/billing (none selects it with policyType Egress): everything is allowed'));
    assert.equal(held.failure, undefined);
    assert.equal(open.failure?.observed, 'allowed');
    assert.equal(open.failure?.port, undefined);
  });

  test('CIDR: judged on every range the policies tell apart (an except is a hole)', () => {
    const egress = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: checkout-egress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: checkout}}
        policyTypes: [Egress]
        egress:
          - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
            ports: [{port: 443}]`;
    const analysis = analyzeYaml(docs(WORLD, egress));
    const { report } = check(
      analysis,
      'expectations:\n  - allow: {from: shop/checkout, to: {cidr: 10.0.0.0/8}, ports: [443]}\n  - allow: {from: shop/checkout, to: {cidr: 10.2.0.0/16}, ports: [443]}\n  - deny: {from: shop/checkout, to: {cidr: 10.1.0.0/16}}\n  - deny: {from: shop/checkout, to: {cidr: 0.0.0.0/0}, ports: [80]}\n  - deny: {from: {cidr: 0.0.0.0/0}, to: shop/checkout, ports: [80]}\n',
    );
    assert.deepEqual(report.results.map((r) => (r.failure ? `${r.failure.observed} ${r.failure.to}` : 'pass')), ['denied 10.1.0.0-10.1.255.255', 'pass', 'pass', 'pass', 'allowed shop/checkout']);
  });

  test('the cluster tiers decide: an AdminNetworkPolicy Deny fails an allow, and is named', () => {
    const anp = yaml`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata: {name: no-dev}
      spec:
        priority: 10
        subject: {namespaces: {matchLabels: {team: shop}}}
        ingress:
          - name: block-dev
            action: Deny
            from: [{namespaces: {matchLabels: {team: dev}}}]`;
    const analysis = analyzeYaml(docs(WORLD, anp));
    const { report } = check(analysis, 'expectations:\n  - allow: {from: dev/debug, to: shop/billing}\n  - deny: {from: dev/debug, to: {namespace: shop}}\n  - allow: {from: shop/billing, to: shop/checkout}\n');
    assert.deepEqual(report.results.map((r) => r.failure?.observed ?? 'pass'), ['denied', 'pass', 'pass']);
    assert.deepEqual(report.results[0].failure!.reasons.map((r) => r.text), ['Admin tier: AdminNetworkPolicy no-dev ingress rule #1 "block-dev" denies dev/debug → shop/billing']);
  });

  test('an endpoint that matches no workload is a problem of the file, not a pass', () => {
    const analysis = analyzeYaml(WORLD);
    const text = 'expectations:\n  - deny: {from: shop/gone, to: shop/payments}\n  - deny: {from: {namespace: shop, labels: {app: nope}}, to: shop/payments}\n  - deny: {from: billing, to: shop/payments}\n';
    const parsed = parseExpectationsFile(text);
    const report = checkExpectations(analysis, { path: EXPECT, parsed }, undefined);
    assert.deepEqual(report.results, []);
    assert.deepEqual(report.problems.map((p) => at(text, p)), ['shop/gone', '{namespace: shop, labels: {app: nope}}', 'billing']);
    assert.match(report.problems[0].message, /^from: no workload shop\/gone in the workspace: the expectation cannot be checked/);
    assert.match(report.problems[2].message, /a name alone is looked up in the default namespace, "default"/);
  });

  test('evidence: every evidenced flow is an implicit allow, with its file:line', () => {
    const analysis = analyzeYaml(docs(WORLD, PAYMENTS_FROM_BILLING));
    const { report } = check(analysis, 'expectations: []\n', true);
    assert.equal(report.results.length, 1);
    const r = report.results[0];
    assert.equal(r.origin, 'evidence');
    assert.equal(r.title, 'allow shop/checkout → shop/payments on TCP 8443 (Service shop/payments:8443)');
    assert.equal(r.evidence, 'env PAYMENTS_URL');
    assert.equal(r.span.file, 'manifests.yaml');
    assert.equal(r.failure?.observed, 'denied');
    // Without the policy, the flow is open.
    assert.equal(check(analyzeYaml(WORLD), 'expectations: []\n', true).report.results[0].failure, undefined);
  });
});
