/**
 * The bounds on one file and one document (docs/limits-and-safety.md), and the inputs
 * that once made the engine quadratic (issue 18): what each yields is asserted here;
 * how long they take is printed by `npm run bench`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyze } from '../../server/src/core/analysis/analyze';
import { complete } from '../../server/src/core/ide/complete/complete';
import { isCreateFile } from '../../server/src/core/base/edits';
import { fixAllInFile } from '../../server/src/core/fixes/fix-all';
import { fixesFor } from '../../server/src/core/fixes/fixes';
import { runRules } from '../../server/src/core/rules/run';
import { allowedAliasRatio, excessiveAliasing } from '../../server/src/core/yaml/aliases';
import { depthBound, DOCUMENT_LIMITS, EDITOR_MAX_FULL_PARSE_LENGTH, findDepthExcess, walkDepthExcess } from '../../server/src/core/yaml/limits';
import { rng } from '../bench/generate';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseWithYaml, parseYamlDocument } from '../../server/src/core/yaml/parse';
import { anchoredPeerRules, flowLinePolicy, sameNamePolicies, singleLinePolicy } from '../bench/hostile';
import { docs, yaml } from '../helpers/manifests';

const rulesOf = (findings: readonly { rule: string }[]) => findings.map((f) => f.rule);
const count = (findings: readonly { rule: string }[], rule: string) => findings.filter((f) => f.rule === rule).length;

const policy = (name: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: ${name}, namespace: shop}
  spec:
    podSelector: {}
    policyTypes: [Ingress]
`;

const nested = (depth: number) => `${'['.repeat(depth)}x${']'.repeat(depth)}`;

test('nesting: 100 levels are read, past that the document alone is skipped', () => {
  // `spec:` and `podSelector:` are two levels, `matchLabels: {app:` two more.
  const deep = (depth: number) => policy('deep').replace('podSelector: {}', `podSelector: {matchLabels: {app: ${nested(depth)}}}`);
  const ok = analyze([{ path: 'a.yaml', text: docs(deep(DOCUMENT_LIMITS.maxDepth - 4), policy('other')) }]);
  assert.equal(count(runRules(ok), 'nesting-too-deep'), 0);
  const over = analyze([{ path: 'a.yaml', text: docs(deep(DOCUMENT_LIMITS.maxDepth - 3), policy('other')) }]);
  assert.deepEqual(rulesOf(runRules(over).filter((f) => f.rule === 'nesting-too-deep' || f.rule === 'yaml-syntax')), ['nesting-too-deep']);
  assert.deepEqual(over.model.policies.map((p) => p.name), ['other']);
});

test('nesting is counted on the text: indentation, items and brackets, not quotes, comments or block scalars', () => {
  const indented = Array.from({ length: 120 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
  assert.ok(findDepthExcess(indented, 100));
  assert.equal(findDepthExcess(Array.from({ length: 90 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), 100), undefined);
  assert.ok(findDepthExcess(`x:\n  ${'- '.repeat(120)}y`, 100));
  const brackets = '['.repeat(150);
  assert.equal(findDepthExcess(`a: "${brackets}"\nb: '${brackets}'\nc: x # ${brackets}\nd: |\n  ${brackets}\n  ${brackets}\ne: it's ${brackets}\n`, 100), undefined);
  // A block scalar ends where the indentation comes back: what follows counts again.
  assert.ok(findDepthExcess(`d: |\n  text\ne: ${brackets}\n`, 100));
});

test('the count that spares the nesting walk never hides an excess the walk finds', () => {
  // Random YAML-ish lines (indentation, item markers, brackets, quotes over lines, block
  // scalars, comments, CR and CRLF), judged against bounds about their depth so that both answers occur.
  const r = rng(20261207);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const parts = ['k: v', '- ', '- - ', '? ', 'k:', '[', '{', ']', '}', 'a, b', '"x\n  - [ {"', "'y'", 'v # - [', '|', '>-', 'k: [a, [b, {c: d}]]', ' ', '-', 'x-y', '?x'];
  let spared = 0;
  let found = 0;
  for (let i = 0; i < 4000; i++) {
    const lines = Array.from({ length: 1 + Math.floor(r() * 40) }, () => ' '.repeat(Math.floor(r() * (r() < 0.1 ? 40 : 12))) + Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(parts)).join(''));
    const text = lines.join(pick(['\n', '\n', '\r\n', '\r']));
    const max = 2 + Math.floor(r() * 60);
    const walked = walkDepthExcess(text, max);
    assert.deepEqual(findDepthExcess(text, max), walked, JSON.stringify({ text, max }));
    if (depthBound(text) <= max) spared++;
    if (walked) found++;
  }
  assert.ok(spared > 300 && found > 300, `spared ${spared}, found ${found}`);
});

test('1,400 rules reusing one anchored list of 400 peers: kubectl refuses it, and so is it skipped, at once', () => {
  const text = anchoredPeerRules(1400, 400);
  const analysis = analyze([{ path: 'a.yaml', text }, { path: 'b.yaml', text: policy('other') }]);
  const findings = runRules(analysis);
  assert.deepEqual(rulesOf(findings.filter((f) => f.span.file === 'a.yaml')), ['excessive-aliasing']);
  const [f] = findings.filter((x) => x.rule === 'excessive-aliasing');
  assert.equal(f.severity, 'error');
  assert.equal(text.slice(f.span.start, f.span.end), '*peers');
  assert.match(f.message, /up to this alias it decodes to [\d,]+ nodes, 99\.\d\d% of them copies made by aliases, more than kubectl's YAML decoder allows .*"document contains excessive aliasing"/);
  assert.deepEqual(analysis.model.policies.map((p) => p.name), ['other']);
});

test('1,400 rules reusing one anchored list of 2 peers: within the bound, every alias read as its anchor', () => {
  const analysis = analyze([{ path: 'a.yaml', text: anchoredPeerRules(1400, 2) }]);
  const [p] = analysis.model.policies;
  assert.equal(p.ingress.length, 1400);
  assert.ok(p.ingress.every((r) => r.peers?.length === 2));
  assert.deepEqual(p.ingress[1399].peers?.map((x) => x.type === 'selector' && x.podSelector?.matchLabels.app), ['client-0', 'client-1']);
  assert.deepEqual(rulesOf(runRules(analysis)), []);
});

test("the alias bound is go-yaml's: 99% up to 400,000 nodes, falling to 10% at 4,000,000", () => {
  assert.equal(allowedAliasRatio(400_000), 0.99);
  assert.equal(allowedAliasRatio(4_000_000), 0.1);
  assert.ok(Math.abs(allowedAliasRatio(2_200_000) - 0.545) < 1e-9);
  assert.equal(excessiveAliasing(100, 100_000), false, 'no more than 100 aliased nodes');
  assert.equal(excessiveAliasing(990, 999), false, 'no more than 1,000 decoded');
  assert.equal(excessiveAliasing(991, 1001), true);
  assert.equal(excessiveAliasing(990, 1001), false);
});

test('an alias inside its own anchor, and an alias without an anchor, skip the document', () => {
  const cycle = parseYamlDocument('a: &x [1, *x]\n');
  assert.equal(cycle.limit?.code, 'excessive-aliasing');
  const unknown = parseYamlDocument('a: *nowhere\nb: &later 1\nc: *later\n');
  assert.deepEqual(unknown.errors.map((e) => [e.code, e.start]), [['BAD_ALIAS', 3]]);
});

test('a large document that needs the full parser is skipped in the editor, read by the CLI; plain YAML is read at any size', () => {
  const peers = Array.from({ length: 12_000 }, (_, i) => `    - podSelector: {matchLabels: {app: client-${i}}}`).join('\n');
  const plain = policy('big').replace('podSelector: {}', `podSelector: {}\n  ingress:\n  - from:\n${peers}`);
  const anchored = plain.replace('podSelector: {}', 'podSelector: &all {}');
  assert.ok(anchored.length > EDITOR_MAX_FULL_PARSE_LENGTH);
  const editor = analyze([{ path: 'a.yaml', text: anchored }], { maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH });
  const [f] = runRules(editor);
  assert.equal(f.rule, 'document-too-large');
  assert.match(f.message, /^This document is not analysed: it is \d+ KB and needs the full YAML parser .* which takes documents of up to 512 KB here\./);
  assert.equal(editor.model.policies.length, 0);
  assert.equal(analyze([{ path: 'a.yaml', text: anchored }]).model.policies[0].ingress[0].peers?.length, 12_000);
  assert.equal(analyze([{ path: 'a.yaml', text: plain }], { maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH }).model.policies[0].ingress[0].peers?.length, 12_000);
});

test('documents per file: 50,000 are read, one note for the rest', () => {
  const text = `kind: List\n${'---\n'.repeat(DOCUMENT_LIMITS.maxDocumentsPerFile + 2)}`;
  const analysis = analyze([{ path: 'a.yaml', text }]);
  const findings = runRules(analysis).filter((f) => f.rule === 'too-many-documents');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /^This file holds 50,003 YAML documents; NetPol analyses the first 50,000 of a file, so this one and the 2 after it are not analysed\./);
});

test('20,000 copies of one policy name: one finding each, said in a bounded message', () => {
  const findings = runRules(analyze(sameNamePolicies(20_000))).filter((f) => f.rule === 'duplicate-policy-name');
  assert.equal(findings.length, 20_000);
  assert.match(findings[0].message, /^NetworkPolicy shop\/same is also defined later in this file\. /);
  assert.match(findings[1].message, /is also defined earlier in this file, later in this file\. /);
  // Across files: three named, the others counted.
  const spread = runRules(analyze(sameNamePolicies(10, 10))).filter((f) => f.rule === 'duplicate-policy-name');
  assert.equal(spread.length, 10);
  assert.match(spread[0].message, /is also defined in policies-1\.yaml, in policies-2\.yaml, in policies-3\.yaml, and in 6 more files\. /);
  assert.match(spread[9].message, /is also defined in policies-0\.yaml, in policies-1\.yaml, in policies-2\.yaml, and in 6 more files\. /);
});

test('a 1 MB single-line policy is read whole; completion in a 1 MB flow line answers', () => {
  const text = singleLinePolicy(1_000_000);
  const analysis = analyze([{ path: 'a.yaml', text }]);
  // (One podSelector is the policy's own.)
  const peers = (text.match(/"podSelector":\{"matchLabels"/g) ?? []).length - 1;
  assert.equal(analysis.model.policies[0].ingress[0].peers?.length, peers);
  assert.deepEqual(rulesOf(runRules(analysis)), []);
  // Inside a peer of a 1 MB flow list: the peer's fields, as anywhere else.
  const flow = flowLinePolicy(1_000_000);
  const at = flow.indexOf('{podSelector: {matchLabels: {app: client-15000}}}') + 1;
  const edited = `${flow.slice(0, at)}n${flow.slice(at)}`;
  const labels = complete(edited, at + 1, analyze([{ path: 'a.yaml', text: flow }]).model).map((i) => i.label);
  assert.ok(labels.includes('namespaceSelector') && labels.includes('ipBlock'), labels.join(', '));
});

test('duplicate keys are found as yaml finds them, in linear time', () => {
  for (const text of ['a: 1\na: 2\n', 'a: {x: 1, y: 2, x: 3}\n', '- {k: 1}\n- {k: 1, k: 2}\n', '1: a\n"1": b\n1: c\n', '.nan: 1\n.nan: 2\n', '? [a]\n: 1\n? [a]\n: 2\n']) {
    const ours = parseWithYaml(text).errors.map((e) => [e.code, e.start]);
    const theirs = parseAllDocuments(text, { uniqueKeys: true })[0].errors.map((e) => [e.code, e.pos[0]]);
    assert.deepEqual(ours, theirs, JSON.stringify(text));
  }
  const wide = `m: {${Array.from({ length: 125_000 }, (_, i) => `k${i}: ${i}`).join(', ')}, k7: again}\n\t`;
  assert.deepEqual(parseWithYaml(wide).errors.filter((e) => e.code === 'DUPLICATE_KEY').length, 1);
});

test('a lone CR is a line break for the full parser too', () => {
  const text = 'a: 1\rb: [x, y]\r\tc: "q"\n';
  assert.deepEqual(parseWithYaml(text).doc?.toJS(), parseAllDocuments(text.replace(/\r/g, '\n'))[0].toJS());
});

test('fixes on a file of 500 documents with distinct keys: each finding is fixed in its own document, fix-all fixes them all', () => {
  // Every document its own keys over leaf maps (the file's style by key grows with them)
  // and a misspelled matchLabels: the fix context is found by an index per file and the
  // style by key is asked per key, not summed per finding (both were quadratic).
  const doc = (i: number) => yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: p${i}, namespace: shop, labels: {a${i}: x}, annotations: {b${i}: y}}
    spec:
      podSelector:
        matchLabel: {app: w${i}}
        x${i}: {a: b}
        y${i}: [c]
  `;
  const text = docs(...Array.from({ length: 500 }, (_, i) => doc(i)));
  const analysis = analyze([{ path: 'a.yaml', text }]);
  const findings = runRules(analysis).filter((f) => f.rule === 'unknown-field');
  assert.equal(findings.length, 1500);
  const renames = findings.filter((f) => /"matchLabel"/.test(f.message));
  assert.equal(renames.length, 500);
  for (const f of renames) {
    const [fix] = fixesFor(f, { analysis, text: () => text });
    assert.equal(fix?.title, 'Rename "matchLabel" to "matchLabels"');
    const object = analysis.files[0].objects.find((o) => o.span.start <= f.span.start && f.span.start <= o.span.end);
    assert.ok(object && fix.edits.every((e) => !isCreateFile(e) && e.start >= object.span.start && e.end <= object.span.end), 'the edit is in the finding\'s document');
  }
  const all = fixAllInFile({
    file: 'a.yaml',
    text,
    maxRounds: 1,
    evaluate: (t) => {
      const a = t === text ? analysis : analyze([{ path: 'a.yaml', text: t }]);
      return { analysis: a, findings: runRules(a), text: () => t };
    },
  });
  assert.equal(all.applied.length, 500);
  assert.equal((all.text.match(/^ {4}matchLabels: \{app: w\d+\}$/gm) ?? []).length, 500);
});

test('depthBound, the quick bound before the nesting walk, never clears a text the walk stops (rule fixtures, examples, nesting written every way)', () => {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) texts.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(__dirname, '../../../test/rules'));
  walk(join(__dirname, '../../../examples'));
  // Nesting written every way the count knows: indentation, `- ` and `? ` entries (after a key too), flow brackets, block scalars, comments, tabs.
  for (let n = 1; n <= 12; n++) {
    texts.push(Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'));
    texts.push(`${'- '.repeat(n)}x`, `${'? '.repeat(n)}x`, `a: ${'- '.repeat(n)}x`, `${'['.repeat(n)}${']'.repeat(n)}`, `a: {b: ${'{'.repeat(n)}}`);
    texts.push(`a:\n${' '.repeat(n)}- |\n${' '.repeat(n + 40)}deep text\n# ${' '.repeat(n)}comment\n\t- ${'- '.repeat(n)}x`);
  }
  let cleared = 0;
  for (const text of texts) {
    for (const max of [2, 3, 5, 8, 13, 21, 100]) {
      if (depthBound(text) > max) continue;
      cleared++;
      assert.equal(walkDepthExcess(text, max), undefined, `depthBound cleared a text over ${max}:\n${text.slice(0, 300)}`);
    }
  }
  assert.ok(cleared > texts.length, `${cleared} of ${texts.length}`);
});
