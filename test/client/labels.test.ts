import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { iconLabel, markdownCode, markdownText, oneLine } from '../../client/src/labels';
import { FORGED, FORMULA, IMG, LABEL, TICKS } from '../helpers/hostile';

const HOSTILE = [IMG, FORGED, TICKS, FORMULA, LABEL, 'a\r\nb\tc', 'x\u202eevil\u2066', 'p\u2028q\u0085r', 'bell\u0007\u001b[31m', '$(zap) boom', '` lead', 'trail `', ' both ', '', '***', '[link](http://x)', '<!-- c -->', '&amp;', 'a\\'];

const md = new MarkdownIt({ html: true });
/** The text of rendered HTML, entities decoded. */
const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

test('oneLine shows invisible characters as escapes and changes nothing else', () => {
  assert.equal(oneLine('shop/web[Deployment] → 10.0.0.0-10.255.255.255[External]'), 'shop/web[Deployment] → 10.0.0.0-10.255.255.255[External]');
  assert.equal(oneLine('a\r\nb\tc'), 'a\\r\\nb\\tc');
  assert.equal(oneLine('x\u202eevil\u2066'), 'x\\u202eevil\\u2066');
  assert.equal(oneLine('p\u2028q\u0085r\u0000'), 'p\\u2028q\\u0085r\\u0000');
  assert.equal(oneLine(FORGED), 'a\\n::error file=x::forged');
  // eslint-disable-next-line no-control-regex -- the point
  for (const s of HOSTILE) assert.doesNotMatch(oneLine(s), /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/, JSON.stringify(s));
});

test('iconLabel draws only our icons', () => {
  assert.equal(iconLabel('$(zap) boom'), '\\$(zap) boom');
  assert.equal(iconLabel('ns$(a)$(b)'), 'ns\\$(a)\\$(b)');
  for (const s of HOSTILE) assert.doesNotMatch(iconLabel(s), /(^|[^\\])\$\(/, s);
});

test('markdownText renders as the value itself, in one paragraph, no element of its own', () => {
  for (const s of HOSTILE) {
    const html = md.render(`before ${markdownText(s)} after`);
    assert.equal(html.match(/<[a-z][^>]*>/g)?.join(''), '<p>', `${JSON.stringify(s)} → ${html}`);
    assert.equal(text(html).trim(), `before ${oneLine(s)} after`, JSON.stringify(s));
  }
});

test('markdownCode renders as one code span holding the value', () => {
  assert.equal(markdownCode('shop/web'), '`shop/web`');
  assert.equal(markdownCode(TICKS), '``` ``tick`` | pipe ```');
  assert.equal(markdownCode(''), '` `');
  for (const s of HOSTILE) {
    if (s === '') continue;
    const html = md.render(`see ${markdownCode(s)} here`);
    const codes = html.match(/<code>[\s\S]*?<\/code>/g) ?? [];
    assert.equal(codes.length, 1, `${JSON.stringify(s)} → ${html}`);
    assert.equal(html.match(/<[a-z][^>]*>/g)?.join(''), '<p><code>', `${JSON.stringify(s)} → ${html}`);
    assert.equal(text(codes[0]), oneLine(s), `${JSON.stringify(s)} → ${html}`);
  }
});
