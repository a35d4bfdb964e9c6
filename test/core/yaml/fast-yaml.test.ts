import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { fastParseDocument, LightDocument, resolvePlain } from '../../../server/src/core/yaml/fast-yaml';
import { ParseCache, parseYamlDocument, PARSE_OPTIONS, toPlain } from '../../../server/src/core/yaml/parse';
import { splitDocuments } from '../../../server/src/core/yaml/split';
import { NodeReader } from '../../../server/src/core/yaml/nodes';
import { generateMultiDocFile, generateWorkspace } from '../../bench/generate';
import { CORPUS_DIR as CORPUS } from '../../corpus/corpus';
import { ROOT } from '../../helpers/paths';


// ---------------------------------------------------------------------------
// The differential check: fast-yaml against the `yaml` package, node by node.

interface Verdict {
  /** fast-yaml gave up (the caller falls back to `yaml`). */
  readonly bailed: boolean;
  /** `yaml` reported errors or warnings for the text. */
  readonly yamlProblems: number;
  /** Differences found where fast-yaml did not bail (must be none). */
  readonly diffs: string[];
}

type AnyNode = { range?: number[]; items?: unknown[]; value?: unknown; type?: string; source?: unknown; flow?: boolean; key?: unknown };

function compareNodes(want: unknown, got: unknown, path: string, diffs: string[]): void {
  if (diffs.length > 10) return;
  const kind = (n: unknown) => (isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : isPair(n) ? 'pair' : isNode(n) ? 'other node' : typeof n);
  if (kind(want) !== kind(got)) {
    diffs.push(`${path}: ${kind(want)} vs ${kind(got)}`);
    return;
  }
  const w = want as AnyNode;
  const g = got as AnyNode;
  if (JSON.stringify(w.range) !== JSON.stringify(g.range)) diffs.push(`${path}: range ${JSON.stringify(w.range)} vs ${JSON.stringify(g.range)}`);
  if (isScalar(want)) {
    if (!Object.is(w.value, g.value)) diffs.push(`${path}: value ${String(w.value)} vs ${String(g.value)}`);
    if (w.type !== g.type) diffs.push(`${path}: type ${w.type} vs ${g.type}`);
    if (w.source !== g.source) diffs.push(`${path}: source ${JSON.stringify(w.source)} vs ${JSON.stringify(g.source)}`);
    return;
  }
  if (!!w.flow !== !!g.flow) diffs.push(`${path}: flow ${w.flow} vs ${g.flow}`);
  const wi = w.items ?? [];
  const gi = g.items ?? [];
  if (wi.length !== gi.length) {
    diffs.push(`${path}: ${wi.length} vs ${gi.length} items`);
    return;
  }
  wi.forEach((item, i) => {
    if (isMap(want)) {
      if (!isPair(gi[i])) diffs.push(`${path}.${i}: not a pair`);
      compareNodes((item as AnyNode).key, (gi[i] as AnyNode).key, `${path}.${i}(key)`, diffs);
      compareNodes((item as AnyNode).value, (gi[i] as AnyNode).value, `${path}.${i}(value)`, diffs);
    } else {
      compareNodes(item, gi[i], `${path}[${i}]`, diffs);
    }
  });
}

function differential(text: string): Verdict {
  const fast = fastParseDocument(text);
  const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true, prettyErrors: false });
  const list = (Array.isArray(docs) ? docs : []) as Document.Parsed[];
  const yamlProblems = list.reduce((n, d) => n + d.errors.length + d.warnings.length, 0);
  if (!fast) return { bailed: true, yamlProblems, diffs: [] };
  const diffs: string[] = [];
  if (yamlProblems > 0) diffs.push(`yaml reports problems: ${list.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => e.code).join(', ')}`);
  if (list.length > 1) diffs.push(`yaml finds ${list.length} documents`);
  const want = list[0];
  if (!want || !fast.doc) {
    if (!!want !== !!fast.doc) diffs.push(`document: ${want ? 'one' : 'none'} vs ${fast.doc ? 'one' : 'none'}`);
    return { bailed: false, yamlProblems, diffs };
  }
  if (JSON.stringify(want.range) !== JSON.stringify(fast.doc.range)) diffs.push(`document range ${JSON.stringify(want.range)} vs ${JSON.stringify(fast.doc.range)}`);
  compareNodes(want.contents, fast.doc.contents, '$', diffs);
  try {
    assert.deepStrictEqual(fast.doc.toJS(), want.toJS());
  } catch {
    diffs.push('toJS() differs');
  }
  return { bailed: false, yamlProblems, diffs };
}

/** The text parses on the fast path, to exactly what `yaml` gives. */
function assertSame(text: string): void {
  const v = differential(text);
  assert.equal(v.bailed, false, `fast-yaml bailed out on ${JSON.stringify(text)}`);
  assert.deepEqual(v.diffs, [], `differences on ${JSON.stringify(text)}`);
}

/** fast-yaml leaves the text to `yaml`. */
function assertBails(text: string): void {
  assert.equal(fastParseDocument(text), undefined, `fast-yaml should bail out on ${JSON.stringify(text)}`);
}

// ---------------------------------------------------------------------------
// Differential over real and generated manifests

interface Source {
  readonly name: string;
  readonly files: () => { path: string; text: string }[];
  /** Highest acceptable share of documents (that `yaml` accepts) left to `yaml`. */
  readonly maxBailRate: number;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const read = (paths: string[]) => paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const SOURCES: Source[] = [
  {
    name: 'netpol-analyzer corpus (*/input)',
    files: () => read(existsSync(CORPUS) ? readdirSync(CORPUS).flatMap((d) => yamlFiles(join(CORPUS, d, 'input'))) : []),
    maxBailRate: 0.02,
  },
  { name: 'examples', files: () => read(yamlFiles(join(ROOT, 'examples'))), maxBailRate: 0.05 },
  // (Not the fuzzer's regression inputs: nested past what `yaml` itself can recurse.)
  { name: 'test/fixtures', files: () => read(yamlFiles(join(ROOT, 'test/fixtures')).filter((p) => !p.includes(`${join('fixtures', 'fuzz')}`))), maxBailRate: 0.1 },
  {
    name: 'bench generator',
    files: () => [...generateWorkspace({ namespaces: 4, workloadsPerNamespace: 6, seed: 3 }).files, generateMultiDocFile(120).file],
    maxBailRate: 0,
  },
];

for (const source of SOURCES) {
  test(`differential: ${source.name}: identical to yaml wherever fast-yaml does not bail out`, (t) => {
    const files = source.files();
    if (files.length === 0) {
      t.skip('no files');
      return;
    }
    let documents = 0;
    let bailed = 0;
    let invalid = 0;
    const mismatches: string[] = [];
    for (const file of files) {
      for (const chunk of splitDocuments(file.text)) {
        documents++;
        const v = differential(chunk.text);
        if (v.bailed) {
          bailed++;
          if (v.yamlProblems > 0) invalid++;
        } else if (v.diffs.length > 0) {
          mismatches.push(`${file.path} @${chunk.start}: ${v.diffs.slice(0, 3).join('; ')}`);
        }
      }
    }
    const valid = documents - invalid;
    const rate = valid === 0 ? 0 : (bailed - invalid) / valid;
    t.diagnostic(
      `${source.name}: ${files.length} files, ${documents} documents, fast path ${documents - bailed}, ` +
        `left to yaml ${bailed} (${invalid} invalid YAML), bail rate on valid documents ${(rate * 100).toFixed(1)}%`,
    );
    assert.deepEqual(mismatches, []);
    assert.ok(rate <= source.maxBailRate, `bail rate ${(rate * 100).toFixed(1)}% over ${source.maxBailRate * 100}%`);
  });
}

// A seeded generator of Kubernetes-like documents that stresses what changes ranges
// in `yaml`: comments and blank lines at every indentation (they attach to scalars,
// empty values and collections by different rules), trailing comments, empty values,
// same-indentation sequences, block scalars with every chomping, multi-line plain and
// quoted scalars, flow collections, CRLF.
function fuzzDocument(rnd: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const scalars = [
    'a', 'web', '80', '"80"', "'x'", "'it''s'", '"a\\tb"', '"\\u00e9"', 'true', 'True', 'on', 'yes', '~', 'null', '0x1F', '0o17',
    '1e3', '.5', '-1', '+2', '1.50', '.inf', '-.Inf', '.nan', 'http://x#y', 'a b  c', '2018-03-06T11:49:51Z', '""', "''", '[]',
    '{}', '[a, b]', '{a: 1, b: "x"}', '[ a , b ]', '{ a: [1, 2] , b: c }', '-x', 'a:b', 'x[0]', '12:30', '010', '1_000',
  ];
  const keys = ['a', 'b', 'name', 'app.kubernetes.io/name', '"quoted"', "'sq'", '80', 'true', 'null', 'k-1', 'x y'];
  const lines: string[] = [];
  const tail = () => pick(['', '', '', '', ' # tc', '  ']);
  const trivia = (maxIndent: number) => {
    if (rnd() < 0.6) return;
    for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) {
      lines.push(rnd() < 0.4 ? ' '.repeat(Math.floor(rnd() * 4)) : ' '.repeat(Math.floor(rnd() * (maxIndent + 4))) + pick(['# c', '#', '# - a: b']));
    }
  };
  const value = (indent: number, depth: number, prefix: string) => {
    const r = rnd();
    if (depth < 4 && r < 0.25) {
      lines.push(prefix + tail());
      trivia(indent + 2);
      map(indent + 1 + Math.floor(rnd() * 3), depth + 1);
    } else if (depth < 4 && r < 0.4) {
      lines.push(prefix + tail());
      trivia(indent + 2);
      const same = !prefix.trimStart().startsWith('-') && rnd() < 0.5;
      seq(same ? indent : indent + 1 + Math.floor(rnd() * 3), depth + 1);
    } else if (r < 0.47) {
      lines.push(prefix + tail());
    } else if (r < 0.55) {
      lines.push(`${prefix} ${pick(['|', '|-', '>', '>-', '|+', '>+'])}${tail()}`);
      const bi = indent + 1 + Math.floor(rnd() * 3);
      for (let i = 1 + Math.floor(rnd() * 4); i > 0; i--) {
        const t = rnd();
        lines.push(t < 0.15 ? '' : t < 0.25 ? ' '.repeat(bi + 2) + 'more' : ' '.repeat(bi) + pick(['line', 'x: y', '- z', '# no comment']));
      }
      if (rnd() < 0.3) lines.push(' '.repeat(Math.floor(rnd() * (bi + 2))));
    } else if (r < 0.6) {
      const q = pick(['', "'", '"']);
      lines.push(`${prefix} ${q}first`);
      for (let i = 1 + Math.floor(rnd() * 2); i > 0; i--) lines.push(rnd() < 0.2 ? '' : ' '.repeat(indent + 1 + Math.floor(rnd() * 3)) + 'more');
      lines[lines.length - 1] += q + tail();
    } else if (r < 0.66) {
      // the value on the next line
      lines.push(prefix + tail());
      trivia(indent + 2);
      const vi = ' '.repeat(indent + 1 + Math.floor(rnd() * 3));
      lines.push(vi + pick(['plain', '"dq"', "'sq'", '[a, b]', `multi\n${vi}line`, `[\n${vi}  x,\n${vi}  y,\n${vi}]`, `{\n${vi} "k": [1,\n${vi}  2],\n${vi} "l": {}\n${vi}}`]) + tail());
    } else if (r < 0.7) {
      // a flow sequence over several lines
      const vi = ' '.repeat(indent + 1 + Math.floor(rnd() * 3));
      lines.push(`${prefix} [${pick(['', ' a,'])}\n${vi}"b" ,\n\n${vi}{c: d,\n${vi} e: [f]}\n${' '.repeat(indent + Math.floor(rnd() * 2))}]${tail()}`);
    } else {
      lines.push(`${prefix} ${pick(scalars)}${tail()}`);
    }
    trivia(indent + 3);
  };
  const map = (indent: number, depth: number, firstPrefix?: string) => {
    const used = new Set<string>();
    for (let i = 1 + Math.floor(rnd() * 4); i > 0; i--) {
      const k = pick(keys);
      if (used.has(k)) continue;
      value(indent, depth, (used.size === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent)) + k + ':');
      used.add(k);
    }
  };
  const seq = (indent: number, depth: number) => {
    for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) {
      const pre = ' '.repeat(indent) + '-' + ' '.repeat(1 + Math.floor(rnd() * 2));
      const r = rnd();
      if (depth < 4 && r < 0.35) {
        map(pre.length, depth + 1, pre);
        trivia(indent + 3);
      } else if (depth < 4 && r < 0.4) {
        lines.push(pre + '- x', ' '.repeat(pre.length) + '- y' + tail());
        trivia(indent + 3);
      } else {
        value(indent, depth, pre.trimEnd());
      }
    }
  };
  if (rnd() < 0.3) lines.push(pick(['---', '--- # doc', '---  ']));
  trivia(2);
  if (rnd() < 0.15) seq(0, 0);
  else map(rnd() < 0.1 ? 2 : 0, 0);
  const text = lines.join('\n') + (rnd() < 0.8 ? '\n' : '');
  return rnd() < 0.2 ? text.replace(/\n/g, '\r\n') : text;
}

// Flow collections with random white space and line breaks (at random indentation,
// some too little), trailing commas, nesting; in a mapping, a sequence, on the line
// after their key, at the top.
function fuzzFlow(rnd: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  let base = Math.floor(rnd() * 4);
  const ws = () => {
    const r = rnd();
    if (r < 0.5) return '';
    if (r < 0.7) return ' '.repeat(1 + Math.floor(rnd() * 2));
    return (rnd() < 0.2 ? '\n' : '') + '\n' + ' '.repeat(Math.max(0, base + Math.floor(rnd() * 5) - 1));
  };
  const sameLine = () => ws().replace(/\n[^]*/, '');
  const flow = (depth: number): string => {
    const isMap = rnd() < 0.5;
    let out = isMap ? '{' : '[';
    for (let i = 0, n = Math.floor(rnd() * 4); i < n; i++) {
      out += ws();
      if (isMap) out += pick(['a', '"b"', `c${i}`, "'d'"]) + sameLine() + ':' + (rnd() < 0.9 ? ' ' : '') + sameLine();
      out += depth < 3 && rnd() < 0.3 ? flow(depth + 1) : pick(['a', '1', '"x"', "'y'", 'true', 'null', '"a b"', 'http://z', '-1', '""']);
      out += ws();
      if (i < n - 1 || rnd() < 0.2) out += ',';
    }
    return out + ws() + (isMap ? '}' : ']');
  };
  const tail = pick(['', ' # c', '  ', '\n    # indented', '\n# column 0']);
  const pad = ' '.repeat(base);
  const r = rnd();
  let text: string;
  if (r < 0.3) text = `${pad}key: ${flow(0)}${tail}\n${pad}other: 1\n`;
  else if (r < 0.5) text = `${pad}- ${flow(0)}${tail}\n${pad}- x\n`;
  else if (r < 0.7) {
    const at = ' '.repeat(base + 1 + Math.floor(rnd() * 3));
    base += 1;
    text = `${pad}key:\n${at}${flow(0)}${tail}\n${pad}z: 2\n`;
  } else {
    base = 0;
    text = `${flow(0)}${tail}\n`;
  }
  return rnd() < 0.2 ? text.replace(/\n/g, '\r\n') : text;
}

function seeded(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

for (const [name, generate, count, minFast] of [
  ['block documents with comments, blank lines and odd indentation', fuzzDocument, 2000, 1600],
  ['flow collections over several lines', fuzzFlow, 1500, 600],
] as const) {
  test(`differential: ${count} generated ${name}`, (t) => {
    const rnd = seeded(20240611);
    let fast = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < count; i++) {
      const text = generate(rnd);
      const v = differential(text);
      if (v.bailed) continue;
      fast++;
      if (v.diffs.length > 0 && mismatches.length < 5) mismatches.push(`${JSON.stringify(text)}: ${v.diffs.slice(0, 3).join('; ')}`);
    }
    t.diagnostic(`${fast} of ${count} on the fast path (the others are mostly invalid YAML)`);
    assert.deepEqual(mismatches, []);
    assert.ok(fast >= minFast, `only ${fast} of ${count} took the fast path`);
  });
}

// ---------------------------------------------------------------------------
// Constructs of the subset

test('scalars resolve as in the YAML 1.2 core schema', () => {
  const cases: [string, unknown][] = [
    ['80', 80], ['-80', -80], ['+80', 80], ['0', 0], ['-0', -0], ['010', 10], ['0o17', 15], ['0x1F', 31], ['0x1f', 31], ['0X1F', '0X1F'],
    ['1e3', 1000], ['1E-2', 0.01], ['.5', 0.5], ['-1.5', -1.5], ['1.', 1], ['1.50', 1.5], ['.inf', Infinity], ['-.Inf', -Infinity],
    ['+.INF', Infinity], ['.nan', NaN], ['.NaN', NaN], ['true', true], ['True', true], ['TRUE', true], ['false', false], ['tRue', 'tRue'],
    ['null', null], ['Null', null], ['NULL', null], ['~', null], ['', null], ['nULL', 'nULL'], ['on', 'on'], ['yes', 'yes'], ['no', 'no'],
    ['y', 'y'], ['1_000', '1_000'], ['12:30', '12:30'], ['0b101', '0b101'], ['v1', 'v1'], ['Infinity', 'Infinity'], ['1e', '1e'],
    ['-', '-'], ['.', '.'], ['+', '+'], ['0x', '0x'], ['2018-03-06', '2018-03-06'],
  ];
  for (const [text, value] of cases) assert.ok(Object.is(resolvePlain(text), value), `${text} → ${String(resolvePlain(text))}`);
  for (const [text] of cases) if (text !== '' && text !== '-' && text !== '+' && text !== '.') assertSame(`v: ${text}\n`);
});

/** The core schema's resolution of a plain scalar as the six expressions of `yaml` define it, tried in its order. */
function coreSchemaReference(str: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(str)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(str)) return str[0] === 't' || str[0] === 'T';
  if (/^0o[0-7]+$/.test(str)) return parseInt(str.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(str)) return parseInt(str, 10);
  if (/^0x[0-9a-fA-F]+$/.test(str)) return parseInt(str.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(str)) return str.endsWith('nan') || str.endsWith('NaN') || str.endsWith('NAN') ? NaN : str[0] === '-' ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(str) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(str)) return parseFloat(str);
  return str;
}

test('scalars: the shortcuts of resolvePlain (digits only, no possible number) answer as the six expressions do', () => {
  // Strings made of what numbers, addresses, quantities, UIDs and dates are made of.
  const pieces = ['0', '1', '7', '9', '00', '12', '.', '..', '-', '+', 'e', 'E', 'x', 'X', 'o', 'O', 'a', 'f', 'F', 'b', 'i', 'n', 'N', 'I', 'inf', 'Inf', 'nan', 'NaN', 'NAN', 'INF', 'Mi', 'm', 'Gi', ':', '/', 'T', 'Z', '_', ' ', 'é', '٣'];
  const rnd = seeded(7);
  const samples = ['10.0.0.1', '10.244.3.17', '2024-01-05T10:00:00Z', '5b1c2d3e-0000-4000-8000-000000000002', '500m', '512Mi', '1e-5', '-1E+3', '+.5', '0x1f', '0o17', '1.5e3.2', '1-2', '1e-2-3', '.5e5', '-.inf', '+.nan', '1..2', '12:30:00', '0.0.0.0/0'];
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(rnd() * pieces.length)];
    samples.push(s.trim() === '' ? '0' : s);
  }
  // Words made of the pieces of null/true/false in every case (the letter shortcut looks at length and two letters).
  const wordPieces = ['n', 'N', 'u', 'U', 'l', 'L', 'ul', 'UL', 'll', 'LL', 't', 'T', 'r', 'R', 'ue', 'UE', 'f', 'F', 'a', 'A', 'ls', 'LS', 'e', 'E', 's', 'x'];
  for (let i = 0; i < 20_000; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < n; k++) s += wordPieces[Math.floor(rnd() * wordPieces.length)];
    samples.push(s);
  }
  for (const w of ['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']) {
    samples.push(w, w.toLowerCase(), w.toUpperCase(), w[0] + w.slice(1).toUpperCase(), `${w}s`, w.slice(1), w.slice(0, -1));
  }
  const mismatches = samples.filter((s) => !Object.is(resolvePlain(s), coreSchemaReference(s)));
  assert.deepEqual(mismatches.slice(0, 10), []);
  // The reference agrees with the cases above (it is the definition, not a copy of the code).
  assert.ok(Object.is(coreSchemaReference('0X1F'), '0X1F') && Object.is(coreSchemaReference('-0'), -0) && Object.is(coreSchemaReference('.NaN'), NaN));
});

test('tricky scalars and comments match yaml', () => {
  for (const text of [
    'port: "80"\nother: 80\n',
    'a: on\nb: yes\nc: off\nd: No\n',
    'hex: 0x1F\nexp: 1e3\nfrac: .5\nneg: -.inf\n',
    'key: value # comment\n',
    'url: http://x#y\n',
    'a: b#c\n',
    "a: 'it''s'\n",
    'a: "say \\"hi\\" \\\\ \\n\\t \\u00e9 \\x41 \\U0001F600 \\/ \\_ \\0"\n',
    "a: ''\nb: \"\"\n",
    'a: "  padded  "\n',
    'a:    spaced value   \n',
    'a: x:y\nb: -x\nc: x[0]{1},2\n',
    '- - nested\n  - more\n- - - deep\n',
    '"quoted key": 1\n\'single\': 2\n"a" : 3\nb : 4\n',
    '80: port\ntrue: t\nnull: n\n',
    '~: tilde\n',
    'a: é ünïcödé 日本\n',
    '- 😀\n- "😀"\n',
  ]) {
    assertSame(text);
  }
});

test('a document read from its flat copy (ASCII, 64 characters or more) and one read where it is (past ASCII, a tab) parse alike, as slices of a file', () => {
  const body = 'metadata:\n  name: web-frontend-with-a-long-name\n  labels:\n    app.kubernetes.io/name: web\n    note: "quoted, with an escape \\u0041"\n  annotations:\n    text: |\n      a block scalar\n      of two lines\n    folded: >-\n      plain text folded\n      over lines\n';
  const docs = [`kind: A\n${body}`, `kind: B\n${body}  accent: café ünïcödé\n`, `kind: C\n${body}  emoji: "😀 and more"\n`, `kind: D\n${body}`.replace('  labels', '\tlabels')];
  // As the loader hands them over: slices of one file's text.
  const file = docs.map((d) => `---\n${d}`).join('');
  let at = 0;
  for (const d of docs) {
    at = file.indexOf(d, at);
    const slice = file.slice(at, at + d.length);
    assert.ok(slice.length >= 64);
    if (d.includes('\t')) assertBails(slice);
    else assertSame(slice);
    at += d.length;
  }
  // Strings the nodes keep are the text's (equal characters whichever text was read).
  const doc = fastParseDocument(file.slice(file.indexOf('kind: B'), file.indexOf('---', file.indexOf('kind: B'))))?.doc?.toJS() as { metadata: { name: string; accent: string } };
  assert.equal(doc.metadata.name, 'web-frontend-with-a-long-name');
  assert.equal(doc.metadata.accent, 'café ünïcödé');
});

test('keys: the text hashed while looking for the colon is the key (spaces before the colon, colons inside, core values, shared short strings)', () => {
  for (const text of [
    // Spaces before the colon: the key is trimmed, so the hash of the scan does not apply.
    'name : a\nname2  : b\nx: name\n',
    // Colons inside a key, and keys of exactly 12 and 13 characters (the interning bound).
    'a:b: 1\nhttp://x: 2\nabcdefghijkl: 3\nabcdefghijklm: 4\nabcdefghijkl2: abcdefghijkl\n',
    // Keys that resolve to null, booleans and numbers; letters that only start such words.
    // (Two spellings of one value are a duplicate key: one document each.)
    'null: 1\nTRUE: 3\nFalse: 4\nn: 5\nt: 6\nf: 7\nno: 8\nnope: 9\ntrue2: 10\nfalsey: 11\n10: 12\n0x1F: 13\n',
    'Null: 2\nTrue: 3\nfalse: 4\n',
    'NULL: 2\ntrue: 3\nFALSE: 4\n',
    // The same short text as key and value, at several depths, and texts whose hash may collide.
    'app: app\nmeta:\n  app: web\n  labels:\n    app: app\n    ab: ba\n    ba: ab\n    Aa: BB\n    BB: Aa\n',
    // Plain values that begin with n, t or f, in any case, and with other letters.
    'a: nULL\nb: tRUE\nc: FaLSE\nd: NULL\ne: Null\nf: True\ng: false\nh: north\ni: x\n',
    // CRLF line breaks.
    'a: 1\r\nname : x\r\nb:\r\n  c: d\r\n',
  ]) {
    assertSame(text);
  }
  // Every key of every document of a file keeps its text whatever was interned before it.
  const keys = Array.from({ length: 1500 }, (_, i) => `k${(i * 7919).toString(36)}`);
  assertSame(keys.map((k, i) => `${k}: ${keys[(i * 31) % keys.length]}\n`).join(''));
});

test('block mappings and sequences, compact forms, same-indentation sequences', () => {
  assertSame(
    [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: allow',
      '  labels:',
      '    app: web',
      'spec:',
      '  podSelector: {}',
      '  policyTypes:',
      '  - Ingress',
      '  - Egress',
      '  ingress:',
      '    - from:',
      '        - podSelector:',
      '            matchLabels:',
      '              app: api',
      '          namespaceSelector:',
      '      ports:',
      '      - port: 80',
      '        protocol: TCP',
      '      -   port: 443',
      '  egress:',
      '  -',
      '  - to: []',
      '',
    ].join('\n'),
  );
  assertSame('-\n  a: 1\n-\n  - x\n-   a: 1\n    b:\n-\n');
  assertSame('  a: 1\n  b:\n    - x\n');
});

test('empty values: the null scalar and its range as yaml places them', () => {
  for (const text of [
    'podSelector:\n',
    'podSelector:',
    'a:\nb: 1\n',
    'a:   \nb: 1\n',
    'a: # comment\nb: 1\n',
    'a:\n# comment\nb: 1\n',
    'a:\n\n# comment\nb: 1\n',
    'a:\n  # indented comment\nb: 1\n',
    'a:\n  # indented\n\n# not\n\nb: 1\n',
    'x:\n  a: # c\n  b: 1\n',
    'x:\n  a:\n  # c\ny: 1\n',
    '- # c\n- \n-\n',
    '- x\n# c\n-\n  # d\n- y\n',
  ]) {
    assertSame(text);
  }
});

test('comments and blank lines attach as in yaml (ranges of scalars and collections)', () => {
  for (const text of [
    '# leading\n\napiVersion: v1\n',
    'a: 1\n\n\n',
    'a: 1 # trailing\n# after\n',
    'a:\n  b: 1\n    # more indented: extends the scalar\n\n    # again\n  c: 2\n',
    'a:\n  b: 1\n  # same indentation: stays with the map\nc: 2\n',
    'a:\n  b: 1\n# column 0\nc: 2\n',
    'a:\n- x\n  # c\n- y\n  # d\nb: 1\n',
    'a:\n  - x\n  # c\nb: 1\n',
    'l:\n- name: a\n  value: "1"\n#- name: b\n#  value: "2"\nnext: 1\n',
    '- a: 1\n  # c\n- b: 2\n',
    'a: [x, y] # c\n    # d\nb: 1\n',
    'a: |\n  text\n# c\nb: 1\n',
    'a:\n  b: |\n    text\n  # c\nd: 1\n',
    'a: 1\n  # c\n',
  ]) {
    assertSame(text);
  }
});

test('block scalars: literal, folded, chomping, trailing and inner blank lines', () => {
  for (const text of [
    'a: |\n  line1\n  line2\nb: 1\n',
    'a: |-\n  line1\n\n  line2\n\n\nb: 1\n',
    'a: |+\n  keep\n\n\nb: 1\n',
    'a: >\n  folded\n  text\n\n  para\n    more indented\n  back\nb: 1\n',
    'a: >-\n  x\n',
    'a: >+\n  x\n\n',
    'a: | # comment\n  x\n',
    'a: |\n  # not a comment\n  x\n',
    'a: |\n\n  leading blank\n',
    'a: |\n  x\n     \n  y\n',
    'data:\n  nginx.conf: |\n    server {\n      listen 80;\n    }\n  other: v\n',
    '- |\n  item\n- >-\n  item2\n',
    'a: |\n  no final newline',
    'a: |\r\n  crlf\r\n  lines\r\nb: 1\r\n',
  ]) {
    assertSame(text);
  }
});

test('flow collections on one line', () => {
  for (const text of [
    'a: {}\nb: []\n',
    'a: {app: web, tier: "a b"}\n',
    'a: [TCP, UDP]\n',
    'a: { a: [1, 2] , b: {c: d} }\n',
    'a: [ x , "y" , \'z\' ]\n',
    'a: {"k":"v", "n":1}\n',
    'a: [http://x, a:b]\n',
    '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}\n',
    '[1, 2, 3]\n',
    'a: [1, 2,]\nb: {c: 1, }\n',
  ]) {
    assertSame(text);
  }
});

test('flow collections over several lines (pretty-printed JSON, prettier-style YAML)', () => {
  for (const text of [
    '{\n  "kind": "List",\n  "items": [\n    {\n      "a": 1,\n      "b": [1, 2]\n    },\n    {"c": {}}\n  ],\n  "x": "y"\n}\n',
    '{\r\n  "a": [\r\n    "x"\r\n  ]\r\n}\r\n',
    'args:\n  [\n    "-listen",\n    ":8080",\n  ]\nnext: 1\n',
    'a: [\n    x ,\n\n    y\n  ]  # c\nb: {\n  k: v,\n  l: [1,\n    2], m: n\n  }\n',
    'a: [\n  1\n]\n',
    '- [\n   1, 2\n  ]\n-\n  {x: 1}\n',
    'a:\n  just a scalar\nb:\n  "quoted"\nc:\n  [1, 2]\nd:\n  multi\n  line\n',
  ]) {
    assertSame(text);
  }
  // Lines inside must be indented more than the parent (the outermost closing bracket
  // may sit at the parent's column): else yaml reports an error.
  for (const text of ['a: [\n1]\n', 'x:\n  a: [\n  1]\n', 'a: [[\n1]]\n', 'a: [[1\n]]\n']) {
    const v = differential(text);
    assert.ok(v.yamlProblems > 0 && v.bailed, JSON.stringify(text));
  }
});

test('multi-line plain and quoted scalars', () => {
  for (const text of [
    'a: first\n  second\n\n  third\nb: 1\n',
    'a: first # comment ends it\nb: 1\n',
    "a: 'first\n\n  second\n  '\nb: 1\n",
    'a: "first\n  second \\\n  third\\n"\n',
    '- plain\n  continued\n- x\n',
  ]) {
    assertSame(text);
  }
});

test('document markers, empty and comment-only documents, CRLF', () => {
  for (const text of ['---\na: 1\n', '--- # comment\na: 1\n', '---   \na: 1\n', '---\n', '---\n# only a comment\n', '--- # c\n\n']) {
    assertSame(text);
  }
  // No document at all: yaml finds none either.
  for (const text of ['', '\n\n', '# only a comment\n', '  # indented\n\n']) {
    assert.deepEqual(fastParseDocument(text), { doc: undefined });
    assertSame(text);
  }
  assertSame('apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p # c\r\n  labels:\r\n    a: b\r\nspec:\r\n  x:\r\n  - 1\r\n');
});

// ---------------------------------------------------------------------------
// Outside the subset: left to yaml

test('bails out on what it does not support', () => {
  for (const text of [
    'a: &anchor 1\nb: *anchor\n',
    'a: !!str 1\n',
    '--- !!map\na: 1\n',
    '? complex\n: value\n',
    '%YAML 1.2\n---\na: 1\n',
    'a:\tb\n',
    '\ta: 1\n',
    '\ufeffa: 1\n',
    'a: 1\n...\n',
    'a: 1\n---\nb: 2\n',
    '<<: {a: 1}\n',
    'a: [1,\n2]\n',
    'a: [1, # comment\n  2]\n',
    'a: [a\n  b]\n',
    'a: {"b"\n  : 1}\n',
    'a: {b:\n  1}\n',
    'a: [,]\n',
    'a: [1,,2]\n',
    'a: [b: 1]\n',
    'a: {b}\n',
    'a: |2\n   x\n',
    'a: |\n',
    'a:\n  |\n   x\n',
    'top level scalar\n',
    '"top"\n',
    'a: \'unterminated\n',
    'a: x\rb: y\n',
  ]) {
    assertBails(text);
  }
});

test('invalid YAML always bails out, so yaml reports the error', () => {
  for (const text of [
    'a: 1\na: 2\n',
    'null: 1\n~: 2\n',
    'a: b: c\n',
    'a: - b\n',
    'a: "x"y\n',
    'a: "x"#c\n',
    'a: 1\n b: 2\n',
    'a:\n  - x\n y: 1\n',
    '- a\nb: 1\n',
    'a: "bad \\q escape"\n',
    'a: [1, 2\n',
    'a: {x: 1}}\n',
    'a: |\n    x\n  y\n',
    'a: @x\n',
    'a: `x\n',
    'a: ,x\n',
    'a: %x\n',
    '  a: 1\nb: 2\n',
  ]) {
    const v = differential(text);
    assert.ok(v.yamlProblems > 0, `yaml should reject ${JSON.stringify(text)}`);
    assert.equal(v.bailed, true, `fast-yaml should bail out on ${JSON.stringify(text)}`);
    const parsed = parseYamlDocument(text);
    assert.ok(parsed.errors.length > 0, `parseYamlDocument reports the error of ${JSON.stringify(text)}`);
  }
});

test('large mappings: duplicates found at any position, in linear time', () => {
  const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
  assertSame(keys.map((k, i) => `${k}: ${i}\n`).join(''));
  assertSame(`{${keys.map((k, i) => `"${k}": ${i}`).join(', ')}}\n`);
  for (const text of [[...keys, 'k150'].map((k) => `${k}: 1\n`).join(''), `{${[...keys, 'k3'].map((k) => `${k}: 1`).join(', ')}}\n`]) {
    const v = differential(text);
    assert.ok(v.yamlProblems > 0 && v.bailed);
  }
  const big = `{${Array.from({ length: 100_000 }, (_, i) => `"key-${i}": ${i}`).join(',\n ')}}\n`;
  const t = process.hrtime.bigint();
  const doc = fastParseDocument(big)?.doc;
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  assert.equal((doc?.contents as { items: unknown[] }).items.length, 100_000);
  assert.ok(ms < 2000, `${ms} ms for 100k keys`);
});

// ---------------------------------------------------------------------------
// The light nodes to their consumers

test('light nodes pass the yaml type guards and read like yaml nodes', () => {
  const text = 'metadata:\n  name: web\n  labels: {app: web}\nspec:\n  ports:\n  - port: 80\n';
  const doc = fastParseDocument(text)?.doc;
  assert.ok(doc instanceof LightDocument);
  assert.ok(isMap(doc.contents) && !isSeq(doc.contents) && !isScalar(doc.contents));
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.warnings, []);
  const reader = new NodeReader({ file: 'f.yaml', base: 100 }, doc as unknown as Document.Parsed);
  const metadata = reader.map(reader.get(doc.contents as never, 'metadata'));
  assert.ok(metadata);
  assert.ok(isPair(metadata.items[0]));
  assert.equal(reader.string(reader.get(metadata, 'name')), 'web');
  const span = reader.span(reader.get(metadata, 'name'));
  assert.deepEqual([span?.file, span?.start, span?.end], ['f.yaml', 100 + 18, 100 + 21]);
  // Labels are keyed by input: an object that inherits nothing (no name of Object.prototype).
  const labels = reader.stringMap(reader.get(metadata, 'labels'));
  assert.deepEqual({ ...labels }, { app: 'web' });
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(labels)), null);
  assert.deepEqual(Object.getOwnPropertyNames(Object.getPrototypeOf(labels)), []);
  assert.ok(!('constructor' in labels) && !('toString' in labels) && !('__proto__' in labels));
  const ports = reader.items(reader.get(reader.map(reader.get(doc.contents as never, 'spec')), 'ports'));
  assert.equal(reader.number(reader.get(reader.map(ports[0]), 'port')), 80);
  assert.equal(reader.map(reader.get(metadata, 'labels'))?.flow, true);
  assert.ok(!(metadata as { flow?: boolean }).flow);
  assert.deepEqual(doc.toJS(), { metadata: { name: 'web', labels: { app: 'web' } }, spec: { ports: [{ port: 80 }] } });
  assert.equal(JSON.stringify(doc), JSON.stringify(doc.toJS()));
});

test('toJS: keys as yaml stringifies them, __proto__ as an own property', () => {
  assertSame('1: a\ntrue: b\nnull: c\n1.5: d\n');
  const js = fastParseDocument('__proto__: x\nconstructor: y\n')?.doc?.toJS() as Record<string, unknown>;
  assert.ok(Object.prototype.hasOwnProperty.call(js, '__proto__'));
  assert.equal(js.__proto__, 'x');
  assert.equal(Object.getPrototypeOf(js), Object.prototype);
  assertSame('__proto__: x\nconstructor: y\n');
});

test('parseYamlDocument: fast path when possible, yaml otherwise, same ParsedDocument either way', () => {
  const fast = parseYamlDocument('apiVersion: v1\nkind: Namespace\n');
  assert.ok(fast.doc instanceof LightDocument);
  assert.deepEqual(toPlain(fast.doc), { apiVersion: 'v1', kind: 'Namespace' });
  const slow = parseYamlDocument('base: &b {app: web}\nother: *b\n');
  assert.ok(slow.doc && !(slow.doc instanceof LightDocument));
  assert.deepEqual(toPlain(slow.doc), { base: { app: 'web' }, other: { app: 'web' } });
  assert.equal(parseYamlDocument('# nothing\n').doc, undefined);
  assert.deepEqual(parseYamlDocument('# nothing\n').errors, []);
  try {
    PARSE_OPTIONS.fastPath = false;
    assert.ok(!(parseYamlDocument('a: 1\n').doc instanceof LightDocument));
  } finally {
    PARSE_OPTIONS.fastPath = true;
  }
});

test('ParseCache counts fast and fallback parses, and still caches by text', () => {
  const cache = new ParseCache();
  const a = cache.get('a: 1\n');
  cache.get('a: &x 1\n');
  cache.get('a: 1\na: 2\n');
  assert.equal(cache.get('a: 1\n'), a);
  assert.equal(cache.fastParses, 1);
  assert.equal(cache.fallbackParses, 2);
  assert.equal(cache.misses, 3);
  assert.equal(cache.hits, 1);
  assert.equal(cache.get('a: 1\na: 2\n').errors[0]?.code, 'DUPLICATE_KEY');
});
