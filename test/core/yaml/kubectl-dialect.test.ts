/**
 * YAML as kubectl reads it (server/src/core/yaml/kubectl-dialect.ts): multi-line quoted
 * scalars whose continuation lines are indented less than YAML 1.2 asks (Kyverno's
 * CustomResourceDefinitions) read with go-yaml's value and exact ranges; everything else
 * exactly as the `yaml` package reads it, errors included. Held to `kubectl kustomize`
 * (go-yaml) where kubectl is installed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, parseAllDocuments, type Document, type Node, type ParsedNode } from 'yaml';
import { parseAllDocumentsAsKubectl } from '../../../server/src/core/yaml/kubectl-dialect';
import { DOCUMENT_LIMITS, findDepthExcess } from '../../../server/src/core/yaml/limits';
import { ParseCache, parseYamlDocument } from '../../../server/src/core/yaml/parse';
import { splitDocuments } from '../../../server/src/core/yaml/split';
import { findKubectl, kubectlKustomize } from '../../helpers/kustomize';
import { ROOT } from '../../helpers/paths';

/** The node at a path of mapping keys. */
function at(doc: Document.Parsed<ParsedNode> | undefined, ...path: string[]): Node {
  let node: unknown = doc?.contents;
  for (const key of path) {
    assert.ok(isMap(node), `${path.join('.')}: ${key} is under a mapping`);
    node = node.get(key, true);
  }
  assert.ok(node, path.join('.'));
  return node as Node;
}

// A CustomResourceDefinition written as Kyverno v1.7.3's generator writes them: the
// continuation lines of quoted descriptions at the key's own indentation.
const CRD = [
  'apiVersion: apiextensions.k8s.io/v1',
  'kind: CustomResourceDefinition',
  'metadata:',
  '  name: widgets.example.com',
  'spec:',
  '  group: example.com',
  '  versions:',
  '  - name: v1',
  '    schema:',
  '      openAPIV3Schema:',
  '        properties:',
  '          apiVersion:',
  "            description: 'APIVersion is the versioned schema of this",
  '            representation of an object. More info: https://example.com/conventions.md#resources\'',
  '            type: string',
  '          status:',
  '            description: "Status holds the observed state, as \\"phase\\"',
  '            and conditions. It is written by the controller\\',
  '            \\ only."',
  '            type: object',
  '        type: object',
  '',
].join('\n');

test('a Kyverno-shaped CRD: quoted descriptions continued at the key indentation read as go-yaml reads them', () => {
  const cache = new ParseCache();
  const parsed = cache.get(CRD);
  assert.deepEqual(parsed.errors, []);
  assert.equal(cache.fallbackParses, 1, 'the fast parser leaves the document to `yaml`');
  const properties = ['spec', 'versions', 0, 'schema', 'openAPIV3Schema', 'properties'];
  const apiVersion = parsed.doc!.getIn([...properties, 'apiVersion', 'description'], true);
  const status = parsed.doc!.getIn([...properties, 'status', 'description'], true);
  assert.ok(isScalar(apiVersion) && isScalar(status));
  assert.equal(apiVersion.value, 'APIVersion is the versioned schema of this representation of an object. More info: https://example.com/conventions.md#resources');
  assert.equal(apiVersion.type, 'QUOTE_SINGLE');
  assert.equal(status.value, 'Status holds the observed state, as "phase" and conditions. It is written by the controller only.');
  assert.equal(status.type, 'QUOTE_DOUBLE');
  // Exact spans: from the opening quote to after the closing one; the next key where it is.
  const open = CRD.indexOf("'APIVersion");
  const close = CRD.indexOf("resources'") + "resources'".length;
  assert.deepEqual(apiVersion.range, [open, close, close + 1]);
  const dq = CRD.indexOf('"Status');
  const dqEnd = CRD.indexOf('only."') + 'only."'.length;
  assert.deepEqual(status.range!.slice(0, 2), [dq, dqEnd]);
  const type = parsed.doc!.getIn([...properties, 'apiVersion', 'type'], true);
  assert.ok(isScalar(type));
  const typeAt = CRD.indexOf('type: string') + 'type: '.length;
  assert.deepEqual(type.range!.slice(0, 2), [typeAt, typeAt + 'string'.length]);
  assert.deepEqual(parsed.doc!.toJS(), parseAllDocuments(CRD.replace(/^( {12})(?=representation|and conditions|\\ only)/gm, '$1  '))[0].toJS(), 'the value YAML 1.2 gives the same text indented as it asks');
});

/**
 * Quoted scalars as values of a ConfigMap's data, with the value go-yaml gives them
 * (what `kubectl kustomize` prints: see the differential test below).
 */
const LENIENT: readonly { readonly name: string; readonly yaml: string; readonly value: string }[] = [
  { name: 'single, at the key indentation', yaml: "  v: 'one\n  two'\n", value: 'one two' },
  { name: 'double, at the key indentation', yaml: '  v: "one\n  two"\n', value: 'one two' },
  { name: 'single, less than the key', yaml: "  v: 'one\n two'\n", value: 'one two' },
  { name: 'double, at column 0', yaml: '  v: "one\ntwo"\n', value: 'one two' },
  { name: 'several lines, one indented enough', yaml: "  v: 'one\n  two\n      three\n four'\n", value: 'one two three four' },
  { name: 'a blank line is a line break', yaml: "  v: 'one\n\n  two'\n", value: 'one\ntwo' },
  { name: 'trailing blanks dropped, a comment after the quote', yaml: "  v: 'one   \n  two'   # note\n", value: 'one two' },
  { name: "an escaped '' quote", yaml: "  v: 'it''s\n  here'\n", value: "it's here" },
  { name: 'double-quoted escapes and an escaped line break', yaml: '  v: "a \\"b\\"\\t\n  c\\\n  d"\n', value: 'a "b"\t cd' },
  { name: 'what looks like a key inside the quotes', yaml: "  v: 'one\n  w: two'\n", value: 'one w: two' },
  { name: 'a tab-indented line', yaml: "  v: 'one\n\ttwo'\n", value: 'one two' },
  { name: 'CRLF line breaks', yaml: "  v: 'one\r\n  two'\r\n", value: 'one two' },
  { name: 'a sequence item', yaml: "  v:\n  - 'one\n  two'\n", value: 'one two' },
];

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';

/** The value read at data.v (a sequence's first item for the sequence case). */
function dataValue(doc: Document.Parsed<ParsedNode> | undefined): unknown {
  const v = (doc?.toJS() as { data?: { v?: unknown } } | null)?.data?.v;
  return Array.isArray(v) ? v[0] : v;
}

describe('quoted scalars with under-indented continuation lines', () => {
  for (const c of LENIENT) {
    test(c.name, () => {
      const text = CONFIGMAP + c.yaml;
      const strict = parseAllDocuments(text, { strict: true, uniqueKeys: false });
      assert.ok(strict[0].errors.length > 0, 'YAML 1.2 (the `yaml` package) refuses it');
      const parsed = parseYamlDocument(text);
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(parsed.warnings, []);
      assert.equal(dataValue(parsed.doc), c.value);
      // The scalar's span: its quotes and what is between them.
      const scalar = c.name === 'a sequence item' ? (at(parsed.doc, 'data', 'v') as unknown as { items: Node[] }).items[0] : at(parsed.doc, 'data', 'v');
      const open = CONFIGMAP.length + c.yaml.search(/['"]/);
      const q = text[open];
      const close = text.lastIndexOf(q) + 1;
      assert.deepEqual(scalar.range!.slice(0, 2), [open, close]);
    });
  }
});

/** Text that stays an error, as `yaml` reports it (the dialect changes nothing there). */
const STRICT: readonly { readonly name: string; readonly text: string; readonly code: string; readonly kubectlReads?: true }[] = [
  { name: 'a quote never closed', text: `${CONFIGMAP}  v: 'one\n  w: two\n`, code: 'MISSING_CHAR' },
  { name: 'a double quote never closed', text: `${CONFIGMAP}  v: "one\n  w: two\n`, code: 'MISSING_CHAR' },
  { name: 'a quote "closed" by an apostrophe further down', text: `${CONFIGMAP}  v: 'one\n  w: it's two\n`, code: 'MISSING_CHAR' },
  { name: 'text after the closing quote', text: `${CONFIGMAP}  v: 'one\n  two' three\n`, code: 'MISSING_CHAR' },
  { name: 'a multi-line quoted key', text: `${CONFIGMAP}  'one\n  two': v\n`, code: 'MULTILINE_IMPLICIT_KEY' },
  { name: 'a document marker inside the quotes', text: `${CONFIGMAP}  v: 'one\n...\n  two'\n`, code: 'MISSING_CHAR' },
  // go-yaml checks no indentation inside flow collections at all; YAML 1.2's is kept there
  // (no real manifest found to need it): a known difference with kubectl.
  { name: 'inside a flow collection', text: `${CONFIGMAP}  v: ['one\n  two']\n`, code: 'BAD_INDENT', kubectlReads: true },
];

describe('what stays an error', () => {
  for (const c of STRICT) {
    test(c.name, () => {
      const strict = parseAllDocuments(c.text, { strict: true, uniqueKeys: false, prettyErrors: false });
      const mine = parseAllDocumentsAsKubectl(c.text, { strict: true, uniqueKeys: false });
      const problems = (docs: readonly Document[]) => docs.flatMap((d) => d.errors.map((e) => ({ code: e.code, pos: e.pos, message: e.message })));
      assert.ok(problems(mine).some((p) => p.code === c.code), JSON.stringify(problems(mine)));
      assert.deepEqual(problems(mine), problems(strict), 'the errors `yaml` reports, at the same ranges');
      assert.ok(parseYamlDocument(c.text).errors.length > 0, "the loader reports it");
    });
  }

  test('an unterminated quote: "Missing closing quote" where the scalar was cut', () => {
    // The scalar ends at its first under-indented line: the error is at the end of the line that opened it.
    const text = `${CONFIGMAP}  v: 'one\n  w: it's two\n`;
    const parsed = parseYamlDocument(text);
    const cut = text.indexOf("'one") + "'one".length;
    assert.deepEqual(parsed.errors[0], { message: "Missing closing 'quote", start: cut, end: cut + 1, code: 'MISSING_CHAR' });
  });
});

/** The YAML files of the repository's fixtures and examples (and real repositories), smaller than 256 KB. */
function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name) && st.size < 256 * 1024) out.push(p);
  }
  return out;
}

/** Each node's kind, range and scalar value and type, in document order. */
function shape(node: unknown, out: string[] = []): string[] {
  const n = node as { range?: number[]; items?: unknown[]; key?: unknown; value?: unknown; type?: string } | null;
  if (!n || typeof n !== 'object') return out;
  if ('key' in n && 'value' in n && !('range' in n)) {
    shape(n.key, out);
    shape(n.value, out);
    return out;
  }
  out.push(`${JSON.stringify(n.range)} ${isScalar(n) ? `${n.type} ${JSON.stringify(n.value)}` : ''}`);
  for (const item of n.items ?? []) shape(item, out);
  return out;
}

/** The fixtures written to show the dialect: YAML 1.2 refuses them, kubectl reads them. */
const DIALECT_FIXTURES = new Set(['test/rules/yaml-syntax/good-kubectl-dialect.yaml', 'test/fixtures/kustomize/quoted-continuation/crd.yaml', 'test/fixtures/kustomize/quoted-continuation/policy.yaml']);

test("every other file reads exactly as `yaml` reads it: nodes, ranges, values, errors and warnings", () => {
  const files = ['test/fixtures', 'test/rules', 'test/evidence-apps', 'examples', 'test/real-repos'].flatMap((d) => yamlFiles(join(ROOT, d)));
  assert.ok(files.length > 300, `${files.length} files`);
  let documents = 0;
  let dialectDocuments = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const chunk of splitDocuments(text)) {
      // Neither parser is given what parse.ts keeps from them: text nested past the
      // bound (both run out of stack, a frame apart), lone CRs (made LFs).
      if (findDepthExcess(chunk.text, DOCUMENT_LIMITS.maxDepth)) continue;
      const source = chunk.text.replace(/\r(?!\n)/g, '\n');
      const want = parseAllDocuments(source, { strict: true, uniqueKeys: false, prettyErrors: false });
      const got = parseAllDocumentsAsKubectl(source, { strict: true, uniqueKeys: false });
      const name = file.slice(ROOT.length + 1).split('\\').join('/');
      const where = `${name} at ${chunk.start}`;
      assert.equal(got.length, want.length, where);
      if (DIALECT_FIXTURES.has(name)) {
        if (want.some((d) => d.errors.length > 0)) dialectDocuments++;
        assert.deepEqual(got.flatMap((d) => d.errors), [], where);
        continue;
      }
      want.forEach((w, i) => {
        const g = got[i];
        const problems = (d: Document) => [...d.errors, ...d.warnings].map((e) => `${e.code} ${JSON.stringify(e.pos)} ${e.message}`);
        assert.deepEqual(problems(g), problems(w), where);
        assert.deepEqual(shape(g.contents), shape(w.contents), where);
      });
      documents++;
    }
  }
  assert.ok(documents > 1000, `${documents} documents`);
  assert.equal(dialectDocuments, 4, 'the dialect fixtures are refused by YAML 1.2 and read here');
});

const kubectl = findKubectl();

describe('held to kubectl kustomize (go-yaml)', { skip: kubectl === undefined ? 'kubectl is not installed: the differential test needs `kubectl kustomize`' : false }, () => {
  /** kubectl's verdict on one document: its objects, or its error. */
  const kustomize = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-kubectl-dialect-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n- resource.yaml\n');
      writeFileSync(join(dir, 'resource.yaml'), text);
      return kubectlKustomize(kubectl!, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('the Kyverno-shaped CRD: the object kubectl reads', () => {
    const rendered = kustomize(CRD);
    assert.ok(rendered.ok, rendered.ok ? '' : rendered.error);
    assert.deepEqual(rendered.objects, [parseYamlDocument(CRD).doc!.toJS()]);
  });

  for (const c of LENIENT) {
    test(`read: ${c.name}`, () => {
      const text = CONFIGMAP + c.yaml;
      const rendered = kustomize(text);
      assert.ok(rendered.ok, rendered.ok ? '' : rendered.error);
      const v = (rendered.objects[0] as { data?: { v?: unknown } }).data?.v;
      assert.equal(Array.isArray(v) ? v[0] : v, c.value, 'the value kubectl reads is the one this test expects');
      assert.equal(dataValue(parseYamlDocument(text).doc), c.value);
    });
  }

  for (const c of STRICT.filter((s) => !s.kubectlReads)) {
    test(`refused: ${c.name}`, () => {
      const rendered = kustomize(c.text);
      assert.equal(rendered.ok, false, 'kubectl refuses it too');
      assert.ok(parseYamlDocument(c.text).errors.length > 0);
    });
  }
});
