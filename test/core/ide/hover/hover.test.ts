/**
 * Hovers (core/hover): exact Markdown and hovered span for each kind of place (a
 * workload's kind, name and pod-template labels; a policy's podSelector, peers and
 * ports; a Service; an Ingress backend) on a multi-file workspace; the sources and
 * destinations a workload hover lists are `netpol reach`'s lines; long lists are cut.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../../../server/src/core/analysis/analyze';
import { formatConnlist } from '../../../../server/src/core/ide/formats/connlist';
import { hoverAt, type HoverResult } from '../../../../server/src/core/ide/hover/hover';
import { allConnections } from '../../../../server/src/core/reach/connections';
import { LineIndex } from '../../../../server/src/core/base/span';
import { docs, yaml } from '../../../helpers/manifests';
import { workspaceFiles } from './fixture';

const files = workspaceFiles();
const texts = new Map(files.map((f) => [f.path, f.text]));
const analysis = analyze(files);
const locate = (span: { file: string; start: number }) => ({ uri: span.file, line: new LineIndex(texts.get(span.file) ?? '').positionAt(span.start).line });

/** Hovers `ws` file `file` at the `nth` occurrence of `needle`, plus `delta` characters. */
function hover(file: string, needle: string, delta = 0, nth = 0, a: Analysis = analysis, t: Map<string, string> = texts): HoverResult | undefined {
  const uri = `file:///ws/${file}`;
  const text = t.get(uri);
  assert.ok(text !== undefined, `no file ${uri}`);
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `no ${needle} in ${file}`);
  return hoverAt({ analysis: a, file: uri, text, offset: at + delta, locate: (s) => ({ uri: s.file, line: new LineIndex(t.get(s.file) ?? '').positionAt(s.start).line }) });
}

function shown(r: HoverResult | undefined): { markdown: string; span: string } {
  assert.ok(r, 'no hover');
  return { markdown: r.markdown, span: (texts.get(r.span.file) ?? '').slice(r.span.start, r.span.end) };
}

const BACKEND = `**Deployment** \`shop/backend\`

- Ingress: isolated by [shop/default-deny](file:///ws/shop/policies.yaml#L1) and [shop/backend-allow](file:///ws/shop/policies.yaml#L25)
- Egress: isolated by [shop/backend-egress](file:///ws/shop/egress.yaml#L1)

**Reachable from** 2 sources:

- \`monitoring\` (TCP 9090,9102): \`prometheus[Deployment]\`
- \`shop\` (TCP 9090,9102): \`frontend[Deployment]\`

**Can reach** 2 destinations:

- \`kube-system\` (UDP 53): \`coredns[Deployment]\`
- \`shop\` (TCP 5432): \`db[StatefulSet]\``;

describe('hover on a workload', () => {
  test('its metadata.name: isolation with links to the policies, sources and destinations by namespace', () => {
    assert.deepEqual(shown(hover('shop/backend.yaml', 'name: backend', 6)), { markdown: BACKEND, span: 'backend' });
  });

  test('its kind and its pod-template labels give the same hover', () => {
    assert.deepEqual(shown(hover('shop/backend.yaml', 'Deployment', 3)), { markdown: BACKEND, span: 'Deployment' });
    assert.deepEqual(shown(hover('shop/backend.yaml', 'tier: api', 2)), { markdown: BACKEND, span: '{app: backend, tier: api}' });
    // Block-style labels: the whole mapping, without its trailing line break.
    assert.equal(shown(hover('shop/frontend.yaml', 'tier: web')).span, 'app: frontend\n        tier: web');
  });

  test('open on both sides: reachable from other namespaces, the ingress controller and every address; sources with different ports listed one by one', () => {
    assert.equal(
      hover('kube-system/coredns.yaml', 'coredns')?.markdown,
      `**Deployment** \`kube-system/coredns\`

- Ingress: not isolated (no NetworkPolicy selects it for Ingress): accepts connections from anywhere
- Egress: not isolated (no NetworkPolicy selects it for Egress): may connect anywhere

**Reachable from** 4 sources:

- \`monitoring\` (All Connections): \`prometheus[Deployment]\`
- \`shop\`: \`backend[Deployment]\` (UDP 53) and \`frontend[Deployment]\` (All Connections)
- \`0.0.0.0-255.255.255.255[External]\` (All Connections)

**Can reach** 6 destinations:

- \`monitoring\` (All Connections): \`prometheus[Deployment]\`
- \`0.0.0.0-9.255.255.255[External]\` (All Connections)
- \`10.0.0.0-10.0.255.255[External]\` (All Connections)
- \`10.1.0.0-10.1.255.255[External]\` (All Connections)
- \`10.2.0.0-10.255.255.255[External]\` (All Connections)
- \`11.0.0.0-255.255.255.255[External]\` (All Connections)`,
    );
  });

  test('the ingress controller as a source; egress-isolated with named ports that never match outside the cluster', () => {
    assert.equal(
      hover('shop/frontend.yaml', 'frontend')?.markdown.split('\n\n**Can reach**')[0],
      `**Deployment** \`shop/frontend\`

- Ingress: isolated by [shop/default-deny](file:///ws/shop/policies.yaml#L1) and [shop/frontend-from-ingress](file:///ws/shop/policies.yaml#L10)
- Egress: not isolated (no NetworkPolicy selects it for Egress): may connect anywhere

**Reachable from** 1 source:

- \`{ingress-controller}\` (TCP 8080)`,
    );
    assert.equal(
      hover('shop/backend.yaml', 'StatefulSet')?.markdown,
      `**StatefulSet** \`shop/db\`

- Ingress: isolated by [shop/default-deny](file:///ws/shop/policies.yaml#L1) and [shop/db-allow](file:///ws/shop/policies.yaml#L42)
- Egress: isolated by [shop/db-allow](file:///ws/shop/policies.yaml#L42)

**Reachable from** 1 source:

- \`shop\` (TCP 5432): \`backend[Deployment]\`

**Can reach** 2 destinations:

- \`10.0.0.0-10.0.255.255[External]\` (TCP 443)
- \`10.2.0.0-10.255.255.255[External]\` (TCP 443)`,
    );
  });

  test("every workload's sources and destinations are exactly `netpol reach`'s lines", () => {
    const reachLines = formatConnlist(allConnections(analysis.reach), 'text').split('\n').filter((l) => l !== '');
    for (const w of analysis.model.workloads) {
      const name = `${w.namespace}/${w.name}[${w.kind}]`;
      const src = w.sources[0];
      const text = texts.get(src.span.file) ?? '';
      const nameAt = text.indexOf(`name: ${w.name}`, src.span.start) + 6;
      const r = hoverAt({ analysis, file: src.span.file, text, offset: nameAt, locate });
      assert.ok(r, `no hover for ${name}`);
      const [, into, from] = /\*\*Reachable from\*\*([\s\S]*?)\n\n\*\*Can reach\*\*([\s\S]*)$/.exec(r.markdown) ?? [];
      assert.ok(into !== undefined && from !== undefined, r.markdown);
      assert.deepEqual(parseList(into).map((x) => `${x.name} => ${name} : ${x.conn}`).sort(), reachLines.filter((l) => l.includes(` => ${name} : `)).sort(), `sources of ${name}`);
      assert.deepEqual(parseList(from).map((x) => `${name} => ${x.name} : ${x.conn}`).sort(), reachLines.filter((l) => l.startsWith(`${name} => `)).sort(), `destinations of ${name}`);
    }
  });
});

/** The endpoints and connections of a hover list (full names, as `netpol reach` prints them). */
function parseList(section: string): { name: string; conn: string }[] {
  const out: { name: string; conn: string }[] = [];
  for (const line of section.split('\n').filter((l) => l.startsWith('- '))) {
    const uniform = /^- `([^`]+)` \(([^)]+)\): (.*)$/.exec(line);
    const grouped = /^- `([^`{]+)`: (.*)$/.exec(line);
    const single = /^- `([^`]+)` \(([^)]+)\)$/.exec(line);
    if (uniform) for (const [, n] of uniform[3].matchAll(/`([^`]+)`/g)) out.push({ name: `${uniform[1]}/${n}`, conn: uniform[2] });
    else if (grouped) for (const [, n, conn] of grouped[2].matchAll(/`([^`]+)` \(([^)]+)\)/g)) out.push({ name: `${grouped[1]}/${n}`, conn });
    else if (single) out.push({ name: single[1], conn: single[2] });
    else assert.fail(`unexpected line ${line}`);
  }
  return out;
}

describe('hover on a NetworkPolicy', () => {
  test('spec.podSelector (and the policy name): the workloads it selects and the directions it isolates', () => {
    const selects = `**NetworkPolicy** \`shop/default-deny\`

Selects 3 workloads in namespace \`shop\`: \`frontend[Deployment]\`, \`backend[Deployment]\` and \`db[StatefulSet]\`

Isolates them for Ingress.`;
    assert.deepEqual(shown(hover('shop/policies.yaml', 'podSelector: {}', 2)), { markdown: selects, span: 'podSelector: {}' });
    assert.deepEqual(shown(hover('shop/policies.yaml', 'default-deny')), { markdown: selects, span: 'default-deny' });
    assert.deepEqual(shown(hover('shop/policies.yaml', 'matchLabels: {app: db}', 18)), {
      markdown: `**NetworkPolicy** \`shop/db-allow\`

Selects 1 workload in namespace \`shop\`: \`db[StatefulSet]\`

Isolates it for Ingress and Egress.`,
      span: 'matchLabels: {app: db}',
    });
  });

  test('a podSelector peer: the workloads of the policy namespace it matches', () => {
    assert.deepEqual(shown(hover('shop/policies.yaml', 'podSelector: {matchLabels: {app: frontend}}', 30)), {
      markdown: `**Peer** \`from[0]\` of ingress rule #1 of \`shop/backend-allow\`

Matches 1 workload in 1 namespace:

- \`shop\`: \`frontend[Deployment]\`

Namespaces: \`shop\` (the policy's own)`,
      span: 'podSelector: {matchLabels: {app: frontend}}',
    });
  });

  test('a namespaceSelector AND podSelector peer; an empty namespaceSelector', () => {
    assert.equal(
      hover('shop/policies.yaml', 'team: platform')?.markdown,
      `**Peer** \`from[1]\` of ingress rule #1 of \`shop/backend-allow\`

Matches 1 workload in 1 namespace:

- \`monitoring\`: \`prometheus[Deployment]\`

Namespaces: \`monitoring\``,
    );
    assert.equal(
      hover('shop/egress.yaml', 'kube-dns')?.markdown,
      `**Peer** \`to[0]\` of egress rule #2 of \`shop/backend-egress\`

Matches 1 workload in 1 namespace:

- \`kube-system\`: \`coredns[Deployment]\`

Namespaces: \`ingress-nginx\`, \`kube-system\`, \`monitoring\` and \`shop\``,
    );
  });

  test("a peer matching the ingress controller's namespace", () => {
    assert.deepEqual(shown(hover('shop/policies.yaml', 'namespaceSelector', 3)), {
      markdown: `**Peer** \`from[0]\` of ingress rule #1 of \`shop/frontend-from-ingress\`

Matches no workload.

Matches the ingress controller \`{ingress-controller}\`.

Namespaces: \`ingress-nginx\``,
      span: 'namespaceSelector:\n            matchLabels: {kubernetes.io/metadata.name: ingress-nginx}',
    });
  });

  test('an ipBlock peer: the address ranges it covers, as `netpol reach` names them', () => {
    assert.deepEqual(shown(hover('shop/policies.yaml', 'cidr')), {
      markdown: `**Peer** ipBlock \`10.0.0.0/8\` except \`10.1.0.0/16\` of egress rule #1 of \`shop/db-allow\`

Matches addresses outside the cluster:

- \`10.0.0.0-10.0.255.255[External]\`
- \`10.2.0.0-10.255.255.255[External]\`

No pod of the workspace has a known address (status.podIP) in it: pods are matched by selectors.`,
      span: 'ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}',
    });
  });

  test('an ingress port: what it resolves to on each selected pod (named, numeric declared, numeric not declared)', () => {
    assert.deepEqual(shown(hover('shop/policies.yaml', 'port: api', 7)), {
      markdown: `**Port** \`api\` (TCP) of ingress rule #1 of \`shop/backend-allow\`

On the selected pods:

- \`shop/backend[Deployment]\`: TCP 9090`,
      span: 'port: api',
    });
    assert.equal(
      hover('shop/policies.yaml', 'port: 9102', 7)?.markdown,
      `**Port** TCP 9102 of ingress rule #1 of \`shop/backend-allow\`

On the selected pods:

- \`shop/backend[Deployment]\`: TCP 9102 (container port \`metrics\`)`,
    );
    assert.equal(
      hover('shop/policies.yaml', 'port: 80', 7)?.markdown,
      `**Port** TCP 80 of ingress rule #1 of \`shop/db-allow\`

On the selected pods:

- \`shop/db[StatefulSet]\`: TCP 80: no container declares it`,
    );
  });

  test('an egress port: per destination pod; outside the cluster, named ports match nothing', () => {
    assert.equal(
      hover('shop/egress.yaml', 'port: pg', 7)?.markdown,
      `**Port** \`pg\` (TCP) of egress rule #1 of \`shop/backend-egress\`

On the destination pods:

- \`shop/db[StatefulSet]\`: TCP 5432`,
    );
    assert.deepEqual(shown(hover('shop/egress.yaml', 'port: 53', 7)), {
      markdown: `**Port** UDP 53 of egress rule #2 of \`shop/backend-egress\`

On the destination pods:

- \`kube-system/coredns[Deployment]\`: UDP 53 (container port \`dns\`)`,
      span: '{protocol: UDP, port: 53}',
    });
    assert.equal(
      hover('shop/policies.yaml', 'port: pg', 7, 1)?.markdown,
      `**Port** \`pg\` (TCP) of egress rule #1 of \`shop/db-allow\`

No destination pod.

Outside the cluster: nothing (named ports never match outside the cluster)`,
    );
    assert.equal(hover('shop/policies.yaml', 'port: 443', 7)?.markdown.split('\n\n').pop(), 'Outside the cluster: TCP 443');
  });
});

describe('hover on a Service and an Ingress', () => {
  test('a Service: the pods behind it, the pod port of each Service port, who reaches the pods through it', () => {
    const backend = `**Service** \`shop/backend\`

Selects 1 workload: \`backend[Deployment]\`

- port 80 (\`http\`) → \`api\`: 9090 on \`backend[Deployment]\`

**Reachable through it** from 2 sources:

- \`monitoring\` (TCP 9090): \`prometheus[Deployment]\`
- \`shop\` (TCP 9090): \`frontend[Deployment]\``;
    assert.deepEqual(shown(hover('shop/backend.yaml', 'Service', 0)), { markdown: backend, span: 'Service' });
    assert.deepEqual(shown(hover('shop/backend.yaml', 'targetPort')), { markdown: backend, span: '{name: http, port: 80, targetPort: api}' });
    assert.deepEqual(shown(hover('shop/frontend.yaml', 'selector: {app', 12)), {
      markdown: `**Service** \`shop/frontend\`

Selects 1 workload: \`frontend[Deployment]\`

- port 80 (\`web\`) → \`http\`: 8080 on \`frontend[Deployment]\`

**Reachable through it** from 1 source:

- \`{ingress-controller}\` (TCP 8080)`,
      span: '{app: frontend}',
    });
  });

  const NOTE = '_The ingress controller is taken to run in namespace `ingress-nginx` with labels `app.kubernetes.io/name=ingress-nginx` (settings `netpol.ingressController.*`)._';

  test('an Ingress backend the policies admit the controller to', () => {
    assert.deepEqual(shown(hover('shop/ingress.yaml', 'name: frontend', 6)), {
      markdown: `**Ingress** \`shop/shop\` → Service \`frontend\` port \`80\`

- \`frontend[Deployment]\`: reachable from the ingress controller on TCP 8080

${NOTE}`,
      span: 'service:\n                name: frontend\n                port: {number: 80}',
    });
  });

  test('an Ingress backend the policies block, with the policies that isolate the pods', () => {
    assert.equal(
      hover('shop/ingress.yaml', 'name: http', 6)?.markdown,
      `**Ingress** \`shop/shop\` → Service \`backend\` port \`http\`

- \`backend[Deployment]\`: **blocked** on TCP 9090: its ingress is isolated by [shop/default-deny](file:///ws/shop/policies.yaml#L1) and [shop/backend-allow](file:///ws/shop/policies.yaml#L25), and no rule admits the ingress controller there

${NOTE}`,
    );
  });

  test("the Ingress's name: every backend", () => {
    assert.equal(
      hover('shop/ingress.yaml', 'name: shop', 6)?.markdown,
      `**Ingress** \`shop/shop\`

Service \`frontend\` port \`80\`:

- \`frontend[Deployment]\`: reachable from the ingress controller on TCP 8080

Service \`backend\` port \`http\`:

- \`backend[Deployment]\`: **blocked** on TCP 9090: its ingress is isolated by [shop/default-deny](file:///ws/shop/policies.yaml#L1) and [shop/backend-allow](file:///ws/shop/policies.yaml#L25), and no rule admits the ingress controller there

${NOTE}`,
    );
  });
});

describe('hover: where there is none, and odd inputs', () => {
  test('no hover on other fields, other kinds, keys, or a text the analysis has not seen', () => {
    assert.equal(hover('shop/backend.yaml', 'apiVersion'), undefined);
    assert.equal(hover('shop/backend.yaml', 'image: api', 8), undefined);
    assert.equal(hover('shop/backend.yaml', 'containers'), undefined);
    assert.equal(hover('shop/backend.yaml', 'kind'), undefined, 'the kind key, not its value');
    assert.equal(hover('shop/policies.yaml', 'policyTypes', 2), undefined);
    assert.equal(hover('namespaces.yaml', 'name: shop', 6), undefined);
    const uri = 'file:///ws/shop/backend.yaml';
    assert.equal(hoverAt({ analysis, file: uri, text: 'kind: Deployment\n', offset: 8, locate }), undefined, 'stale analysis');
    assert.equal(hoverAt({ analysis, file: 'file:///ws/nope.yaml', text: 'x', offset: 0, locate }), undefined);
  });

  test('a policy the API server rejects (here: an empty peer), a rule of a direction its policyTypes omit', () => {
    const uri = 'file:///ws/odd.yaml';
    const text = docs(
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: bad, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress:
            - from: [{}]
      `,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: ingress-only, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress:
            - from: [{podSelector: {}}]
          egress:
            - to: [{podSelector: {}}]
      `,
    );
    const t = new Map([[uri, text]]);
    const a = analyze([{ path: uri, text }]);
    // The reason is the rule's message, as text (its brackets escaped in the Markdown).
    const reason = 'The API server would reject this NetworkPolicy, so it is never applied (it isolates and allows nothing): spec.ingress\\[0\\].from\\[0\\]: A peer must specify podSelector, namespaceSelector or ipBlock';
    const onSelector = hover('odd.yaml', 'app: web', 0, 0, a, t)?.markdown ?? '';
    assert.ok(onSelector.startsWith(`**NetworkPolicy** \`shop/bad\`\n\n${reason}`), onSelector);
    const onPeer = hover('odd.yaml', '{}]', 0, 0, a, t)?.markdown ?? '';
    assert.ok(onPeer.startsWith(`**Peer** \`from[0]\` of ingress rule #1 of \`shop/bad\`\n\n${reason}`), onPeer);
    assert.equal(hover('odd.yaml', 'podSelector: {}}', 2, 1, a, t)?.markdown, '**Peer** `to[0]` of egress rule #1 of `shop/ingress-only`\n\npolicyTypes omits Egress: this rule has no effect.');
    assert.equal(hover('odd.yaml', 'podSelector: {}}', 2, 0, a, t)?.markdown.split('\n\n')[1], 'Matches no workload (and not the ingress controller).');
  });

  test('a Pod with a controller owner is hovered as its owner, on its kind, name or labels', () => {
    const uri = 'file:///ws/pods.yaml';
    const pod = (name: string) => yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: ${name}
        namespace: shop
        labels: {app: web}
        ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true, uid: u}]
      spec: {containers: [{name: c, image: i}]}
    `;
    const text = docs(pod('web-7d9f-a'), pod('web-7d9f-b'));
    const t = new Map([[uri, text]]);
    const a = analyze([{ path: uri, text }]);
    const title = '**ReplicaSet** `shop/web-7d9f`\n\n- Ingress: not isolated';
    assert.ok(hover('pods.yaml', 'web-7d9f-b', 0, 0, a, t)?.markdown.startsWith(title));
    assert.ok(hover('pods.yaml', 'Pod', 0, 1, a, t)?.markdown.startsWith(title));
    assert.ok(hover('pods.yaml', 'app: web', 0, 0, a, t)?.markdown.startsWith(title));
    assert.equal(hover('pods.yaml', 'ReplicaSet', 0, 0, a, t), undefined, 'the owner reference is not the hover target');
  });

  test('long lists are cut: "and N more"', () => {
    const uri = 'file:///ws/big.yaml';
    const deployment = (ns: string, name: string) => yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ${name}, namespace: ${ns}}
      spec:
        selector: {matchLabels: {app: ${name}}}
        template:
          metadata: {labels: {app: ${name}}}
          spec: {containers: [{name: c, image: i}]}
    `;
    const all: string[] = [deployment('target', 'db')];
    for (let n = 0; n < 12; n++) for (let w = 0; w < 8; w++) all.push(deployment(`ns${String(n).padStart(2, '0')}`, `w${w}`));
    const text = docs(...all);
    const t = new Map([[uri, text]]);
    const a = analyze([{ path: uri, text }]);
    const md = hover('big.yaml', 'name: db', 6, 0, a, t)?.markdown ?? '';
    const from = md.split('**Reachable from**')[1].split('**Can reach**')[0];
    assert.match(from, /^ 97 sources:\n/);
    assert.match(from, /\n- `ns00` \(All Connections\): `w0\[Deployment\]`, `w1\[Deployment\]`, `w2\[Deployment\]`, `w3\[Deployment\]`, `w4\[Deployment\]` and 3 more\n/);
    assert.match(from, /\n- `ns07` \(All Connections\): /);
    assert.doesNotMatch(from, /`ns08`/);
    assert.match(from, /\n- and 4 more namespaces \(32 workloads\)\n/);
  });
});
