/**
 * The server's incremental analysis (documents, model objects, class table and
 * compiled policies reused across edits) must give exactly what a fresh analysis of
 * the same texts gives, after any sequence of edits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { formatConnlist } from '../../../server/src/core/ide/formats/connlist';
import { allConnections } from '../../../server/src/core/reach/connections';
import { WorkspaceState } from '../../../server/src/lsp/workspace';
import { generateWorkspace, rng } from '../../bench/generate';

/** Editor-like mutations of one document: relabel, change a port, drop or duplicate it. */
function mutate(text: string, rand: () => number): string {
  const docs = text.split(/^---\n/m);
  // Most edits are to policies (the world stays, compiled policies are patched).
  const policies = docs.map((d, i) => (d.includes('kind: NetworkPolicy') ? i : -1)).filter((i) => i >= 0);
  const i = policies.length > 0 && rand() < 0.7 ? policies[Math.floor(rand() * policies.length)] : Math.floor(rand() * docs.length);
  const d = docs[i];
  const choice = Math.floor(rand() * 6);
  if (choice === 5) {
    docs[i] = d.replace(/\n {2}name: ([\w-]+)/, (_m, v: string) => `\n  name: ${v}-renamed`);
    return docs.join('---\n');
  }
  if (choice === 0) docs[i] = d.replace(/app: ([\w-]+)/, (_m, v: string) => `app: ${v}x`);
  else if (choice === 1) docs[i] = d.replace(/port: (\d+)/, (_m, v: string) => `port: ${Number(v) + 1}`);
  else if (choice === 2 && docs.length > 2) docs.splice(i, 1);
  else if (choice === 3) docs.splice(i, 0, d.replace(/name: ([\w-]+)/, (_m, v: string) => `name: ${v}-copy`));
  else docs[i] = d.replace(/podSelector: \{\}/, 'podSelector: {matchLabels: {tier: web}}');
  return docs.join('---\n');
}

test('incremental analysis after random edits equals a fresh analysis', () => {
  const ws = generateWorkspace({ namespaces: 6, workloadsPerNamespace: 5, files: 4, seed: 11 });
  const files = new Map(ws.files.map((f) => [`file:///${f.path}`, f.text]));
  const state = new WorkspaceState();
  for (const [uri, text] of files) state.setDisk(uri, text);
  const rand = rng(5);
  const uris = [...files.keys()];
  const history: [string, string][] = [];
  for (let step = 0; step < 80; step++) {
    const uri = uris[Math.floor(rand() * uris.length)];
    // Now and then an undo: a file goes back to an earlier text, and its documents'
    // objects (and their compiled policies) come back.
    const undo = history.length > 0 && rand() < 0.2 ? history[Math.floor(rand() * history.length)] : undefined;
    const target = undo ? undo[0] : uri;
    history.push([target, files.get(target) ?? '']);
    const text = undo ? undo[1] : mutate(files.get(uri) ?? '', rand);
    files.set(target, text);
    state.setOpen(target, text);
    const incremental = formatConnlist(allConnections(state.analysis({}).reach), 'text');
    const fresh = formatConnlist(allConnections(analyze([...files].map(([path, t]) => ({ path, text: t }))).reach), 'text');
    assert.equal(incremental, fresh, `step ${step}`);
  }
});
