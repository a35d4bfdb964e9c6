/**
 * How much of six demo applications' documented architecture the evidence finds
 * (issue 21 §4). Prints, per application and in total, the recall (documented flows with
 * evidence), the documented flows without evidence (names that only the code or the
 * images know) and the evidenced flows no document shows; fails when recall falls below
 * the floor or when evidence contradicts a document (a documented non-flow, an extra flow).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APPS, type App } from '../../evidence-apps/ground-truth';
import { evidenceFor, yamlFiles } from '../../helpers/evidence';
import { ROOT } from '../../helpers/paths';
import type { SourceFile } from '../../../server/src/core/manifest/types';

/** Documented flows with evidence, per application: raised as the evidence learns more, never lowered. */
const FLOOR: Readonly<Record<string, number>> = {
  'Online Boutique': 17,
  'Sock Shop': 2,
  'Voting App': 2,
  Bookinfo: 1,
  'AKS Store': 7,
  'AWS retail store (EKS workshop)': 10,
};

/** `namespace:` of a kustomization in the file's folder, written into objects without one (what `kubectl apply -k` does). */
function withKustomizeNamespaces(dir: string, files: SourceFile[]): SourceFile[] {
  return files.map((f) => {
    const k = join(dir, dirname(f.path), 'kustomization.yaml');
    const ns = existsSync(k) ? /^namespace:\s*(\S+)/m.exec(readFileSync(k, 'utf8'))?.[1] : undefined;
    if (!ns || f.path.endsWith('kustomization.yaml')) return f;
    const text = f.text
      .split(/^---\s*$/m)
      .map((doc) => (/^ {2}namespace:/m.test(doc) || /^kind:\s*Namespace\s*$/m.test(doc) ? doc : doc.replace(/^metadata:\s*\n/m, `metadata:\n  namespace: ${ns}\n`)))
      .join('---');
    return { path: f.path, text };
  });
}

function measure(app: App) {
  const dir = join(ROOT, app.dir);
  let files = yamlFiles(dir, app.only);
  if (app.kustomizeNamespaces) files = withKustomizeNamespaces(dir, files);
  const r = evidenceFor(files, { dns: app.dnsBaseline ?? false });
  const edges = new Set(r.edges);
  const found = app.documented.filter((d) => edges.has(d));
  const missing = app.documented.filter((d) => !edges.has(d));
  const documented = new Set(app.documented);
  const extra = r.edges.filter((e) => !documented.has(e) && !e.includes('{cluster DNS}'));
  return { found, missing, extra, notes: r.notes.length, nonFlows: (app.nonFlows ?? []).filter((n) => edges.has(n)) };
}

test('evidence recall on six documented demo applications', () => {
  let total = 0;
  let found = 0;
  const lines: string[] = [];
  for (const app of APPS) {
    const m = measure(app);
    total += app.documented.length;
    found += m.found.length;
    lines.push(`${app.name}: ${m.found.length}/${app.documented.length} documented flows evidenced, ${m.missing.length} without evidence, ${m.extra.length} evidenced beyond the documents, ${m.notes} unresolved references`);
    for (const f of m.missing) lines.push(`  no evidence: ${f}`);
    for (const f of m.extra) lines.push(`  beyond the documents: ${f}`);
    assert.ok(m.found.length >= FLOOR[app.name], `${app.name}: ${m.found.length} < floor ${FLOOR[app.name]}\n${lines.join('\n')}`);
    assert.deepEqual(m.nonFlows, [], `${app.name}: evidence for a documented non-flow`);
    assert.deepEqual(m.extra, [], `${app.name}: evidenced flows that no document shows`);
  }
  lines.push(`total: ${found}/${total} documented flows evidenced (${((100 * found) / total).toFixed(1)} %)`);
  process.stdout.write(`${lines.join('\n')}\n`);
});
