/**
 * A workspace whose names try to break out of every output format: HTML, a forged
 * line with a GitHub workflow command, backtick runs and `|`, a spreadsheet formula.
 * The API server rejects such names; the files still hold them, and we render them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';

export const IMG = '<img src=x onerror=alert(1)>';
/** A newline and a workflow command that GitHub Actions would obey at the start of a line. */
export const FORGED = 'a\n::error file=x::forged';
export const FORGED_NS = 'evil\n::error file=x::forged';
export const TICKS = '``tick`` | pipe';
export const FORMULA = "=cmd|' /C calc'!A0";
/** A label value (backticks and a pipe). */
export const LABEL = '``a|b``';

const q = (s: string) => JSON.stringify(s);

function deployment(name: string, namespace: string, labels: Record<string, string>, port?: { containerPort: number; name: string }): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${q(name)}, namespace: ${q(namespace)}}
spec:
  selector: {matchLabels: {app: ${q(labels.app)}}}
  template:
    metadata: {labels: ${JSON.stringify(labels)}}
    spec: {containers: [{name: c, image: i${port ? `, ports: [${JSON.stringify(port)}]` : ''}}]}
`;
}

/** Namespaces and workloads: `shop/<img …>` (port 80), `shop/a⏎::error…`, and two in hostile namespaces. */
export const WORKLOADS = [
  `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: ${q(IMG)}}}
`,
  deployment(IMG, 'shop', { app: 'web', team: LABEL }, { containerPort: 80, name: 'h|`x`' }),
  deployment(FORGED, 'shop', { app: 'api' }),
  deployment(FORMULA, FORMULA, { app: 'calc' }),
].join('---\n');

/** A workload that only the "after" side of a diff has (its name in workloads-diff-info). */
export const ADDED_WORKLOAD = deployment(TICKS, FORGED_NS, { app: 't' });

/** A valid policy (shop/<img …> admits shop/a⏎::error… on 80) and two the API server rejects by name. */
export const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${q(IMG)}, namespace: shop}
spec:
  podSelector: {matchLabels: {team: ${q(LABEL)}}}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${q(`p${FORGED}`)}, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

/** File names that would start a line of `check` with a workflow command, or break it. */
export const HOSTILE_FILES = ['::error file=x::forged.yaml', 'evil\n::warning file=y::forged.yaml'];

/**
 * Writes the workspace to a new temporary directory: `workloads.yaml`, and unless
 * `policies` is false `policies.yaml`; `added` adds ADDED_WORKLOAD; `files` adds the
 * hostile file names (each with a broken document, so `check` names them).
 */
export function writeHostileWorkspace(opts: { policies?: boolean; added?: boolean; files?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-hostile-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'workloads.yaml'), opts.added ? `${WORKLOADS}---\n${ADDED_WORKLOAD}` : WORKLOADS);
  if (opts.policies !== false) writeFileSync(join(dir, 'policies.yaml'), POLICIES);
  if (opts.files) for (const f of HOSTILE_FILES) writeFileSync(join(dir, f), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n');
  return dir;
}

/** Characters that must never reach a line of text output raw (line breaks are the output's own). */
// eslint-disable-next-line no-control-regex -- the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Text output as a CI log reads it: no line is a workflow command (GitHub's `::cmd …::`
 * after optional blanks, `##[cmd]`, Azure's `##vso[`), no raw control character.
 */
export function assertSafeLines(output: string, what: string): void {
  for (const line of output.split('\n')) {
    assert.doesNotMatch(line, /^\s*::[A-Za-z][\w-]*(\s|::)/, `${what}: a forged workflow command: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /##(vso)?\[/i, `${what}: a log command: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, RAW_CONTROL, `${what}: a raw control character: ${JSON.stringify(line)}`);
  }
}

const markdown = new MarkdownIt({ html: true });

/** `|` not escaped by a backslash (an odd run of backslashes before it escapes it). */
function unescapedPipes(line: string): number {
  return [...line.matchAll(/(\\*)\|/g)].filter((m) => m[1].length % 2 === 0).length;
}

/**
 * Markdown as a permissive renderer shows it (raw HTML allowed): no element but those
 * in `allowed`; and every table line has the header's number of cell separators (a GFM
 * renderer silently drops or pads cells, so a `|` from a name is counted in the source).
 */
export function assertSafeMarkdown(text: string, what: string, allowed: readonly string[] = ['p', 'code', 'strong', 'em', 'a', 'ul', 'li', 'br']): void {
  const rendered = markdown.render(text);
  const tags = [...rendered.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase());
  const tableTags = ['table', 'thead', 'tbody', 'tr', 'th', 'td'];
  for (const t of tags) assert.ok(allowed.includes(t) || tableTags.includes(t), `${what}: an element <${t}> from a name:\n${rendered}`);
  const rows = text.split('\n').filter((l) => l.startsWith('|'));
  for (const row of rows) assert.equal(unescapedPipes(row), unescapedPipes(rows[0]), `${what}: a row with another number of cells: ${row}`);
}
