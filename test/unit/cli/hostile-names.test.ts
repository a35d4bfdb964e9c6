/**
 * Names that try to break out of every output format of the CLI (HTML, a forged line
 * with a GitHub workflow command, backtick runs and `|`, a spreadsheet formula), as
 * workload, namespace, label and policy names and as file names: reach, check, diff and
 * explain in each of their formats show them as text.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { textLine } from '../../../server/src/core/base/escape';
import { assertSafeLines, assertSafeMarkdown, FORGED, FORGED_NS, FORMULA, IMG, TICKS, writeHostileWorkspace } from '../helpers/hostile';

const CLI = resolve(__dirname, '../../../../dist/cli.js');

function netpol(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `netpol ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  assertSafeLines(r.stderr, `netpol ${args.join(' ')} (stderr)`);
  return r;
}

const dirs: string[] = [];
const workspace = (opts: Parameters<typeof writeHostileWorkspace>[0]) => {
  const dir = writeHostileWorkspace(opts);
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const NAMES = { img: `shop/${IMG}[Deployment]`, forged: `shop/${FORGED}[Deployment]`, formula: `${FORMULA}/${FORMULA}[Deployment]` };

/** The fields of one CSV line (RFC 4180 quoting). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  assert.equal(quoted, false, `an unterminated quote: ${line}`);
  return [...fields, field];
}

/** CSV records of one line each: their fields, none of them a formula. */
function csvRecords(text: string, fields: number, what: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const values = csvFields(line);
    assert.equal(values.length, fields, `${what}: ${line}`);
    for (const v of values) assert.doesNotMatch(v, /^\s*[=+\-@\t\r]/, `${what}: a formula cell ${JSON.stringify(v)} in ${line}`);
    out.push(values);
  }
  return out;
}

test('reach: text, md, csv, dot and mermaid show hostile names as text; json keeps them as data', () => {
  const dir = workspace({});
  const text = netpol(dir, 'reach', '.').stdout;
  assertSafeLines(text, 'reach text');
  // Rendered (escaped), not dropped: each line stays `src => dst : conn`.
  for (const n of Object.values(NAMES)) assert.ok(text.includes(textLine(n)), `${textLine(n)} in\n${text}`);
  assert.match(text, new RegExp(`^${escapeRe(textLine(NAMES.forged))} => ${escapeRe(textLine(NAMES.img))} : TCP 80$`, 'm'));

  const md = netpol(dir, 'reach', '.', '--format', 'md').stdout;
  assertSafeLines(md, 'reach md');
  assertSafeMarkdown(md, 'reach md', []);

  const csv = netpol(dir, 'reach', '.', '--format', 'csv').stdout;
  assertSafeLines(csv, 'reach csv');
  const records = csvRecords(csv, 3, 'reach csv');
  assert.ok(records.some(([src]) => src === `'${FORMULA}/${FORMULA}[Deployment]`), 'the formula name neutralised, still there');

  const dot = netpol(dir, 'reach', '.', '--format', 'dot').stdout;
  assertSafeLines(dot, 'reach dot');
  for (const line of dot.split('\n').slice(3, -2)) {
    assert.match(line, /^ {2}n\d+ (-> n\d+ )?\[label="(?:[^"\\]|\\.)*"(, shape=\w+)?\];$/, `a DOT statement of its own: ${line}`);
  }

  const mermaid = netpol(dir, 'reach', '.', '--format', 'mermaid').stdout;
  assertSafeLines(mermaid, 'reach mermaid');
  for (const [, label] of mermaid.matchAll(/"([^"]*)"/g)) assert.doesNotMatch(label, /[<>`|]/, `no HTML or Markdown string in a Mermaid label: ${label}`);
  for (const line of mermaid.split('\n').slice(1, -1)) assert.match(line, /^ {2}n\d+(\["[^"]*"\]| -->\|"[^"|]*"\| n\d+)$/, `a Mermaid statement of its own: ${line}`);

  const json = JSON.parse(netpol(dir, 'reach', '.', '--format', 'json').stdout) as { src: string; dst: string }[];
  assert.ok(json.some((r) => r.src === NAMES.forged && r.dst === NAMES.img), 'JSON carries the names as they are');

  const port = netpol(dir, 'reach', '.', '--port', '80').stdout;
  assertSafeLines(port, 'reach --port');
  assert.ok(port.includes(`${textLine(`shop/${FORGED}`)} => ${textLine(`shop/${IMG}`)} : TCP 80\n`), port);
});

test('check: text, json and sarif with hostile names and file names', () => {
  const dir = workspace({ files: true });
  const text = netpol(dir, 'check', '.').stdout;
  assertSafeLines(text, 'check text');
  // The file names start the lines: defused, and each finding stays on its own line.
  assert.match(text, /^\\x3a:error file=x::forged\.yaml:\d+:\d+: error yaml-syntax: /m);
  assert.match(text, /^evil\\n::warning file=y::forged\.yaml:\d+:\d+: error yaml-syntax: /m);
  assert.ok(text.includes(textLine(`Invalid metadata.name "p${FORGED}"`)), text);
  for (const line of text.split('\n').filter((l) => l !== '')) assert.match(line, /^.+:\d+:\d+: (error|warning|info|hint) [a-z-]+: /, line);

  const json = netpol(dir, 'check', '.', '--format', 'json');
  assertSafeLines(json.stdout, 'check json');
  const findings = JSON.parse(json.stdout) as { file: string; message: string }[];
  assert.ok(findings.some((f) => f.message.includes(`"p${FORGED}"`)), 'JSON carries the message as it is');
  assert.ok(findings.some((f) => f.file === '::error file=x::forged.yaml'));

  const sarif = netpol(dir, 'check', '.', '--format', 'sarif');
  assertSafeLines(sarif.stdout, 'check sarif');
  const log = JSON.parse(sarif.stdout) as { runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  const uris = log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
  assert.ok(uris.includes('%3A%3Aerror%20file%3Dx%3A%3Aforged.yaml'), uris.join(' '));
  assert.ok(uris.includes('evil%0A%3A%3Awarning%20file%3Dy%3A%3Aforged.yaml'), uris.join(' '));
  for (const u of uris) assert.doesNotThrow(() => new URL(u, 'file:///ws/'), u);
  assert.ok(log.runs[0].results.some((r) => r.message.text.includes(`"p${FORGED}"`)));
});

test('diff: text, md, csv and json with hostile names (flows and workloads-diff-info)', () => {
  const before = workspace({ policies: false });
  const after = workspace({ added: true });
  const text = netpol(before, 'diff', before, after).stdout;
  assertSafeLines(text, 'diff text');
  assert.ok(text.includes(`workloads-diff-info: workload ${textLine(`${FORGED_NS}/${TICKS}[Deployment]`)} added`), text);
  for (const line of text.split('\n').filter((l) => l !== '').slice(1)) assert.match(line, /^diff-type: (added|removed|changed), source: /, line);

  const md = netpol(before, 'diff', before, after, '--format', 'md').stdout;
  assertSafeLines(md, 'diff md');
  assertSafeMarkdown(md, 'diff md', []);

  const csv = netpol(before, 'diff', before, after, '--format', 'csv').stdout;
  assertSafeLines(csv, 'diff csv');
  csvRecords(csv, 6, 'diff csv');

  const json = netpol(before, 'diff', before, after, '--format', 'json');
  assertSafeLines(json.stdout, 'diff json');
  const entries = JSON.parse(json.stdout) as { src: string; dst: string }[];
  assert.ok(entries.some((e) => e.src === NAMES.forged || e.dst === NAMES.forged));
});

test('explain: text and json between hostile workloads', () => {
  const dir = workspace({});
  const args = ['explain', '.', '--from', `shop/${FORGED}`, '--to', `shop/${IMG}`];
  const text = netpol(dir, ...args).stdout;
  assertSafeLines(text, 'explain text');
  assert.equal(text.split('\n')[0], `${textLine(NAMES.forged)} => ${textLine(NAMES.img)}: ALLOWED`);
  const json = JSON.parse(netpol(dir, ...args, '--format', 'json').stdout) as { from: string; to: string };
  assert.deepEqual([json.from, json.to], [NAMES.forged, NAMES.img]);
  // A usage error that quotes a name (and the known names) stays one line too.
  const r = spawnSync(process.execPath, [CLI, 'explain', '.', '--from', `shop/x\n::error file=x::nope`, '--to', `shop/${IMG}`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assertSafeLines(r.stderr, 'explain usage error');
  assert.match(r.stderr, /no such workload/);
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
