/** The pages' one way to build DOM (client/media/common/render.js), through a shipped page script. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { ViewNode } from '../../../client/src/webview/view-node';
import { HTML_NS, loadPage } from '../fake-dom';

const SCRIPT = resolve(__dirname, '../../../../dist/media/explain/main.js');

function build(body: unknown[]) {
  const page = loadPage(SCRIPT);
  page.post({ type: 'page', body });
  return page.document.body;
}

test('text is text, elements and attributes are ours, SVG is SVG', () => {
  const tree: ViewNode[] = [
    '<img src=x onerror=alert(1)>',
    { tag: 'p', attrs: { class: 'a', 'data-open': '"><script>', tabindex: 0, 'aria-hidden': true, title: undefined, role: false }, children: ['x', { tag: 'code', children: ['&amp;'] }] },
    { tag: 'svg', attrs: { viewBox: '0 0 1 1' }, children: [{ tag: 'g', children: [{ tag: 'text', children: ['t'] }, { tag: 'title', children: ['tip'] }] }] },
  ];
  const body = build(tree);
  assert.equal(body.childrenHtml(), '&lt;img src=x onerror=alert(1)&gt;<p class="a" data-open="&quot;&gt;&lt;script&gt;" tabindex="0" aria-hidden>x<code>&amp;amp;</code></p><svg viewBox="0 0 1 1"><g><text>t</text><title>tip</title></g></svg>');
  assert.equal(body.querySelector('p')?.namespaceURI, HTML_NS);
  assert.equal(body.querySelector('title')?.namespaceURI, 'http://www.w3.org/2000/svg');
});

test('elements and attributes that are not on the lists are left out; links go nowhere', () => {
  const tree = [
    { tag: 'script', children: ['alert(1)'] },
    { tag: 'iframe', attrs: { src: 'https://x' } },
    { tag: 'img', attrs: { src: 'x', onerror: 'alert(1)' } },
    { tag: 'style', children: ['body{}'] },
    { tag: 'p', attrs: { onclick: 'alert(1)', style: 'color:red', src: 'x', srcdoc: 'x', formaction: 'x' }, children: ['kept'] },
    { tag: 'a', attrs: { href: 'javascript:alert(1)' }, children: ['a'] },
    { tag: 'a', attrs: { href: '#' }, children: ['b'] },
    { tag: 'svg', children: [{ tag: 'foreignObject', children: [{ tag: 'p', children: ['html in svg'] }] }, { tag: 'p', children: ['p in svg'] }, { tag: 'text', attrs: { href: 'x' }, children: ['t'] }] },
  ];
  const body = build(tree);
  assert.equal(body.childrenHtml(), '<p>kept</p><a>a</a><a href="#">b</a><svg><text>t</text></svg>');
});
