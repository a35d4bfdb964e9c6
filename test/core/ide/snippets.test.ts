/**
 * The NetworkPolicy snippets (server/src/core/snippets/): one source of truth with
 * snippets/netpol.code-snippets; every body, with its defaults, is valid YAML, a valid
 * object, and lint-clean next to the workloads it names (core and the real CLI); what
 * each policy admits; the snippet expansion; where snippets are offered.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { expandSnippet } from '../../../server/src/core/ide/snippets/expand';
import { snippetContext, snippetInsertStart } from '../../../server/src/core/ide/snippets/offer';
import { codeSnippetsFile, NETPOL_SNIPPETS, snippetText, type SnippetDefinition } from '../../../server/src/core/ide/snippets/snippets';
import { connMap, deployment, docs, namespace, yaml } from '../../helpers/manifests';
import type { Finding } from '../../../server/src/core/lint/rule';
import { ROOT } from '../../helpers/paths';
import type { SourceFile } from '../../../server/src/core/manifest/types';

const CODE_SNIPPETS = join(ROOT, 'snippets/netpol.code-snippets');
const CLI = join(ROOT, 'dist/cli.js');

function snippet(prefix: string): SnippetDefinition {
  const s = NETPOL_SNIPPETS.find((x) => x.prefix === prefix);
  assert.ok(s, `no snippet ${prefix}`);
  return s;
}

/** The snippet as inserted with every default, as a file of its own. */
function expanded(prefix: string): string {
  return expandSnippet(snippet(prefix).body) + '\n';
}

// ---------------------------------------------------------------------------------------
// One source of truth

describe('snippets: one source of truth', () => {
  test('snippets/netpol.code-snippets is exactly what the core module produces', () => {
    const want = codeSnippetsFile();
    // Regenerate after editing server/src/core/ide/snippets/snippets.ts:
    //   NETPOL_UPDATE_SNIPPETS=1 node --test out/test/core/ide/snippets.test.js
    if (process.env.NETPOL_UPDATE_SNIPPETS === '1') writeFileSync(CODE_SNIPPETS, want);
    const have = readFileSync(CODE_SNIPPETS, 'utf8');
    assert.ok(
      have === want,
      'snippets/netpol.code-snippets differs from server/src/core/ide/snippets/snippets.ts (the source): regenerate it with NETPOL_UPDATE_SNIPPETS=1 node --test out/test/core/ide/snippets.test.js',
    );
    // The VS Code snippet-file format: title -> {prefix, description, body lines}.
    const parsed = JSON.parse(have) as Record<string, { prefix: string; description: string; body: string[] }>;
    assert.deepEqual(Object.keys(parsed), NETPOL_SNIPPETS.map((s) => s.name));
    for (const s of NETPOL_SNIPPETS) assert.deepEqual(parsed[s.name], { prefix: s.prefix, description: s.description, body: s.body });
  });

  test('prefixes start with netpol- and are unique; titles are unique', () => {
    assert.ok(NETPOL_SNIPPETS.length >= 12);
    for (const s of NETPOL_SNIPPETS) assert.match(s.prefix, /^netpol-[a-z0-9]+(?:-[a-z0-9]+)*$/, s.prefix);
    assert.equal(new Set(NETPOL_SNIPPETS.map((s) => s.prefix)).size, NETPOL_SNIPPETS.length, 'duplicate prefix');
    assert.equal(new Set(NETPOL_SNIPPETS.map((s) => s.name)).size, NETPOL_SNIPPETS.length, 'duplicate title');
  });

  test('bodies: one document from apiVersion:, no tabs, tab stops 1..n without gaps, $0 last', () => {
    for (const s of NETPOL_SNIPPETS) {
      assert.ok(s.description.length > 20, `${s.prefix}: description`);
      assert.match(s.body[0], /^apiVersion: /, `${s.prefix}: starts at apiVersion`);
      assert.ok(s.body.every((l) => !l.includes('\t') && !l.includes('\n') && l === l.trimEnd()), `${s.prefix}: clean lines`);
      assert.ok(!s.body.some((l) => /^(?:---|\.\.\.)(?:\s|$)/.test(l)), `${s.prefix}: a single document`);
      const stops = [...snippetText(s).matchAll(/\$\{?(\d+)/g)].map((m) => Number(m[1]));
      const numbered = [...new Set(stops.filter((n) => n > 0))].sort((a, b) => a - b);
      assert.ok(numbered.length >= 2, `${s.prefix}: tab stops`);
      assert.deepEqual(numbered, numbered.map((_n, i) => i + 1), `${s.prefix}: tab stops ${numbered.join(',')}`);
      assert.equal(stops.filter((n) => n === 0).length, 1, `${s.prefix}: one $0`);
      assert.ok(s.body[s.body.length - 1].endsWith('$0'), `${s.prefix}: $0 at the end`);
      // Every $ is snippet syntax: the expansion has none left.
      assert.ok(!expandSnippet(s.body).includes('$'), `${s.prefix}: expansion has no $`);
    }
  });

  test('protocol choices offer TCP, UDP and SCTP, TCP first', () => {
    const choices = NETPOL_SNIPPETS.flatMap((s) => [...snippetText(s).matchAll(/\$\{\d+\|([^|]*)\|\}/g)].map((m) => ({ prefix: s.prefix, options: m[1] })));
    const protocols = choices.filter((c) => c.options.includes('TCP'));
    assert.ok(protocols.length >= 5);
    for (const c of protocols) assert.equal(c.options, 'TCP,UDP,SCTP', c.prefix);
  });
});

// ---------------------------------------------------------------------------------------
// Each snippet with its defaults: YAML, valid object, lint-clean in a workspace

describe('snippets: valid with their defaults', () => {
  for (const s of NETPOL_SNIPPETS) {
    test(`${s.prefix}: parses as one YAML document and has no error finding`, () => {
      const text = expanded(s.prefix);
      const doc = parseDocument(text);
      assert.deepEqual(doc.errors, [], `${s.prefix}: YAML errors`);
      assert.deepEqual(doc.warnings, [], `${s.prefix}: YAML warnings`);
      const obj = doc.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
      assert.ok(['NetworkPolicy', 'Namespace', 'ClusterNetworkPolicy'].includes(obj.kind), `${s.prefix}: kind ${obj.kind}`);
      assert.equal(obj.apiVersion, obj.kind === 'Namespace' ? 'v1' : obj.kind === 'ClusterNetworkPolicy' ? 'policy.networking.k8s.io/v1alpha2' : 'networking.k8s.io/v1');
      if (obj.kind === 'NetworkPolicy') assert.equal(typeof obj.metadata.namespace, 'string', `${s.prefix}: namespace set`);
      const analysis = analyze([{ path: `${s.prefix}.yaml`, text }]);
      assert.equal(analysis.files[0].objects.length, 1);
      assert.deepEqual(analysis.files[0].notes, [], `${s.prefix}: load notes`);
      const errors = runRules(analysis).filter((f) => f.severity === 'error');
      assert.deepEqual(errors.map(show), [], `${s.prefix}: errors`);
      if (obj.kind === 'NetworkPolicy') {
        const policy = analysis.model.policies[0];
        assert.deepEqual(policy.rejected, [], `${s.prefix}: accepted`);
      }
      if (obj.kind === 'ClusterNetworkPolicy') assert.deepEqual(analysis.model.clusterPolicies[0].rejected, [], `${s.prefix}: accepted`);
    });
  }
});

/** A realistic cluster around the snippets: namespaces, the workloads they name, baseline policies. */
const APP_NAMESPACES = ['default', 'web', 'staging', 'kube-system', 'monitoring', 'ingress-nginx'];

const http = (port = 8080) => ({ containerPort: port, name: 'http', protocol: 'TCP' as const });

const BASE: Record<string, string> = {
  'namespaces.yaml': docs(
    namespace('default', { environment: 'production' }),
    namespace('web', { environment: 'production', team: 'web' }),
    namespace('staging', { environment: 'staging', team: 'web' }),
    namespace('kube-system'),
    namespace('monitoring', { team: 'platform' }),
    namespace('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
  ),
  'default/apps.yaml': docs(
    deployment('backend', { namespace: 'default', labels: { app: 'backend' }, ports: [http(), { containerPort: 9102, name: 'metrics', protocol: 'TCP' }] }),
    deployment('frontend', { namespace: 'default', labels: { app: 'frontend' }, ports: [http()] }),
    yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: backend, namespace: default}
      spec:
        selector: {app: backend}
        ports:
          - {name: http, port: 80, targetPort: http, protocol: TCP}
    `,
    yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: frontend, namespace: default}
      spec:
        selector: {app: frontend}
        ports:
          - {name: http, port: 80, targetPort: http, protocol: TCP}
    `,
  ),
  'web/apps.yaml': docs(
    deployment('frontend', { namespace: 'web', labels: { app: 'frontend' }, ports: [http()] }),
    deployment('admin', { namespace: 'web', labels: { app: 'admin' }, ports: [http()] }),
  ),
  'staging/apps.yaml': deployment('frontend', { namespace: 'staging', labels: { app: 'frontend' }, ports: [http()] }),
  'kube-system/coredns.yaml': docs(
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
      spec:
        selector: {matchLabels: {k8s-app: kube-dns}}
        template:
          metadata: {labels: {k8s-app: kube-dns}}
          spec:
            containers:
              - name: coredns
                image: registry.k8s.io/coredns/coredns:v1.11.1
                ports:
                  - {name: dns, containerPort: 53, protocol: UDP}
                  - {name: dns-tcp, containerPort: 53, protocol: TCP}
                  - {name: metrics, containerPort: 9153, protocol: TCP}
    `,
    yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: kube-dns, namespace: kube-system}
      spec:
        selector: {k8s-app: kube-dns}
        ports:
          - {name: dns, port: 53, targetPort: dns, protocol: UDP}
          - {name: dns-tcp, port: 53, targetPort: dns-tcp, protocol: TCP}
    `,
  ),
  'monitoring/prometheus.yaml': deployment('prometheus', {
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'prometheus' },
    ports: [{ containerPort: 9090, name: 'web', protocol: 'TCP' }],
  }),
  'ingress-nginx/controller.yaml': deployment('ingress-nginx-controller', {
    namespace: 'ingress-nginx',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    ports: [http(80), { containerPort: 443, name: 'https', protocol: 'TCP' }],
  }),
  // The cluster DNS admits lookups from the application namespaces; the controller, the
  // load balancer's subnet.
  'kube-system/policies.yaml': yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: allow-dns-lookups, namespace: kube-system}
    spec:
      podSelector: {matchLabels: {k8s-app: kube-dns}}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchExpressions:
                  - {key: kubernetes.io/metadata.name, operator: In, values: [default, web, staging, monitoring, ingress-nginx, shop]}
          ports:
            - {port: 53, protocol: UDP}
            - {port: 53, protocol: TCP}
  `,
  'ingress-nginx/policies.yaml': yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: allow-load-balancer, namespace: ingress-nginx}
    spec:
      podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
      policyTypes: [Ingress]
      ingress:
        - from:
            - ipBlock: {cidr: 10.0.0.0/16}
          ports:
            - {port: 80, protocol: TCP}
            - {port: 443, protocol: TCP}
  `,
};

function baselineDeny(ns: string): string {
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: baseline-deny-ingress, namespace: ${ns}}
    spec:
      podSelector: {}
      policyTypes: [Ingress]
  `;
}

interface Case {
  /** Namespaces whose baseline default-deny ingress the workspace leaves out: the snippet is it. */
  readonly replacesBaseline?: readonly string[];
  /** Snippets deployed with this one (their defaults), and the rule that fires without them. */
  readonly with?: { readonly prefixes: readonly string[]; readonly because: string };
  /** More manifests around the snippet. */
  readonly extra?: Record<string, string>;
  /** A finding of the workspace without the snippet that the snippet removes. */
  readonly fixes?: string;
  /** Findings that the snippet's purpose implies (rule and YAML path, in the snippet). */
  readonly expected?: readonly { readonly rule: string; readonly severity: string; readonly path: string; readonly file?: string }[];
  /** Connections (connlist `src => dst`) with their ports, or null: must not exist. */
  readonly reach?: Readonly<Record<string, string | null>>;
}

const W = (ns: string, name: string) => `${ns}/${name}[Deployment]`;
const to = (src: string, dst: string) => `${src} => ${dst}`;

const CASES: Record<string, Case> = {
  'netpol-deny-ingress': {
    replacesBaseline: ['default'],
    fixes: 'namespace-without-default-deny',
    reach: { [to(W('default', 'frontend'), W('default', 'backend'))]: null, [to(W('default', 'backend'), W('web', 'admin'))]: null },
  },
  'netpol-deny-egress': {
    with: { prefixes: ['netpol-allow-dns'], because: 'egress-blocks-dns' },
    reach: { [to(W('default', 'backend'), W('kube-system', 'coredns'))]: 'TCP 53,UDP 53', [to(W('default', 'backend'), '0.0.0.0-255.255.255.255[External]')]: null },
  },
  'netpol-deny-all': {
    replacesBaseline: ['default'],
    with: { prefixes: ['netpol-allow-dns'], because: 'egress-blocks-dns' },
    fixes: 'namespace-without-default-deny',
    reach: { [to(W('default', 'backend'), W('kube-system', 'coredns'))]: 'TCP 53,UDP 53', [to(W('default', 'frontend'), W('default', 'backend'))]: null },
  },
  'netpol-allow-same-namespace': {
    reach: {
      [to(W('default', 'frontend'), W('default', 'backend'))]: 'TCP 8080',
      [to(W('default', 'backend'), W('default', 'frontend'))]: 'TCP 8080',
      [to(W('web', 'frontend'), W('default', 'backend'))]: null,
    },
  },
  'netpol-allow-from-pods': {
    reach: {
      [to(W('default', 'frontend'), W('default', 'backend'))]: 'TCP 8080',
      [to(W('web', 'frontend'), W('default', 'backend'))]: null,
      [to(W('default', 'backend'), W('default', 'frontend'))]: null,
    },
  },
  'netpol-allow-from-namespace': {
    reach: {
      [to(W('web', 'frontend'), W('default', 'backend'))]: 'TCP 8080',
      [to(W('web', 'admin'), W('default', 'backend'))]: 'TCP 8080',
      [to(W('staging', 'frontend'), W('default', 'backend'))]: null,
      [to(W('default', 'frontend'), W('default', 'backend'))]: null,
    },
  },
  'netpol-allow-from-namespace-pods': {
    reach: {
      [to(W('web', 'frontend'), W('default', 'backend'))]: 'TCP 8080',
      // The AND: neither other pods of web nor frontends elsewhere.
      [to(W('web', 'admin'), W('default', 'backend'))]: null,
      [to(W('default', 'frontend'), W('default', 'backend'))]: null,
      [to(W('staging', 'frontend'), W('default', 'backend'))]: null,
    },
  },
  'netpol-allow-dns': {
    reach: {
      [to(W('default', 'backend'), W('kube-system', 'coredns'))]: 'TCP 53,UDP 53',
      [to(W('default', 'frontend'), W('kube-system', 'coredns'))]: 'TCP 53,UDP 53',
      [to(W('default', 'backend'), W('web', 'admin'))]: null,
    },
  },
  'netpol-allow-egress-cidr': {
    with: { prefixes: ['netpol-allow-dns'], because: 'egress-blocks-dns' },
    // Its purpose: the internet on a listed port, minus the private ranges and the metadata
    // endpoint, which allow-all-cidr says (info) reads as deliberate, to be narrowed if known.
    expected: [{ rule: 'allow-all-cidr', severity: 'info', path: 'spec.egress[0].to[0].ipBlock.cidr' }],
    reach: {
      [to(W('default', 'backend'), '11.0.0.0-169.254.169.253[External]')]: 'TCP 443',
      [to(W('default', 'backend'), '169.254.169.255-172.15.255.255[External]')]: 'TCP 443',
      [to(W('default', 'backend'), '10.0.0.0-10.255.255.255[External]')]: null,
      [to(W('default', 'backend'), '169.254.169.254-169.254.169.254[External]')]: null,
      [to(W('default', 'backend'), '192.168.0.0-192.168.255.255[External]')]: null,
      // Only the labelled pods: the others are isolated for egress by netpol-allow-dns.
      [to(W('default', 'frontend'), '11.0.0.0-169.254.169.253[External]')]: null,
    },
  },
  'netpol-allow-ingress-controller': {
    extra: {
      'default/ingress.yaml': yaml`
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: frontend, namespace: default}
        spec:
          ingressClassName: nginx
          rules:
            - host: shop.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: frontend, port: {number: 80}}
      `,
    },
    fixes: 'ingress-controller-blocked',
    reach: {
      [to('{ingress-controller}', W('default', 'frontend'))]: 'TCP 8080',
      [to(W('ingress-nginx', 'ingress-nginx-controller'), W('default', 'frontend'))]: 'TCP 8080',
      [to(W('ingress-nginx', 'ingress-nginx-controller'), W('default', 'backend'))]: null,
    },
  },
  'netpol-allow-prometheus': {
    reach: {
      [to(W('monitoring', 'prometheus'), W('default', 'backend'))]: 'TCP 9102',
      // The frontend declares no port named metrics.
      [to(W('monitoring', 'prometheus'), W('default', 'frontend'))]: null,
    },
  },
  'netpol-namespace': {
    extra: {
      'shop/apps.yaml': docs(deployment('frontend', { namespace: 'shop', labels: { app: 'frontend' }, ports: [http()] }), baselineDeny('shop')),
      // A production policy admitting the new namespace: same environment, no finding.
      'default/allow-shop.yaml': yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-shop-to-backend, namespace: default}
        spec:
          podSelector: {matchLabels: {app: backend}}
          policyTypes: [Ingress]
          ingress:
            - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
              ports:
                - {port: 8080, protocol: TCP}
      `,
    },
    reach: { [to(W('shop', 'frontend'), W('default', 'backend'))]: 'TCP 8080' },
  },
  'netpol-cluster-deny-environments': {
    // The production namespaces admit port 8080 from every namespace; the Admin tier
    // decides staging's traffic first.
    extra: {
      'default/allow-8080.yaml': yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-8080, namespace: default}
        spec:
          podSelector: {matchLabels: {app: backend}}
          policyTypes: [Ingress]
          ingress:
            - from:
                - namespaceSelector: {matchLabels: {environment: production}}
                - namespaceSelector: {matchLabels: {environment: staging}}
              ports:
                - {port: 8080, protocol: TCP}
      `,
    },
    // The NetworkPolicy's staging peer is what the snippet guards against.
    expected: [{ rule: 'cross-environment', severity: 'warning', path: 'spec.ingress[0].from[1].namespaceSelector', file: 'default/allow-8080.yaml' }],
    reach: {
      [to(W('web', 'frontend'), W('default', 'backend'))]: 'TCP 8080',
      [to(W('staging', 'frontend'), W('default', 'backend'))]: null,
    },
  },
  'netpol-cluster-allow-dns': {
    // default denies all egress; the Admin tier's Accept keeps DNS working (no egress-blocks-dns).
    extra: {
      'default/deny-egress.yaml': yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-egress, namespace: default}
        spec:
          podSelector: {}
          policyTypes: [Egress]
      `,
    },
    reach: {
      [to(W('default', 'backend'), W('kube-system', 'coredns'))]: 'TCP 53,UDP 53',
      [to(W('default', 'backend'), '0.0.0.0-255.255.255.255[External]')]: null,
      [to(W('default', 'backend'), W('web', 'admin'))]: null,
    },
  },
  'netpol-baseline-deny': {
    // Every namespace here has a default-deny NetworkPolicy: the Baseline tier is never consulted.
    reach: { [to(W('default', 'frontend'), W('default', 'backend'))]: null },
  },
};

/** The workspace for a snippet: base + baseline denies + companions + extras + (optionally) the snippet. */
function workspace(prefix: string, opts: { snippet?: boolean; companions?: boolean } = {}): SourceFile[] {
  const c = CASES[prefix];
  const files: SourceFile[] = Object.entries(BASE).map(([path, text]) => ({ path, text }));
  const denies = APP_NAMESPACES.filter((ns) => !(c.replacesBaseline ?? []).includes(ns)).map(baselineDeny);
  files.push({ path: 'baseline-deny.yaml', text: docs(...denies) });
  if (opts.companions !== false) for (const p of c.with?.prefixes ?? []) files.push({ path: `snippets/${p}.yaml`, text: expanded(p) });
  for (const [path, text] of Object.entries(c.extra ?? {})) files.push({ path, text });
  if (opts.snippet !== false) files.push({ path: `snippets/${prefix}.yaml`, text: expanded(prefix) });
  return files;
}

function findings(files: readonly SourceFile[]): Finding[] {
  return runRules(analyze(files));
}

function show(f: Finding): string {
  return `${f.span.file} ${f.severity} ${f.rule} ${f.path}: ${f.message}`;
}

describe('snippets: lint-clean next to matching workloads', () => {
  test('every snippet has a workspace case', () => {
    assert.deepEqual(Object.keys(CASES).sort(), NETPOL_SNIPPETS.map((s) => s.prefix).sort());
  });

  test('the surroundings alone are clean', () => {
    const files = Object.entries(BASE).map(([path, text]) => ({ path, text }));
    files.push({ path: 'baseline-deny.yaml', text: docs(...APP_NAMESPACES.map(baselineDeny)) });
    assert.deepEqual(findings(files).map(show), []);
  });

  for (const s of NETPOL_SNIPPETS) {
    const c = CASES[s.prefix];
    test(`${s.prefix}: no error, warning or info in the workspace (but what its purpose implies)`, () => {
      const got = findings(workspace(s.prefix));
      const expected = (c.expected ?? []).map((e) => `${e.file ?? `snippets/${s.prefix}.yaml`} ${e.severity} ${e.rule} ${e.path}`);
      assert.deepEqual(got.map((f) => `${f.span.file} ${f.severity} ${f.rule} ${f.path}`), expected, got.map(show).join('\n'));
    });

    if (c.fixes) {
      test(`${s.prefix}: removes the ${c.fixes} finding of the workspace without it`, () => {
        const before = findings(workspace(s.prefix, { snippet: false }));
        assert.ok(before.some((f) => f.rule === c.fixes), `${c.fixes} without the snippet: ${before.map(show).join('\n')}`);
      });
    }
    if (c.with) {
      const w = c.with;
      test(`${s.prefix}: needs ${w.prefixes.join(', ')} (${w.because} without)`, () => {
        const alone = findings(workspace(s.prefix, { companions: false }));
        assert.ok(alone.some((f) => f.rule === w.because && f.span.file === `snippets/${s.prefix}.yaml`), alone.map(show).join('\n'));
      });
    }
    if (c.reach) {
      const expectedReach = c.reach;
      test(`${s.prefix}: admits what it says, no more`, () => {
        const conns = connMap(workspace(s.prefix));
        for (const [pair, conn] of Object.entries(expectedReach)) assert.equal(conns.get(pair) ?? null, conn, pair);
      });
    }
  }

  test('netpol-namespace: its environment label is the one the cross-environment rule reads', () => {
    const files = workspace('netpol-namespace', { snippet: false });
    const staging = expanded('netpol-namespace').replace('environment: production', 'environment: staging');
    assert.notEqual(staging, expanded('netpol-namespace'));
    const got = findings([...files, { path: 'snippets/netpol-namespace.yaml', text: staging }]);
    assert.deepEqual(got.map((f) => `${f.span.file} ${f.rule}`), ['default/allow-shop.yaml cross-environment']);
  });
});

// ---------------------------------------------------------------------------------------
// The real CLI on a directory per snippet

describe('snippets: netpol check (the CLI process)', () => {
  for (const s of NETPOL_SNIPPETS) {
    test(`${s.prefix}: netpol check on the workspace directory`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'netpol-snippets-'));
      try {
        for (const f of workspace(s.prefix)) {
          mkdirSync(dirname(join(dir, f.path)), { recursive: true });
          writeFileSync(join(dir, f.path), f.text);
        }
        const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json', '--fail-on', 'info'], { cwd: dir, encoding: 'utf8' });
        const got = (JSON.parse(r.stdout) as { file: string; severity: string; rule: string; path: string }[]).map((f) => `${f.file} ${f.severity} ${f.rule} ${f.path}`);
        const expected = (CASES[s.prefix].expected ?? []).map((e) => `${e.file ?? `snippets/${s.prefix}.yaml`} ${e.severity} ${e.rule} ${e.path}`);
        assert.deepEqual(got, expected, r.stdout + r.stderr);
        assert.equal(r.status, expected.length > 0 ? 1 : 0, r.stderr);
        assert.equal(r.stderr, '', 'no notes on stderr (nothing skipped)');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------
// expandSnippet

describe('expandSnippet', () => {
  const cases: [string, string, string][] = [
    ['placeholder', 'a ${1:default} b', 'a default b'],
    ['choice: its first option', 'protocol: ${1|TCP,UDP,SCTP|}', 'protocol: TCP'],
    ['tab stops without default', 'a$1b$0c${2}d', 'abcd'],
    ['nested placeholders', '${1:outer ${2:inner ${3:deepest}} end}', 'outer inner deepest end'],
    ['mirror after its placeholder', '${1:x}-$1-${1}', 'x-x-x'],
    ['mirror before its placeholder', '$1 then ${1:x}', 'x then x'],
    ['mirror of a choice', '${1|a,b|} $1', 'a a'],
    ['mirror of a nested placeholder', '${1:a ${2:b}} $2', 'a b b'],
    ['the first default of an index wins', '${1:one} ${1:two}', 'one one'],
    ['self-reference does not loop', '${1:a $1 b}', 'a  b'],
    ['escaped dollar and brace', 'cost: \\$5 \\} \\\\', 'cost: $5 } \\'],
    ['escaped brace inside a placeholder', '${1:a\\}b} c', 'a}b c'],
    ['escaped dollar inside a placeholder', '${1:\\${2:x\\}}', '${2:x}'],
    ['other backslashes are text', 'a\\nb \\d', 'a\\nb \\d'],
    ['braces that are not syntax', 'podSelector: {}', 'podSelector: {}'],
    ['a placeholder holding an opening brace', '${1:{}}', '{}'],
    ['choices with escapes', '${1|a\\,b,c\\|d|}', 'a,b'],
    ['empty choice list item', '${1|,x|}', ''],
    ['lone and unterminated $ constructs are text', '$ 5 $- ${ ${1 ${1:abc ${x', '$ 5 $- ${ ${1 ${1:abc ${x'],
    ['unknown variable: its name', '$TM_UNKNOWN and ${ALSO}', 'TM_UNKNOWN and ALSO'],
    ['variable default', '${TM_SELECTED_TEXT:none}', 'none'],
    ['final tab stop with default', '${0:end}', 'end'],
    ['transform of a mirror', '${1:hello world} ${1/(\\w+) (\\w+)/${2:/upcase}-${1:/capitalize}/}', 'hello world WORLD-Hello'],
    ['transform conditionals', '${1:x} ${1/(x)|(y)/${1:+one}${2:?two:none}/}', 'x onenone'],
    ['global transform', '${1:a-b-c} ${1/-/_/g}', 'a-b-c a_b_c'],
    ['invalid transform regex leaves the value', '${1:abc} ${1/(/x/}', 'abc abc'],
  ];
  for (const [what, body, want] of cases) test(what, () => assert.equal(expandSnippet(body), want));

  test('body lines are joined with \\n; variables can be given', () => {
    assert.equal(expandSnippet(['a: ${1:x}', 'b: $1$0']), 'a: x\nb: x');
    assert.equal(expandSnippet('file: $TM_FILENAME ${TM_FILENAME/\\.yaml$//}', { variables: { TM_FILENAME: 'p.yaml' } }), 'file: p.yaml p');
    assert.equal(expandSnippet('${TM_SELECTED_TEXT:none}', { variables: { TM_SELECTED_TEXT: 'sel' } }), 'sel');
    assert.equal(expandSnippet('[$TM_SELECTED_TEXT]', { variables: { TM_SELECTED_TEXT: '' } }), '[]');
  });

  test('the snippets: defaults filled in, mirrors resolved', () => {
    const text = expandSnippet(snippet('netpol-allow-from-pods').body);
    assert.match(text, /^ {2}name: allow-frontend-to-backend$/m);
    assert.match(text, /^ {6}app: backend$/m);
    assert.match(text, /^ {14}app: frontend$/m);
    assert.match(text, /^ {8}- protocol: TCP\n {10}port: 8080$/m);
  });
});

// ---------------------------------------------------------------------------------------
// snippetContext

describe('snippetContext', () => {
  /** `‸` marks the cursor. */
  const at = (marked: string): [string, number] => {
    const offset = marked.indexOf('‸');
    assert.ok(offset >= 0);
    return [marked.slice(0, offset) + marked.slice(offset + 1), offset];
  };
  const yes = [
    ['empty file', '‸'],
    ['blank file', '\n\n‸\n  \n'],
    ['after ---', 'a: 1\n---\n‸'],
    ['after --- with a comment on the marker', 'a: 1\n--- # next\n‸\n'],
    ['after --- and comments', 'a: 1\n---\n# policies for shop\n  # indented comment\n\n‸\n'],
    ['comments below too', '# top\n‸\n# bottom\n'],
    ['before the next document', '---\n‸\n---\nb: 2\n'],
    ['after ...', 'a: 1\n...\n‸'],
    ['typing the prefix', '---\nnetpol-de‸'],
    ['typing the prefix, trailing blanks', 'netpol‸   \n'],
    ['CRLF line ends', 'a: 1\r\n---\r\n‸\r\n# c\r\n---\r\nb: 2\r\n'],
    ['byte-order mark', '\ufeff‸'],
    ['byte-order mark then typing', '\ufeffnet‸'],
    ['after a document with a block scalar', 'data: |\n  x\n---\n‸'],
  ];
  const no = [
    ['inside a document', 'a: 1\n‸'],
    ['between keys', 'a: 1\n‸\nb: 2\n'],
    ['indented', '---\n  ‸\n'],
    ['text after the cursor', '---\n‸apiVersion: v1\n'],
    ['a comment after the cursor', '‸# c\n'],
    ['content below in the same document', '---\n‸\n\napiVersion: v1\n'],
    ['content on the marker line', '--- !!map\n‸\n'],
    ['content on the marker line (scalar)', '--- text\n‸\n'],
    ['on the marker line, after it', 'a: 1\n---‸\n'],
    ['on the marker line, before it', 'a: 1\n‸---\n'],
    ['after a directive without ---', '%YAML 1.2\n‸\n'],
    ['typing after a dash', '- net‸'],
    ['typing a key', 'kind: net‸'],
    ['inside a block scalar', 'data: |\n  x\n‸\n'],
    ['inside a comment', '# net‸'],
    ['out of range', ''],
  ];
  for (const [what, marked] of yes) test(`yes: ${what}`, () => assert.equal(snippetContext(...at(marked)), true));
  for (const [what, marked] of no) {
    test(`no: ${what}`, () => {
      if (marked === '') {
        assert.equal(snippetContext('', -1), false);
        assert.equal(snippetContext('a', 2), false);
        assert.equal(snippetContext('a', 0.5), false);
        return;
      }
      assert.equal(snippetContext(...at(marked)), false);
    });
  }

  test('the insertion starts at column 0, replacing the typed word', () => {
    assert.equal(snippetInsertStart(...at('---\nnetpol-de‸')), 4);
    assert.equal(snippetInsertStart(...at('\ufeffnet‸')), 1);
    assert.equal(snippetInsertStart(...at('a: 1\n‸')), undefined);
  });

  /**
   * At every cut point of these streams where snippetContext holds, inserting a snippet
   * (replacing the typed word) adds exactly one document, the snippet's, and leaves the
   * others as they were.
   */
  const STREAMS = [
    'a: 1\n---\n\n# c\n\n---\nb: [1, 2]\n...\n\nnetpol\n---\n',
    '# header\n\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\n# empty\n',
    'data: |\n  ---x\n\n  y\n---\n  \n\t\n#c\r\n---\r\nk: v\r\n',
    docs(namespace('a'), '# nothing\n', baselineDeny('a')),
    '\ufeff\n# bom\n',
    '',
  ];
  const documents = (text: string): unknown[] => {
    const all = parseAllDocuments(text);
    for (const d of all) assert.deepEqual(d.errors, [], text);
    return all.map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
  };
  test('cut points: where it holds, a snippet inserts one whole document', () => {
    const body = expandSnippet(snippet('netpol-deny-all').body);
    const inserted = parseDocument(body).toJS() as unknown;
    let offered = 0;
    for (const text of STREAMS) {
      for (let offset = 0; offset <= text.length; offset++) {
        const start = snippetInsertStart(text, offset);
        assert.equal(snippetContext(text, offset), start !== undefined);
        if (start === undefined) continue;
        offered++;
        const without = text.slice(0, start) + text.slice(offset);
        const withSnippet = text.slice(0, start) + body + text.slice(offset);
        const before = documents(without);
        const after = documents(withSnippet);
        const where = `${JSON.stringify(text)} at ${offset}`;
        assert.equal(after.length, before.length + 1, where);
        const i = after.findIndex((d) => JSON.stringify(d) === JSON.stringify(inserted));
        assert.ok(i >= 0, `${where}: the snippet is a document of its own`);
        assert.deepEqual([...after.slice(0, i), ...after.slice(i + 1)], before, where);
        // The loader sees the same: one more object, the snippet's.
        const objects = (t: string) => analyze([{ path: 'x.yaml', text: t }]).files[0].objects.length;
        assert.equal(objects(withSnippet), objects(without) + 1, where);
      }
    }
    assert.ok(offered >= 10, `offered at ${offered} cut points`);
  });
});
