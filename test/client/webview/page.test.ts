import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, pageHtml } from '../../../client/src/webview/page';

test('a page: a strict CSP, the view\'s stylesheet and its nonce\'d script from the extension, no data', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
  assert.notEqual(nonce, makeNonce());
  const cspSource = 'https://x.vscode-cdn.net';
  const media = 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/reachability';
  const html = pageHtml({ cspSource, nonce, title: 'NetPol Reachability', styleUri: `${media}/view.css`, scriptUri: `${media}/main.js` });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(csp, contentSecurityPolicy(cspSource, nonce));
  assert.equal(csp, `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; font-src ${cspSource}; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`);
  assert.doesNotMatch(csp, /unsafe-|'self'|\*/);
  assert.deepEqual([...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => [m[1], m[2]]), [[` defer nonce="${nonce}" src="${media}/main.js"`, '']], 'one script, from a file, with the nonce');
  assert.deepEqual([...html.matchAll(/<link\b([^>]*)>/g)].map((m) => m[1]), [` rel="stylesheet" href="${media}/view.css"`]);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler');
  assert.match(html, /<body>\s*<\/body>/, 'the script builds the body');
});

test('the shell\'s own values stay inside their attributes', () => {
  const html = pageHtml({ cspSource: 'a"b', nonce: 'n', title: '<T>', styleUri: 'x"><script>', scriptUri: 'y' });
  assert.match(html, /href="x&quot;&gt;&lt;script&gt;"/);
  assert.match(html, /<title>&lt;T&gt;<\/title>/);
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
});
