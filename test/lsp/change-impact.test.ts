/**
 * Change impact in the server: a temporary git repository with two namespaces and a
 * policy; editing the open policy to drop its ingress rule closes the flow a Service
 * routes to (breaking, a warning on the policy), admitting an address range opens an
 * external flow (an info on the rule), reverting gives no impact. Checked in process
 * (ChangeImpact over a WorkspaceState, baselines from the real git) and over stdio
 * (notification, request, diagnostics, code lenses).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChangeImpact } from '../../server/src/lsp/change-impact';
import { CHANGE_IMPACT_CHANGED_NOTIFICATION, CHANGE_IMPACT_REQUEST, type ChangeImpactResult } from '../../server/src/protocol';
import type { Diagnostic } from 'vscode-languageserver/node';
import { DEFAULTS, Workspace, type NetpolConfig } from '../../server/src/core';
import { GitBaselines, type BaselineSource } from '../../server/src/node/git-baselines';
import { filePathOf } from '../../server/src/lsp/from-lsp';
import { LineIndexes, NO_IMPACT } from '../../server/src/lsp/to-lsp';
import { generateWorkspace, rng } from '../bench/generate';
import { LspClient } from './lsp-client';
import { isYamlError } from '../../server/src/core/manifest/notes';

const deployment = (ns: string, app: string, port?: number) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers:
        - name: c
          image: nginx${port === undefined ? '' : `\n          ports: [{name: http, containerPort: ${port}}]`}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - {port: 80, targetPort: http}
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: client}}
      ports:
        - {protocol: TCP, port: 8080}
`;

const NO_RULE = POLICY.slice(0, POLICY.indexOf('  ingress:')) + '  ingress: []\n';
/** Also admits an address range on the same port: a flow from outside the cluster. */
const WITH_RANGE = POLICY.replace('        - namespaceSelector:', '        - ipBlock: {cidr: 203.0.113.0/24}\n        - namespaceSelector:');
/** The same policy with a comment and another layout: no change. */
const COMMENTED = POLICY.replace('  policyTypes: [Ingress]', '  # only ingress\n  policyTypes:\n    - Ingress');
/** The backend's port renamed away: the Service's targetPort no longer resolves (a world change). */
const WEB_RENAMED = deployment('shop', 'web', 8080).replace('name: http', 'name: web');

const FILES: Record<string, string> = {
  'shop/web.yaml': deployment('shop', 'web', 8080),
  'shop/service.yaml': SERVICE,
  'shop/policy.yaml': POLICY,
  'client/app.yaml': deployment('client', 'app'),
};

let dir: string;
const uriOf = (path: string) => pathToFileURL(join(dir, path)).toString();
const policyUri = () => uriOf('shop/policy.yaml');
/** 0-based line of the first line of `text` that starts (after indentation) with `prefix`. */
const lineOf = (text: string, prefix: string) => text.split('\n').findIndex((l) => l.trimStart().startsWith(prefix));

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-change-impact-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'workspace');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function assertClosedBreaking(r: ChangeImpactResult, baseline = 'git HEAD'): void {
  assert.deepEqual(
    { files: r.files, baseline: r.baseline, opened: r.opened, closed: r.closed, added: r.added, removed: r.removed, changed: r.changed, breaking: r.breaking, truncated: r.truncated },
    { files: [policyUri()], baseline, opened: 0, closed: 1, added: 0, removed: 1, changed: 0, breaking: 1, truncated: 0 },
  );
  assert.deepEqual(r.entries, [
    {
      kind: 'removed',
      src: 'client/app[Deployment]',
      dst: 'shop/web[Deployment]',
      before: 'TCP 8080',
      after: 'No Connections',
      gained: 'No Connections',
      lost: 'TCP 8080',
      breaking: true,
      external: false,
      // No manifest shows the application needs this flow (test/lsp/change-impact-evidence.test.ts has one that does).
      evidence: [],
      responsible: [
        {
          policy: 'shop/web-from-client',
          rule: 'ingress[0]',
          role: 'no-longer-allows',
          // The policy as it is now: its (emptied) rule list.
          location: { uri: policyUri(), line: lineOf(NO_RULE, 'ingress:') },
          text: 'ingress[0] of shop/web-from-client admitted it before the edit',
        },
      ],
    },
  ]);
  assert.deepEqual(r.policies, [{ policy: 'shop/web-from-client', status: 'modified', location: { uri: policyUri(), line: 0 }, opened: 0, closed: 1 }]);
}

/** The server's host over the repository's files, baselines from git (as the server reads them) or `git`. */
function workspace(options: { git?: BaselineSource; slowPathSyncLimit?: number; config?: Partial<NetpolConfig> } = {}): Workspace {
  const git = options.git ?? new GitBaselines();
  const gitHead = (uri: string) => {
    const path = filePathOf(uri);
    return path === undefined ? undefined : git.gitHead(path);
  };
  const ws = new Workspace({ ...DEFAULTS, ...options.config }, { gitHead, slowPathSyncLimit: options.slowPathSyncLimit });
  for (const [path, text] of Object.entries(FILES)) ws.applyChange({ kind: 'disk', uri: uriOf(path), text });
  return ws;
}

const open = (ws: Workspace, uri: string, text: string) => ws.applyChange({ kind: 'open', uri, text });
const impactOf = (ws: Workspace, log?: (m: string) => void) => new ChangeImpact({ workspace: ws, lines: new LineIndexes(), log });

describe('in process', () => {
  test('removing the rule closes the routed flow, with a warning on the rule list; reverting gives no impact', () => {
    const state = workspace();
    const impact = impactOf(state);
    assert.deepEqual(impact.result(), NO_IMPACT);
    open(state, policyUri(), POLICY);
    assert.deepEqual(impact.result(), NO_IMPACT);
    open(state, policyUri(), NO_RULE);
    assertClosedBreaking(impact.result());
    // Same analysis: the cached answer.
    assert.equal(impact.compute(), impact.compute());
    const findings = impact.findings();
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.span.file, f.span.start, f.span.end, f.path]),
      [['change-removes-routed-flow', 'warning', policyUri(), NO_RULE.indexOf('ingress:'), NO_RULE.indexOf('ingress:') + 'ingress'.length, 'spec.ingress']],
    );
    assert.match(findings[0].message, /^This edit closes a flow \(client\/app\[Deployment\] → shop\/web\[Deployment\] on TCP 8080\) that a Service or Ingress routes to: the rule of shop\/web-from-client that allowed it was changed or removed\./);
    const lenses = impact.codeLenses(policyUri());
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]), [[0, '$(git-compare) changed vs git HEAD: +0 flows · \u22121 flow', 'netpol.showChangeImpact']]);
    open(state, policyUri(), POLICY);
    assert.deepEqual(impact.result(), NO_IMPACT);
    assert.deepEqual(impact.findings(), []);
  });

  test('what a request answers is what the pushes compare with: an edit undone after a request is pushed (a restarted server, a view that asked)', async () => {
    const state = workspace();
    const impact = impactOf(state);
    const pushed: ChangeImpactResult[] = [];
    const connection = { sendNotification: async (_method: string, result: ChangeImpactResult) => void pushed.push(result) };
    // A fresh server, and an edited document: the view asks before any analysis was pushed.
    open(state, policyUri(), NO_RULE);
    const answer = await impact.request(connection as never);
    assertClosedBreaking(answer);
    assert.deepEqual(pushed, [answer], 'the answer is pushed too: the notifier knows what the view shows');
    // The edit undone: the view must hear of it, although no impact was pushed before the answer.
    open(state, policyUri(), POLICY);
    impact.notifyIfChanged(connection as never);
    assert.deepEqual(pushed.at(-1), NO_IMPACT);
  });

  test('admitting an address range opens an external flow: an info on the rule that admits it', () => {
    const state = workspace();
    const impact = impactOf(state);
    open(state, policyUri(), WITH_RANGE);
    const r = impact.result();
    assert.equal(r.opened, 1, JSON.stringify(r));
    assert.equal(r.closed, 0);
    assert.deepEqual(
      r.entries.map((e) => [e.kind, e.src, e.dst, e.gained, e.external, e.breaking, e.responsible.map((x) => [x.role, x.rule, x.location?.line])]),
      [['added', '203.0.113.0-203.0.113.255[External]', 'shop/web[Deployment]', 'TCP 8080', true, false, [['allows', 'ingress[0]', lineOf(WITH_RANGE, '- from:')]]]],
    );
    const f = impact.findings();
    assert.deepEqual(f.map((x) => [x.rule, x.severity, x.path, x.span.start]), [['change-opens-external-flow', 'info', 'spec.ingress[0]', WITH_RANGE.indexOf('from:')]]);
    // Turned off in the settings: no finding, the impact stays.
    const quietWorkspace = workspace({ config: { rules: { 'change-opens-external-flow': 'off' } } });
    open(quietWorkspace, policyUri(), WITH_RANGE);
    const quiet = impactOf(quietWorkspace);
    assert.deepEqual(quiet.findings(), []);
    assert.equal(quiet.result().opened, 1);
  });

  test('half-typed YAML keeps the impact of the last text that parsed', () => {
    const state = workspace();
    const impact = impactOf(state);
    open(state, policyUri(), NO_RULE);
    const closed = impact.result();
    assert.equal(closed.closed, 1);
    const findings = impact.findings().map((f) => f.rule);
    open(state, policyUri(), `${NO_RULE}  egress: [{to: [\n`);
    assert.deepEqual(impact.result(), closed);
    assert.deepEqual(impact.findings().map((f) => f.rule), findings);
    open(state, policyUri(), POLICY);
    assert.deepEqual(impact.result(), NO_IMPACT);
  });

  test('a policy the API server would reject changes nothing: the cluster keeps the baseline', () => {
    const state = workspace();
    const impact = impactOf(state);
    open(state, policyUri(), NO_RULE.replace('policyTypes: [Ingress]', 'policyTypes: [Ingres]'));
    const r = impact.result();
    assert.deepEqual([r.files, r.entries, r.policies], [[policyUri()], [], []]);
  });

  test('random edits never throw, and going back to the baseline clears the impact', () => {
    // A change of the world (an edited workload) may wait for a pause in typing: always
    // on a workspace counted as large (slowPathSyncLimit 0), and on the default one
    // whenever the last baseline took longer than its time budget (under load, any
    // time). Either way the edit is checked as the user sees it once typing pauses.
    for (const slowPathSyncLimit of [0, undefined]) randomEdits(slowPathSyncLimit);
  });

  /** FUZZ_SEED / FUZZ_EDITS run it longer by hand (6 seeds × 1,500 edits passed). */
  function randomEdits(slowPathSyncLimit: number | undefined): void {
    // Outside git: the baseline is the saved text, a file of a workload and its policy.
    const state = workspace({ git: { gitHead: () => undefined }, slowPathSyncLimit });
    const impact = impactOf(state);
    const base = FILES['shop/web.yaml'] + '---\n' + POLICY.replace('web-from-client', 'web-from-client-2');
    const uri = 'file:///nonexistent-netpol/fuzz.yaml';
    state.applyChange({ kind: 'disk', uri, text: base });
    const rnd = rng(Number(process.env.FUZZ_SEED ?? 7));
    const junk = ['{{ .Values.x }}', '\u0000\u0001', '*a', '&a [*a, *a]', ': :', '- - -', '\t', '"', "'", '[', '}', 'ingress: []', 'egress:', '\ufffd'];
    let text = base;
    let shown = impact.result();
    let deferred = 0;
    for (let i = 0; i < Number(process.env.FUZZ_EDITS ?? 300); i++) {
      const at = Math.floor(rnd() * (text.length + 1));
      const op = rnd();
      if (op < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 20));
      else if (op < 0.8) text = text.slice(0, at) + junk[Math.floor(rnd() * junk.length)] + text.slice(at);
      else text = base;
      const where = `edit ${i} (slowPathSyncLimit ${slowPathSyncLimit})`;
      open(state, uri, text);
      let r = impact.result();
      if (impact.pending) {
        // Deferred: the last impact stays on show until typing pauses, then the deferred one.
        deferred++;
        // (Where a changed policy is follows the text being typed: compared without it.)
        const unplaced = (x: typeof r) => ({ ...x, policies: x.policies.map((p) => ({ ...p, location: undefined })) });
        assert.deepEqual(unplaced(r), unplaced(shown), `${where}: the last impact stays while deferred`);
        assert.deepEqual(impact.findings(), impact.findings(), where);
        r = impact.result(impact.computeDeferred());
        assert.equal(impact.pending, false, where);
      }
      impact.findings();
      impact.codeLenses(uri);
      // Half-typed YAML keeps the last impact; otherwise any difference is pending.
      const broken = state
        .snapshot()
        .analysis.files.find((f) => f.path === uri)
        ?.notes.some(isYamlError);
      if (text === base) assert.equal(r.files.length, 0, where);
      else if (!broken) assert.deepEqual(r.files, [uri], where);
      // What is on show now (compute() answers from it until the next edit).
      assert.deepEqual(impact.result(), r, where);
      shown = r;
    }
    if (slowPathSyncLimit === 0) assert.ok(deferred > 0, 'a large workspace defers the changes of the world');
    open(state, uri, base);
    assert.deepEqual(impact.result(), NO_IMPACT);
  }

  test('a failure is logged and answered with nothing, never thrown at the diagnostics', () => {
    const state = workspace({ git: { gitHead: () => { throw new Error('git exploded'); } } });
    const logged: string[] = [];
    const impact = impactOf(state, (m) => logged.push(m));
    open(state, policyUri(), NO_RULE);
    assert.deepEqual(impact.findings(), []);
    assert.deepEqual(impact.codeLenses(policyUri()), []);
    assert.equal(impact.baselineMoved(), false);
    assert.ok(logged.length >= 3 && logged.every((m) => /change impact \(\w+\) failed: Error: git exploded/.test(m)), logged.join('\n'));
  });

  test('comments and layout are no change', () => {
    const state = workspace();
    const impact = impactOf(state);
    open(state, policyUri(), COMMENTED);
    const r = impact.result();
    assert.deepEqual([r.files, r.opened, r.closed, r.entries, r.policies], [[policyUri()], 0, 0, [], []]);
    assert.deepEqual(impact.codeLenses(policyUri()), []);
  });

  test('an edit of a workload is compared in full', () => {
    const state = workspace();
    const impact = impactOf(state);
    const webUri = uriOf('shop/web.yaml');
    // The policy admits TCP 8080 whatever the pod's port is called: the same connectivity.
    open(state, webUri, WEB_RENAMED);
    assert.deepEqual([impact.result().files, impact.result().entries], [[webUri], []]);
    // Relabelled: the policy no longer selects the pod, which is open to everything. No
    // policy changed, so none is responsible; nothing routed is lost.
    open(state, webUri, deployment('shop', 'web', 8080).replaceAll('app: web', 'app: web2'));
    const r = impact.result();
    assert.deepEqual(
      r.entries.map((e) => [e.kind, e.src, e.dst, e.before, e.after, e.breaking, e.external, e.responsible.length]),
      [
        ['changed', 'client/app[Deployment]', 'shop/web[Deployment]', 'TCP 8080', 'All Connections', false, true, 0],
        ['added', '0.0.0.0-255.255.255.255[External]', 'shop/web[Deployment]', 'No Connections', 'All Connections', false, true, 0],
      ],
    );
    assert.deepEqual(r.policies, []);
  });

  test('on a large workspace, a change of the world waits for computeDeferred(); a policy edit does not', () => {
    // Every workspace counts as large here.
    const state = workspace({ slowPathSyncLimit: 0 });
    const impact = impactOf(state);
    open(state, policyUri(), NO_RULE);
    assert.equal(impact.result().closed, 1, 'a policy edit is computed at once');
    assert.equal(impact.pending, false);
    open(state, policyUri(), POLICY);
    assert.deepEqual(impact.result(), NO_IMPACT);
    const webUri = uriOf('shop/web.yaml');
    open(state, webUri, deployment('shop', 'web', 8080).replaceAll('app: web', 'app: web2'));
    assert.deepEqual(impact.result(), NO_IMPACT, 'the last impact stays until the deferred computation');
    assert.equal(impact.pending, true);
    assert.equal(impact.result(impact.computeDeferred()).entries.length, 2);
    assert.equal(impact.pending, false);
    // Computed: later calls answer from it.
    assert.equal(impact.result().entries.length, 2);
  });

  test('the baseline is HEAD, not the disk', () => {
    // The disk already has the edit (saved, not committed): HEAD still has the rule.
    const state = workspace();
    state.applyChange({ kind: 'disk', uri: policyUri(), text: NO_RULE });
    const impact = impactOf(state);
    open(state, policyUri(), NO_RULE);
    assertClosedBreaking(impact.result());
  });

  test('outside git, the baseline is the last saved text', () => {
    const state = new Workspace(DEFAULTS, { gitHead: () => undefined });
    const uri = 'file:///nonexistent-netpol/shop/policy.yaml';
    for (const [path, text] of Object.entries(FILES)) state.applyChange({ kind: 'disk', uri: `file:///nonexistent-netpol/${path}`, text });
    const impact = impactOf(state);
    open(state, uri, NO_RULE);
    const r = impact.result();
    assert.deepEqual([r.baseline, r.closed, r.breaking], ['last saved', 1, 1]);
    // Saved: the new text is the baseline.
    state.applyChange({ kind: 'disk', uri, text: NO_RULE });
    assert.deepEqual(impact.result(), NO_IMPACT);
  });

  test('off with netpol.changeImpact.enabled: false', () => {
    const state = workspace({ config: { changeImpact: false } });
    const impact = impactOf(state);
    open(state, policyUri(), NO_RULE);
    assert.deepEqual(impact.result(), NO_IMPACT);
    assert.deepEqual(impact.findings(), []);
  });
});

describe('over stdio', () => {
  let client: LspClient;
  before(async () => {
    // A trusted workspace: git HEAD is the baseline.
    client = await LspClient.start(dir, {}, { initializationOptions: { trusted: true } });
  });
  after(async () => {
    await client.stop();
  });

  const codes = (d: Diagnostic[]) => d.map((x) => x.code);

  test('an edit pushes the impact, its diagnostics and lenses; a revert clears them', async () => {
    client.open(policyUri(), POLICY, 1);
    await client.nextNotification('netpol/analysisChanged');
    assert.deepEqual(await client.connection.sendRequest<ChangeImpactResult>(CHANGE_IMPACT_REQUEST), NO_IMPACT);

    const pushed = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    const diagnostics = client.diagnosticsForVersion(policyUri(), 2);
    client.change(policyUri(), NO_RULE, 2);
    assertClosedBreaking(await pushed);
    const warning = (await diagnostics).find((d) => d.code === 'change-removes-routed-flow');
    assert.ok(warning, JSON.stringify(await diagnostics));
    assert.deepEqual(warning.range, { start: { line: lineOf(NO_RULE, 'ingress:'), character: 2 }, end: { line: lineOf(NO_RULE, 'ingress:'), character: 9 } });
    assert.equal(warning.severity, 2);
    assert.match(warning.codeDescription?.href ?? '', /docs\/rules\/change-removes-routed-flow\.md$/);
    assertClosedBreaking(await client.connection.sendRequest<ChangeImpactResult>(CHANGE_IMPACT_REQUEST));
    const lenses = await client.codeLenses(policyUri());
    assert.ok(lenses.some((l) => l.command?.command === 'netpol.showChangeImpact' && /−1 flow/.test(l.command.title)), JSON.stringify(lenses));

    const cleared = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    const after = client.diagnosticsForVersion(policyUri(), 3);
    client.change(policyUri(), POLICY, 3);
    assert.deepEqual(await cleared, NO_IMPACT);
    assert.ok(!codes(await after).includes('change-removes-routed-flow'));
  });

  test('a commit of the edit clears the impact without any document event', async () => {
    const pushed = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    client.change(policyUri(), NO_RULE, 4);
    assert.equal((await pushed).closed, 1);
    const cleared = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    writeFileSync(join(dir, 'shop/policy.yaml'), NO_RULE);
    git('commit', '-q', '-am', 'drop the rule');
    try {
      assert.deepEqual(await cleared, NO_IMPACT);
    } finally {
      writeFileSync(join(dir, 'shop/policy.yaml'), POLICY);
      git('commit', '-q', '-am', 'restore the rule');
    }
  });
});

describe('over stdio, a workspace too large to compare in full on a keystroke', () => {
  let big: string;
  let client: LspClient;
  before(async () => {
    // 400 generated workloads and their policies (beyond what is compared in full at
    // once), outside git, plus the two namespaces of the tests above.
    big = mkdtempSync(join(tmpdir(), 'netpol-change-impact-big-'));
    for (const f of generateWorkspace({ namespaces: 4, workloadsPerNamespace: 100, infra: false }).files) {
      mkdirSync(dirname(join(big, 'generated', f.path)), { recursive: true });
      writeFileSync(join(big, 'generated', f.path), f.text);
    }
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(big, path)), { recursive: true });
      writeFileSync(join(big, path), text);
    }
    client = await LspClient.start(big);
  });
  after(async () => {
    await client.stop();
    rmSync(big, { recursive: true, force: true });
  });

  test('an edit of a workload is compared once typing pauses, then pushed', async () => {
    const webUri = pathToFileURL(join(big, 'shop/web.yaml')).toString();
    client.open(webUri, deployment('shop', 'web', 8080), 1);
    await client.nextNotification('netpol/analysisChanged');
    // Relabelled: a change of the world. The diagnostics come at once; the impact (a
    // second workspace analysed) follows when no edit comes for a moment.
    const pushed = client.nextNotification<ChangeImpactResult>(CHANGE_IMPACT_CHANGED_NOTIFICATION);
    const diagnostics = client.diagnosticsForVersion(webUri, 2);
    client.change(webUri, deployment('shop', 'web', 8080).replaceAll('app: web', 'app: web2'), 2);
    await diagnostics;
    const r = await pushed;
    // The web pod is open to everything now: to the generated pods that may send too.
    assert.ok(r.entries.every((e) => e.dst === 'shop/web[Deployment]' && e.after === 'All Connections'), JSON.stringify(r.entries.slice(0, 3)));
    assert.deepEqual(
      r.entries.filter((e) => !e.src.startsWith('tenant-')).map((e) => [e.kind, e.src]),
      [
        ['changed', 'client/app[Deployment]'],
        ['added', '0.0.0.0-255.255.255.255[External]'],
      ],
    );
    assert.ok(r.entries.length > 2, 'generated pods without egress isolation reach it as well');
    assert.equal(r.baseline, 'last saved');
  });
});
