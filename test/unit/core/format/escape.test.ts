/**
 * The escaping of untrusted names per output format, checked with real parsers where
 * there are ones (markdown-it with raw HTML enabled, as permissive as a renderer gets;
 * RFC 4180 CSV and DOT strings read back by small readers here), and held to leaving
 * netpol-analyzer's own outputs byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { codeSpan, csvCell, dotString, html, iconLabel, markdownCell, markdownText, mermaidLabel, textLine } from '../../../../server/src/core/base/escape';
import { formatRows, type Row } from '../../../../server/src/core/ide/formats/connlist';
import { CORPUS_DIR, loadCorpus } from '../../../corpus/corpus';

/** What a hostile manifest can put in a name, a label or a kind. */
export const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  'evil\n::error file=x::forged',
  '::error file=x::forged',
  '  ::warning title=t::forged',
  '::add-mask::secret',
  'a ##vso[task.setvariable variable=x]1',
  '##[error]forged',
  '```a|b``',
  '`',
  '` x `',
  'a|b',
  "=cmd|' /C calc'!A0",
  '+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  ' =1',
  '\uff1d1',
  'x\r\ny',
  'a\n\nb',
  'red\u001b[31m',
  'abc\u202edcba',
  'line\u2028sep',
  '[click](javascript:alert(1))',
  '![x](http://e/x.png)',
  '<http://e>',
  '**bold** _em_ ~~s~~ $(warning)',
  'a"b\\"c',
  '#quot; #lt;b#gt;',
  '\\',
  '',
];

/** Names netpol-analyzer prints, which every escaper leaves as they are. */
const LEGIT = [
  'shop/frontend[Deployment]',
  'kube-system/coredns-7d8f9c[ReplicaSet]',
  '0.0.0.0-255.255.255.255[External]',
  '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]',
  '::a00:0-::a00:ff[External]',
  '2001:db8::-2001:db8::ffff[External]',
  '{ingress-controller}',
  'All Connections',
  'No Connections',
  'TCP 80,8080-8090,UDP 53',
  'workload default/x[Pod] added',
];

const md = new MarkdownIt({ html: true });

/** The text of an HTML fragment (tags dropped, entities decoded), for comparisons. */
function textOf(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Tags of rendered HTML (names only). */
function tags(rendered: string): string[] {
  return [...rendered.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase());
}

test('textLine: one line whatever the value holds; control characters visible; CI log commands defused', () => {
  for (const v of HOSTILE) {
    const t = textLine(v);
    // eslint-disable-next-line no-control-regex -- the point
    assert.doesNotMatch(t, /[\n\r\u2028\u2029\u001b\u202e]/, JSON.stringify(v));
    assert.doesNotMatch(t, /^\s*::[A-Za-z][\w-]*(\s|::)/, `${JSON.stringify(v)}: a GitHub workflow command`);
    assert.doesNotMatch(t, /##(vso)?\[/i, `${JSON.stringify(v)}: an Azure / legacy log command`);
  }
  assert.equal(textLine('evil\n::error file=x::forged'), 'evil\\n::error file=x::forged');
  assert.equal(textLine('::error file=x::forged'), '\\x3a:error file=x::forged');
  assert.equal(textLine('red\u001b[31m'), 'red\\x1b[31m');
  assert.equal(textLine('abc\u202edcba'), 'abc\\u202edcba');
  assert.equal(textLine('a\tb\r'), 'a\\tb\\r');
  assert.equal(textLine('C:\\work\\x.yaml'), 'C:\\work\\x.yaml', 'backslashes of Windows paths stay');
});

test('codeSpan: one code element holding exactly the (one-line) value, no HTML, no paragraph break', () => {
  for (const v of [...HOSTILE, ...LEGIT]) {
    const rendered = md.renderInline(`before ${codeSpan(v)} after`);
    assert.deepEqual(tags(rendered), ['code', 'code'], `${JSON.stringify(v)} -> ${rendered}`);
    const inside = /<code>([\s\S]*)<\/code>/.exec(rendered)![1];
    const expected = v === '' ? ' ' : textLine(v);
    assert.equal(textOf(inside), expected, JSON.stringify(v));
  }
  assert.equal(codeSpan('shop/web'), '`shop/web`');
  assert.equal(codeSpan('```a|b``'), '```` ```a|b`` ````');
});

test('markdownText: link texts and sentences stay text (no tag, link, image or emphasis of theirs)', () => {
  for (const v of HOSTILE) {
    const rendered = md.renderInline(`see [${markdownText(v)}](https://ws/a.yaml#L3) and ${markdownText(v)}.`);
    assert.deepEqual(tags(rendered), ['a', 'a'], `${JSON.stringify(v)} -> ${rendered}`);
    assert.equal(textOf(rendered), `see ${textLine(v)} and ${textLine(v)}.`, JSON.stringify(v));
    assert.match(rendered, /<a href="https:\/\/ws\/a\.yaml#L3">/);
    assert.doesNotMatch(markdownText(v), /(^|[^\\])\$\(/, 'no VS Code theme icon');
  }
});

test('markdownCell: one cell per value in a GFM table, as text; netpol-analyzer names unchanged', () => {
  for (const v of HOSTILE) {
    const table = `| a | b |\n|---|---|\n| ${markdownCell(v)} | end |\n`;
    const rendered = md.render(table);
    const row = /<tbody>\s*<tr>([\s\S]*?)<\/tr>/.exec(rendered)?.[1] ?? '';
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
    assert.equal(cells.length, 2, `${JSON.stringify(v)} -> ${rendered}`);
    assert.equal(textOf(cells[0]), textLine(v).trim(), JSON.stringify(v));
    assert.deepEqual(
      tags(rendered).filter((t) => !['table', 'thead', 'tbody', 'tr', 'th', 'td'].includes(t)),
      [],
      `${JSON.stringify(v)}: no element of its own -> ${rendered}`,
    );
  }
  for (const v of LEGIT) assert.equal(markdownCell(v), v);
});

test('iconLabel: one line, and no theme icon of the value', () => {
  assert.equal(iconLabel('$(alert) urgent\n$(x)'), '\\$(alert) urgent\\n\\$(x)');
  assert.equal(iconLabel('shop/web'), 'shop/web');
  for (const v of HOSTILE) assert.doesNotMatch(iconLabel(v), /(^|[^\\])\$\(|\n/, JSON.stringify(v));
});

test('html: text and attribute values', () => {
  assert.equal(html(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
});

/** One RFC 4180 record (the fields of the first record, and whether the text is one line). */
function readCsvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        assert.ok(q >= 0, `unterminated quote in ${line}`);
        field += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? undefined : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    assert.equal(line[i], ',', `junk after a field in ${line}`);
    i++;
  }
}

test('csvCell: one field, one line, never a formula; what it holds reads back', () => {
  for (const v of [...HOSTILE, ...LEGIT]) {
    const line = `${csvCell(v)},end`;
    assert.doesNotMatch(line, /[\r\n]/, JSON.stringify(v));
    const [field, end] = readCsvRecord(line);
    assert.equal(end, 'end', JSON.stringify(v));
    assert.doesNotMatch(field, /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/, `${JSON.stringify(v)}: a spreadsheet formula`);
    assert.equal(field.replace(/^'/, ''), textLine(v), JSON.stringify(v));
  }
  assert.equal(csvCell("=cmd|' /C calc'!A0"), `"'=cmd|' /C calc'!A0"`);
  for (const v of LEGIT.filter((x) => !x.includes(','))) assert.equal(csvCell(v), v);
  assert.equal(csvCell('TCP 80,UDP 53'), '"TCP 80,UDP 53"');
});

/** The value of a DOT double-quoted string (its only escapes: `\"` and `\\`, as we write them). */
function readDotString(s: string): string {
  assert.ok(s.startsWith('"') && s.endsWith('"'), s);
  const body = s.slice(1, -1);
  assert.doesNotMatch(body, /(^|[^\\])(\\\\)*"/, `an unescaped quote in ${s}`);
  return body.replace(/\\(["\\])/g, '$1');
}

test('dotString: one quoted string, no DOT escape sequence of the value applies', () => {
  for (const v of [...HOSTILE, ...LEGIT]) {
    const s = dotString(v);
    assert.doesNotMatch(s, /[\r\n]/, JSON.stringify(v));
    assert.equal(readDotString(s), textLine(v), JSON.stringify(v));
    // Every backslash is doubled: `\n`, `\l`, `\N` of the value are text, not DOT escapes.
    assert.doesNotMatch(s.slice(1, -1).replace(/\\[\\"]/g, ''), /\\/, JSON.stringify(v));
  }
});

test('mermaidLabel: one quoted label, no HTML, no quote, pipe or backtick of the value', () => {
  for (const v of [...HOSTILE, ...LEGIT]) {
    const s = mermaidLabel(v);
    const body = s.slice(1, -1);
    assert.doesNotMatch(body, /["<>|`\r\n]/, `${JSON.stringify(v)} -> ${s}`);
    // Decoding Mermaid's entities gives back the one-line value.
    const decoded = body.replace(/#(quot|lt|gt|amp|\d+);/g, (_m, e: string) => ({ quot: '"', lt: '<', gt: '>', amp: '&' })[e] ?? String.fromCharCode(Number(e)));
    assert.equal(decoded, textLine(v), JSON.stringify(v));
  }
});

test("escaping keeps netpol-analyzer's connlist outputs byte for byte (every corpus case with md/csv)", (t) => {
  if (!existsSync(CORPUS_DIR)) return t.skip('no ../shared corpus');
  let compared = 0;
  for (const c of loadCorpus()) {
    const dir = join(c.dir, 'expected');
    const rows: Row[] = c.expectedConnlist
      .split('\n')
      .filter((l) => l.includes(' => '))
      .map((l) => {
        const [pair, conn] = [l.slice(0, l.lastIndexOf(' : ')), l.slice(l.lastIndexOf(' : ') + 3)];
        const [src, dst] = pair.split(' => ');
        return { src, dst, conn };
      });
    if (rows.length === 0) continue;
    assert.equal(formatRows(rows, 'text'), c.expectedConnlist.replace(/\n*$/, '\n'), `${c.name}: text`);
    for (const [format, file] of [['md', 'connlist.md'], ['csv', 'connlist.csv']] as const) {
      if (!existsSync(join(dir, file))) continue;
      const expected = readFileSync(join(dir, file), 'utf8');
      assert.equal(formatRows(rows, format).trimEnd(), expected.trimEnd(), `${c.name}: ${format}`);
      compared++;
    }
  }
  assert.ok(compared > 20, `compared ${compared} md/csv files`);
});
