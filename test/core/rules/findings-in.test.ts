/**
 * Snapshot.findingsIn (the server's first analysis, published a few files at a time): a
 * file's findings from a run restricted to it are those of the whole run, in the same
 * order, suppressions and the workspace checks (which run once) included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type Finding } from '../../../server/src/core';
import { generateWorkspace } from '../../bench/generate';

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
