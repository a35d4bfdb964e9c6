/** The explain page's script as shipped (dist/media/explain/main.js) in a fake DOM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { explainContent, explainToolbar } from '../../../client/src/views/explain/content';
import type { ExplainResult } from '../../../server/src/protocol';
import { h } from '../../../client/src/webview/view-node';
import { loadPage } from '../fake-dom';

const SCRIPT = resolve(__dirname, '../../../../dist/media/explain/main.js');
const U = 'file:///ws/shop/policies.yaml';
const RESULT: ExplainResult = {
  from: 'shop/a[Pod]',
  to: 'shop/b[Pod]',
  allowed: true,
  connections: 'TCP 80',
  egress: { direction: 'Egress', external: false, isolated: false, allowed: 'All Connections', policies: [] },
  ingress: { direction: 'Ingress', external: false, isolated: true, allowed: 'TCP 80', policies: [{ name: 'allow-a', location: { uri: U, line: 9 }, rules: [{ index: 0, location: { uri: U, line: 14 }, allows: 'TCP 80' }] }] },
};

test('the explain page asks for its state, shows it, and posts file links and actions', () => {
  const p = loadPage(SCRIPT);
  assert.deepEqual(p.take(), [{ type: 'ready' }]);
  p.post({ type: 'page', body: [explainToolbar(), h('main', { id: 'content', 'aria-live': 'polite' }, explainContent({ query: { from: 'shop/a', to: 'shop/b' } }))] });
  assert.match(p.document.getElementById('content')?.textContent ?? '', /^Explaining shop\/a → shop\/b…$/);
  p.post({ type: 'content', content: explainContent({ query: { from: 'shop/a', to: 'shop/b' }, result: RESULT }) });
  const body = p.document.body;
  assert.equal(body.querySelector('h1')?.textContent, '✔ Allowed');
  const links = body.querySelectorAll('a[data-uri]');
  assert.deepEqual(links.map((a) => a.textContent), ['allow-a', 'ingress[0]']);
  // A click on the link (or on text inside it) opens; the page does not navigate.
  assert.equal(links[1].dispatch('click').defaultPrevented, true);
  body.querySelectorAll('button[data-action]')[1].dispatch('click');
  body.querySelectorAll('h1')[0].dispatch('click');
  assert.deepEqual(p.take(), [
    { type: 'open', uri: U, line: 14 },
    { type: 'swap' },
  ]);
});
