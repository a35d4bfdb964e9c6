/**
 * One bad document never costs more than itself: a document, an object or a rule that
 * throws (a bug of ours: no input is known to cause one) is caught where it happens and
 * becomes one finding on it (document-skipped, rule-failed), while every other
 * document, object and rule is analysed as usual. The failures are injected here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { loadFile, type LoadedFile, type ManifestObject } from '../../../server/src/core/manifest/load';
import { buildModel } from '../../../server/src/core/model/build';
import { Reachability } from '../../../server/src/core/reach/engine';
import { WORKSPACE_RULES as RULES, ruleById } from '../../../server/src/core/rules/catalog';
import { runRules } from '../../../server/src/core/rules/run';
import { ParseCache, type ParsedDocument } from '../../../server/src/core/yaml/parse';
import { LineIndex } from '../../../server/src/core/base/span';
import { docs, yaml } from '../helpers/manifests';
import type { WorkspaceRule as Rule } from '../../../server/src/core/rules/types';

const policy = (name: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: ${name}
    namespace: shop
  spec:
    podSelector: {}
    ingress:
    - {}
`;

const web = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    template:
      metadata:
        labels: {app: web}
`;

/** A parse cache whose parser throws on documents naming `boom`: a stand-in for a parser bug. */
class BrokenCache extends ParseCache {
  constructor() {
    super(0, false);
  }
  override get(text: string, maxFullParseLength?: number): ParsedDocument {
    if (text.includes('boom')) throw new TypeError('path is not iterable');
    return super.get(text, maxFullParseLength);
  }
}

function at(text: string, start: number, end: number): string {
  const idx = new LineIndex(text);
  const s = idx.positionAt(start);
  return `${s.line + 1}:${s.character}-${idx.positionAt(end).character}`;
}

test('a document the loader fails on is one document-skipped finding; the file\'s other documents are analysed', () => {
  const text = docs(policy('allow-all'), policy('boom'), web);
  const analysis = analyze([{ path: 'shop.yaml', text }], {}, new BrokenCache());
  assert.deepEqual(analysis.model.policies.map((p) => p.name), ['allow-all']);
  assert.deepEqual(analysis.model.workloads.map((w) => w.name), ['web']);
  const findings = runRules(analysis);
  const skipped = findings.filter((f) => f.rule === 'document-skipped');
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0].severity, 'warning');
  // On the document's first line, naming the error and saying whose fault it is.
  assert.equal(at(text, skipped[0].span.start, skipped[0].span.end), '11:0-32');
  assert.match(skipped[0].message, /^This document could not be analysed and is left out \(TypeError: path is not iterable\): a NetPol bug, please report it/);
  // The rest is analysed: the other policy's findings are there.
  assert.ok(findings.some((f) => f.rule === 'allow-all-peers'));
  assert.ok(!findings.some((f) => f.message.includes('internal error')));
});

/** A loaded file with one more object whose YAML cannot be read (its tree throws). */
function withBrokenObject(file: LoadedFile): LoadedFile {
  const good = file.objects[0];
  const broken: ManifestObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    span: { file: file.path, start: 0, end: 10 },
    reader: good.reader,
    get map(): never {
      throw new RangeError('Maximum call stack size exceeded');
    },
  };
  return { ...file, objects: [...file.objects, broken] };
}

test('an object the model fails on is one document-skipped note; the others are in the model', () => {
  const file = withBrokenObject(loadFile({ path: 'shop.yaml', text: docs(web, policy('allow-all')) }, new ParseCache()));
  const model = buildModel([file]);
  assert.deepEqual(model.workloads.map((w) => w.name), ['web']);
  assert.deepEqual(model.policies.map((p) => p.name), ['allow-all']);
  const notes = model.notes.filter((n) => n.code === 'document-skipped');
  assert.equal(notes.length, 1);
  assert.match(notes[0].message, /^This Deployment could not be analysed and is left out \(RangeError: Maximum call stack size exceeded\)/);
  // The rule reports it like any note.
  const analysis = { files: [file], model, reach: new Reachability(model) };
  assert.deepEqual(runRules(analysis, { rules: [ruleById('document-skipped')!] }).map((f) => f.message), [notes[0].message]);
});

const boomPerPolicy: Rule = {
  meta: { id: 'allow-all-peers', category: 'segmentation', defaultSeverity: 'warning', description: 'test' },
  checkPolicy(ast, report) {
    const r = ast.reader;
    const name = r.string(r.get(r.map(r.get(ast.obj.map, 'metadata')), 'name'));
    if (name === 'boom') throw new TypeError("Cannot read properties of undefined (reading 'items')");
    report({ message: `checked ${name}`, span: ast.obj.span, path: '' });
  },
};

test('a rule that throws on one policy is one rule-failed finding on that policy; it still checks the others', () => {
  const text = docs(policy('first'), policy('boom'), policy('last'));
  const findings = runRules(analyze([{ path: 'shop.yaml', text }]), { rules: [boomPerPolicy] });
  assert.deepEqual(
    findings.map((f) => [f.rule, f.rule === 'rule-failed' ? text.slice(f.span.start, f.span.end) : f.message]),
    [['allow-all-peers', 'checked first'], ['rule-failed', 'boom'], ['allow-all-peers', 'checked last']],
  );
  const failed = findings.find((f) => f.rule === 'rule-failed')!;
  assert.equal(failed.severity, 'warning');
  assert.match(failed.message, /^Rule allow-all-peers could not check this NetworkPolicy \(TypeError: Cannot read properties of undefined \(reading 'items'\)\): a NetPol bug/);
  // Its severity is a setting like any rule's.
  assert.deepEqual(runRules(analyze([{ path: 'shop.yaml', text }]), { rules: [boomPerPolicy], severities: { 'rule-failed': 'off' } }).map((f) => f.rule), ['allow-all-peers', 'allow-all-peers']);
});

test('a workspace rule that throws is one rule-failed finding at the top of the first file; the other rules report', () => {
  const broken: Rule = {
    meta: { id: 'namespace-without-default-deny', category: 'segmentation', defaultSeverity: 'warning', description: 'test' },
    check() {
      throw new Error('boom');
    },
  };
  const analysis = analyze([{ path: 'a.yaml', text: docs(web, policy('allow-all')) }]);
  const findings = runRules(analysis, { rules: [broken, ...RULES.filter((r) => r.meta.id === 'allow-all-peers')] });
  assert.deepEqual(findings.map((f) => f.rule), ['rule-failed', 'allow-all-peers']);
  assert.deepEqual([findings[0].span.file, findings[0].span.start], ['a.yaml', 0]);
  assert.match(findings[0].message, /^Rule namespace-without-default-deny could not finish on this workspace \(Error: boom\): its findings are missing/);
});
