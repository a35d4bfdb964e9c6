/**
 * The editor's host lets go of the syntax trees of files that are not open (their
 * workloads, Services, Namespaces…: Workspace, LoadOptions.keepTree) and parses a document
 * again when something asks for its tree. That must change no answer: the same walk of
 * edits (typing in open files, opening and closing files, files changed on disk) is run
 * on a workspace that lets go and on one that keeps every tree, and after each step every
 * finding (the change rules' too), the change impact, the code lenses, the hover at every
 * line and the code actions (fixes and suppressions) of every finding, in the open files
 * and the others, are the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type FileChange, type Snapshot } from '../../server/src/core';
import { LineIndex } from '../../server/src/core/base/span';

interface State {
  label: 'api' | 'api-v2'; // the api workload's pod label (closed.yaml's policy selects `api`)
  port: number; // the api container's port
  servicePort: number;
  policyPort: number; // open.yaml's policy port
  comment: number; // lines before everything in closed.yaml: its documents move (a disk change)
  extra: boolean; // a second workload in closed.yaml (a document inserted on disk)
  envLabel: 'prod' | 'staging';
}

const open = (s: State) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: ${s.policyPort}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: example/web:1
          ports: [{containerPort: 8080}]
          env: [{name: API, value: "http://api.shop:${s.servicePort}"}]
`;

const closed = (s: State) => `${'# moved\n'.repeat(s.comment)}apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {environment: ${s.envLabel}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: ${s.label}}}
  template:
    metadata: {labels: {app: ${s.label}}}
    spec:
      containers:
        - name: api
          image: example/api:1
          ports: [{containerPort: ${s.port}, name: http}]
          env: [{name: WEB, value: "http://web.shop:80"}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: ${s.label}}
  ports: [{port: ${s.servicePort}, targetPort: ${s.port}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 9999}]
  egress:
    - to: [{namespaceSelector: {}}]
${s.extra ? `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: w, image: example/worker:1, env: [{name: API, value: "http://api.shop:${s.servicePort}"}]}]}
` : ''}`;

const OPEN = 'file:///w/open.yaml';
const CLOSED = 'file:///w/closed.yaml';
/** Never opened, never changed: its trees are let go once and asked for again. */
const ASIDE = 'file:///w/aside.yaml';
const ASIDE_TEXT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: jobs}
spec:
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec: {containers: [{name: b, image: example/batch:1, env: [{name: API, value: "http://api.shop:8080"}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: batch, namespace: jobs}
spec:
  podSelector: {matchLabels: {app: nothing-here}}
  policyTypes: [Egress]
`;

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything an editor is shown of a snapshot, as text. */
function outputs(ws: Workspace, snapshot: Snapshot): string[] {
  const out: string[] = [];
  const lines = new Map<string, LineIndex>();
  const locate = (span: { file: string; start: number }) => {
    let idx = lines.get(span.file);
    if (!idx) lines.set(span.file, (idx = new LineIndex(snapshot.text(span.file) ?? '')));
    return { uri: span.file, line: idx.positionAt(span.start).line };
  };
  // The impact first, with its baseline built whatever the time (impactState(true)): left
  // to the keystroke path, a baseline slower than its wall-clock cut-off is deferred, and
  // a busy machine would then drop change findings from one workspace and not the other.
  const impact = JSON.stringify(ws.impactState(true));
  const findings = [...snapshot.findings(), ...ws.changeFindings()];
  for (const f of findings) {
    out.push(`finding ${f.rule} ${f.severity} ${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`);
    for (const fix of snapshot.fixes(f)) out.push(`  fix ${fix.title} ${fix.safe} ${JSON.stringify(fix.edits)} ${JSON.stringify(fix.prompt ?? null)}`);
    for (const s of snapshot.suppressions(f)) out.push(`  suppress ${s.title} ${JSON.stringify(s.edit)}`);
  }
  out.push(`impact ${impact}`);
  for (const uri of snapshot.uris()) {
    for (const l of snapshot.lenses(uri)) out.push(`lens ${uri}:${l.span.start} ${l.target.kind} ${l.target.id}: ${l.title}`);
    const text = snapshot.text(uri) ?? '';
    let at = 0;
    for (const line of text.split('\n')) {
      const offset = at + (line.length - line.trimStart().length);
      const h = snapshot.hover(uri, offset, locate);
      if (h) out.push(`hover ${uri}:${offset} ${h.span.start}-${h.span.end} ${h.markdown}`);
      at += line.length + 1;
    }
  }
  return out;
}

test('a workspace that lets go of the trees of files not open answers as one that keeps them, over a walk of edits, opens, closes and disk changes', () => {
  const s: State = { label: 'api', port: 8080, servicePort: 8080, policyPort: 8080, comment: 0, extra: false, envLabel: 'prod' };
  const releasing = new Workspace();
  const keeping = new Workspace(undefined, { releaseTrees: false });
  const apply = (changes: FileChange[]) => {
    releasing.applyChange(changes);
    keeping.applyChange(changes);
  };
  apply([
    { kind: 'disk', uri: OPEN, text: open(s) },
    { kind: 'disk', uri: CLOSED, text: closed(s) },
    { kind: 'disk', uri: ASIDE, text: ASIDE_TEXT },
  ]);
  let openText = open(s);
  let isOpen = false;
  const steps: ((r: () => number) => FileChange[])[] = [
    // Typing in open.yaml (opened first if it is not).
    (r) => {
      s.policyPort = [8080, 9090, 9999][Math.floor(r() * 3)];
      isOpen = true;
      return [{ kind: 'open', uri: OPEN, text: (openText = open(s)) }];
    },
    (r) => {
      s.servicePort = [80, 8080][Math.floor(r() * 2)];
      isOpen = true;
      return [{ kind: 'open', uri: OPEN, text: (openText = open(s)) }];
    },
    // closed.yaml changed on disk (a checkout): a workload's label, its port, documents moved or inserted, a Namespace label.
    () => {
      s.label = s.label === 'api' ? 'api-v2' : 'api';
      return [{ kind: 'disk', uri: CLOSED, text: closed(s) }];
    },
    (r) => {
      s.port = [8080, 9999][Math.floor(r() * 2)];
      return [{ kind: 'disk', uri: CLOSED, text: closed(s) }];
    },
    () => {
      s.comment = (s.comment + 1) % 3;
      s.extra = !s.extra;
      return [{ kind: 'disk', uri: CLOSED, text: closed(s) }];
    },
    () => {
      s.envLabel = s.envLabel === 'prod' ? 'staging' : 'prod';
      return [{ kind: 'disk', uri: CLOSED, text: closed(s) }];
    },
    // open.yaml saved and closed, or opened again.
    () => {
      if (!isOpen) {
        isOpen = true;
        return [{ kind: 'open', uri: OPEN, text: openText }];
      }
      isOpen = false;
      return [{ kind: 'disk', uri: OPEN, text: openText }, { kind: 'close', uri: OPEN }];
    },
  ];
  const r = rng(20261207);
  let compared = 0;
  for (let i = 0; i <= 40; i++) {
    if (i > 0) apply(steps[Math.floor(r() * steps.length)](r));
    const expected = outputs(keeping, keeping.snapshot());
    const actual = outputs(releasing, releasing.snapshot());
    assert.deepEqual(actual, expected, `step ${i}`);
    compared += expected.length;
  }
  // The walk is about something: findings with fixes in the file never opened, hovers there, and trees parsed again.
  const last = outputs(keeping, keeping.snapshot());
  assert.ok(last.some((l) => l.startsWith(`finding `) && l.includes(ASIDE)), 'no finding in aside.yaml');
  assert.ok(last.some((l) => l.startsWith(`hover ${ASIDE}`)), 'no hover in aside.yaml');
  assert.ok(last.some((l) => l.startsWith(`hover ${CLOSED}`)), 'no hover in closed.yaml');
  assert.ok(compared > 1000, `only ${compared} outputs compared`);
  assert.ok(releasing.reparses > 0, 'no tree was let go and asked for again');
  assert.equal(keeping.reparses, 0);
});

test('a tree of a file not open that is asked for again is let go after the next run of the rules', () => {
  const s: State = { label: 'api', port: 8080, servicePort: 8080, policyPort: 8080, comment: 0, extra: true, envLabel: 'prod' };
  const ws = new Workspace();
  ws.applyChange([
    { kind: 'disk', uri: OPEN, text: open(s) },
    { kind: 'disk', uri: CLOSED, text: closed(s) },
  ]);
  ws.snapshot().findings();
  const text = closed(s);
  const lines = new LineIndex(text);
  // Hovers at the start of each line of the closed file: how many answer.
  const hovers = () => {
    let n = 0;
    let at = 0;
    for (const line of text.split('\n')) {
      if (ws.snapshot().hover(CLOSED, at + line.length - line.trimStart().length, (span) => ({ uri: span.file, line: lines.positionAt(span.start).line }))) n++;
      at += line.length + 1;
    }
    return n;
  };
  for (const port of [9090, 9091, 9092]) {
    // Hovers on the closed file parse its documents again…
    const before = ws.reparses;
    assert.ok(hovers() > 0, 'no hover in the closed file');
    assert.ok(ws.reparses > before, 'the hovers read no tree');
    // …and once the rules have run on the next edit, the tree is let go again.
    s.policyPort = port;
    ws.applyChange({ kind: 'open', uri: OPEN, text: open(s) });
    ws.snapshot().findings();
  }
});

test('indexed with preload, a file not open keeps no tree, its policies\' neither: the rules parse those again, once, and keep them; the answers are those of a workspace that keeps every tree', () => {
  const s: State = { label: 'api', port: 8080, servicePort: 8080, policyPort: 8080, comment: 1, extra: true, envLabel: 'prod' };
  const indexed = new Workspace();
  /** Loaded by its first analysis (keepsTree at load), as a file changed on disk is. */
  const loaded = new Workspace();
  const keeping = new Workspace(undefined, { releaseTrees: false });
  const all = [indexed, loaded, keeping];
  for (const ws of all) {
    ws.applyChange([
      { kind: 'disk', uri: OPEN, text: open(s) },
      { kind: 'disk', uri: CLOSED, text: closed(s) },
      { kind: 'disk', uri: ASIDE, text: ASIDE_TEXT },
    ]);
  }
  indexed.preload(indexed.uris());
  keeping.preload(keeping.uris());
  assert.equal(indexed.reparses, 0);
  for (const ws of all) ws.snapshot().findings();
  // The three policies (open.yaml's, closed.yaml's, aside.yaml's) parsed again, once each.
  assert.equal(indexed.reparses - loaded.reparses, 3);
  // Kept from then on: the next edit (a policy of the open file) parses again what it does without preload.
  const before = { indexed: indexed.reparses, loaded: loaded.reparses };
  s.policyPort = 9090;
  for (const ws of all) ws.applyChange({ kind: 'open', uri: OPEN, text: open(s) });
  for (const ws of all) ws.snapshot().findings();
  assert.equal(indexed.reparses - before.indexed, loaded.reparses - before.loaded);
  assert.deepEqual(outputs(indexed, indexed.snapshot()), outputs(keeping, keeping.snapshot()));
  assert.equal(keeping.reparses, 0);
});
