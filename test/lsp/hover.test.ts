/**
 * Hover over LSP (`textDocument/hover`, the real server over stdio) on a workspace read
 * from disk: Markdown with links to the policies' files and lines, the hovered range in
 * UTF-16 positions, open buffers winning over the disk (also across files), and the
 * sources a workload hover lists being exactly what `netpol reach` prints for it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { WORKSPACE } from '../core/ide/hover/fixture';
import { LspClient } from './lsp-client';
import { netpol, positionOf, uriOf, writeWorkspace } from './reach-fixture';

let dir: string;
let client: LspClient;

before(async () => {
  dir = writeWorkspace('netpol-lsp-hover-');
  client = await LspClient.startWithCapabilities({ textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } }, dir);
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Hovers `path` (on disk, or `text` when given) at the `nth` `needle` plus `delta`. */
async function hoverAt(path: string, needle: string, delta = 0, nth = 0, text = WORKSPACE[path]): Promise<Hover | null> {
  const at = positionOf(text, needle, delta, nth);
  return client.hover(uriOf(dir, path), at.line, at.character);
}

function markdown(h: Hover | null): string {
  assert.ok(h, 'no hover');
  const contents = h.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

describe('hover over LSP', () => {
  test('the server declares hover', () => {
    const caps = (client.initializeResult as { capabilities: { hoverProvider?: unknown } }).capabilities;
    assert.equal(caps.hoverProvider, true);
  });

  test("a workload's name: Markdown with links to the isolating policies (file URI, 1-based line) and the name's range", async () => {
    const h = await hoverAt('shop/backend.yaml', 'name: backend', 6);
    const policies = uriOf(dir, 'shop/policies.yaml');
    assert.equal(
      markdown(h),
      `**Deployment** \`shop/backend\`

- Ingress: isolated by [shop/default-deny](${policies}#L1) and [shop/backend-allow](${policies}#L25)
- Egress: isolated by [shop/backend-egress](${uriOf(dir, 'shop/egress.yaml')}#L1)

**Reachable from** 2 sources:

- \`monitoring\` (TCP 9090,9102): \`prometheus[Deployment]\`
- \`shop\` (TCP 9090,9102): \`frontend[Deployment]\`

**Can reach** 2 destinations:

- \`kube-system\` (UDP 53): \`coredns[Deployment]\`
- \`shop\` (TCP 5432): \`db[StatefulSet]\`

**Evidenced callers** (1 flow):

- \`{ingress controller}\` on TCP 9090: [Ingress shop/shop backend backend:http](${uriOf(dir, 'shop/ingress.yaml')}#L20)

**Evidenced callees**: the cluster DNS only`,
    );
    assert.deepEqual(h?.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 15 } });
  });

  test("every workload's sources are the lines `netpol reach` prints into it", async () => {
    const reach = netpol('reach', dir).split('\n').filter((l) => l !== '');
    for (const [path, name, nth] of [
      ['shop/frontend.yaml', 'frontend', 0],
      ['shop/backend.yaml', 'backend', 0],
      ['shop/backend.yaml', 'db', 0],
      ['monitoring/prometheus.yaml', 'prometheus', 0],
      ['kube-system/coredns.yaml', 'coredns', 0],
    ] as const) {
      const text = markdown(await hoverAt(path, `name: ${name}`, 6, nth));
      const title = /^\*\*(\w+)\*\* `([^`]+)`/.exec(text);
      assert.ok(title, text);
      const endpoint = `${title[2]}[${title[1]}]`;
      const section = text.split('**Reachable from**')[1].split('**Can reach**')[0];
      const listed: string[] = [];
      for (const line of section.split('\n').filter((l) => l.startsWith('- '))) {
        const group = /^- `([^`]+)` \(([^)]+)\): (.*)$/.exec(line);
        if (group) for (const [, n] of group[3].matchAll(/`([^`]+)`/g)) listed.push(`${group[1]}/${n} => ${endpoint} : ${group[2]}`);
        else if (/^- `([^`]+)`: /.test(line)) for (const [, n, c] of line.matchAll(/`([^`]+)` \(([^)]+)\)/g)) listed.push(`${line.slice(3, line.indexOf('`', 3))}/${n} => ${endpoint} : ${c}`);
        else listed.push(line.replace(/^- `([^`]+)` \(([^)]+)\)$/, `$1 => ${endpoint} : $2`));
      }
      assert.deepEqual(listed.sort(), reach.filter((l) => l.includes(` => ${endpoint} : `)).sort(), endpoint);
    }
  });

  test('a policy port, a peer, a Service and an Ingress backend', async () => {
    assert.equal(
      markdown(await hoverAt('shop/policies.yaml', 'port: http', 7)),
      '**Port** `http` (TCP) of ingress rule #1 of `shop/frontend-from-ingress`\n\nOn the selected pods:\n\n- `shop/frontend[Deployment]`: TCP 8080',
    );
    assert.match(markdown(await hoverAt('shop/policies.yaml', 'team: platform')), /^\*\*Peer\*\* `from\[1\]` of ingress rule #1 of `shop\/backend-allow`\n\nMatches 1 workload in 1 namespace:\n\n- `monitoring`: `prometheus\[Deployment\]`/);
    assert.match(markdown(await hoverAt('shop/backend.yaml', 'targetPort')), /^\*\*Service\*\* `shop\/backend`\n\nSelects 1 workload: `backend\[Deployment\]`\n\n- port 80 \(`http`\) → `api`: 9090 on `backend\[Deployment\]`/);
    const blocked = await hoverAt('shop/ingress.yaml', 'name: backend', 6);
    assert.match(markdown(blocked), /^\*\*Ingress\*\* `shop\/shop` → Service `backend` port `http`\n\n- `backend\[Deployment\]`: \*\*blocked\*\* on TCP 9090: /);
    const ingress = WORKSPACE['shop/ingress.yaml'];
    assert.deepEqual(blocked?.range, { start: positionOf(ingress, 'service:', 0, 1), end: positionOf(ingress, '{name: http}', 12) });
  });

  test('nothing to say: null', async () => {
    assert.equal(await hoverAt('shop/backend.yaml', 'image: api', 8), null);
    assert.equal(await hoverAt('namespaces.yaml', 'name: shop', 6), null);
    assert.equal(await client.hover(uriOf(dir, 'nope.yaml'), 0, 0), null);
  });

  test('an open buffer wins over the disk, across files; positions are UTF-16', async () => {
    // The backend policy now admits the frontend on the metrics port only, in an unsaved buffer.
    const policies = WORKSPACE['shop/policies.yaml'].replace('        - port: api\n', '');
    client.open(uriOf(dir, 'shop/policies.yaml'), policies, 1);
    assert.match(markdown(await hoverAt('shop/backend.yaml', 'name: backend', 6)), /\n- `shop` \(TCP 9102\): `frontend\[Deployment\]`\n/);
    // Astral characters before the name on the same line: two UTF-16 units each.
    const uri = uriOf(dir, 'kube-system/coredns.yaml');
    const text = WORKSPACE['kube-system/coredns.yaml'].replace('metadata:\n  name: coredns\n  namespace: kube-system\n', 'metadata: {annotations: {note: "😀😀"}, name: coredns, namespace: kube-system}\n');
    client.open(uri, text, 1);
    const at = positionOf(text, 'coredns,', 2);
    assert.deepEqual(at, { line: 2, character: 48 });
    const h = await client.hover(uri, at.line, at.character);
    assert.match(markdown(h), /^\*\*Deployment\*\* `kube-system\/coredns`/);
    assert.deepEqual(h?.range, { start: { line: 2, character: 46 }, end: { line: 2, character: 53 } });
    client.close(uri);
    client.close(uriOf(dir, 'shop/policies.yaml'));
  });
});
