/**
 * The rule runner caches per-policy verdicts across edits: by manifest object alone
 * (checkPolicy), and by object while the world (workloads, namespaces, Services,
 * Ingresses: `reach.world`) and the options stay the same (checkPolicyInWorld). These
 * tests edit a workspace the way the language server sees it (Workspace) and check
 * that cached verdicts follow the world, that unchanged policies are not checked again,
 * and that the findings are those of a fresh analysis.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { WORKSPACE_RULES as RULES } from '../../../server/src/core/rules/catalog';
import { runRules } from '../../../server/src/core/rules/run';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import { selectorMatchesNothing } from '../../../server/src/core/rules/selector-matches-nothing';
import { DEFAULTS, Workspace } from '../../../server/src/core';
import type { Analysis } from '../../../server/src/core/analysis/analyze';

/** The host's analysis with these analysis options (the server's, when the settings change). */
function analysisWith(state: Workspace, options: AnalyzeOptions = {}): Analysis {
  state.setConfig({ ...DEFAULTS, ...options });
  return state.snapshot().analysis;
}
import { editDocument, generateWorkspace } from '../../bench/generate';
import { deployment, docs, namespace, yaml } from '../../helpers/manifests';
import type { Finding } from '../../../server/src/core/lint/rule';
import type { WorkspaceRule as Rule } from '../../../server/src/core/rules/types';

const policy = (name: string, app: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: ${name}, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: ${app}}}
    ingress:
      - from: [{podSelector: {matchLabels: {app: front}}}]
        ports: [{port: 8080}]
`;

const apps = (webLabel: string) => docs(namespace('shop'), deployment('web', { namespace: 'shop', labels: { app: webLabel } }), deployment('front', { namespace: 'shop', labels: { app: 'front' } }));

function workspace(files: Record<string, string>): Workspace {
  const state = new Workspace();
  for (const [uri, text] of Object.entries(files)) state.applyChange({ kind: 'disk', uri: uri, text: text });
  return state;
}

const where = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.span.file} ${f.path}`);

/** A world-dependent rule that counts which policies it is asked about. */
function spyRule(calls: string[], policyScope?: Rule['policyScope']): Rule {
  return {
    meta: { id: 'spy', category: 'segmentation', defaultSeverity: 'info', description: 'counts its calls' },
    policyScope,
    checkPolicyInWorld(ast, ctx, report) {
      calls.push(ctx.policy?.name ?? '?');
      report({ message: `${ctx.policy?.name} sees ${ctx.analysis.model.workloads.length} workloads`, span: ast.obj.span, path: '' });
    },
  };
}

describe('world-dependent findings across edits', () => {
  test('a workload edit in one file updates a finding about a policy in another, unchanged file', () => {
    const state = workspace({ 'apps.yaml': apps('web'), 'policies.yaml': docs(policy('web', 'web'), policy('api', 'front')) });
    const run = () => runRules(state.snapshot().analysis, { rules: [selectorMatchesNothing] });
    assert.deepEqual(run(), []);
    const before = state.snapshot().analysis;
    const policyFile = before.files.find((f) => f.path === 'policies.yaml');

    // The web Deployment's labels change: spec.podSelector of policy "web" now matches nothing.
    state.applyChange({ kind: 'open', uri: 'apps.yaml', text: apps('webapp') });
    const after = state.snapshot().analysis;
    assert.notEqual(after.reach.world, before.reach.world, 'a workload edit changes the world');
    assert.equal(after.files.find((f) => f.path === 'policies.yaml'), policyFile, 'the policy file itself is unchanged');
    const found = run();
    assert.deepEqual(where(found), ['selector-matches-nothing policies.yaml spec.podSelector']);
    assert.match(found[0].message, /matches no workload in namespace shop.*app=webapp/);

    // And back: the finding goes away.
    state.applyChange({ kind: 'open', uri: 'apps.yaml', text: apps('web') });
    assert.deepEqual(run(), []);
  });

  test('a call to a Service no manifest declares, added or removed in a workload\'s env, changes the verdict on a policy in another file', () => {
    const client = (url: string) => docs(namespace('shop'), yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: front, namespace: shop}
      spec:
        selector: {matchLabels: {app: front}}
        template:
          metadata: {labels: {app: front}}
          spec:
            containers: [{name: front, image: front, env: [{name: DB_URL, value: "${url}"}]}]
    `);
    const state = workspace({ 'apps.yaml': client('postgres://db-main'), 'policies.yaml': policy('db', 'postgres') });
    const run = () => runRules(state.snapshot().analysis, { rules: [selectorMatchesNothing] }).map((f) => f.severity);
    assert.deepEqual(run(), ['info']);
    state.applyChange({ kind: 'open', uri: 'apps.yaml', text: client('postgres') });
    assert.deepEqual(run(), ['warning']);
    state.applyChange({ kind: 'open', uri: 'apps.yaml', text: client('postgres://db-main') });
    assert.deepEqual(run(), ['info']);
  });

  test('a policy edit keeps the world, and only the edited policy is checked again', () => {
    const calls: string[] = [];
    const spy = spyRule(calls);
    const state = workspace({ 'apps.yaml': apps('web'), 'a.yaml': docs(policy('a1', 'web'), policy('a2', 'web')), 'b.yaml': policy('b1', 'front') });
    const first = runRules(state.snapshot().analysis, { rules: [spy] });
    assert.deepEqual(calls.sort(), ['a1', 'a2', 'b1']);
    const world = state.snapshot().analysis.reach.world;

    calls.length = 0;
    state.applyChange({ kind: 'open', uri: 'a.yaml', text: docs(policy('a1', 'web'), policy('a2-renamed', 'web')) });
    assert.equal(state.snapshot().analysis.reach.world, world, 'a policy edit keeps the world');
    const second = runRules(state.snapshot().analysis, { rules: [spy] });
    assert.deepEqual(calls, ['a2-renamed']);
    assert.deepEqual(second.map((f) => f.message), ['a1 sees 2 workloads', 'a2-renamed sees 2 workloads', 'b1 sees 2 workloads']);
    // The cached finding of the unchanged policy a1 still points at its (unchanged) document.
    const at = (f: Finding) => [f.span.file, f.span.start, f.span.end];
    assert.deepEqual(at(second[0]), at(first[0]));

    // Unchanged workspace: nothing is checked again.
    calls.length = 0;
    runRules(state.snapshot().analysis, { rules: [spy] });
    assert.deepEqual(calls, []);

    // A Service (part of the world) changes: every policy is checked again.
    state.applyChange({ kind: 'open', uri: 'svc.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n' });
    assert.notEqual(state.snapshot().analysis.reach.world, world);
    runRules(state.snapshot().analysis, { rules: [spy] });
    assert.deepEqual(calls.sort(), ['a1', 'a2-renamed', 'b1']);
  });

  test('a rule option or an analysis option change is a new key', () => {
    const calls: string[] = [];
    const spy = spyRule(calls);
    const state = workspace({ 'apps.yaml': apps('web'), 'a.yaml': policy('a1', 'web') });
    runRules(state.snapshot().analysis, { rules: [spy] });
    runRules(state.snapshot().analysis, { rules: [spy], options: { environmentLabel: 'env' } });
    runRules(analysisWith(state, { hostNetwork: 'pod' }), { rules: [spy], options: { environmentLabel: 'env' } });
    runRules(analysisWith(state, { hostNetwork: 'pod' }), { rules: [spy], options: { environmentLabel: 'env' } });
    assert.deepEqual(calls, ['a1', 'a1', 'a1']);
  });

  test('a namespace-scoped verdict survives a workload edit, and follows a Namespace edit', () => {
    const workloads = (label: string) => deployment('web', { namespace: 'shop', labels: { app: label } });
    const state = workspace({
      'apps.yaml': workloads('web'),
      'ns.yaml': docs(namespace('shop', { environment: 'prod' }), namespace('lab', { environment: 'dev' })),
      'p.yaml': yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p, namespace: shop}
        spec:
          podSelector: {}
          ingress: [{from: [{namespaceSelector: {matchLabels: {environment: dev}}}]}]
      `,
    });
    const calls: string[] = [];
    const rules = [...RULES.filter((r) => r.meta.id === 'cross-environment'), spyRule(calls, 'namespaces')];
    const run = () => where(runRules(state.snapshot().analysis, { rules }).filter((f) => f.rule !== 'spy'));
    assert.deepEqual(run(), ['cross-environment p.yaml spec.ingress[0].from[0].namespaceSelector']);
    assert.deepEqual(calls, ['p']);
    state.applyChange({ kind: 'open', uri: 'apps.yaml', text: workloads('web2') });
    assert.deepEqual(run(), ['cross-environment p.yaml spec.ingress[0].from[0].namespaceSelector']);
    assert.deepEqual(calls, ['p'], 'a workload edit leaves the namespaces alone');
    state.applyChange({ kind: 'open', uri: 'ns.yaml', text: docs(namespace('shop', { environment: 'prod' }), namespace('lab', { environment: 'prod' })) });
    assert.deepEqual(run(), []);
    assert.deepEqual(calls, ['p', 'p']);
  });

  test('after any sequence of edits, the findings are those of a fresh analysis', () => {
    const ws = generateWorkspace({ namespaces: 4, workloadsPerNamespace: 10, files: 2 });
    const texts = new Map(ws.files.map((f) => [f.path, f.text]));
    const state = workspace(Object.fromEntries(texts));
    const edits: [string, (text: string) => string][] = [
      ['rename a policy', (t) => editDocument(t, t.split('\n---\n').findIndex((d) => d.includes('kind: NetworkPolicy')), '-x')],
      ['relabel pods', (t) => t.replace(/^( {8}app: )web-0$/m, '$1web-zero')],
      ['rename a workload', (t) => editDocument(t, t.split('\n---\n').findIndex((d) => d.includes('kind: Deployment')), '-y')],
      ['relabel a namespace', (t) => t.replace(/environment: prod/, 'environment: dev')],
      ['drop a policy namespace', (t) => t.replace(/(kind: NetworkPolicy\nmetadata:\n {2}name: \S+\n) {2}namespace: \S+\n/, '$1')],
      ['hostNetwork pods', (t) => t.replace(/^( {4}spec:\n)( {6}serviceAccountName)/m, '$1      hostNetwork: true\n$2')],
      ['misname a port', (t) => t.replace(/- port: http$/m, '- port: htp')],
      ['retarget a Service', (t) => t.replace(/targetPort: grpc/, 'targetPort: 9000')],
    ];
    const variants: { analyze: AnalyzeOptions; rules?: Partial<RuleOptions> }[] = [{ analyze: {} }, { analyze: { hostNetwork: 'pod', defaultNamespace: 'tenant-0001' }, rules: { requireEgress: true, environmentLabel: 'team' } }];
    let step = 0;
    for (const [what, edit] of [...edits, ...edits]) {
      const path = ws.files[step++ % ws.files.length].path;
      texts.set(path, edit(texts.get(path)!));
      state.applyChange({ kind: 'open', uri: path, text: texts.get(path)! });
      for (const v of variants) {
        const cached = runRules(analysisWith(state, v.analyze), { options: v.rules });
        const fresh = runRules(analyze([...texts].sort().map(([p, text]) => ({ path: p, text })), v.analyze), { options: v.rules });
        const show = (f: Finding) => `${f.rule} ${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`;
        assert.deepEqual(cached.map(show), fresh.map(show), `after "${what}" (${JSON.stringify(v)})`);
      }
    }
  });
});
