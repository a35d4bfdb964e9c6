/**
 * Snapshot.findingsIn (the server's first analysis, published a few files at a time): a
 * file's findings from a run restricted to it are those of the whole run, in the same
 * order, suppressions and the workspace checks (which run once) included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type Finding } from '../../../server/src/core';
import { generateWorkspace } from '../../bench/generate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/paths';

const where = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.severity} ${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`);

/** The generated workspace, and a file whose suppressions are used, unused and invalid. */
function workspace(): Workspace {
  const ws = new Workspace();
  const { files } = generateWorkspace({ namespaces: 8, workloadsPerNamespace: 6, files: 4, seed: 3 });
  for (const f of files) ws.applyChange({ kind: 'disk', uri: `file:///w/${f.path}`, text: f.text });
  ws.applyChange({
    kind: 'disk',
    uri: 'file:///w/suppressed.yaml',
    text: `# netpol-disable allow-all-peers -- the monitoring agent scrapes from anywhere
# netpol-disable-next-line rule-without-ports
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: agent
  namespace: tenant-0001
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - {}
  egress:
    # netpol-disable-next-line all-namespaces -- nothing to say here
    - to:
        - ipBlock: {cidr: 10.0.0.0/8}
`,
  });
  return ws;
}

test('findingsIn: each file\'s findings of the whole run, in its order, whatever was asked before', () => {
  const whole = workspace().snapshot().findings();
  const uris = workspace().uris();
  assert.ok(whole.length > 20, `the workspace has findings: ${whole.length}`);
  const rules = new Set(whole.filter((f) => f.span.file === 'file:///w/suppressed.yaml').map((f) => f.rule));
  assert.ok(rules.has('unused-suppression') && rules.has('invalid-suppression'), `the suppressions are judged: ${[...rules].join(' ')}`);
  // File by file, in a fresh workspace (nothing computed yet), and in one whose earlier calls filled the caches.
  const reused = workspace().snapshot();
  for (const uri of [...uris].reverse()) {
    const own = whole.filter((f) => f.span.file === uri);
    assert.deepEqual(where(workspace().snapshot().findingsIn(new Set([uri]))), where(own), uri);
    assert.deepEqual(where(reused.findingsIn(new Set([uri]))), where(own), `${uri} (caches filled)`);
  }
  // Several files at once, and the whole run after the steps: the same findings.
  const some = new Set(uris.slice(1, 3));
  assert.deepEqual(where(reused.findingsIn(some)), where(whole.filter((f) => some.has(f.span.file))));
  assert.deepEqual(where(reused.findings()), where(whole));
});

test('findingsIn: a scoped workspace check (evidenced-flow-blocked) judges the asked files first, then the rest, with the whole run\'s findings', () => {
  // bad.yaml's documents, one file each: the flows it blocks are reported on policies in different files.
  const text = readFileSync(join(ROOT, 'test/rules/evidenced-flow-blocked/bad.yaml'), 'utf8');
  const documents = text.split(/^---$/m);
  const scoped = () => {
    const ws = new Workspace();
    documents.forEach((d, i) => ws.applyChange({ kind: 'disk', uri: `file:///e/doc-${i}.yaml`, text: d }));
    return ws;
  };
  const whole = scoped().snapshot().findings();
  const blocked = whole.filter((f) => f.rule === 'evidenced-flow-blocked');
  const files = [...new Set(blocked.map((f) => f.span.file))];
  assert.ok(files.length >= 2, `blocked flows are reported in several files: ${files.join(' ')}`);
  for (const uri of scoped().uris()) {
    const own = whole.filter((f) => f.span.file === uri);
    // Asked first (the scoped check judges only what lands here), then every other file, then the whole.
    const snapshot = scoped().snapshot();
    assert.deepEqual(where(snapshot.findingsIn(new Set([uri]))), where(own), uri);
    for (const other of scoped().uris()) {
      assert.deepEqual(where(snapshot.findingsIn(new Set([other]))), where(whole.filter((f) => f.span.file === other)), `${other} after ${uri}`);
    }
    assert.deepEqual(where(snapshot.findings()), where(whole), `the whole run after ${uri}`);
  }
});
